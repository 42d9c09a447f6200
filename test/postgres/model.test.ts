/**
 * The lock model without a server: version-dependent answers (each side of every version boundary),
 * the words rules quote, lock-mode arithmetic, the type table, and statements from front ends other
 * than SQL (ORM statements with no SQL behind them). lock-model.test.ts checks the same table against
 * a real server of whatever version is installed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql, sqlFileContext } from '../../src/lang/sql/index.js';
import type { Statement } from '../../src/model/statement.js';
import {
  LOCK_MODES,
  blockedBy,
  conflicts,
  describeLock,
  dominantMode,
  isUtcTimeZone,
  lockFacts,
  lockModeFromPgLocks,
  normalizeType,
  operationLabel,
  parsePgVersion,
  pgMajorFromVersionNum,
  typeChange,
  type LockOptions,
} from '../../src/postgres/index.js';

beforeAll(async () => {
  await loadSqlParser();
});

function one(sql: string): Statement {
  const r = parseSql(sql, sqlFileContext(sql));
  expect(r.diagnostics).toEqual([]);
  return r.statements[r.statements.length - 1]!;
}

const facts = (sql: string, opts: LockOptions = {}) => lockFacts(one(sql), opts);

const span = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 }, offset: 0, endOffset: 1 };

describe('messages', () => {
  it('quote the lock, the table and what it blocks', () => {
    const st = one('CREATE INDEX orders_a ON orders (a)');
    expect(describeLock(st, lockFacts(st)!)).toBe('CREATE INDEX takes SHARE on "orders": blocks writes (not reads) until the transaction commits');
  });

  it('name every table and group them by mode', () => {
    const st = one('ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES accounts (id)');
    expect(describeLock(st, lockFacts(st)!)).toBe(
      'ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on "orders" and "accounts": blocks writes (not reads) until the transaction commits',
    );
  });

  it('say "while it runs" for statements outside a transaction block, and name an index whose table is unknown', () => {
    const st = one('DROP INDEX CONCURRENTLY orders_a');
    expect(describeLock(st, lockFacts(st)!)).toBe(
      'DROP INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE on the table of index "orders_a" and index "orders_a": blocks neither reads nor writes, only schema changes, VACUUM and other index builds while it runs',
    );
  });

  it('describe REINDEX as blocking reads through the index lock', () => {
    const st = one('REINDEX TABLE orders');
    expect(describeLock(st, lockFacts(st)!)).toBe(
      'REINDEX takes SHARE on "orders" and ACCESS EXCLUSIVE on every index of "orders": blocks reads and writes until the transaction commits',
    );
  });

  it('label statements the way SQL names them', () => {
    const sql = [
      'ALTER TABLE t ADD COLUMN c int',
      'ALTER TABLE t ALTER c TYPE text',
      'CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)',
      'VACUUM FULL t',
      'ALTER TABLE t ADD CHECK (a > 0) NOT VALID',
      'ALTER TABLE t ALTER c SET STATISTICS 10',
      'ALTER TABLE t DISABLE TRIGGER ALL',
    ];
    expect(sql.map((s) => operationLabel(one(s)))).toEqual([
      'ADD COLUMN',
      'ALTER COLUMN TYPE',
      'CREATE UNIQUE INDEX CONCURRENTLY',
      'VACUUM FULL',
      'ADD CHECK NOT VALID',
      'SET STATISTICS',
      'DISABLE TRIGGER',
    ]);
  });
});

describe('version boundaries', () => {
  it('ADD COLUMN with a constant default rewrites before 11 only', () => {
    expect(facts('ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0', { pgVersion: 10 })?.rewrite).toBe(true);
    expect(facts('ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0', { pgVersion: 11 })?.rewrite).toBe(false);
    expect(facts('ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()', { pgVersion: 11 })?.rewrite).toBe(false);
    expect(facts('ALTER TABLE t ADD COLUMN c int DEFAULT NULL', { pgVersion: 10 })?.rewrite).toBe(false);
  });

  it('ADD COLUMN with a volatile default rewrites on every version', () => {
    for (const v of [10, 11, 15, 18]) expect(facts('ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()', { pgVersion: v })?.rewrite).toBe(true);
  });

  it('ALTER TYPE ... ADD VALUE cannot run in a transaction block before 12', () => {
    expect(facts("ALTER TYPE mood ADD VALUE 'x'", { pgVersion: 11 })).toMatchObject({ locks: [], nonTransactional: true });
    expect(facts("ALTER TYPE mood ADD VALUE 'x'", { pgVersion: 12 })).toMatchObject({ locks: [], nonTransactional: false });
  });

  it('SET NOT NULL uses a proving CHECK from 12', () => {
    const sql = 'ALTER TABLE t ADD CONSTRAINT nn CHECK (c IS NOT NULL); ALTER TABLE t ALTER c SET NOT NULL';
    expect(facts(sql, { pgVersion: 11 })?.fullScan).toBe(true);
    expect(facts(sql, { pgVersion: 12 })?.fullScan).toBe(false);
    expect(facts('ALTER TABLE t ALTER c SET NOT NULL', { pgVersion: 18 })?.fullScan).toBe(true);
  });

  it('renaming an index takes SHARE UPDATE EXCLUSIVE on it from 12', () => {
    const sql = 'CREATE INDEX i ON t (a); ALTER INDEX i RENAME TO j';
    expect(facts(sql, { pgVersion: 11 })).toMatchObject({ locks: [{ relation: 'index', index: 'i', mode: 'ACCESS EXCLUSIVE' }], blocks: ['reads', 'writes'] });
    expect(facts(sql, { pgVersion: 12 })).toMatchObject({ locks: [{ relation: 'index', index: 'i', mode: 'SHARE UPDATE EXCLUSIVE' }], blocks: [] });
  });

  it('ATTACH PARTITION locks the parent less from 12', () => {
    const sql = 'ALTER TABLE p ATTACH PARTITION p1 FOR VALUES IN (1)';
    expect(facts(sql, { pgVersion: 11 })?.locks.map((l) => l.mode)).toEqual(['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE']);
    expect(facts(sql, { pgVersion: 12 })?.locks.map((l) => l.mode)).toEqual(['SHARE UPDATE EXCLUSIVE', 'ACCESS EXCLUSIVE']);
  });

  it('DETACH PARTITION locks the partition more from 14, and CONCURRENTLY needs 14', () => {
    const sql = 'ALTER TABLE p DETACH PARTITION p1';
    expect(facts(sql, { pgVersion: 13 })?.locks.map((l) => l.mode)).toEqual(['ACCESS EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE']);
    expect(facts(sql, { pgVersion: 14 })?.locks.map((l) => l.mode)).toEqual(['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE']);
    expect(facts(`${sql} CONCURRENTLY`)).toMatchObject({ nonTransactional: true, requiresVersion: 14 });
  });

  it('timestamp -> timestamptz avoids the rewrite only from 12 and only in UTC', () => {
    const sql = 'CREATE TABLE t (c timestamp); ALTER TABLE t ALTER c TYPE timestamptz';
    expect(facts(sql, { pgVersion: 11, timeZone: 'UTC' })?.rewrite).toBe(true);
    expect(facts(sql, { pgVersion: 12, timeZone: 'UTC' })?.rewrite).toBe(false);
    expect(facts(sql, { pgVersion: 12, timeZone: 'Europe/Paris' })?.rewrite).toBe(true);
    // Unknown session time zone: the cautious answer, marked as an assumption.
    expect(facts(sql, { pgVersion: 15 })).toMatchObject({ rewrite: true, assumptions: ['rewrite'] });
  });

  it('statements that do not exist yet say which version they need', () => {
    expect(facts('REINDEX INDEX CONCURRENTLY i')?.requiresVersion).toBe(12);
    expect(facts('ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a) STORED')?.requiresVersion).toBe(12);
    expect(facts('ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a) VIRTUAL')).toMatchObject({ rewrite: false, requiresVersion: 18 });
    expect(facts('ALTER TABLE t SET ACCESS METHOD heap')?.requiresVersion).toBe(15);
    expect(facts('CREATE OR REPLACE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()')?.requiresVersion).toBe(14);
    expect(facts('ALTER TABLE t ADD CONSTRAINT n NOT NULL c NOT VALID')).toMatchObject({ requiresVersion: 18, fullScan: false });
  });

  it('reads versions as the configuration writes them', () => {
    expect(parsePgVersion('11')).toBe(11);
    expect(parsePgVersion(11)).toBe(11);
    expect(parsePgVersion('15.4')).toBe(15);
    expect(parsePgVersion('9.6')).toBe(9.6);
    expect(parsePgVersion(150004)).toBe(15);
    expect(pgMajorFromVersionNum(90624)).toBe(9.6);
    expect(pgMajorFromVersionNum(180001)).toBe(18);
    expect(() => parsePgVersion('latest')).toThrow(RangeError);
  });
});

describe('what the migration does not say', () => {
  it('an unknown current type is a cautious rewrite, marked as an assumption', () => {
    expect(facts('ALTER TABLE t ALTER c TYPE text')).toMatchObject({ rewrite: true, fullScan: true, assumptions: ['rewrite'] });
  });

  it('USING that only casts the column decides like no USING; any other USING rewrites', () => {
    expect(facts('CREATE TABLE t (c varchar(5)); ALTER TABLE t ALTER c TYPE varchar(9) USING c::varchar(9)')?.rewrite).toBe(false);
    expect(facts("CREATE TABLE t (c varchar(5)); ALTER TABLE t ALTER c TYPE varchar(9) USING trim(c)")).toMatchObject({ rewrite: true, assumptions: [] });
  });

  it('a default of unknown volatility is a cautious rewrite', () => {
    expect(facts('ALTER TABLE t ADD COLUMN c int DEFAULT next_code()')).toMatchObject({ rewrite: true, assumptions: ['rewrite'] });
  });

  it('dropping or validating a constraint of unknown kind notes the foreign-key case', () => {
    expect(facts('ALTER TABLE t DROP CONSTRAINT c')?.notes.join(' ')).toMatch(/foreign key/);
    expect(facts('ALTER TABLE t VALIDATE CONSTRAINT c')?.locks).toHaveLength(1);
  });

  it('has nothing to say about settings, transaction control, new tables without references, or unknown SQL', () => {
    for (const sql of ["SET lock_timeout = '1s'", 'BEGIN', 'CREATE TABLE t (id int)', "CREATE TYPE e AS ENUM ('a')", 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$']) {
      expect(facts(sql), sql).toBeNull();
    }
  });
});

describe('statements from ORM front ends', () => {
  const base = { span, construct: 'migrations.AddField', operationIndex: 0 };

  it('state-only statements take no locks', () => {
    expect(lockFacts({ ...base, kind: 'drop_column', table: 't', column: 'c', stateOnly: true })).toBeNull();
  });

  it('an application-computed default is a constant to PostgreSQL', () => {
    const st: Statement = { ...base, kind: 'add_column', table: 'shop_item', column: { name: 'sku', default: { kind: 'app-callable', text: 'uuid.uuid4' }, nullable: false } };
    expect(lockFacts(st, { pgVersion: 15 })).toMatchObject({ rewrite: false, fullScan: false });
    expect(lockFacts(st, { pgVersion: 10 })).toMatchObject({ rewrite: true });
  });

  it('an AlterField with known before/after decides rewrite and scan', () => {
    const st: Statement = {
      ...base,
      kind: 'alter_column',
      table: 'shop_item',
      column: 'name',
      from: { name: 'name', type: 'varchar(50)', nullable: true },
      to: { name: 'name', type: 'varchar(100)', nullable: false },
    };
    expect(lockFacts(st)).toMatchObject({ rewrite: false, fullScan: true, locks: [{ table: 'shop_item', mode: 'ACCESS EXCLUSIVE' }] });
  });

  it('an AlterField without the previous definition only claims the lock', () => {
    const st: Statement = { ...base, kind: 'alter_column', table: 't', column: 'c', to: { name: 'c', type: 'bigint' } };
    expect(lockFacts(st)).toMatchObject({ rewrite: false, fullScan: false, locks: [{ mode: 'ACCESS EXCLUSIVE' }] });
  });
});

describe('lock modes', () => {
  it('conflict symmetrically, as Table 13.2 says', () => {
    for (const a of LOCK_MODES) for (const b of LOCK_MODES) expect(conflicts(a, b)).toBe(conflicts(b, a));
    expect(conflicts('SHARE', 'SHARE')).toBe(false);
    expect(conflicts('SHARE UPDATE EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE')).toBe(true);
    expect(conflicts('ROW EXCLUSIVE', 'ROW EXCLUSIVE')).toBe(false);
  });

  it('block reads only at ACCESS EXCLUSIVE and writes from SHARE up', () => {
    expect(Object.fromEntries(LOCK_MODES.map((m) => [m, blockedBy(m)]))).toEqual({
      'ACCESS SHARE': [],
      'ROW SHARE': [],
      'ROW EXCLUSIVE': [],
      'SHARE UPDATE EXCLUSIVE': [],
      SHARE: ['writes'],
      'SHARE ROW EXCLUSIVE': ['writes'],
      EXCLUSIVE: ['writes'],
      'ACCESS EXCLUSIVE': ['reads', 'writes'],
    });
  });

  it('read pg_locks names and find the dominant mode of a set', () => {
    expect(lockModeFromPgLocks('ShareUpdateExclusiveLock')).toBe('SHARE UPDATE EXCLUSIVE');
    expect(lockModeFromPgLocks('AccessShareLock')).toBe('ACCESS SHARE');
    expect(lockModeFromPgLocks('SIReadLock')).toBeUndefined();
    expect(dominantMode(['ACCESS SHARE', 'SHARE ROW EXCLUSIVE', 'ROW SHARE'])).toBe('SHARE ROW EXCLUSIVE');
    expect(dominantMode(['SHARE', 'SHARE UPDATE EXCLUSIVE'])).toBeUndefined();
  });
});

describe('column types', () => {
  it('normalise the spellings migrations use', () => {
    expect(normalizeType('character varying(20)')).toEqual({ base: 'varchar', mods: [20], array: 0 });
    expect(normalizeType('VARCHAR ( 20 )')).toEqual({ base: 'varchar', mods: [20], array: 0 });
    expect(normalizeType('timestamp(3) with time zone')).toEqual({ base: 'timestamptz', mods: [3], array: 0 });
    expect(normalizeType('pg_catalog.int8')).toEqual({ base: 'int8', mods: [], array: 0 });
    expect(normalizeType('decimal(10)')).toEqual({ base: 'numeric', mods: [10, 0], array: 0 });
    expect(normalizeType('char')).toEqual({ base: 'bpchar', mods: [1], array: 0 });
    expect(normalizeType('float(10)')).toEqual({ base: 'float4', mods: [], array: 0 });
    expect(normalizeType('integer[][]')).toEqual({ base: 'int4', mods: [], array: 2 });
    expect(normalizeType('"MyType"')).toEqual({ base: '"MyType"', mods: [], array: 0 });
    expect(normalizeType('not a (type')).toBeUndefined();
  });

  it.each([
    ['varchar(10)', 'varchar(20)', false],
    ['varchar(20)', 'varchar(10)', true],
    ['varchar(10)', 'varchar', false],
    ['varchar', 'varchar(10)', true],
    ['varchar(10)', 'text', false],
    ['text', 'varchar', false],
    ['text', 'varchar(10)', true],
    ['numeric(10,2)', 'numeric(12,2)', false],
    ['numeric(10,2)', 'numeric', false],
    ['numeric(10,2)', 'numeric(12,3)', true],
    ['numeric', 'numeric(10,2)', true],
    ['cidr', 'inet', false],
    ['inet', 'cidr', true],
    ['integer', 'bigint', true],
    ['bigint', 'integer', true],
    ['int4', 'integer', false],
    ['timestamp(3)', 'timestamp', false],
    ['timestamp', 'timestamp(6)', false],
    ['timestamp(6)', 'timestamp(3)', true],
  ] as const)('%s -> %s rewrites: %s', (from, to, rewrite) => {
    expect(typeChange(from, to)).toMatchObject({ rewrite, certain: true });
  });

  it('answer unknown types cautiously', () => {
    expect(typeChange('citext', 'text')).toMatchObject({ rewrite: true, certain: false });
    expect(typeChange('"MyEnum"', 'text')).toMatchObject({ rewrite: true, certain: false });
  });

  it('recognise UTC time zones', () => {
    for (const tz of ['UTC', 'utc', 'Etc/UTC', 'GMT', 'Etc/GMT+0', 'Zulu', '+00:00', '0']) expect(isUtcTimeZone(tz), tz).toBe(true);
    for (const tz of ['Europe/London', 'America/New_York', '+01:00', 'Etc/GMT+1']) expect(isUtcTimeZone(tz), tz).toBe(false);
  });
});
