/**
 * `npm run new-rule <id> [category]`: writes rules/<id>.ts and test/rules/<id>.test.ts and registers the
 * rule in rules/index.ts (squawk's xtask new-rule is the model). Refuses to overwrite anything. The test
 * table it writes fails until it is filled in: an invalid case must expect an error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [id, category = 'lock'] = process.argv.slice(2);
if (!id || !/^[a-z]+(-[a-z]+)*$/.test(id)) {
  process.stderr.write('usage: npm run new-rule <kebab-case-id> [category]\n');
  process.exit(2);
}
const root = process.cwd();
const camel = id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const ruleFile = path.join(root, 'rules', `${id}.ts`);
const testFile = path.join(root, 'test/rules', `${id}.test.ts`);
for (const f of [ruleFile, testFile]) {
  if (existsSync(f)) {
    process.stderr.write(`${path.relative(root, f)} already exists\n`);
    process.exit(2);
  }
}
writeFileSync(
  ruleFile,
  `import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  id: '${id}',
  category: '${category}',
  severity: 'error',
  fix: 'none',
  since: '${JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version}',
  description: 'TODO: one line.',
  messages: {
    found: 'TODO: the fact and its consequence, quoting {table}',
  },
  docs: {
    what: 'TODO: what it flags.',
    why: 'TODO: why it is dangerous.',
    example: { django: 'TODO' },
    instead: { django: 'TODO' },
    references: ['TODO: manual page or source file'],
  },
  check({ project, report }) {
    for (const set of project.sets) {
      for (const migration of set.migrations) {
        migration.statements.forEach((statement, statementIndex) => {
          void report;
          void statement;
          void statementIndex;
        });
      }
    }
  },
});
`,
);
writeFileSync(
  testFile,
  `import rule from '../../rules/${id}.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester.run(rule, {
  valid: [{ name: 'TODO: the safe form', django: 'TODO' }],
  invalid: [{ name: 'TODO: the hazard', django: 'TODO', errors: [], output: null }],
});
`,
);
const index = path.join(root, 'rules/index.ts');
let src = readFileSync(index, 'utf8');
src = src.replace('// new-rule: imports', `import ${camel} from './${id}.js';\n// new-rule: imports`);
src = src.replace('  // new-rule: list', `  ${camel},\n  // new-rule: list`);
writeFileSync(index, src);
process.stdout.write(`wrote rules/${id}.ts, test/rules/${id}.test.ts; registered in rules/index.ts (sort the list), then run npm run docs\n`);
