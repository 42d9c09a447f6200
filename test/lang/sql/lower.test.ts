/**
 * Lowering of each PostgreSQL statement kind into the neutral model. Each case is one SQL text and the
 * statements it must produce (checked with toMatchObject, plus an exact kind list so nothing extra
 * appears).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql, sqlFileContext } from '../../../src/lang/sql/index.js';
import type { Statement } from '../../../src/model/statement.js';

beforeAll(async () => {
  await loadSqlParser();
});

function lower(sql: string): Statement[] {
  const r = parseSql(sql, sqlFileContext(sql));
  expect(r.diagnostics).toEqual([]);
  return r.statements;
}

type Case = [sql: string, expected: Record<string, unknown>[]];

function table(cases: Case[]) {
  it.each(cases)('%s', (sql, expected) => {
    const got = lower(sql);
    expect(got.map((s) => s.kind)).toEqual(expected.map((e) => e.kind));
    got.forEach((s, i) => expect(s).toMatchObject(expected[i]!));
  });
}

describe('indexes', () => {
  table([
    [
      'CREATE INDEX orders_a_idx ON orders (a)',
      [{ kind: 'create_index', table: 'orders', index: 'orders_a_idx', columns: ['a'], unique: false, concurrently: false, construct: 'CREATE INDEX' }],
    ],
    [
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS u ON public.orders USING btree (lower(email), id DESC) INCLUDE (created) WHERE deleted_at IS NULL',
      [
        {
          kind: 'create_index',
          table: 'public.orders',
          index: 'u',
          columns: ['lower(email)', 'id'],
          hasExpressions: true,
          unique: true,
          concurrently: true,
          ifNotExists: true,
          include: ['created'],
          where: 'deleted_at IS NULL',
        },
      ],
    ],
    ['CREATE INDEX ON docs USING gin (body)', [{ kind: 'create_index', table: 'docs', columns: ['body'], method: 'gin' }]],
    [
      'DROP INDEX CONCURRENTLY IF EXISTS s.a_idx',
      [{ kind: 'drop_index', index: 's.a_idx', concurrently: true, ifExists: true, construct: 'DROP INDEX' }],
    ],
    ['DROP INDEX a_idx, b_idx CASCADE', [{ kind: 'drop_index', index: 'a_idx', cascade: true }, { kind: 'drop_index', index: 'b_idx', cascade: true }]],
    [
      'CREATE INDEX i ON t (a); DROP INDEX i; REINDEX INDEX i',
      [{ kind: 'create_index' }, { kind: 'drop_index', index: 'i', table: 't' }, { kind: 'reindex', target: 'index', name: 'i' }],
    ],
    ['CREATE INDEX i ON t (a); REINDEX INDEX CONCURRENTLY i', [{ kind: 'create_index' }, { kind: 'reindex', target: 'index', name: 'i', table: 't', concurrently: true }]],
    ['REINDEX (VERBOSE) TABLE orders', [{ kind: 'reindex', target: 'table', name: 'orders', concurrently: false }]],
    ['REINDEX DATABASE', [{ kind: 'reindex', target: 'database', concurrently: false }]],
    ['CREATE INDEX i ON t (a); ALTER INDEX i RENAME TO j', [{ kind: 'create_index' }, { kind: 'rename_index', table: 't', index: 'i', newName: 'j' }]],
    ['ALTER INDEX unknown_idx RENAME TO j', [{ kind: 'other', description: 'ALTER INDEX RENAME' }]],
  ]);
});

describe('tables', () => {
  table([
    [
      `CREATE TABLE IF NOT EXISTS "Billing"."Invoice" (
         id bigserial PRIMARY KEY,
         account_id bigint NOT NULL REFERENCES accounts (id),
         amount numeric(10, 2) DEFAULT 0 CHECK (amount >= 0),
         note varchar(200),
         payload json,
         code text UNIQUE,
         LIKE templates INCLUDING DEFAULTS,
         CONSTRAINT invoice_currency_fk FOREIGN KEY (currency) REFERENCES currencies (code),
         CHECK (note <> '')
       )`,
      [
        {
          kind: 'create_table',
          table: 'Billing.Invoice',
          ifNotExists: true,
          persistence: 'permanent',
          columns: [
            { name: 'id', type: 'bigserial', serial: true, primaryKey: true, nullable: false },
            { name: 'account_id', type: 'bigint', nullable: false, references: { table: 'accounts', column: 'id' } },
            { name: 'amount', type: 'numeric(10,2)', default: { kind: 'constant', text: '0' }, checks: ['amount >= 0'], nullable: true },
            { name: 'note', type: 'varchar(200)', nullable: true },
            { name: 'payload', type: 'json' },
            { name: 'code', type: 'text', unique: true },
          ],
          like: ['templates'],
          references: ['accounts', 'currencies'],
          constraints: [
            { type: 'foreign_key', name: 'invoice_currency_fk', columns: ['currency'], references: 'currencies', referencedColumns: ['code'] },
            { type: 'check', expression: "note <> ''" },
          ],
        },
      ],
    ],
    ['CREATE UNLOGGED TABLE s (a int)', [{ kind: 'create_table', persistence: 'unlogged' }]],
    ['CREATE TABLE p_1 PARTITION OF p FOR VALUES IN (1)', [{ kind: 'create_table', table: 'p_1', partitionOf: 'p' }]],
    ['CREATE TABLE c (x int) INHERITS (base)', [{ kind: 'create_table', inherits: ['base'] }]],
    ['CREATE TABLE copy AS SELECT * FROM orders', [{ kind: 'create_table', table: 'copy', asQuery: true, columns: [], construct: 'CREATE TABLE AS' }]],
    ['DROP TABLE IF EXISTS a, public.b CASCADE', [{ kind: 'drop_table', table: 'a', cascade: true, ifExists: true }, { kind: 'drop_table', table: 'public.b', cascade: true }]],
    ['ALTER TABLE orders RENAME TO purchases', [{ kind: 'rename_table', table: 'orders', newName: 'purchases', construct: 'ALTER TABLE' }]],
    ['ALTER TABLE IF EXISTS orders RENAME COLUMN qty TO quantity', [{ kind: 'rename_column', table: 'orders', column: 'qty', newName: 'quantity', ifExists: true }]],
    ['TRUNCATE a, b CASCADE', [{ kind: 'truncate', table: 'a', cascade: true, construct: 'TRUNCATE TABLE' }, { kind: 'truncate', table: 'b', cascade: true }]],
    ['TRUNCATE TABLE ONLY a', [{ kind: 'truncate', table: 'a', cascade: false }]],
    ['DROP SCHEMA legacy CASCADE', [{ kind: 'drop_schema', schema: 'legacy', cascade: true }]],
    ['DROP DATABASE IF EXISTS old', [{ kind: 'drop_database', database: 'old', ifExists: true }]],
  ]);
});

describe('ADD COLUMN and its default', () => {
  const col = (sql: string, column: Record<string, unknown>): Case => [`ALTER TABLE t ADD COLUMN ${sql}`, [{ kind: 'add_column', table: 't', column }]];
  table([
    col('c int', { name: 'c', type: 'integer', nullable: true }),
    col('c int NOT NULL DEFAULT 0', { nullable: false, default: { kind: 'constant', text: '0', volatile: false } }),
    col("c text DEFAULT 'x'::text", { default: { kind: 'constant', text: "'x'::text", volatile: false } }),
    col('c int DEFAULT NULL', { default: { kind: 'constant', text: 'NULL' } }),
    col('c timestamptz DEFAULT now()', { default: { kind: 'db-expression', text: 'now()', volatile: false } }),
    col('c timestamptz DEFAULT current_timestamp', { default: { kind: 'db-expression', text: 'current_timestamp', volatile: false } }),
    col('c timestamptz DEFAULT clock_timestamp()', { default: { kind: 'db-expression', text: 'clock_timestamp()', volatile: true } }),
    col('c float8 DEFAULT random()', { default: { kind: 'db-expression', volatile: true } }),
    col('c uuid DEFAULT gen_random_uuid() NOT NULL', { default: { text: 'gen_random_uuid()', volatile: true }, nullable: false }),
    col('c uuid DEFAULT uuid_generate_v4()', { default: { volatile: true } }),
    col("c timestamptz DEFAULT (now() + interval '1 day')", { default: { kind: 'db-expression', text: "now() + interval '1 day'", volatile: false } }),
    col('c int DEFAULT my_function()', { default: { kind: 'db-expression', text: 'my_function()' } }),
    col('c bigserial', { type: 'bigserial', serial: true, nullable: false }),
    col('c int GENERATED ALWAYS AS IDENTITY', { identity: 'always', nullable: false }),
    col('c int GENERATED BY DEFAULT AS IDENTITY', { identity: 'by default' }),
    col('c int GENERATED ALWAYS AS (a * 2) STORED', { generated: { kind: 'stored', expression: 'a * 2' } }),
    col('c int GENERATED ALWAYS AS ((a + b) * 2) VIRTUAL', { generated: { kind: 'virtual', expression: '(a + b) * 2' } }),
    col('c json', { type: 'json' }),
    col('c bigint REFERENCES accounts', { references: { table: 'accounts' } }),
    col('c int UNIQUE CHECK (c > 0)', { unique: true, checks: ['c > 0'] }),
    col('c int PRIMARY KEY', { primaryKey: true, nullable: false }),
    col('c timestamp(3) with time zone', { type: 'timestamptz(3)' }),
    col('c character varying(20)[]', { type: 'varchar(20)[]' }),
    col('c double precision', { type: 'double precision' }),
    col('c interval day to second(2)', { type: 'interval day to second(2)' }),
    col('c "MyType"', { type: 'MyType' }),
  ]);
  it('IF NOT EXISTS on the column', () => {
    expect(lower('ALTER TABLE t ADD COLUMN IF NOT EXISTS c int')[0]).toMatchObject({ kind: 'add_column', ifNotExists: true });
  });
});

describe('ALTER COLUMN', () => {
  table([
    ['ALTER TABLE t ALTER COLUMN c TYPE bigint', [{ kind: 'alter_column_type', table: 't', column: 'c', toType: 'bigint' }]],
    [
      'CREATE TABLE t (c varchar(20)); ALTER TABLE t ALTER c TYPE varchar(50); ALTER TABLE t ALTER c SET DATA TYPE text',
      [{ kind: 'create_table' }, { kind: 'alter_column_type', fromType: 'varchar(20)', toType: 'varchar(50)' }, { kind: 'alter_column_type', fromType: 'varchar(50)', toType: 'text' }],
    ],
    [
      'ALTER TABLE t ADD COLUMN c int; ALTER TABLE t RENAME c TO d; ALTER TABLE t ALTER d TYPE bigint',
      [{ kind: 'add_column' }, { kind: 'rename_column' }, { kind: 'alter_column_type', column: 'd', fromType: 'integer', toType: 'bigint' }],
    ],
    [
      "ALTER TABLE t ALTER c TYPE int USING c::integer, ALTER d TYPE text USING d || 'x'",
      [
        { kind: 'alter_column_type', column: 'c', using: 'c::integer', usingIsColumn: true },
        { kind: 'alter_column_type', column: 'd', using: "d || 'x'" },
      ],
    ],
    ['ALTER TABLE t ALTER c SET NOT NULL', [{ kind: 'set_not_null', table: 't', column: 'c' }]],
    ['ALTER TABLE t ALTER c DROP NOT NULL', [{ kind: 'drop_not_null', table: 't', column: 'c' }]],
    ["ALTER TABLE t ALTER c SET DEFAULT 'x'", [{ kind: 'set_default', column: 'c', default: { kind: 'constant', text: "'x'" } }]],
    ['ALTER TABLE t ALTER c SET DEFAULT random()', [{ kind: 'set_default', default: { kind: 'db-expression', volatile: true } }]],
    ['ALTER TABLE t ALTER c DROP DEFAULT', [{ kind: 'drop_default', column: 'c' }]],
    ['ALTER TABLE t DROP COLUMN IF EXISTS c CASCADE', [{ kind: 'drop_column', column: 'c', cascade: true, ifExists: true }]],
    [
      // A validated CHECK (c IS NOT NULL) lets PostgreSQL 12+ skip the SET NOT NULL scan.
      'ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT c_nn; ALTER TABLE t ALTER c SET NOT NULL',
      [{ kind: 'add_constraint' }, { kind: 'validate_constraint', constraintType: 'check' }, { kind: 'set_not_null', provenByCheck: true }],
    ],
    [
      'ALTER TABLE t ADD CONSTRAINT c_nn CHECK (c IS NOT NULL) NOT VALID; ALTER TABLE t ALTER c SET NOT NULL',
      [{ kind: 'add_constraint' }, { kind: 'set_not_null', column: 'c' }],
    ],
    ['ALTER TABLE t ADD CONSTRAINT c_nn NOT NULL c NOT VALID', [{ kind: 'set_not_null', column: 'c', constraint: 'c_nn', notValid: true }]],
  ]);
  it('without the proving CHECK there is no provenByCheck', () => {
    expect(lower('ALTER TABLE t ALTER c SET NOT NULL')[0]).not.toHaveProperty('provenByCheck');
  });
});

describe('constraints', () => {
  table([
    ['ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0) NOT VALID', [{ kind: 'add_constraint', table: 't', constraint: { type: 'check', name: 'pos', notValid: true, expression: 'n > 0' } }]],
    ['ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0)', [{ kind: 'add_constraint', constraint: { type: 'check', name: 'pos' } }]],
    [
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES billing.accounts (id) NOT VALID',
      [{ kind: 'add_constraint', constraint: { type: 'foreign_key', columns: ['account_id'], references: 'billing.accounts', referencedColumns: ['id'], notValid: true } }],
    ],
    ['ALTER TABLE t ADD CONSTRAINT u UNIQUE (a, b)', [{ kind: 'add_constraint', constraint: { type: 'unique', name: 'u', columns: ['a', 'b'] } }]],
    ['ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX t_a_idx', [{ kind: 'add_constraint', constraint: { type: 'unique', usingIndex: true, index: 't_a_idx' } }]],
    ['ALTER TABLE t ADD PRIMARY KEY (id)', [{ kind: 'add_constraint', constraint: { type: 'primary_key', columns: ['id'] } }]],
    ['ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx', [{ kind: 'add_constraint', constraint: { type: 'primary_key', usingIndex: true } }]],
    ['ALTER TABLE t ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)', [{ kind: 'add_constraint', constraint: { type: 'exclusion', name: 'no_overlap' } }]],
    ['ALTER TABLE t VALIDATE CONSTRAINT fk', [{ kind: 'validate_constraint', table: 't', constraint: 'fk' }]],
    ['ALTER TABLE t DROP CONSTRAINT IF EXISTS fk CASCADE', [{ kind: 'drop_constraint', constraint: 'fk', cascade: true, ifExists: true }]],
    [
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES accounts (id) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT fk; ALTER TABLE orders DROP CONSTRAINT fk',
      [
        { kind: 'add_constraint' },
        { kind: 'validate_constraint', constraintType: 'foreign_key', references: 'accounts' },
        { kind: 'drop_constraint', constraintType: 'foreign_key', references: 'accounts' },
      ],
    ],
    [
      // PostgreSQL names an unnamed foreign key <table>_<columns>_fkey.
      'CREATE TABLE c (p_id int REFERENCES p); ALTER TABLE c DROP CONSTRAINT c_p_id_fkey',
      [{ kind: 'create_table' }, { kind: 'drop_constraint', constraintType: 'foreign_key', references: 'p' }],
    ],
  ]);
});

describe('multi-action ALTER TABLE', () => {
  it('yields one statement per action, all with the statement span', () => {
    const sql = 'ALTER TABLE t ADD COLUMN a int, DROP COLUMN b, ALTER c SET NOT NULL, ADD CONSTRAINT k UNIQUE (a)';
    const st = lower(sql);
    expect(st.map((s) => s.kind)).toEqual(['add_column', 'drop_column', 'set_not_null', 'add_constraint']);
    for (const s of st) {
      expect(s.span).toEqual(st[0]!.span);
      expect(s.operationIndex).toBe(0);
      expect(s.construct).toBe('ALTER TABLE');
    }
    expect(sql.slice(st[0]!.span.offset, st[0]!.span.endOffset)).toBe(sql);
  });
});

describe('maintenance, triggers, partitions, other ALTER TABLE actions', () => {
  table([
    ['CLUSTER orders USING orders_pkey', [{ kind: 'cluster', table: 'orders', index: 'orders_pkey' }]],
    ['CLUSTER', [{ kind: 'cluster' }]],
    ['VACUUM (FULL, ANALYZE) a, b', [{ kind: 'vacuum', table: 'a', full: true, analyze: true }, { kind: 'vacuum', table: 'b', full: true }]],
    ['VACUUM FULL', [{ kind: 'vacuum', full: true, analyze: false }]],
    ['VACUUM (FULL false) a', [{ kind: 'vacuum', table: 'a', full: false }]],
    ['ANALYZE orders', [{ kind: 'analyze', table: 'orders', construct: 'ANALYZE' }]],
    ['ALTER TABLE t SET UNLOGGED', [{ kind: 'set_logged', table: 't', logged: false }]],
    ['ALTER TABLE t SET LOGGED', [{ kind: 'set_logged', logged: true }]],
    ['ALTER TABLE t SET ACCESS METHOD heap2', [{ kind: 'set_access_method', method: 'heap2' }]],
    [
      'CREATE OR REPLACE TRIGGER trg BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION f()',
      [{ kind: 'create_trigger', table: 'orders', trigger: 'trg', replace: true }],
    ],
    ['ALTER TABLE t DISABLE TRIGGER ALL', [{ kind: 'alter_trigger', table: 't', trigger: 'ALL', enabled: false }]],
    ['ALTER TABLE t ENABLE TRIGGER trg', [{ kind: 'alter_trigger', trigger: 'trg', enabled: true }]],
    ['ALTER TABLE p ATTACH PARTITION p_2 FOR VALUES IN (2)', [{ kind: 'attach_partition', table: 'p', partition: 'p_2' }]],
    ['ALTER TABLE p DETACH PARTITION p_2 CONCURRENTLY', [{ kind: 'detach_partition', partition: 'p_2', concurrently: true, finalize: false }]],
    ['ALTER TABLE p DETACH PARTITION p_2 FINALIZE', [{ kind: 'detach_partition', finalize: true }]],
    ['ALTER TABLE t ALTER c SET STATISTICS 500', [{ kind: 'alter_table', action: 'set_statistics', column: 'c', detail: 'SET STATISTICS' }]],
    ['ALTER TABLE t SET (fillfactor = 70)', [{ kind: 'alter_table', action: 'set_storage_parameters' }]],
    ['ALTER TABLE t OWNER TO app', [{ kind: 'alter_table', action: 'owner' }]],
    ['ALTER TABLE t ALTER c ADD GENERATED ALWAYS AS IDENTITY', [{ kind: 'alter_table', action: 'add_identity', column: 'c' }]],
  ]);
});

describe('materialized views and enums', () => {
  table([
    [
      'CREATE MATERIALIZED VIEW mv AS SELECT a FROM t JOIN u USING (id) WITH NO DATA; REFRESH MATERIALIZED VIEW CONCURRENTLY mv',
      [
        { kind: 'create_materialized_view', view: 'mv', withData: false, reads: ['t', 'u'] },
        { kind: 'refresh_materialized_view', view: 'mv', concurrently: true, withData: true, reads: ['t', 'u'], tableIsNew: true },
      ],
    ],
    ['REFRESH MATERIALIZED VIEW mv WITH NO DATA', [{ kind: 'refresh_materialized_view', concurrently: false, withData: false }]],
    ["CREATE TYPE mood AS ENUM ('ok', 'sad')", [{ kind: 'create_enum', type: 'mood', values: ['ok', 'sad'] }]],
    ["ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'sad'", [{ kind: 'add_enum_value', type: 'public.mood', value: 'meh', position: { before: 'sad' }, ifNotExists: true }]],
    ["ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok'", [{ kind: 'add_enum_value', position: { after: 'ok' } }]],
    ["ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'", [{ kind: 'other', description: 'ALTER TYPE RENAME VALUE' }]],
  ]);
});

describe('settings and transactions', () => {
  table([
    ["SET lock_timeout = '2s'", [{ kind: 'set_setting', name: 'lock_timeout', value: '2s', local: false, valueMs: 2000 }]],
    ['SET LOCAL statement_timeout TO 5000', [{ kind: 'set_setting', name: 'statement_timeout', value: '5000', local: true, valueMs: 5000 }]],
    ["SET statement_timeout = '1min'", [{ kind: 'set_setting', valueMs: 60_000 }]],
    ['SET lock_timeout = 0', [{ kind: 'set_setting', value: '0', valueMs: 0 }]],
    ['RESET lock_timeout', [{ kind: 'set_setting', name: 'lock_timeout', value: null, construct: 'RESET' }]],
    ['SET statement_timeout TO DEFAULT', [{ kind: 'set_setting', value: null }]],
    ["SET search_path = app, public", [{ kind: 'set_setting', name: 'search_path', value: 'app, public' }]],
    [
      'BEGIN; START TRANSACTION; SAVEPOINT s; ROLLBACK TO SAVEPOINT s; COMMIT; END; ROLLBACK',
      [
        { kind: 'transaction', action: 'begin', construct: 'BEGIN' },
        { kind: 'transaction', action: 'begin', construct: 'START TRANSACTION' },
        { kind: 'transaction', action: 'savepoint' },
        { kind: 'transaction', action: 'rollback_to' },
        { kind: 'transaction', action: 'commit' },
        { kind: 'transaction', action: 'commit' },
        { kind: 'transaction', action: 'rollback' },
      ],
    ],
  ]);
});

describe('data changes', () => {
  table([
    ["UPDATE orders SET status = 'x'", [{ kind: 'update', table: 'orders', where: false }]],
    ['UPDATE orders SET status = 1 WHERE id < 10', [{ kind: 'update', where: true }]],
    ['DELETE FROM s.orders', [{ kind: 'delete', table: 's.orders', where: false }]],
    ['DELETE FROM orders WHERE id = 1', [{ kind: 'delete', where: true }]],
    ['INSERT INTO orders (id) VALUES (1)', [{ kind: 'insert', table: 'orders', fromQuery: false }]],
    ['INSERT INTO orders SELECT * FROM old_orders', [{ kind: 'insert', fromQuery: true }]],
    ['CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$', [{ kind: 'other', description: 'CREATE FUNCTION', construct: 'CREATE FUNCTION' }]],
    ["COMMENT ON TABLE t IS 'x'", [{ kind: 'other', description: 'COMMENT' }]],
  ]);

  it('summarises what the whole text does to rows', () => {
    const cases: [string, Record<string, boolean>][] = [
      ['SELECT 1', { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false }],
      ["UPDATE t SET a = 1; INSERT INTO t VALUES (1)", { updates: true, inserts: true, deletes: false }],
      ['WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d', { deletes: true }],
      ['TRUNCATE t', { deletes: true }],
      ['DROP TABLE t', { dropsData: true }],
      ['ALTER TABLE t DROP COLUMN c', { dropsData: true }],
      ['DROP SCHEMA s CASCADE', { dropsData: true }],
      ['INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 2', { inserts: true, updates: true }],
      ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.id)', { deletes: true, inserts: true, updates: false }],
      ["DO $$ BEGIN PERFORM 1; END $$", { opaque: true }],
      ['CALL backfill()', { opaque: true }],
      ['CREATE INDEX i ON t (a); ALTER TABLE t ADD COLUMN c int', { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false }],
    ];
    for (const [sql, expected] of cases) {
      expect(parseSql(sql, sqlFileContext(sql)).effects, sql).toMatchObject(expected);
    }
  });
});

describe('tables created earlier in the same text', () => {
  it('mark later statements on them tableIsNew, with or without BEGIN', () => {
    for (const prefix of ['', 'BEGIN;\n']) {
      const st = lower(`${prefix}CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nALTER TABLE public.t ADD COLUMN c int;\nCREATE INDEX o_id ON orders (id);`);
      const kinds = st.filter((s) => s.kind !== 'transaction').map((s) => [s.kind, s.tableIsNew ?? false]);
      expect(kinds).toEqual([
        ['create_table', false],
        ['create_index', true],
        ['add_column', true],
        ['create_index', false],
      ]);
    }
  });

  it('follow renames and forget dropped tables', () => {
    const st = lower('CREATE TABLE a (id int); ALTER TABLE a RENAME TO b; CREATE INDEX ON b (id); DROP TABLE b; CREATE INDEX ON b (id)');
    expect(st.map((s) => s.tableIsNew ?? false)).toEqual([false, true, true, true, false]);
  });

  it('keep the schema: s.t is not t', () => {
    const st = lower('CREATE TABLE s.t (id int); CREATE INDEX ON t (id); CREATE INDEX ON s.t (id)');
    expect(st.map((s) => s.tableIsNew ?? false)).toEqual([false, false, true]);
  });

  it('include CREATE TABLE AS and materialized views', () => {
    const st = lower('CREATE TABLE c AS SELECT 1 AS x; CREATE INDEX ON c (x); SELECT 1 INTO d; TRUNCATE d');
    expect(st.map((s) => [s.kind, s.tableIsNew ?? false])).toEqual([
      ['create_table', false],
      ['create_index', true],
      ['create_table', false],
      ['truncate', true],
    ]);
  });
});

describe('constructs and operation indexes', () => {
  it('number SQL statements as operations from the given base, or share one', () => {
    const sql = 'SELECT 1; CREATE INDEX i ON t (a); ALTER TABLE t ADD a int, ADD b int';
    const own = parseSql(sql, sqlFileContext(sql, { operationIndex: 10 })).statements.map((s) => s.operationIndex);
    expect(own).toEqual([10, 11, 12, 12]);
    const shared = parseSql(sql, sqlFileContext(sql, { operationIndex: 4, shareOperationIndex: true, construct: 'op.execute' })).statements;
    expect(shared.map((s) => [s.operationIndex, s.construct])).toEqual([
      [4, 'op.execute'],
      [4, 'op.execute'],
      [4, 'op.execute'],
      [4, 'op.execute'],
    ]);
  });
});
