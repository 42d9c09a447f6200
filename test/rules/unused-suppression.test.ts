import rule from '../../rules/unused-suppression.js';
import { ruleTester } from '../helpers/rule-tester.js';

const django = (...lines: string[]) =>
  ['from django.db import migrations, models', '', '', 'class Migration(migrations.Migration):', "    dependencies = [('shop', '0001_initial')]", '    operations = [', ...lines.map((o) => `        ${o}`), '    ]'].join('\n');
const ADD_INDEX = "migrations.AddIndex(model_name='item', index=models.Index(fields=['name'], name='item_name_idx')),";
const ADD_FIELD = "migrations.AddField(model_name='item', name='note', field=models.TextField(null=True)),";

ruleTester.run(rule, {
  valid: [
    { name: 'sql: the suppression silences a finding', sql: '-- migrate-lint-ignore index-not-concurrent: 40 rows\nCREATE INDEX orders_status_idx ON orders (status);' },
    { name: 'sql: file-level suppression that silences a finding', sql: '-- migrate-lint-ignore-file index-not-concurrent: 40 rows\n\nCREATE INDEX orders_status_idx ON orders (status);' },
    { name: 'django: the suppression silences a finding', django: django('# migrate-lint: ignore index-not-concurrent: 40 rows', ADD_INDEX) },
    {
      name: 'sql: a suppression of a rule that is turned off is not judged',
      sql: '-- migrate-lint-ignore index-not-concurrent: 40 rows\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      options: { rules: { 'index-not-concurrent': 'off' } },
    },
  ],
  invalid: [
    {
      name: 'sql: the statement was made safe and the suppression stayed',
      sql: '-- migrate-lint-ignore index-not-concurrent: 40 rows\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);',
      errors: [{ messageId: 'unused', data: { rule: 'index-not-concurrent' }, line: 1, column: 1, endLine: 1, endColumn: 53 }],
      output: null,
    },
    {
      name: 'sql: a misspelt rule id',
      sql: '-- migrate-lint-ignore index-not-concurent: 40 rows\nCREATE INDEX orders_status_idx ON orders (status);',
      errors: [{ messageId: 'unknown', data: { rule: 'index-not-concurent' }, line: 1, column: 1, endLine: 1, endColumn: 52 }],
      output: null,
    },
    {
      name: 'django: a suppression above a statement the rule does not flag',
      django: django('# migrate-lint: ignore index-not-concurrent: 40 rows', ADD_FIELD),
      errors: [{ messageId: 'unused', data: { rule: 'index-not-concurrent' }, line: 7, column: 9, endLine: 7, endColumn: 61 }],
      output: null,
    },
  ],
});
