/**
 * Sets declared by configuration (`DeclaredSet`, src/discover/index.ts): under a scope that declares sets
 * they replace detection; each is loaded as the declared framework from its path, whatever detection says
 * of the directory; `dialect` decides before parsing; detection outside the scope is unchanged; declared
 * and detected sets share namespaces and comparisons.
 */
import { describe, expect, it } from 'vitest';
import { lintComparison, lintSnapshot, type LintOptions } from '../../src/api.js';
import { discover } from '../../src/discover/index.js';
import type { DeclaredSet } from '../../src/frameworks/types.js';
import type { MigrationSet } from '../../src/model/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { ALEMBIC_ENV, DJANGO_INITIAL, SQL_INITIAL } from '../helpers/files.js';

type Files = Record<string, string>;

async function sets(files: Files, declared: DeclaredSet[] = [], prefixes = ['']): Promise<MigrationSet[]> {
  return (await discover(new MemorySnapshot(files), prefixes, undefined, declared)).sets;
}

/** Each set as `id framework dialect: migration names`. */
const summary = (s: readonly MigrationSet[]) => s.map((x) => `${x.id} ${x.framework} ${x.dialect}: ${x.migrations.map((m) => m.name).join(' ')}`).sort();

const at = (framework: DeclaredSet['framework'], path: string, scope = '', dialect?: DeclaredSet['dialect']): DeclaredSet => ({ framework, path, scope, ...(dialect ? { dialect } : {}) });

async function findings(files: Files, declared: DeclaredSet[], options: LintOptions = {}) {
  return (await lintSnapshot(new MemorySnapshot(files), [''], { ...options, declared })).findings.map((f) => `${f.file} ${f.ruleId}`);
}

const KNEX_INIT = "exports.up = function (knex) {\n  return knex.schema.createTable('orders', (t) => { t.increments(); t.string('status'); });\n};\nexports.down = function (knex) {\n  return knex.schema.dropTable('orders');\n};\n";
const KNEX_INDEX = "exports.up = function (knex) {\n  return knex.schema.alterTable('orders', (t) => { t.index('status'); });\n};\nexports.down = function (knex) {\n  return knex.schema.alterTable('orders', (t) => { t.dropIndex('status'); });\n};\n";

describe('SQL-file tools', () => {
  it('a plain numbered directory declared goose is read as goose, and goose refuses its files', async () => {
    const files = { 'db/sql/0001_init.sql': SQL_INITIAL, 'db/sql/0002_index.sql': 'CREATE INDEX i ON orders (status);\n' };
    expect(summary(await sets(files))).toEqual(['sql:db/sql sql postgresql: 0001_init 0002_index']);
    const [s] = await sets(files, [at('goose', 'db/sql')]);
    expect(s).toMatchObject({ id: 'goose:db/sql', framework: 'goose', downs: 'per-migration', transaction: 'per-migration' });
    expect(s!.migrations.map((m) => [m.name, m.incomplete])).toEqual([
      ['1', true],
      ['2', true],
    ]);
    expect(s!.migrations[0]!.diagnostics.map((d) => d.message).join('\n')).toMatch(/goose/i);
  });

  it('dbmate files beside an __init__.py are not detected; declared, they are', async () => {
    const files = {
      'app/db/__init__.py': '',
      'app/db/20240101000000_init.sql': `-- migrate:up\n${SQL_INITIAL}\n-- migrate:down\nDROP TABLE orders, users;\n`,
      'app/db/20240102000000_index.sql': '-- migrate:up\nCREATE INDEX i ON orders (status);\n\n-- migrate:down\nDROP INDEX i;\n',
    };
    expect(await sets(files)).toEqual([]);
    expect(summary(await sets(files, [at('dbmate', 'app/db')]))).toEqual(['dbmate:app/db dbmate postgresql: 20240101000000 20240102000000']);
    expect(await findings(files, [at('dbmate', 'app/db')])).toContain('app/db/20240102000000_index.sql index-not-concurrent');
  });

  it('a directory detection takes for golang-migrate, declared flyway, holds only what Flyway runs', async () => {
    const files = { 'db/1_seed.up.sql': 'SELECT 1;\n', 'db/V2__users.sql': SQL_INITIAL, 'db/V3__index.sql': 'CREATE INDEX i ON orders (status);\n' };
    expect(summary(await sets(files))).toEqual(['golang-migrate:db golang-migrate postgresql: 1']);
    expect(summary(await sets(files, [at('flyway', 'db')]))).toEqual(['flyway:db flyway postgresql: 2 3']);
  });

  it('Prisma folders without timestamps or a lock file are not detected; declared, every folder is a migration', async () => {
    const files = { 'prisma/migrations/init/migration.sql': SQL_INITIAL, 'prisma/migrations/status_index/migration.sql': 'CREATE INDEX i ON orders (status);\n' };
    expect(await sets(files)).toEqual([]);
    const [s] = await sets(files, [at('prisma', 'prisma/migrations')]);
    expect(summary([s!])).toEqual(['prisma:prisma/migrations prisma postgresql: init status_index']);
    expect(s!.transaction).toBe('implicit-per-file');
  });

  it('golang-migrate declared mysql: the SQL is not parsed as PostgreSQL, so MySQL syntax is no parse error', async () => {
    const files = { 'db/migrations/1_init.up.sql': 'CREATE TABLE `orders` (`id` int AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n', 'db/migrations/1_init.down.sql': 'DROP TABLE `orders`;\n' };
    expect(await findings(files, [])).toContain('db/migrations/1_init.up.sql parse-error');
    const declared = [at('golang-migrate', 'db/migrations', '', 'mysql')];
    const [s] = await sets(files, declared);
    expect(s).toMatchObject({ framework: 'golang-migrate', dialect: 'mysql' });
    expect(s!.migrations[0]!.statements).toEqual([]);
    expect(await findings(files, declared)).toEqual(['db/migrations/1_init.up.sql lock-rules-skipped']);
  });

  it('a declared dialect wins over migration_lock.toml', async () => {
    const files = { 'prisma/migrations/migration_lock.toml': 'provider = "mysql"\n', 'prisma/migrations/20240101000000_init/migration.sql': SQL_INITIAL };
    expect(summary(await sets(files))).toEqual(['prisma:prisma/migrations prisma mysql: 20240101000000_init']);
    const [s] = await sets(files, [at('prisma', 'prisma/migrations', '', 'postgresql')]);
    expect(s!.dialect).toBe('postgresql');
    expect(s!.migrations[0]!.statements.map((x) => x.kind)).toEqual(['create_table', 'create_table']);
  });

  it('a declared directory with nothing the tool runs, or no files at all, is a set of no migrations', async () => {
    const files = { 'db/0001_init.sql': SQL_INITIAL };
    expect(summary(await sets(files, [at('flyway', 'db'), at('golang-migrate', 'nowhere')]))).toEqual(['flyway:db flyway postgresql: ', 'golang-migrate:nowhere golang-migrate postgresql: ']);
    expect(await findings(files, [at('flyway', 'db')])).toEqual([]);
  });
});

describe('every front end', () => {
  it('takes a declared path with no files as a set of no migrations, and the rules run over it', async () => {
    const frameworks = ['django', 'alembic', 'prisma', 'knex', 'typeorm', 'sequelize', 'node-pg-migrate', 'golang-migrate', 'flyway', 'dbmate', 'goose', 'sql'] as const;
    const r = await lintSnapshot(new MemorySnapshot({ 'README.md': '' }), [''], { declared: frameworks.map((f) => at(f, `none/${f}`, 'none')) });
    expect(r.sets.map((s) => [s.framework, s.dir, s.migrations.length]).sort()).toEqual(frameworks.map((f) => [f, `none/${f}`, 0]).sort());
    expect(r.findings).toEqual([]);
  });
});

describe('JavaScript and TypeScript tools', () => {
  it('a Knex directory with no knexfile and an unusual name', async () => {
    const files = { 'db/changes/20240101000000_init.js': KNEX_INIT };
    expect(await sets(files)).toEqual([]);
    const [s] = await sets(files, [at('knex', 'db/changes')]);
    expect(summary([s!])).toEqual(['knex:db/changes knex unknown: 20240101000000_init.js']);
    expect(s!.migrations[0]!.statements.map((x) => x.kind)).toEqual(['create_table']);
  });

  it('TypeORM classes outside a directory named like migrations', async () => {
    const files = {
      'src/db/1700000000000-Init.ts':
        'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class Init1700000000000 implements MigrationInterface {\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`CREATE TABLE "post" ("id" SERIAL PRIMARY KEY)`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`DROP TABLE "post"`);\n    }\n}\n',
    };
    expect(await sets(files)).toEqual([]);
    expect(summary(await sets(files, [at('typeorm', 'src/db')]))).toEqual(['typeorm:src/db typeorm unknown: Init1700000000000']);
  });

  it('Sequelize migrations in database/changes', async () => {
    const files = {
      'database/changes/20240101000000-add-note.js':
        "'use strict';\n\nmodule.exports = {\n  async up (queryInterface, Sequelize) {\n    await queryInterface.addColumn('orders', 'note', { type: Sequelize.TEXT });\n  },\n  async down (queryInterface) {\n    await queryInterface.removeColumn('orders', 'note');\n  }\n};\n",
    };
    expect(await sets(files)).toEqual([]);
    const [s] = await sets(files, [at('sequelize', 'database/changes')]);
    expect(s).toMatchObject({ framework: 'sequelize', transaction: 'none' });
    expect(s!.migrations.map((m) => m.statements.map((x) => x.kind))).toEqual([['add_column']]);
  });

  it('node-pg-migrate in a directory not named like migrations', async () => {
    const files = { 'db/schema/1700000000000_index.js': "exports.up = (pgm) => {\n  pgm.createIndex('orders', 'status');\n};\n" };
    expect(await sets(files)).toEqual([]);
    const [s] = await sets(files, [at('node-pg-migrate', 'db/schema')]);
    expect(summary([s!])).toEqual(['node-pg-migrate:db/schema node-pg-migrate unknown: 1700000000000_index']);
    expect(s!.migrations[0]!.reverse).toBe('derived');
  });

  it('files detection takes for Knex, declared node-pg-migrate, are lowered as node-pg-migrate', async () => {
    // `db.sql(…)` reads as node-pg-migrate, `db.schema` as Knex: a file using both is Knex to detection.
    const files = { 'migrations/1_x.js': "exports.up = (db) => {\n  db.schema;\n  db.sql('CREATE INDEX i ON orders (status)');\n};\n" };
    expect(summary(await sets(files))).toEqual(['knex:migrations knex unknown: 1_x.js']);
    const [s] = await sets(files, [at('node-pg-migrate', 'migrations')]);
    expect(summary([s!])).toEqual(['node-pg-migrate:migrations node-pg-migrate unknown: 1_x']);
    expect(s!.migrations[0]!.statements.map((x) => x.kind)).toContain('create_index');
  });

  it('a Knex set declared mysql is not linted with the PostgreSQL lock rules', async () => {
    const files = { 'db/migrations/20240101_init.js': KNEX_INIT, 'db/migrations/20240102_index.js': KNEX_INDEX };
    expect(await findings(files, [])).toContain('db/migrations/20240102_index.js index-not-concurrent');
    expect(await findings(files, [at('knex', 'db/migrations', '', 'mysql')])).toEqual(['db/migrations/20240101_init.js lock-rules-skipped']);
  });

  it("a declared Knex directory keeps its knexfile's client unless the declaration names a dialect", async () => {
    const files = { 'knexfile.js': "module.exports = { client: 'mysql2', migrations: { directory: './db/changes' } };\n", 'db/changes/20240101_init.js': KNEX_INIT };
    expect(summary(await sets(files, [at('knex', 'db/changes')]))).toEqual(['knex:db/changes knex mysql: 20240101_init.js']);
    expect(summary(await sets(files, [at('knex', 'db/changes', '', 'postgresql')]))).toEqual(['knex:db/changes knex postgresql: 20240101_init.js']);
  });
});

describe('Alembic', () => {
  const REV = (rev: string, down: string | null) => `from alembic import op\n\nrevision = '${rev}'\ndown_revision = ${down ? `'${down}'` : 'None'}\n\n\ndef upgrade():\n    op.create_table('t_${rev}')\n\n\ndef downgrade():\n    op.drop_table('t_${rev}')\n`;

  it('a version location with no alembic.ini, env.py or versions/ name: its parent is the script directory', async () => {
    // Files that import a helper instead of assigning `revision` at the top level escape detection too;
    // here the directory's name is enough.
    const files = { 'db/revisions/a1_init.py': REV('a1', null), 'db/revisions/a2_next.py': REV('a2', 'a1') };
    expect(await sets(files)).toEqual([]);
    const [s] = await sets(files, [at('alembic', 'db/revisions')]);
    expect(s).toMatchObject({ id: 'alembic:db', name: 'db', dir: 'db/revisions', framework: 'alembic', ordering: 'graph' });
    expect(s!.migrations.map((m) => [m.name, m.parents.map((p) => p.name)])).toEqual([
      ['a1', []],
      ['a2', ['a1']],
    ]);
  });

  it('the script directory and its versions directory name the same environment, configured or not', async () => {
    const files = { 'alembic.ini': '[alembic]\nscript_location = migrations\n', 'migrations/env.py': ALEMBIC_ENV, 'migrations/versions/a1_init.py': REV('a1', null) };
    const detected = summary(await sets(files));
    expect(detected).toEqual(['alembic:migrations alembic postgresql: a1']);
    expect(summary(await sets(files, [at('alembic', 'migrations')]))).toEqual(detected);
    expect(summary(await sets(files, [at('alembic', 'migrations/versions'), at('alembic', 'migrations', '', 'sqlite')]))).toEqual(detected);
    expect(summary(await sets({ ...files, 'alembic.ini': '' }, [at('alembic', 'migrations', '', 'mysql')]))).toEqual(['alembic:migrations alembic mysql: a1']);
  });
});

describe('Django', () => {
  const MANAGE = 'import sys\n';
  const dependsOn = (own: string, app: string) => `from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [('${own}', '0001_initial'), ('${app}', '0001_initial')]\n    operations = []\n`;

  it('a migrations package not called migrations joins the project of its manage.py; references both ways resolve', async () => {
    const files = {
      'manage.py': MANAGE,
      'project/settings.py': "INSTALLED_APPS = ['billing', 'shop.apps.ShopConfig']\n",
      'shop/__init__.py': '',
      'shop/apps.py': "from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = 'shop'\n    label = 'store'\n",
      'shop/db_migrations/__init__.py': '',
      'shop/db_migrations/0001_initial.py': DJANGO_INITIAL,
      'shop/db_migrations/0002_after_billing.py': dependsOn('store', 'billing'),
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py': DJANGO_INITIAL,
      'billing/migrations/0002_after_shop.py': dependsOn('billing', 'store'),
    };
    expect(summary(await sets(files))).toEqual(['django:billing django postgresql: 0001_initial 0002_after_shop']);
    // The configuration sits in shop/ and declares only its own app: billing is still detected.
    const declared = [at('django', 'shop/db_migrations', 'shop')];
    const found = await sets(files, declared);
    expect(summary(found)).toEqual(['django:billing django postgresql: 0001_initial 0002_after_shop', 'django:shop django postgresql: 0001_initial 0002_after_billing']);
    expect(found.map((s) => [s.name, s.namespace, s.dir])).toEqual([
      ['billing', 'django:.', 'billing/migrations'],
      ['store', 'django:.', 'shop/db_migrations'],
    ]);
    expect(await findings(files, declared)).toEqual([]);
    expect(await findings(files, [])).toEqual(['billing/migrations/0002_after_shop.py missing-dependency']);
  });

  it('a migrations package outside its app (MIGRATION_MODULES) is labelled by its own name', async () => {
    const files = { 'manage.py': MANAGE, 'migrations_store/__init__.py': '', 'migrations_store/shop/__init__.py': '', 'migrations_store/shop/0001_initial.py': DJANGO_INITIAL };
    const [s] = await sets(files, [at('django', 'migrations_store/shop', '', 'mysql')]);
    expect(s).toMatchObject({ id: 'django:migrations_store/shop', name: 'shop', dir: 'migrations_store/shop', dialect: 'mysql' });
    expect(s!.migrations.map((m) => m.name)).toEqual(['0001_initial']);
  });
});

describe('scopes', () => {
  const tree: Files = {
    // services/api declares its one set, a Knex directory detection would not find.
    'services/api/db/changes/20240101_init.js': KNEX_INIT,
    'services/api/migrations/0001_init.sql': SQL_INITIAL,
    'services/api/legacy/migrations/20240101_x.js': KNEX_INIT,
    // Outside the scope, everything is detected as before.
    'services/web/migrations/0001_init.sql': SQL_INITIAL,
    'services/web/db/migrations/20240101_x.js': KNEX_INIT,
    'services/apiary/migrations/0001_init.sql': SQL_INITIAL,
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': DJANGO_INITIAL,
  };
  const declared = [at('knex', 'services/api/db/changes', 'services/api')];

  it('under a declaring scope the sets are exactly the declared ones; elsewhere detection is unchanged', async () => {
    const detected = summary(await sets(tree));
    expect(detected).toEqual([
      'django:shop django postgresql: 0001_initial',
      'knex:services/api/legacy/migrations knex unknown: 20240101_x.js',
      'knex:services/web/db/migrations knex unknown: 20240101_x.js',
      'sql:services/api/migrations sql postgresql: 0001_init',
      'sql:services/apiary/migrations sql postgresql: 0001_init',
      'sql:services/web/migrations sql postgresql: 0001_init',
    ]);
    expect(summary(await sets(tree, declared))).toEqual([
      'django:shop django postgresql: 0001_initial',
      'knex:services/api/db/changes knex unknown: 20240101_init.js',
      'knex:services/web/db/migrations knex unknown: 20240101_x.js',
      'sql:services/apiary/migrations sql postgresql: 0001_init',
      'sql:services/web/migrations sql postgresql: 0001_init',
    ]);
  });

  it('a root configuration declaring sets replaces detection everywhere', async () => {
    expect(summary(await sets(tree, [at('sql', 'services/web/migrations')]))).toEqual(['sql:services/web/migrations sql postgresql: 0001_init']);
  });

  it('a declared path is not detected again as another framework, even outside its scope', async () => {
    // A configuration in tools/ declares a directory outside it.
    expect(summary(await sets(tree, [at('goose', 'services/web/migrations', 'tools')]))).toContain('goose:services/web/migrations goose postgresql: 1');
    expect(summary(await sets(tree, [at('goose', 'services/web/migrations', 'tools')])).filter((s) => s.includes('services/web/migrations'))).toHaveLength(1);
  });

  it('declared sets are read only when in the paths checked, like detected ones', async () => {
    expect(summary(await sets(tree, declared, ['services/web']))).toEqual(['knex:services/web/db/migrations knex unknown: 20240101_x.js', 'sql:services/web/migrations sql postgresql: 0001_init']);
    expect(summary(await sets(tree, [at('flyway', 'services/api/empty', 'services/api')], ['services/api']))).toEqual(['flyway:services/api/empty flyway postgresql: ']);
  });

  it('paths are normalised and each framework and path is one set', async () => {
    expect(summary(await sets(tree, [at('knex', './services/api/db/changes/', 'services/api'), at('knex', 'services/api/db/changes', 'services/api')]))).toContain('knex:services/api/db/changes knex unknown: 20240101_init.js');
  });
});

describe('comparisons', () => {
  it('the branch point is read with the same declarations: an edit of a declared set is an edited migration', async () => {
    const base = { 'db/changes/20240101_init.js': KNEX_INIT };
    const head = { 'db/changes/20240101_init.js': KNEX_INIT.replace("t.string('status')", "t.string('state')") };
    const run = async (declared: DeclaredSet[]) =>
      (
        await lintComparison({ base: new MemorySnapshot(base, 'base'), target: new MemorySnapshot(base, 'main'), head: new MemorySnapshot(head, 'branch'), targetName: 'main', headName: 'the branch' }, [''], { declared })
      ).findings.map((f) => `${f.file} ${f.ruleId}`);
    expect(await run([at('knex', 'db/changes')])).toContain('db/changes/20240101_init.js edited-migration');
    expect(await run([])).toEqual([]);
  });
});
