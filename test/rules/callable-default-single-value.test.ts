import rule from '../../rules/callable-default-single-value.js';
import { djangoMigration } from '../../src/engine/examples.js';
import { ruleTester } from '../helpers/rule-tester.js';

const withUuid = (...ops: string[]) => `import uuid\n\n${djangoMigration(ops)}`;
const addToken = (field: string) => `migrations.AddField(model_name='item', name='token', field=${field})`;

ruleTester.run(rule, {
  valid: [
    { name: 'django: a constant default', django: djangoMigration(["migrations.AddField(model_name='item', name='price', field=models.IntegerField(default=0))"]) },
    { name: 'django: default=dict means an empty object for every row', django: djangoMigration(["migrations.AddField(model_name='item', name='meta', field=models.JSONField(default=dict))"]) },
    { name: 'django: default=list', django: djangoMigration(["migrations.AddField(model_name='item', name='tags', field=models.JSONField(default=list))"]) },
    { name: 'django: nullable without a default, filled later', django: djangoMigration([addToken('models.UUIDField(null=True)')]) },
    {
      name: 'django: db_default=RandomUUID() is evaluated by PostgreSQL for each row',
      django: `from django.contrib.postgres.functions import RandomUUID\n${djangoMigration([addToken('models.UUIDField(db_default=RandomUUID())')])}`,
    },
    {
      name: 'django: a model created earlier in the same migration has no rows',
      django: withUuid(
        "migrations.CreateModel(name='Refund', fields=[('id', models.BigAutoField(primary_key=True))])",
        "migrations.AddField(model_name='refund', name='token', field=models.UUIDField(default=uuid.uuid4, unique=True))",
      ),
    },
    { name: 'sql: a database default is evaluated for each row', sql: 'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();' },
  ],
  invalid: [
    {
      name: 'django: default=uuid.uuid4',
      django: withUuid(addToken('models.UUIDField(default=uuid.uuid4)')),
      errors: [{ messageId: 'sameValue', data: { table: 'shop_item', column: 'token', callable: 'uuid.uuid4' }, line: 9, column: 9, endLine: 9, endColumn: 105, severity: 'warning' }],
      output: null,
    },
    {
      name: 'django: null=True does not help: the one value is still written into every row',
      django: withUuid(addToken('models.UUIDField(default=uuid.uuid4, null=True)')),
      errors: [{ messageId: 'sameValue', data: { table: 'shop_item', column: 'token', callable: 'uuid.uuid4' }, line: 9, column: 9, endLine: 9, endColumn: 116, severity: 'warning' }],
      output: null,
    },
    {
      name: 'django: unique=True fails with two rows',
      django: withUuid(addToken('models.UUIDField(default=uuid.uuid4, unique=True)')),
      errors: [{ messageId: 'sameValueUnique', data: { table: 'shop_item', column: 'token', callable: 'uuid.uuid4' }, line: 9, column: 9, endLine: 9, endColumn: 118, severity: 'error' }],
      output: null,
    },
    {
      name: 'django: auto_now_add stamps every existing row with the time of the deploy',
      django: djangoMigration(["migrations.AddField(model_name='item', name='created', field=models.DateTimeField(auto_now_add=True))"]),
      errors: [{ messageId: 'sameValue', data: { table: 'shop_item', column: 'created', callable: 'timezone.now()' }, line: 7, column: 9, endLine: 7, endColumn: 110, severity: 'warning' }],
      output: null,
    },
    {
      name: 'django: a lambda default',
      django: `from django.utils import timezone\n\n${djangoMigration(["migrations.AddField(model_name='item', name='seen', field=models.DateTimeField(default=lambda: timezone.now()))"])}`,
      errors: [{ messageId: 'sameValue', data: { table: 'shop_item', column: 'seen', callable: 'lambda: timezone.now()' }, line: 9, column: 9, endLine: 9, endColumn: 120, severity: 'warning' }],
      output: null,
    },
  ],
});
