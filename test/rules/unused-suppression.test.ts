import rule from '../../rules/unused-suppression.js';
import { ruleTester } from '../helpers/rule-tester.js';

const django = (...lines: string[]) =>
  ['from django.db import migrations, models', '', '', 'class Migration(migrations.Migration):', "    dependencies = [('shop', '0001_initial')]", '    operations = [', ...lines.map((o) => `        ${o}`), '    ]'].join('\n');
const ADD_INDEX = "migrations.AddIndex(model_name='item', index=models.Index(fields=['name'], name='item_name_idx')),";
const ADD_FIELD = "migrations.AddField(model_name='item', name='note', field=models.TextField(null=True)),";

/** golang-migrate: version 1 creates `users`; version 2 seeds it, and its down file is given. */
const golang = (down: string): Record<string, string> => ({
  'db/migrations/000001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n',
  'db/migrations/000001_users.down.sql': 'DROP TABLE users;\n',
  'db/migrations/000002_seed.up.sql': "INSERT INTO users (email) VALUES ('billing@example.com');\n",
  'db/migrations/000002_seed.down.sql': down,
});
const DOWN_FILE = 'db/migrations/000002_seed.down.sql';

ruleTester.run(rule, {
  valid: [
    { name: 'golang-migrate: a suppression in a separate down file silences the finding there', files: golang('-- migrate-lint-ignore destructive-reverse: users holds only the seeded row\nDELETE FROM users;\n') },
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
      name: 'golang-migrate: a suppression in a down file that silences nothing is reported in that file',
      files: golang("-- migrate-lint-ignore destructive-reverse: only the seeded row\nDELETE FROM users WHERE email = 'billing@example.com';\n"),
      errors: [{ messageId: 'unused', data: { rule: 'destructive-reverse' }, line: 1, column: 1, endLine: 1, endColumn: 64, file: DOWN_FILE }],
      output: null,
    },
    {
      name: 'golang-migrate: a misspelt rule id in a down file',
      files: golang('-- migrate-lint-ignore destructive-revers: seeded only\nDELETE FROM users;\n'),
      errors: [{ messageId: 'unknown', data: { rule: 'destructive-revers' }, line: 1, column: 1, endLine: 1, endColumn: 55, file: DOWN_FILE }],
      output: null,
    },
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
