import rule from '../../rules/transaction-nesting.js';
import { ruleTester } from '../helpers/rule-tester.js';

const runSql = (sql: string, atomic = true) =>
  [
    'from django.db import migrations',
    '',
    '',
    'class Migration(migrations.Migration):',
    ...(atomic ? [] : ['    atomic = False']),
    "    dependencies = [('shop', '0001_initial')]",
    '    operations = [',
    `        migrations.RunSQL(${JSON.stringify(sql).replace(/^"|"$/g, "'")}, migrations.RunSQL.noop),`,
    '    ]',
  ].join('\n');

ruleTester.run(rule, {
  valid: [
    { name: 'sql: BEGIN ... COMMIT in a plain file', sql: 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;' },
    { name: 'prisma: BEGIN ... COMMIT in a file sent as one query', prisma: 'BEGIN;\nALTER TABLE "orders" ADD COLUMN "note" TEXT;\nCOMMIT;' },
    { name: 'django: RunSQL without transaction control', django: runSql('UPDATE shop_item SET name = trim(name)') },
    { name: 'django: BEGIN ... COMMIT in a non-atomic migration', django: runSql('BEGIN; UPDATE shop_item SET name = trim(name); COMMIT;', false) },
  ],
  invalid: [
    {
      name: 'django: BEGIN and COMMIT inside the atomic migration',
      django: runSql('BEGIN; UPDATE shop_item SET name = trim(name); COMMIT;'),
      errors: [
        { messageId: 'nestedBegin', data: { where: 'the framework opened it for the migration' }, line: 7, column: 28, endLine: 7, endColumn: 33 },
        { messageId: 'commitsWrapper', data: { operation: 'COMMIT', migration: 'shop.0002_change' }, line: 7, column: 75, endLine: 7, endColumn: 81 },
      ],
      output: null,
    },
    {
      name: 'sql: BEGIN twice',
      sql: 'BEGIN;\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;',
      errors: [{ messageId: 'nestedBegin', data: { where: 'the migration opened it earlier' }, line: 2, column: 1, endLine: 2, endColumn: 6 }],
      output: null,
    },
    {
      name: 'sql: BEGIN never committed',
      sql: "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nUPDATE orders SET note = '';",
      errors: [{ messageId: 'uncommitted', data: { migration: 'db/migrations/0002_change.sql' }, line: 1, column: 1, endLine: 1, endColumn: 6 }],
      output: null,
    },
  ],
});
