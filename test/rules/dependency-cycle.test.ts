import rule from '../../rules/dependency-cycle.js';
import { djangoMigration as mig, tree } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';

const at = { line: 4, column: 7, endLine: 4, endColumn: 16 };

ruleTester.run(rule, {
  valid: [
    { name: 'a chain', django: tree({ 'shop/migrations/0001_initial.py': mig(), 'shop/migrations/0002_a.py': mig("('shop', '0001_initial')") }) },
    {
      name: 'a diamond across apps is not a cycle',
      django: tree({
        'shop/migrations/0001_initial.py': mig(),
        'billing/migrations/0001_initial.py': mig("('shop', '0001_initial')"),
        'shop/migrations/0002_a.py': mig("('shop', '0001_initial')", "('billing', '0001_initial')"),
      }),
    },
  ],
  invalid: [
    {
      name: 'two apps depending on each other',
      django: tree({ 'shop/migrations/0001_initial.py': mig("('billing', '0001_initial')"), 'billing/migrations/0001_initial.py': mig("('shop', '0001_initial')") }),
      errors: [{ messageId: 'cycle', data: { cycle: ['billing.0001_initial', 'shop.0001_initial'] }, file: 'billing/migrations/0001_initial.py', ...at }],
      output: null,
    },
    {
      name: 'run_before closing a loop',
      django: tree({
        'shop/migrations/0001_initial.py': mig(),
        'shop/migrations/0002_a.py': mig("('shop', '0001_initial')") + "\n    run_before = [('shop', '0001_initial')]",
      }),
      errors: [{ messageId: 'cycle', data: { cycle: ['shop.0001_initial', 'shop.0002_a'] }, file: 'shop/migrations/0001_initial.py', ...at }],
      output: null,
    },
    {
      name: 'a migration depending on itself',
      django: tree({ 'shop/migrations/0001_initial.py': mig("('shop', '0001_initial')") }),
      errors: [{ messageId: 'cycle', data: { cycle: ['shop.0001_initial'] }, file: 'shop/migrations/0001_initial.py', ...at }],
      output: null,
    },
  ],
});
