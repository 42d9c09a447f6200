import rule from '../../rules/lock-rules-skipped.js';
import { ruleTester } from '../helpers/rule-tester.js';

const lockFile = (provider: string) => `-- file: migration_lock.toml\nprovider = "${provider}"\n\n`;

ruleTester.run(rule, {
  valid: [
    { name: 'prisma: PostgreSQL', prisma: 'CREATE INDEX "orders_status_idx" ON "orders"("status");' },
    { name: 'sql: a plain directory is parsed as PostgreSQL', sql: 'CREATE INDEX orders_status_idx ON orders (status);' },
    { name: 'django', django: "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = []" },
  ],
  invalid: [
    {
      name: 'prisma: MySQL',
      prisma: `${lockFile('mysql')}-- file: 20240102000000_change\nCREATE INDEX \`orders_status_idx\` ON \`orders\`(\`status\`);`,
      errors: [
        {
          messageId: 'skipped',
          data: { dir: 'prisma/migrations', dialect: 'mysql', count: 2 },
          file: 'prisma/migrations/20240101000000_init/migration.sql',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
        },
      ],
      output: null,
    },
    {
      name: 'prisma: SQLite',
      prisma: `${lockFile('sqlite')}-- file: 20240102000000_change\nCREATE INDEX "orders_status_idx" ON "orders"("status");`,
      errors: [
        {
          messageId: 'skipped',
          data: { dir: 'prisma/migrations', dialect: 'sqlite', count: 2 },
          file: 'prisma/migrations/20240101000000_init/migration.sql',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
        },
      ],
      output: null,
    },
  ],
});
