import { defineRule } from '../src/engine/rule.js';
import { statementsOf } from '../src/engine/statements.js';
import { tableKey } from '../src/model/migration-facts.js';
import type { DataTarget } from '../src/model/types.js';

const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

/** `orders`, `orders and users`, `orders, users and items`: each table once, as the down step names it. */
function tableList(targets: readonly DataTarget[] | undefined): string {
  const names = [...new Set((targets ?? []).flatMap((t) => (t.table ? [tableKey(t.table)] : [])))];
  if (names.length === 0) return 'a table';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The docs' golang-migrate example: version 2 seeds a user; its down file is given. */
const golangSeed = (down: string) =>
  ['-- file: 000002_seed_billing_user.up.sql', "INSERT INTO users (email) VALUES ('billing@example.com');", '-- file: 000002_seed_billing_user.down.sql', down].join('\n');

/** The docs' Alembic example: a revision that creates `plans` and seeds a user; `seedUndo` is its last downgrade line. */
const alembicSeed = (seedUndo: string) =>
  [
    'def upgrade():',
    "    op.create_table('plans', sa.Column('id', sa.BigInteger(), primary_key=True), sa.Column('name', sa.Text(), nullable=False))",
    '    op.execute("INSERT INTO users (email) VALUES (\'billing@example.com\')")',
    '',
    '',
    'def downgrade():',
    "    op.drop_table('plans')",
    `    ${seedUndo}`,
  ].join('\n');

/** The docs' Knex example, the same migration. */
const knexSeed = (seedUndo: string) =>
  [
    '// migrations/20240102120000_plans.js',
    'exports.up = async (knex) => {',
    "  await knex.schema.createTable('plans', (t) => { t.increments(); t.text('name').notNullable(); });",
    "  await knex('users').insert({ email: 'billing@example.com' });",
    '};',
    'exports.down = async (knex) => {',
    "  await knex.schema.dropTable('plans');",
    `  await ${seedUndo};`,
    '};',
  ].join('\n');

const migrationWith = (reverse: string[], op: string) =>
  [
    'from django.db import migrations',
    '',
    '',
    'def forwards(apps, schema_editor):',
    "    Tag = apps.get_model('shop', 'Tag')",
    "    Tag.objects.bulk_create([Tag(name='new'), Tag(name='sale')])",
    '',
    '',
    ...reverse,
    '',
    '',
    'class Migration(migrations.Migration):',
    "    dependencies = [('shop', '0001_initial')]",
    '    operations = [',
    `        ${op},`,
    '    ]',
  ].join('\n');

export default defineRule({
  id: 'destructive-reverse',
  category: 'reversibility',
  severity: 'warning',
  fix: 'none',
  since: '0.3.0',
  description: 'A reverse or down step empties or drops a table the forward step did not create, so rolling back loses every row written since.',
  messages: {
    destroys: 'The reverse of {construct} in {migration} empties or drops data the forward step did not create: rolling back loses every row written since the migration ran',
    downDestroys: 'The down step of {migration} empties or drops {tables}, which its up step did not create: rolling back loses every row written there since the migration ran',
  },
  docs: {
    what:
      "Reports a reverse step that deletes every row of a table (`Model.objects.all().delete()`, `DELETE` without `WHERE`, `knex('t').del()` without `where`, Sequelize `bulkDelete` without a condition), truncates it, or drops a table the forward step did not create. Django reverses are read per operation: a RunPython `reverse_code` or a RunSQL `reverse_sql`. The down step of the other tools is read as a whole and measured against its up step: an Alembic `downgrade()` (`op.drop_table`, `op.execute`), the `down` of a Knex, TypeORM, Sequelize or node-pg-migrate migration (`knex.schema.dropTable`, `knex.raw`, `queryRunner.query`, `queryInterface.dropTable`, `pgm.dropTable`, `pgm.sql`, …), a golang-migrate `.down.sql`, a Flyway `U` undo script, and the down section of a dbmate or goose file. Dropping or emptying a table the forward step created is the ordinary reverse and is not reported. Down findings point at the down step (`downgrade`, `down`, the `-- migrate:down` marker), or in a separate down file at the statement that destroys the table, and name the tables; a suppression comment in that down file silences them as it would in the migration's own file.",
    why:
      "A rollback usually happens under pressure, after the new code has run for a while. A reverse that deletes everything in a table removes what users wrote in the meantime, not just what the migration added. Undo exactly what the forward step did (delete the rows it inserted, by a key it set), or make the reverse a no-op and say so. It is a warning: sometimes the table really holds only what the migration put there.",
    knownProblems:
      "Only what can be read statically counts: SQL built at run time, helper functions the down step calls and the database object handed to them are not followed, and a Django RunPython reverse that is not a function of the file is not judged. The forward step is the same migration's: a down that drops a table an earlier migration created is reported even when the whole chain is being rolled back. A Sequelize seeder's `bulkDelete(table, null)` is reported: it deletes every row, not only the seeded ones. Down SQL on a database the PostgreSQL parser does not speak (Prisma has no downs; a set declared as MySQL) is not read.",
    example: {
      django: migrationWith(['def backwards(apps, schema_editor):', "    apps.get_model('shop', 'Tag').objects.all().delete()"], 'migrations.RunPython(forwards, backwards)'),
      sql: golangSeed('DELETE FROM users;'),
      alembic: alembicSeed("op.execute('DELETE FROM users')"),
      knex: knexSeed("knex('users').del()"),
    },
    instead: {
      django: migrationWith(['def backwards(apps, schema_editor):', "    apps.get_model('shop', 'Tag').objects.filter(name__in=['new', 'sale']).delete()"], 'migrations.RunPython(forwards, backwards)'),
      sql: golangSeed("DELETE FROM users WHERE email = 'billing@example.com';"),
      alembic: alembicSeed('op.execute("DELETE FROM users WHERE email = \'billing@example.com\'")'),
      knex: knexSeed("knex('users').where({ email: 'billing@example.com' }).del()"),
    },
    references: [
      'django/db/migrations/operations/special.py `RunPython.database_backwards`, `RunSQL.database_backwards`',
      'alembic/command.py `downgrade`; knex/knex lib/migrations/migrate/Migrator.js `down`; golang-migrate/migrate migrate.go `Down`',
    ],
  },
  check({ project, report }) {
    for (const v of statementsOf(project)) {
      const st = v.statement;
      if ((st.kind !== 'run_code' && st.kind !== 'raw_sql') || !st.reverse?.effects?.destroys) continue;
      report(v, 'destroys', { construct: st.construct, migration: v.name }, { hint: 'undo only what the forward step did (delete the rows it created, by their keys), or use a no-op reverse' });
    }
    for (const set of project.sets) {
      for (const migration of set.migrations) {
        const down = migration.down;
        // A file the tool cannot load has no known up step to measure the down against.
        if (!down?.effects?.destroys || migration.incomplete || migration.repeatable) continue;
        const data = { migration: baseName(migration.file), tables: tableList(down.effects.destroyed) };
        const extra = { hint: 'undo only what the up step did (delete the rows it inserted, by their keys; drop only the tables it created), or leave the data in place' };
        // A down step in the migration's own file is pointed at (`downgrade`, `down`, the down marker); a
        // separate down file at its first statement that destroys a table.
        if (down.file === migration.file) report({ migration, ...(down.span ? { span: down.span } : {}) }, 'downDestroys', data, extra);
        else {
          const at = down.effects.destroyed?.[0]?.span;
          report({ file: down.file, ...(at ? { span: at } : {}), set: set.id, migration: migration.name }, 'downDestroys', data, extra);
        }
      }
    }
  },
});
