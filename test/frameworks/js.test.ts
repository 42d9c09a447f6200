/**
 * The JavaScript/TypeScript front ends (Knex, TypeORM, Sequelize, node-pg-migrate): detection, identity
 * and order, each tool's transaction model, down functions, the SQL Knex generates (compared with the
 * `.toSQL()` output of the real knex 3.1, `client: 'pg'`, recorded below), SQL in template literals with
 * placeholders, and calls that cannot be read.
 */
import { describe, expect, it } from 'vitest';
import { lintSnapshot } from '../../src/api.js';
import { knexLowering } from '../../src/frameworks/js/knex.js';
import { Lowerer } from '../../src/frameworks/js/lower.js';
import { readModule } from '../../src/frameworks/js/module.js';
import { loadSqlParser } from '../../src/lang/sql/index.js';
import { bodyStatements, paramName, parseTypeScript } from '../../src/lang/typescript/index.js';
import { compareInSet } from '../../src/model/order.js';
import type { MigrationSet } from '../../src/model/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';

async function load(files: Record<string, string>): Promise<MigrationSet[]> {
  return (await lintSnapshot(new MemorySnapshot(files), [''], { rulesToRun: [] })).sets;
}

async function one(files: Record<string, string>): Promise<MigrationSet> {
  const sets = await load(files);
  expect(sets.map((s) => s.id)).toHaveLength(1);
  return sets[0]!;
}

async function knexSql(body: string): Promise<string[]> {
  await loadSqlParser();
  const mod = parseTypeScript(`exports.up = (knex) => ${body};`, 'm.js');
  const up = readModule(mod).up!;
  const lx = new Lowerer(mod, new Set([paramName(up.fn, 0)!]), knexLowering);
  lx.walk(bodyStatements(up.fn));
  expect(lx.diagnostics).toEqual([]);
  return lx.generatedSql;
}

describe('Knex schema builder SQL equals knex 3.1 .toSQL() (client pg)', () => {
  it('createTable with column modifiers', async () => {
    expect(
      await knexSql(
        "knex.schema.createTable('users', t => { t.increments(); t.string('email').notNullable().unique(); t.integer('score').defaultTo(0); t.boolean('active').defaultTo(true); t.timestamps(true, true); t.text('bio'); t.bigInteger('org_id').references('id').inTable('orgs').onDelete('CASCADE'); t.string('a').index(); t.enu('kind', ['a','b']); t.jsonb('meta'); t.decimal('price'); t.float('f'); t.double('d'); t.timestamp('at'); t.date('day'); t.specificType('tags', 'text[]'); })",
      ),
    ).toEqual([
      `create table "users" ("id" serial primary key, "email" varchar(255) not null, "score" integer default '0', "active" boolean default '1', "created_at" timestamptz not null default CURRENT_TIMESTAMP, "updated_at" timestamptz not null default CURRENT_TIMESTAMP, "bio" text, "org_id" bigint, "a" varchar(255), "kind" text check ("kind" in ('a', 'b')), "meta" jsonb, "price" decimal(8, 2), "f" real, "d" double precision, "at" timestamptz, "day" date, "tags" text[])`,
      'alter table "users" add constraint "users_email_unique" unique ("email")',
      'alter table "users" add constraint "users_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on delete CASCADE',
      'create index "users_a_index" on "users" ("a")',
    ]);
  });

  it('alterTable: new columns in one ALTER, then .alter() columns, then the commands in call order', async () => {
    expect(
      await knexSql("knex.schema.alterTable('users', t => { t.dropColumn('old'); t.index('a'); t.text('b').notNullable().unique(); t.string('c').references('users.id'); t.integer('d').alter(); t.renameColumn('x','y'); })"),
    ).toEqual([
      'alter table "users" add column "b" text not null, add column "c" varchar(255)',
      'alter table "users" alter column "d" drop default',
      'alter table "users" alter column "d" drop not null',
      'alter table "users" alter column "d" type integer using ("d"::integer)',
      'alter table "users" drop column "old"',
      'create index "users_a_index" on "users" ("a")',
      'alter table "users" add constraint "users_b_unique" unique ("b")',
      'alter table "users" add constraint "users_c_foreign" foreign key ("c") references "users" ("id")',
      'alter table "users" rename "x" to "y"',
    ]);
  });

  it('.alter() re-emits default and nullability (reference/frameworks.md §6.5)', async () => {
    expect(await knexSql("knex.schema.alterTable('users', t => { t.string('name', 300).notNullable().alter(); t.text('x').defaultTo('a').alter(); })")).toEqual([
      'alter table "users" alter column "name" drop default',
      'alter table "users" alter column "name" drop not null',
      'alter table "users" alter column "name" type varchar(300) using ("name"::varchar(300))',
      'alter table "users" alter column "name" set not null',
      'alter table "users" alter column "x" drop default',
      'alter table "users" alter column "x" drop not null',
      'alter table "users" alter column "x" type text using ("x"::text)',
      `alter table "users" alter column "x" set default 'a'`,
    ]);
  });

  it('table commands and defaults', async () => {
    expect(
      await knexSql(
        "knex.schema.table('t', t => { t.boolean('f').notNullable().defaultTo(false); t.string('n').defaultTo(null); t.timestamp('c').defaultTo(knex.fn.now()); t.integer('q').index('qidx'); t.foreign(['a']).references(['id']).inTable('users').withKeyName('fk_x'); t.dropForeign('user_id'); t.dropUnique(['email']); t.dropIndex([], 'named_idx'); t.setNullable('x'); t.dropNullable('y'); t.unique(['b'], { indexName: 'ub', useConstraint: false }); })",
      ),
    ).toEqual([
      `alter table "t" add column "f" boolean not null default '0', add column "n" varchar(255) default null, add column "c" timestamptz default CURRENT_TIMESTAMP, add column "q" integer`,
      'create index "qidx" on "t" ("q")',
      'alter table "t" add constraint "fk_x" foreign key ("a") references "users" ("id")',
      'alter table "t" drop constraint "t_user_id_foreign"',
      'alter table "t" drop constraint "t_email_unique"',
      'drop index "named_idx"',
      'alter table "t" alter column "x" drop not null',
      'alter table "t" alter column "y" set not null',
      'create unique index "ub" on "t" ("b")',
    ]);
  });

  it('schema methods', async () => {
    expect(await knexSql("knex.schema.renameTable('a','b').dropTable('c').dropTableIfExists('d').withSchema('app').createTable('x', t => { t.increments(); t.string('a').index(); }).refreshMaterializedView('mv', true)")).toEqual([
      'alter table "a" rename to "b"',
      'drop table "c"',
      'drop table if exists "d"',
      'create table "app"."x" ("id" serial primary key, "a" varchar(255))',
      'create index "x_a_index" on "app"."x" ("a")',
      'refresh materialized view concurrently "app"."mv"',
    ]);
  });
});

describe('detection, identity and order', () => {
  it('Knex: a migrations/ directory, identity and order by file name with its extension', async () => {
    const s = await one({
      'migrations/20240102000000_b.ts': "import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> {}\nexport async function down(knex: Knex): Promise<void> {}\n",
      'migrations/20240101000000_a.js': 'exports.up = (knex) => knex.schema.dropTable("x");\nexports.down = () => {};\n',
      'migrations/helpers.js': 'module.exports = { now: () => 1 };\n',
    });
    expect(s).toMatchObject({ id: 'knex:migrations', framework: 'knex', ordering: 'sequence', transaction: 'per-run', downs: 'per-migration' });
    expect(s.migrations.map((m) => [m.name, m.version])).toEqual([
      ['20240101000000_a.js', '20240101000000_a.js'],
      ['20240102000000_b.ts', '20240102000000_b.ts'],
    ]);
  });

  it('Knex: the knexfile names the directory and the database', async () => {
    const sets = await load({
      'knexfile.js': "const path = require('path');\nmodule.exports = { development: { client: 'mysql2', migrations: { directory: path.join(__dirname, 'db', 'schema') } } };\n",
      'db/schema/001_a.js': 'exports.up = async (db) => {};\nexports.down = async (db) => {};\n',
    });
    expect(sets.map((s) => [s.id, s.dialect, s.migrations.length])).toEqual([['knex:db/schema', 'mysql', 1]]);
  });

  it('Knex: migrations.disableTransactions: true runs no migration in a transaction unless it asks for one', async () => {
    const concurrently = (config = '') => `${config}exports.up = async (knex) => { await knex.raw('CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)'); };\nexports.down = async (knex) => {};\n`;
    const files = (disable: boolean) => ({
      'knexfile.js': `module.exports = { client: 'pg', migrations: { directory: './migrations'${disable ? ', disableTransactions: true' : ''} } };\n`,
      'migrations/20240101000000_a.js': concurrently(),
      'migrations/20240102000000_b.js': concurrently('exports.config = { transaction: true };\n'),
    });
    const run = async (disable: boolean) => lintSnapshot(new MemorySnapshot(files(disable)), [''], {});
    const disabled = await run(true);
    expect(disabled.sets[0]).toMatchObject({ framework: 'knex', transaction: 'per-migration' });
    expect(disabled.sets[0]!.migrations.map((m) => [m.name, m.atomic])).toEqual([['20240101000000_a.js', false], ['20240102000000_b.js', true]]);
    // Only the migration that asked for its transaction cannot build the index concurrently.
    expect(disabled.findings.filter((f) => f.ruleId === 'cannot-run-in-transaction').map((f) => f.file)).toEqual(['migrations/20240102000000_b.js']);
    const wrapped = await run(false);
    expect(wrapped.sets[0]!.transaction).toBe('per-run');
    expect(wrapped.findings.filter((f) => f.ruleId === 'cannot-run-in-transaction').map((f) => f.file)).toEqual(['migrations/20240101000000_a.js', 'migrations/20240102000000_b.js']);
  });

  it('TypeORM: identity is the name property or class name, order by the 13-digit timestamp, not the file name', async () => {
    const cls = (name: string, extra = '') =>
      `import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class ${name} implements MigrationInterface {\n${extra}    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(\`ALTER TABLE "post" ADD "title" character varying\`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {}\n}\n`;
    const s = await one({
      'src/migrations/a-late.ts': cls('Late1700000000002'),
      'src/migrations/z-early.ts': cls('Early1700000000001', "    name = 'Renamed1700000000001'\n"),
    });
    expect(s).toMatchObject({ framework: 'typeorm', transaction: 'per-run' });
    expect(s.migrations.map((m) => [m.name, m.version, m.reverse])).toEqual([
      ['Renamed1700000000001', '1700000000001', 'empty'],
      ['Late1700000000002', '1700000000002', 'empty'],
    ]);
    expect(s.migrations[0]!.statements.map((x) => x.kind)).toEqual(['add_column']);
    expect(compareInSet(s, s.migrations[1]!, s.migrations[0]!)).toBeGreaterThan(0);
  });

  it('TypeORM: a class name without a timestamp is what TypeORM refuses', async () => {
    const s = await one({ 'src/migration/x.ts': 'export class AddThing implements MigrationInterface {\n  async up(queryRunner) {}\n  async down(queryRunner) {}\n}\n' });
    expect(s.migrations[0]!.diagnostics.map((d) => d.message)).toEqual(['AddThing migration name is wrong. Migration class name should have a JavaScript timestamp appended.']);
  });

  it('Sequelize: module.exports = { up(queryInterface, Sequelize) }, no transaction', async () => {
    const s = await one({
      'db/migrations/20240101120000-add-note.js':
        "'use strict';\n\nmodule.exports = {\n  async up (queryInterface, Sequelize) {\n    await queryInterface.addColumn('orders', 'note', { type: Sequelize.STRING, allowNull: false, defaultValue: '' });\n    await queryInterface.addIndex('orders', ['status'], { concurrently: true });\n  },\n  async down (queryInterface, Sequelize) {\n    throw new Error('irreversible');\n  }\n};\n",
    });
    expect(s).toMatchObject({ framework: 'sequelize', transaction: 'none' });
    const m = s.migrations[0]!;
    expect(m).toMatchObject({ name: '20240101120000-add-note.js', atomic: false, reverse: 'missing' });
    expect(m.statements.map((x) => [x.kind, x.kind === 'create_index' ? x.concurrently : x.kind === 'add_column' ? x.column.type : null, x.span.start.line])).toEqual([
      ['add_column', 'varchar(255)', 5],
      ['create_index', true, 6],
    ]);
  });

  it('node-pg-migrate: order by numeric prefix, noTransaction(), a missing down is derived', async () => {
    const s = await one({
      'migrations/10_b.js': "exports.up = (pgm) => {\n  pgm.noTransaction();\n  pgm.createIndex('orders', 'status', { concurrently: true });\n};\nexports.down = false;\n",
      'migrations/9_a.js': "exports.up = (pgm) => {\n  pgm.addColumns('orders', { note: { type: 'text', notNull: true, default: 'x' } });\n};\n",
    });
    expect(s).toMatchObject({ framework: 'node-pg-migrate', transaction: 'per-run' });
    expect(s.migrations.map((m) => [m.name, m.version, m.atomic, m.reverse, m.statements.map((x) => x.kind)])).toEqual([
      ['9_a', '9', true, 'derived', ['add_column']],
      ['10_b', '10', false, 'missing', ['create_index']],
    ]);
  });
});

describe('transactions and SQL', () => {
  it('Knex exports.config = { transaction: false } takes the migration out of the run transaction', async () => {
    const s = await one({
      'migrations/20240101000000_a.js': "exports.config = { transaction: false };\nexports.up = (knex) => knex.raw('CREATE INDEX CONCURRENTLY i ON orders (status)');\nexports.down = (knex) => knex.raw('DROP INDEX i');\n",
      'migrations/20240102000000_b.mjs': "export const config = { transaction: true };\nexport const up = (knex) => knex.raw('SELECT 1');\nexport const down = () => {};\n",
    });
    expect(s.migrations.map((m) => m.atomic)).toEqual([false, true]);
    expect(s.migrations[0]!.statements[0]).toMatchObject({ kind: 'create_index', concurrently: true, construct: 'knex.raw', span: { start: { line: 2, column: 34 } } });
  });

  it('a template literal: constants are substituted, other ${…} become placeholders the statement records', async () => {
    const s = await one({
      'migrations/20240101000000_a.js':
        "const T = 'orders';\nexports.up = async (knex) => {\n  await knex.raw(`CREATE INDEX i ON ${T} (status)`);\n  await knex.raw(`CREATE INDEX j ON ${table} (status) WHERE s = '${v}'`);\n};\nexports.down = async () => {};\n",
    });
    const [a, b] = s.migrations[0]!.statements;
    expect(a).toMatchObject({ kind: 'create_index', table: 'orders', construct: 'knex.raw' });
    expect(a!.placeholders).toBeUndefined();
    expect(b).toMatchObject({ kind: 'create_index', table: '${table}', placeholders: 2, construct: 'knex.raw (a template: 2 ${…} read as placeholders)' });
  });

  it('escapes in string literals map SQL positions back to the file', async () => {
    const s = await one({ 'migrations/1_a.js': "exports.up = (knex) => knex.raw('SELECT 1;\\nCREATE INDEX i ON t (c)');\nexports.down = () => {};\n" });
    const st = s.migrations[0]!.statements.find((x) => x.kind === 'create_index')!;
    expect(st.span.start).toEqual({ line: 1, column: 45 });
  });

  it('calls that cannot be read become opaque statements, never dropped', async () => {
    const s = await one({
      'migrations/1_a.js': "exports.up = async (knex) => {\n  await addAuditColumns(knex, 'orders');\n  await knex.raw(sqlFromSomewhere);\n  await knex.schema.createView('v', (v) => v.as('x'));\n};\nexports.down = () => {};\n",
    });
    expect(s.migrations[0]!.statements.map((x) => [x.kind, x.span.start.line])).toEqual([
      ['other', 2],
      ['raw_sql', 3],
      ['other', 4],
    ]);
  });

  it('a TypeORM migration that sets transaction is reported: TypeORM refuses it in its default "all" mode', async () => {
    const s = await one({
      'src/migrations/1-x.ts':
        "export class Idx1700000000000 implements MigrationInterface {\n  transaction = false;\n  async up(queryRunner: QueryRunner) {\n    await queryRunner.createIndex('orders', new TableIndex({ name: 'i', columnNames: ['status'], isConcurrent: true }));\n  }\n  async down(queryRunner: QueryRunner) { await queryRunner.dropIndex('orders', 'i'); }\n}\n",
    });
    const m = s.migrations[0]!;
    expect(m.atomic).toBe(false);
    expect(m.statements[0]).toMatchObject({ kind: 'create_index', concurrently: true, index: 'i', table: 'orders' });
    expect(m.diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([['unsupported', 2]]);
  });

  it('TypeORM changeColumn with a new type drops and re-adds the column', async () => {
    const s = await one({
      'src/migrations/1-x.ts':
        "export class Chg1700000000000 implements MigrationInterface {\n  async up(queryRunner: QueryRunner) {\n    await queryRunner.changeColumn('orders', new TableColumn({ name: 'total', type: 'int' }), new TableColumn({ name: 'total', type: 'numeric' }));\n  }\n  async down() {}\n}\n",
    });
    expect(s.migrations[0]!.statements.map((x) => x.kind)).toEqual(['drop_column', 'add_column']);
  });

  it('a syntax error is a diagnostic at its place and the migration is incomplete', async () => {
    const s = await one({ 'migrations/1_a.js': 'exports.up = (knex) => {\n  knex.raw("x"\n};\nexports.down = () => {};\n' });
    expect(s.migrations[0]!.incomplete).toBe(true);
    expect(s.migrations[0]!.diagnostics[0]).toMatchObject({ code: 'syntax', span: { start: { line: 2 } } });
  });

  it('suppression comments apply to the next line of code, or the whole file', async () => {
    const s = await one({
      'migrations/1_a.js': "// migrate-lint-ignore-file missing-down: backfill\nexports.up = async (knex) => {\n  // migrate-lint-ignore index-not-concurrent: small table\n\n  await knex.raw('CREATE INDEX i ON t (c)');\n};\n",
    });
    expect(s.migrations[0]!.suppressions.map((x) => [x.rules, x.line])).toEqual([
      [['missing-down'], null],
      [['index-not-concurrent'], 5],
    ]);
  });
});

describe('what down does to data', () => {
  /** Each migration's down effects as [destroys, tables destroyed and their lines]. */
  const downs = (s: MigrationSet) => s.migrations.map((m) => [m.name, m.down?.effects?.destroys ?? false, m.down?.effects?.destroyed?.map((d) => `${d.table}:${d.span?.start.line}`) ?? []]);

  it('Knex: down is lowered like up; what up created is its own, the rest is destroyed', async () => {
    const s = await one({
      'migrations/20240101000000_a.js':
        "exports.up = async (knex) => {\n  await knex.schema.createTable('plans', (t) => t.increments());\n  await knex('users').insert({ email: 'x' });\n};\nexports.down = async (knex) => {\n  await knex.schema.dropTable('plans');\n  await knex('users').where({ email: 'x' }).del();\n};\n",
      'migrations/20240102000000_b.js':
        "exports.up = (knex) => knex.schema.alterTable('orders', (t) => t.text('note'));\nexports.down = async (knex) => {\n  await knex('users').del();\n  await knex.raw('TRUNCATE orders');\n  await knex('items').truncate();\n  await knex.schema.dropTableIfExists('carts');\n};\n",
    });
    expect(downs(s)).toEqual([
      ['20240101000000_a.js', false, []],
      ['20240102000000_b.js', true, ['users:3', 'orders:4', 'items:5', 'carts:6']],
    ]);
    expect(s.migrations[1]!.down).toMatchObject({ file: 'migrations/20240102000000_b.js', span: { start: { line: 2, column: 9 } }, effects: { deletes: true, dropsData: true } });
  });

  it('TypeORM, Sequelize and node-pg-migrate: their down functions are read the same way', async () => {
    const typeorm = await one({
      'src/migrations/1700000000000-Plans.ts':
        'import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class Plans1700000000000 implements MigrationInterface {\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`CREATE TABLE "plans" ("id" integer PRIMARY KEY)`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`DROP TABLE "plans"`);\n        await queryRunner.query(`DROP TABLE "orders"`);\n    }\n}\n',
    });
    expect(downs(typeorm)).toEqual([['Plans1700000000000', true, ['orders:10']]]);
    const sequelize = await one({
      'migrations/20240102000000-seed.js':
        "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.bulkInsert('users', [{ email: 'x' }]);\n  },\n  async down(queryInterface) {\n    await queryInterface.bulkDelete('users', null, {});\n    await queryInterface.dropTable('carts');\n  },\n};\n",
    });
    expect(downs(sequelize)).toEqual([['20240102000000-seed.js', true, ['users:6', 'carts:7']]]);
    const pgm = await one({
      'migrations/1_a.js':
        "exports.up = (pgm) => {\n  pgm.createTable('plans', { id: 'id' });\n};\nexports.down = (pgm) => {\n  pgm.dropTable('plans');\n  pgm.sql('DELETE FROM users');\n};\n",
      'migrations/2_b.js': "exports.up = (pgm) => {\n  pgm.createTable('carts', { id: 'id' });\n};\n",
    });
    // A derived down (no `down`) reverses up itself: nothing to read.
    expect(downs(pgm)).toEqual([
      ['1_a', true, ['users:6']],
      ['2_b', false, []],
    ]);
  });

  it("down's syntax errors and unreadable calls are not the migration's diagnostics; they make its effects opaque", async () => {
    const s = await one({ 'migrations/1_a.js': "exports.up = (knex) => knex.raw('SELECT 1');\nexports.down = async (knex) => {\n  await knex.raw(sql);\n  await knex.raw('DROP TABLEX t');\n};\n" });
    expect(s.migrations[0]!.diagnostics).toEqual([]);
    expect(s.migrations[0]!.down?.effects).toEqual({ deletes: false, updates: false, inserts: false, dropsData: false, opaque: true });
  });
});

describe('fixtures', () => {
  it('each unsafe fixture reports its framework’s dangerous statements and missing downs', async () => {
    const { FsSnapshot } = await import('../../src/snapshot/fs.js');
    const { REPO } = await import('../helpers/python.js');
    const r = await lintSnapshot(new FsSnapshot(REPO), ['fixtures/knex-unsafe', 'fixtures/typeorm-unsafe', 'fixtures/sequelize-unsafe', 'fixtures/node-pg-migrate-unsafe']);
    expect(r.sets.map((s) => [s.id, s.dialect, s.migrations.length])).toEqual([
      ['knex:fixtures/knex-unsafe/migrations', 'postgresql', 2],
      ['typeorm:fixtures/typeorm-unsafe/src/migrations', 'unknown', 2],
      ['sequelize:fixtures/sequelize-unsafe/migrations', 'unknown', 1],
      ['node-pg-migrate:fixtures/node-pg-migrate-unsafe/migrations', 'unknown', 1],
    ]);
    expect(r.findings.map((f) => `${f.file.split('/')[1]}:${f.line} ${f.ruleId} ${f.severity}`).sort()).toEqual([
      'knex-unsafe:3 missing-down error',
      'knex-unsafe:5 index-not-concurrent error',
      'knex-unsafe:7 cannot-run-in-transaction error',
      'node-pg-migrate-unsafe:1 missing-down warning',
      'node-pg-migrate-unsafe:2 cannot-run-in-transaction error',
      'sequelize-unsafe:5 required-column-without-default error',
      'sequelize-unsafe:7 missing-down warning',
      'typeorm-unsafe:5 index-not-concurrent error',
      'typeorm-unsafe:8 missing-down warning',
    ]);
  });
});
