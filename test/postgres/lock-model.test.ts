/**
 * The lock model (src/postgres/) checked against a real PostgreSQL server.
 *
 * Each case is lowered by the SQL front end (after the fixture's DDL, so the front end knows what a
 * migration that created the fixture would know) and asked of `lockFacts` for the server's version. The
 * statement then runs inside BEGIN ... ROLLBACK on a populated fixture, and the test compares:
 * - locks: per relation of the fixture, the modes this backend holds in `pg_locks` must include the
 *   claimed mode and block exactly what it blocks (the union of their conflicts equals the claimed mode's);
 *   a table the model claims nothing for must not be locked at all;
 * - rewrite: which tables got a new `pg_relation_filenode()`;
 * - full scan: sequential scans counted in `pg_stat_xact_user_tables` for the target;
 * - transaction: statements the model calls non-transactional must fail with "cannot run inside a
 *   transaction block"; their lock is read from `pg_locks` while they wait behind a blocker session, and
 *   their rewrite by running them for real.
 * Any difference fails the case. The server comes from test/postgres/server.ts (run `.ci/postgres.sh`).
 */

import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql, sqlFileContext } from '../../src/lang/sql/index.js';
import { FUNCTION_VOLATILITY } from '../../src/lang/sql/volatility.js';
import type { Statement } from '../../src/model/statement.js';
import {
  conflictSet,
  lockFacts,
  lockModeFromPgLocks,
  pgMajorFromVersionNum,
  type LockFacts,
  type LockMode,
  type LockOptions,
  type RelationLock,
} from '../../src/postgres/index.js';
import { FIXTURE_SQL, SCHEMA } from './fixture.js';
import { startPostgres, type PgServer } from './server.js';

let server: PgServer;
let db: pg.Client;
let major: number;
let starting: Promise<void> | undefined;

/**
 * Starts the server once, from the first test that needs it. Started from the tests rather than a
 * beforeAll hook so that, without a server, every test fails with the message saying what to run
 * (vitest reports tests under a failed beforeAll as skipped).
 */
function ready(): Promise<void> {
  starting ??= (async () => {
    await loadSqlParser();
    server = await startPostgres();
    major = pgMajorFromVersionNum(server.versionNum);
    db = await server.connect();
    await db.query(FIXTURE_SQL);
  })();
  return starting;
}

afterAll(async () => {
  if (db) {
    await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await db.end();
  }
  if (server) await server.stop();
});

interface Case {
  sql: string;
  /** Run first inside the same transaction (session settings the claim depends on). */
  setup?: string;
  opts?: Omit<LockOptions, 'pgVersion'>;
}

/** Lowers `sql` as the statement after the fixture's DDL. */
function lower(sql: string): Statement {
  const text = `${FIXTURE_SQL}\n${sql}`;
  const r = parseSql(text, sqlFileContext(text));
  expect(r.diagnostics).toEqual([]);
  const own = r.statements.filter((s) => s.span.offset > FIXTURE_SQL.length);
  expect(own).toHaveLength(1);
  return own[0]!;
}

interface Rel {
  oid: string;
  name: string;
  kind: string;
  /** For indexes: the table's oid. */
  table: string | null;
  filenode: string | null;
}

async function relations(c: pg.Client): Promise<Rel[]> {
  const r = await c.query<Rel>(
    `SELECT c.oid::text AS oid, c.relname AS name, c.relkind AS kind, i.indrelid::text AS table,
            pg_relation_filenode(c.oid)::text AS filenode
       FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid
      WHERE c.relnamespace = $1::regnamespace`,
    [SCHEMA],
  );
  return r.rows;
}

/** Sequential scans this backend has counted per fixture table (pg_stat_xact_user_tables). */
async function seqScans(c: pg.Client): Promise<Map<string, number>> {
  const r = await c.query<{ oid: string; n: string }>(
    `SELECT relid::text AS oid, seq_scan::text AS n FROM pg_stat_xact_user_tables WHERE schemaname = $1`,
    [SCHEMA],
  );
  return new Map(r.rows.map((row) => [row.oid, Number(row.n)]));
}

const TABLE_KINDS = new Set(['r', 'p', 'm']);
const bare = (name: string) => name.replace(new RegExp(`^(?:${SCHEMA}|public)\\.`), '');

/** The fixture relation a claimed lock is about. */
function resolve(rels: Rel[], l: RelationLock): Rel[] {
  if (l.relation === 'table') {
    if (l.table !== null) return rels.filter((r) => TABLE_KINDS.has(r.kind) && r.name === bare(l.table!));
    const idx = rels.find((r) => r.kind === 'i' && r.name === bare(l.index ?? ''));
    return rels.filter((r) => r.oid === idx?.table);
  }
  if (l.index !== undefined) return rels.filter((r) => r.kind === 'i' && r.name === bare(l.index!));
  const table = rels.find((r) => TABLE_KINDS.has(r.kind) && r.name === bare(l.table ?? ''));
  return rels.filter((r) => r.kind === 'i' && r.table === table?.oid);
}

/** The held modes include `claimed`, and together block exactly what `claimed` blocks. */
function sameEffect(held: LockMode[], claimed: LockMode): boolean {
  const union = new Set(held.flatMap((m) => conflictSet(m)));
  const want = new Set(conflictSet(claimed));
  return held.includes(claimed) && union.size === want.size && [...union].every((m) => want.has(m));
}

function targets(rels: Rel[], facts: LockFacts | null): Rel[] {
  return (facts?.locks ?? []).filter((l) => l.relation === 'table' && l.role === 'target').flatMap((l) => resolve(rels, l));
}

async function runTransactional(c: Case, st: Statement, facts: LockFacts | null): Promise<string[]> {
  const problems: string[] = [];
  let before: Rel[];
  let held: Map<string, LockMode[]>;
  let after: Map<string, string | null>;
  let scans: Map<string, number>;
  await db.query('BEGIN');
  try {
    if (c.setup) await db.query(c.setup);
    before = await relations(db);
    // Counters of this backend not yet flushed to the shared statistics include earlier transactions,
    // so the scan count is the difference across the statement.
    const scansBefore = await seqScans(db);
    let error: Error | undefined;
    try {
      await db.query(c.sql);
    } catch (e) {
      error = e as Error;
    }
    if (error) return [`the server rejected it: ${error.message}`];
    const locks = await db.query<{ oid: string; mode: string }>(
      `SELECT relation::text AS oid, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted`,
    );
    held = new Map();
    for (const row of locks.rows) {
      const mode = lockModeFromPgLocks(row.mode);
      if (!mode) continue;
      held.set(row.oid, [...(held.get(row.oid) ?? []), mode]);
    }
    const nodes = await db.query<{ oid: string; filenode: string | null }>(
      `SELECT oid::text AS oid, pg_relation_filenode(oid)::text AS filenode FROM unnest($1::oid[]) AS oid`,
      [before.map((r) => r.oid)],
    );
    after = new Map(nodes.rows.map((r) => [r.oid, r.filenode]));
    const scansAfter = await seqScans(db);
    scans = new Map([...scansAfter].map(([oid, n]) => [oid, n - (scansBefore.get(oid) ?? 0)]));
  } finally {
    await db.query('ROLLBACK');
  }

  if (facts?.nonTransactional) problems.push('the model says it cannot run in a transaction block, but it did');

  // Locks.
  const expectTable = new Map<string, LockMode>();
  const expectIndex = new Map<string, LockMode>();
  for (const l of facts?.locks ?? []) {
    const rels = resolve(before, l);
    if (rels.length === 0) problems.push(`claimed lock on ${JSON.stringify(l)} names no fixture relation`);
    for (const r of rels) (l.relation === 'table' ? expectTable : expectIndex).set(r.oid, l.mode);
  }
  for (const r of before) {
    const h = held.get(r.oid) ?? [];
    const want = TABLE_KINDS.has(r.kind) ? expectTable.get(r.oid) : expectIndex.get(r.oid);
    if (want === undefined) {
      if (TABLE_KINDS.has(r.kind) && h.length > 0) problems.push(`${r.name}: holds ${h.join(', ')}, the model claims no lock`);
    } else if (!sameEffect(h, want)) {
      problems.push(`${r.name}: holds ${h.join(', ') || 'nothing'}, the model claims ${want}`);
    }
  }

  // Rewrite: which tables got new files. TRUNCATE gives the table new, empty files without rewriting rows.
  const newFiles = before.filter((r) => TABLE_KINDS.has(r.kind) && r.filenode !== null && after.get(r.oid) !== null && after.get(r.oid) !== r.filenode);
  const tgt = targets(before, facts);
  const expectNew = facts?.rewrite || st.kind === 'truncate' ? tgt : [];
  const names = (rs: Rel[]) => rs.map((r) => r.name).sort().join(', ') || 'none';
  if (names(newFiles) !== names(expectNew)) problems.push(`new table files: ${names(newFiles)}; the model expects: ${names(expectNew)}`);

  // Full scan of the target. New files (rewrite, TRUNCATE) are scanned by their index rebuilds, so only
  // "scans" is checked for those.
  const scanned = tgt.filter((r) => (scans.get(r.oid) ?? 0) > 0);
  if (facts?.fullScan && scanned.length === 0) problems.push('the model claims a full scan, the target was not scanned');
  if (!facts?.fullScan && newFiles.length === 0 && scanned.length > 0) {
    problems.push(`the model claims no full scan, but ${names(scanned)} was scanned`);
  }
  return problems;
}

async function resetFixture(): Promise<void> {
  await db.query(FIXTURE_SQL);
}

async function runNonTransactional(c: Case, facts: LockFacts): Promise<string[]> {
  const problems: string[] = [];
  await db.query('BEGIN');
  let inTx: Error | undefined;
  try {
    await db.query(c.sql);
  } catch (e) {
    inTx = e as Error;
  } finally {
    await db.query('ROLLBACK');
  }
  if (!inTx || !/cannot run inside a transaction block/.test(inTx.message)) {
    problems.push(`expected "cannot run inside a transaction block" in BEGIN, got ${inTx ? inTx.message : 'success'}`);
  }
  const first = facts.locks.find((l) => l.relation === 'table');
  if (!first) return problems;

  // The lock it asks for, seen while another session holds EXCLUSIVE on the table: that conflicts with
  // every mode but ACCESS SHARE, which some commands take briefly first to look the table up (VACUUM).
  const before = await relations(db);
  const [rel] = resolve(before, first);
  if (!rel) return [...problems, `claimed lock on ${JSON.stringify(first)} names no fixture relation`];
  const runner = await server.connect();
  try {
    await runner.query(`SET search_path = ${SCHEMA}`);
    const pid = (await runner.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await db.query('BEGIN');
    await db.query(`LOCK TABLE ${SCHEMA}.${rel.name} IN EXCLUSIVE MODE`);
    const running = runner.query(c.sql).then(
      () => undefined,
      (e: Error) => e,
    );
    let waiting: { oid: string; mode: string } | undefined;
    for (const deadline = Date.now() + 5000; !waiting && Date.now() < deadline; ) {
      const w = await db.query<{ oid: string; mode: string }>(
        `SELECT relation::text AS oid, mode FROM pg_locks WHERE pid = $1 AND locktype = 'relation' AND NOT granted`,
        [pid],
      );
      waiting = w.rows[0];
      if (!waiting) await new Promise((r) => setTimeout(r, 10));
    }
    await db.query('ROLLBACK');
    const err = await running;
    if (err) problems.push(`outside a transaction it failed: ${err.message}`);
    if (!waiting) problems.push(`it never waited for ${rel.name}`);
    else if (waiting.oid !== rel.oid || lockModeFromPgLocks(waiting.mode) !== first.mode) {
      const on = before.find((r) => r.oid === waiting!.oid)?.name ?? waiting.oid;
      problems.push(`it waited for ${waiting.mode} on ${on}; the model claims ${first.mode} on ${rel.name}`);
    }
    // Rewrite, after it ran for real.
    const after = new Map((await relations(db)).map((r) => [r.oid, r.filenode]));
    const tgt = before.filter((r) => facts.locks.some((l) => l.relation === 'table' && l.role === 'target' && resolve(before, l).includes(r)));
    const rewritten = tgt.filter((r) => after.get(r.oid) !== undefined && after.get(r.oid) !== r.filenode);
    if (rewritten.length > 0 !== facts.rewrite) {
      problems.push(`rewritten: ${rewritten.map((r) => r.name).join(', ') || 'none'}; the model says rewrite=${facts.rewrite}`);
    }
  } finally {
    await runner.end();
    await resetFixture();
  }
  return problems;
}

/** The model says this server is too old for the statement: the server must reject it. */
async function runTooOld(c: Case, facts: LockFacts): Promise<string[]> {
  await db.query('BEGIN');
  try {
    if (c.setup) await db.query(c.setup);
    await db.query(c.sql);
    return [`the model says it needs PostgreSQL ${facts.requiresVersion}, but ${major} ran it`];
  } catch {
    return [];
  } finally {
    await db.query('ROLLBACK');
  }
}

async function check(c: Case): Promise<void> {
  await ready();
  const st = lower(c.sql);
  const facts = lockFacts(st, { pgVersion: major, ...c.opts });
  const problems =
    facts?.requiresVersion !== undefined && major < facts.requiresVersion
      ? await runTooOld(c, facts)
      : facts?.nonTransactional
        ? await runNonTransactional(c, facts)
        : await runTransactional(c, st, facts);
  // One line per difference between the server and the model; the model's claim follows for context.
  expect(problems.join('\n'), `model: ${JSON.stringify(facts)}`).toBe('');
}

const transactional: Case[] = [
  // ADD COLUMN (anchors rows 5-7, 27, 28)
  { sql: 'ALTER TABLE accounts ADD COLUMN c int' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c int NOT NULL DEFAULT 0' },
  { sql: "ALTER TABLE accounts ADD COLUMN c text DEFAULT 'x'" },
  { sql: 'ALTER TABLE accounts ADD COLUMN c timestamptz DEFAULT now()' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c timestamptz DEFAULT CURRENT_TIMESTAMP' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c timestamptz DEFAULT clock_timestamp()' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c float8 DEFAULT random()' },
  // gen_random_uuid() is built in from 13; before that pgcrypto provides it.
  { sql: 'ALTER TABLE accounts ADD COLUMN c uuid DEFAULT gen_random_uuid()', setup: 'CREATE EXTENSION IF NOT EXISTS pgcrypto' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c bigserial' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c int GENERATED ALWAYS AS IDENTITY' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c bigint GENERATED ALWAYS AS (id * 2) STORED' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c bigint GENERATED ALWAYS AS (id * 2) VIRTUAL' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c json' },
  { sql: 'ALTER TABLE accounts ADD COLUMN c int CHECK (c > 0)' },
  { sql: 'ALTER TABLE empty_t ADD COLUMN c int NOT NULL' },
  { sql: 'ALTER TABLE orders ADD COLUMN c bigint REFERENCES accounts (id)' },
  { sql: 'ALTER TABLE events ADD COLUMN c int UNIQUE' },
  // DROP / RENAME (rows 18, 19, 21, 22)
  { sql: 'ALTER TABLE orders DROP COLUMN note' },
  { sql: 'ALTER TABLE orders RENAME COLUMN note TO remark' },
  { sql: 'ALTER TABLE orders RENAME TO purchases' },
  { sql: 'DROP TABLE empty_t' },
  // NOT NULL and defaults (rows 9, 24, 25)
  { sql: 'ALTER TABLE accounts ALTER COLUMN name SET NOT NULL' },
  { sql: 'ALTER TABLE accounts ALTER COLUMN nn SET NOT NULL' },
  { sql: 'ALTER TABLE orders ALTER COLUMN account_id DROP NOT NULL' },
  { sql: "ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'x'" },
  { sql: 'ALTER TABLE orders ALTER COLUMN note DROP DEFAULT' },
  // Column types (rows 16, 17)
  { sql: 'ALTER TABLE orders ALTER COLUMN qty TYPE bigint' },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(50)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(5)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE text' },
  { sql: 'ALTER TABLE orders ALTER COLUMN status TYPE varchar(10)' },
  { sql: 'ALTER TABLE orders ALTER COLUMN note TYPE varchar(50) USING note::varchar(50)' },
  { sql: "ALTER TABLE orders ALTER COLUMN note TYPE text USING note || ''" },
  { sql: 'ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(12,2)' },
  { sql: 'ALTER TABLE accounts ALTER COLUMN amount TYPE numeric(12,4)' },
  { sql: 'ALTER TABLE accounts ALTER COLUMN net TYPE inet' },
  { sql: 'ALTER TABLE accounts ALTER COLUMN created TYPE timestamptz', setup: "SET LOCAL TimeZone = 'UTC'", opts: { timeZone: 'UTC' } },
  {
    sql: 'ALTER TABLE accounts ALTER COLUMN created TYPE timestamptz',
    setup: "SET LOCAL TimeZone = 'America/New_York'",
    opts: { timeZone: 'America/New_York' },
  },
  // Indexes (rows 1, 3, 4)
  { sql: 'CREATE INDEX orders_status_idx ON orders (status)' },
  { sql: 'CREATE UNIQUE INDEX orders_id_qty_idx ON orders (id, qty)' },
  { sql: 'CREATE INDEX orders_note_idx ON orders (lower(note)) INCLUDE (qty) WHERE status IS NOT NULL' },
  { sql: 'DROP INDEX orders_qty_idx' },
  { sql: 'ALTER INDEX orders_qty_idx RENAME TO orders_quantity_idx' },
  { sql: 'REINDEX INDEX orders_qty_idx' },
  { sql: 'REINDEX TABLE orders' },
  // Constraints (rows 10-15, 26)
  { sql: 'ALTER TABLE events ADD CONSTRAINT events_id_check CHECK (id > 0)' },
  { sql: 'ALTER TABLE events ADD CONSTRAINT events_id_check CHECK (id > 0) NOT VALID' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_account_fk2 FOREIGN KEY (account_id) REFERENCES accounts (id)' },
  { sql: 'ALTER TABLE orders ADD CONSTRAINT orders_account_fk2 FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID' },
  { sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_account_fk' },
  { sql: 'ALTER TABLE orders VALIDATE CONSTRAINT orders_qty_check' },
  { sql: 'ALTER TABLE events ADD CONSTRAINT events_id_key UNIQUE (id)' },
  { sql: 'ALTER TABLE events ADD CONSTRAINT events_id_key UNIQUE USING INDEX events_id_uidx' },
  { sql: 'ALTER TABLE events ADD PRIMARY KEY (id)' },
  { sql: 'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_uidx' },
  { sql: 'ALTER TABLE events ADD CONSTRAINT events_id_excl EXCLUDE (id WITH =)' },
  { sql: 'ALTER TABLE orders DROP CONSTRAINT orders_account_fk' },
  { sql: 'ALTER TABLE orders DROP CONSTRAINT orders_qty_check' },
  { sql: 'ALTER TABLE orders ALTER CONSTRAINT orders_account_fk DEFERRABLE' },
  // Rewriting maintenance, triggers, truncate (rows 32-34)
  { sql: 'CLUSTER events USING events_id_uidx' },
  { sql: 'ALTER TABLE events SET UNLOGGED' },
  { sql: 'ALTER TABLE staging SET LOGGED' },
  { sql: 'TRUNCATE events' },
  { sql: 'CREATE TRIGGER orders_noop BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION noop_trigger()' },
  { sql: 'ALTER TABLE events DISABLE TRIGGER events_noop' },
  { sql: 'ALTER TABLE events ENABLE TRIGGER ALL' },
  // Partitions (rows 30, 31)
  { sql: 'ALTER TABLE parts ATTACH PARTITION parts_2 FOR VALUES IN (2)' },
  { sql: 'ALTER TABLE parts DETACH PARTITION parts_1' },
  { sql: 'CREATE TABLE parts_3 PARTITION OF parts FOR VALUES IN (3)' },
  // New tables that lock others
  { sql: 'CREATE TABLE order_copy (LIKE orders INCLUDING ALL)' },
  { sql: 'CREATE TABLE refunds (id bigint, account_id bigint REFERENCES accounts (id))' },
  { sql: 'CREATE TABLE parts_child (extra int) INHERITS (parts_2)' },
  { sql: 'CREATE TABLE plain (id int)' },
  // Materialized views, enums (row 29)
  { sql: 'REFRESH MATERIALIZED VIEW event_counts' },
  { sql: 'REFRESH MATERIALIZED VIEW CONCURRENTLY event_counts' },
  { sql: "ALTER TYPE mood ADD VALUE 'meh'" },
  { sql: "CREATE TYPE colour AS ENUM ('red')" },
  // Other ALTER TABLE actions
  { sql: 'ALTER TABLE orders ALTER COLUMN qty SET STATISTICS 200' },
  { sql: 'ALTER TABLE orders SET (fillfactor = 70)' },
  { sql: 'ALTER TABLE orders CLUSTER ON orders_qty_idx' },
  { sql: 'ALTER TABLE orders OWNER TO CURRENT_USER' },
  { sql: 'ALTER TABLE orders REPLICA IDENTITY FULL' },
  { sql: 'ALTER TABLE orders ENABLE ROW LEVEL SECURITY' },
  { sql: 'ALTER TABLE orders ALTER COLUMN qty ADD GENERATED ALWAYS AS IDENTITY' },
  { sql: 'ALTER TABLE orders ALTER COLUMN note SET STORAGE EXTERNAL' },
  { sql: 'ANALYZE orders' },
  // Data changes
  { sql: "UPDATE orders SET status = 'x'" },
  { sql: "UPDATE orders SET status = 'x' WHERE id = 1", setup: 'SET LOCAL enable_seqscan = off' },
  { sql: 'DELETE FROM orders WHERE id = 1', setup: 'SET LOCAL enable_seqscan = off' },
  { sql: "INSERT INTO accounts (id, email, nn) VALUES (1000, 'new@example.com', 1)" },
  // Settings and transaction control take no lock
  { sql: "SET LOCAL lock_timeout = '1s'" },
];

const nonTransactional: Case[] = [
  { sql: 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)' },
  { sql: 'DROP INDEX CONCURRENTLY orders_qty_idx' },
  { sql: 'REINDEX INDEX CONCURRENTLY orders_qty_idx' },
  { sql: 'REINDEX TABLE CONCURRENTLY orders' },
  { sql: 'ALTER TABLE parts DETACH PARTITION parts_1 CONCURRENTLY' },
  { sql: 'VACUUM FULL events' },
  { sql: 'VACUUM events' },
  { sql: 'VACUUM' },
  { sql: 'CLUSTER' },
  { sql: `REINDEX SCHEMA ${SCHEMA}` },
  { sql: 'DROP DATABASE IF EXISTS migrate_lint_no_such_database' },
];

describe('the server', () => {
  it('is a PostgreSQL the fixture runs on (11+: EXECUTE FUNCTION in CREATE TRIGGER)', async () => {
    await ready();
    console.log(`lock model checked against PostgreSQL server_version_num ${server.versionNum}`);
    expect(major).toBeGreaterThanOrEqual(11);
  });
});

describe('lock table against PostgreSQL: in a transaction', () => {
  it.each(transactional.map((c) => [c.sql + (c.opts?.timeZone ? ` (TimeZone ${c.opts.timeZone})` : ''), c] as const))('%s', async (_, c) => {
    await check(c);
  });
});

describe('lock table against PostgreSQL: statements that cannot run in a transaction', () => {
  it.each(nonTransactional.map((c) => [c.sql, c] as const))('%s', async (_, c) => {
    await ready();
    const facts = lockFacts(lower(c.sql), { pgVersion: major });
    // Every case here is one the model must call non-transactional; the check itself runs the statement
    // in BEGIN and expects PostgreSQL's refusal (or, on a server older than the statement, any error).
    expect(facts?.nonTransactional).toBe(true);
    await check(c);
  });
});

describe('column type changes against PostgreSQL', () => {
  // [from, to, session TimeZone]
  const pairs: [string, string, string?][] = [
    ['smallint', 'integer'],
    ['integer', 'bigint'],
    ['bigint', 'integer'],
    ['integer', 'numeric'],
    ['integer', 'text'],
    ['real', 'double precision'],
    ['varchar(10)', 'varchar(20)'],
    ['varchar(20)', 'varchar(10)'],
    ['varchar(10)', 'varchar'],
    ['varchar', 'varchar(10)'],
    ['character varying(10)', 'text'],
    ['text', 'varchar'],
    ['text', 'varchar(10)'],
    ['char(5)', 'char(10)'],
    ['char(5)', 'varchar(10)'],
    ['char(5)', 'text'],
    ['varchar(5)', 'char(10)'],
    ['numeric(10,2)', 'numeric(12,2)'],
    ['numeric(10,2)', 'numeric(8,2)'],
    ['numeric(10,2)', 'numeric(12,4)'],
    ['numeric(10,2)', 'numeric'],
    ['numeric', 'numeric(10,2)'],
    ['decimal(10)', 'numeric(12)'],
    ['timestamp', 'timestamptz', 'UTC'],
    ['timestamp', 'timestamp with time zone', 'Etc/UTC'],
    ['timestamp', 'timestamptz', 'Europe/London'],
    ['timestamptz', 'timestamp', 'UTC'],
    ['timestamp(3)', 'timestamp'],
    ['timestamp(6)', 'timestamp(3)'],
    ['timestamp', 'timestamp(6)'],
    ['timestamptz(3)', 'timestamptz(6)'],
    ['timestamp(3)', 'timestamptz', 'UTC'],
    ['timestamp', 'timestamptz(3)', 'UTC'],
    ['time(3)', 'time'],
    ['interval(3)', 'interval'],
    ['interval', 'interval(3)'],
    ['bit(5)', 'bit varying'],
    ['bit(5)', 'varbit(5)'],
    ['varbit(5)', 'varbit(10)'],
    ['cidr', 'inet'],
    ['inet', 'cidr'],
    ['json', 'jsonb'],
    ['jsonb', 'json'],
    ['xml', 'text'],
    ['uuid', 'text'],
    ['date', 'timestamp'],
    ['integer[]', 'bigint[]'],
    ['varchar(5)[]', 'varchar(10)[]'],
    ['varchar(5)[]', 'text[]'],
    ['text', 'text'],
  ];
  it.each(pairs.map((p) => [`${p[0]} -> ${p[1]}${p[2] ? ` (TimeZone ${p[2]})` : ''}`, p] as const))('%s', async (_, [from, to, tz]) => {
    await ready();
    // Through the front end, so type rendering and the type table are checked together.
    const text = `CREATE TABLE tc (id int, c ${from});\nALTER TABLE tc ALTER COLUMN c TYPE ${to};`;
    const lowered = parseSql(text, sqlFileContext(text)).statements[1]!;
    const facts = lockFacts(lowered, { pgVersion: major, timeZone: tz ?? 'UTC' })!;
    await db.query(`CREATE TABLE ${SCHEMA}.tc (id int, c ${from})`);
    let rewritten: boolean;
    try {
      await db.query(`INSERT INTO ${SCHEMA}.tc SELECT g, NULL FROM generate_series(1, 3) g`);
      await db.query('BEGIN');
      try {
        await db.query(`SET LOCAL TimeZone = '${tz ?? 'UTC'}'`);
        const before = (await db.query<{ f: string }>(`SELECT pg_relation_filenode('${SCHEMA}.tc')::text AS f`)).rows[0]!.f;
        await db.query('SAVEPOINT plain');
        try {
          await db.query(`ALTER TABLE ${SCHEMA}.tc ALTER COLUMN c TYPE ${to}`);
        } catch (e) {
          // No assignment cast (json -> jsonb ...): the migration would write USING c::type.
          if (!/cannot be cast automatically/.test((e as Error).message)) throw e;
          await db.query('ROLLBACK TO SAVEPOINT plain');
          await db.query(`ALTER TABLE ${SCHEMA}.tc ALTER COLUMN c TYPE ${to} USING c::${to}`);
        }
        const after = (await db.query<{ f: string }>(`SELECT pg_relation_filenode('${SCHEMA}.tc')::text AS f`)).rows[0]!.f;
        rewritten = before !== after;
      } finally {
        await db.query('ROLLBACK');
      }
    } finally {
      await db.query(`DROP TABLE ${SCHEMA}.tc`);
    }
    if (facts.assumptions.includes('rewrite')) {
      // Types the table does not know: the cautious claim is a rewrite.
      expect(facts.rewrite).toBe(true);
    } else {
      expect({ from, to, rewrite: facts.rewrite }).toEqual({ from, to, rewrite: rewritten });
    }
  });
});

describe('function volatility against pg_proc', () => {
  it('every function in the table has that volatility in the server catalog', async () => {
    await ready();
    await db.query('BEGIN');
    try {
      // uuid_generate_v4() and friends come from the uuid-ossp extension (contrib); before 13,
      // gen_random_uuid() comes from pgcrypto.
      await db.query('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"');
      if (major < 13) await db.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
      const names = Object.keys(FUNCTION_VOLATILITY);
      const r = await db.query<{ name: string; v: string[] }>(
        `SELECT proname AS name, array_agg(DISTINCT provolatile::text) AS v FROM pg_proc WHERE proname = ANY($1) GROUP BY proname`,
        [names],
      );
      const code = { i: 'immutable', s: 'stable', v: 'volatile' } as const;
      const actual = Object.fromEntries(r.rows.map((row) => [row.name, row.v.map((x) => code[x as keyof typeof code]).join(',')]));
      expect(actual).toEqual(FUNCTION_VOLATILITY);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
