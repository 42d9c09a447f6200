import rule from '../../rules/parse-error.js';
import { DJANGO_INITIAL } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';

const good = ['from django.db import migrations', '', '', 'class Migration(migrations.Migration):', "    dependencies = [('shop', '0001_initial')]", '    operations = []'].join('\n');

ruleTester.run(rule, {
  valid: [
    { name: 'a well-formed migration', django: good },
    { name: 'black-formatted, double quotes, one-line operations', django: good.replace(/'/g, '"') },
    {
      name: 'a helper module in migrations/ that is not a migration is skipped silently',
      files: { 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': DJANGO_INITIAL, 'shop/migrations/utils.py': 'def chunks(qs):\n    return qs\n' },
    },
  ],
  invalid: [
    {
      name: 'an unclosed bracket',
      django: good.replace("'0001_initial')]", "'0001_initial')"),
      errors: [{ messageId: 'syntax', data: { file: 'shop/migrations/0002_change.py', detail: "invalid Python syntax near 'operations'" }, line: 6, column: 5, endLine: 6, endColumn: 5 }],
      output: null,
    },
    {
      name: 'a SQL syntax error inside RunSQL, at its place in the Python file',
      django: good.replace('operations = []', 'operations = [migrations.RunSQL("SELECT 1; SELEC 2", migrations.RunSQL.noop)]'),
      errors: [{ messageId: 'syntax', data: { file: 'shop/migrations/0002_change.py', detail: 'syntax error at or near "SELEC"' }, line: 6, column: 48, endLine: 6, endColumn: 53 }],
      output: null,
    },
    {
      name: 'merge-conflict markers',
      django: `<<<<<<< HEAD\n${good}\n=======\n${good}\n>>>>>>> feature\n`,
      errors: [{ messageId: 'conflictMarkers', data: { file: 'shop/migrations/0002_change.py' }, line: 1, column: 1, endLine: 1, endColumn: 8 }],
      output: null,
    },
    {
      name: 'bytes that are not UTF-8',
      files: {
        'shop/migrations/__init__.py': '',
        'shop/migrations/0001_initial.py': DJANGO_INITIAL,
        'shop/migrations/0002_change.py': Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n' + good)]) as unknown as string,
      },
      errors: [{ messageId: 'encoding', data: { file: 'shop/migrations/0002_change.py', detail: 'file is not valid UTF-8 (byte 0xe9 at offset 5)' }, line: 1, column: 6, endLine: 1, endColumn: 6 }],
      output: null,
    },
    {
      name: 'dependencies that cannot be read without running code (a warning)',
      django: good.replace("[('shop', '0001_initial')]", 'compute_dependencies()'),
      errors: [
        {
          messageId: 'unsupported',
          data: { detail: '`dependencies` is not a list literal; it cannot be read statically' },
          severity: 'warning',
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 42,
        },
      ],
      output: null,
    },
  ],
});
