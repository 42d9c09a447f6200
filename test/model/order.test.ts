/**
 * Versions and order of sequence-ordered sets (`src/model/order.ts`): the version helpers, the version
 * the SQL-file front end puts on each migration, and `compareInSet`, which must give each tool's order
 * from a migration's own fields, so that migrations of different snapshots of one set compare correctly.
 */
import { describe, expect, it } from 'vitest';
import { lintSnapshot } from '../../src/api.js';
import { compareBigInts, compareCodeUnits, compareFlywayVersions, compareInSet, flywayVersion, integerVersion } from '../../src/model/order.js';
import type { Framework, Migration, MigrationSet } from '../../src/model/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { djangoTree } from '../helpers/files.js';

async function load(files: Record<string, string>): Promise<MigrationSet[]> {
  return (await lintSnapshot(new MemorySnapshot(files), [''], { rulesToRun: [] })).sets;
}

async function one(files: Record<string, string>): Promise<MigrationSet> {
  const sets = await load(files);
  expect(sets).toHaveLength(1);
  return sets[0]!;
}

const UP = 'CREATE TABLE t (id int);\n';
const LOCK = 'provider = "postgresql"\n';
const goose = `-- +goose Up\n${UP}-- +goose Down\nDROP TABLE t;\n`;
const dbmate = `-- migrate:up\n${UP}-- migrate:down\nDROP TABLE t;\n`;

/** A migration with only the fields the order may read; the rest are inert. */
function mig(file: string, name: string, extra: Partial<Migration> = {}): Migration {
  return { setId: 's', name, file, contentId: '', parents: [], runBefore: [], replaces: [], initial: false, atomic: false, statements: [], reverse: 'missing', suppressions: [], diagnostics: [], ...extra };
}

function set(framework: Framework, migrations: Migration[] = [], ordering: 'sequence' | 'graph' = 'sequence'): MigrationSet {
  return { id: `${framework}:db`, framework, name: 'db', namespace: 'n', dir: 'db', ordering, dialect: 'postgresql', transaction: 'none', downs: 'none', migrations };
}

/** Sorts a reversed copy with `compareInSet`: the result must be the front end's own order. */
function resorted(s: MigrationSet): string[] {
  return [...s.migrations].reverse().sort((a, b) => compareInSet(s, a, b)).map((m) => m.file);
}

describe('version helpers', () => {
  it('integer versions ignore leading zeros and stay exact past 2^53', () => {
    expect(integerVersion('000005')).toBe(5n);
    expect(compareBigInts(integerVersion('9007199254740993'), integerVersion('9007199254740992'))).toBe(1);
    expect(compareBigInts(2n, 10n)).toBe(-1);
    expect(compareBigInts(3n, 3n)).toBe(0);
  });

  it('Flyway versions: _ is ., trailing zero parts are dropped, missing parts count as zero', () => {
    expect(flywayVersion('1_2')).toEqual([1n, 2n]);
    expect(flywayVersion('1.2.0')).toEqual([1n, 2n]);
    expect(flywayVersion('0')).toEqual([0n]);
    expect(flywayVersion('001')).toEqual([1n]);
    expect(compareFlywayVersions(flywayVersion('1.10'), flywayVersion('1.2'))).toBe(1);
    expect(compareFlywayVersions(flywayVersion('1'), flywayVersion('1.0.1'))).toBe(-1);
    expect(compareFlywayVersions(flywayVersion('1.2'), flywayVersion('1_2_0'))).toBe(0);
  });

  it('code-unit order puts upper case before lower case, unlike localeCompare', () => {
    expect(compareCodeUnits('B', 'a')).toBe(-1);
    expect('B'.localeCompare('a')).toBe(1);
  });
});

describe('the version the SQL front end sets', () => {
  const versions = (s: MigrationSet) => s.migrations.map((m) => [m.file.slice(m.file.lastIndexOf('/') + 1), m.version]);

  it('golang-migrate: the integer, on the up file and on a down file without one', async () => {
    const s = await one({ 'm/000005_a.up.sql': UP, 'm/000005_a.down.sql': UP, 'm/10_b.up.sql': UP, 'm/000011_c.down.sql': UP });
    expect(versions(s)).toEqual([['000005_a.up.sql', '5'], ['10_b.up.sql', '10'], ['000011_c.down.sql', '11']]);
  });

  it('Flyway: the normalised version; repeatables have none', async () => {
    const s = await one({ 'f/V1_2__a.sql': UP, 'f/V1.3.0__b.sql': UP, 'f/V002__c.sql': UP, 'f/R__view.sql': UP });
    expect(versions(s)).toEqual([['V1_2__a.sql', '1.2'], ['V1.3.0__b.sql', '1.3'], ['V002__c.sql', '2'], ['R__view.sql', undefined]]);
  });

  it('goose and a plain directory: the integer prefix; dbmate: the digits as written', async () => {
    expect(versions(await one({ 'g/00005_a.sql': goose }))).toEqual([['00005_a.sql', '5']]);
    expect(versions(await one({ 'p/0005_a.sql': UP, 'p/6-b.sql': UP }))).toEqual([['0005_a.sql', '5'], ['6-b.sql', '6']]);
    expect(versions(await one({ 'd/0020240101_a.sql': dbmate }))).toEqual([['0020240101_a.sql', '0020240101']]);
  });

  it('Prisma: the 14-digit timestamp of the folder; a folder without one has none', async () => {
    const s = await one({ 'prisma/migrations/migration_lock.toml': LOCK, 'prisma/migrations/0_baseline/migration.sql': UP, 'prisma/migrations/20240102030405_add/migration.sql': UP });
    expect(s.migrations.map((m) => [m.name, m.version])).toEqual([['0_baseline', undefined], ['20240102030405_add', '20240102030405']]);
  });

  it('Django: none (the number prefix is cosmetic)', async () => {
    const sets = await load(djangoTree('from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0001_initial")]\n    operations = []\n'));
    expect(sets.flatMap((s) => s.migrations.map((m) => m.version))).toEqual([undefined, undefined]);
  });
});

describe('compareInSet agrees with the order the front end lists', () => {
  it('golang-migrate: by number, then file name', async () => {
    const s = await one({ 'm/10_c.up.sql': UP, 'm/2_b.up.sql': UP, 'm/0001_a.up.sql': UP, 'm/000002_a.up.sql': UP });
    expect(resorted(s)).toEqual(s.migrations.map((m) => m.file));
    expect(s.migrations.map((m) => m.file)).toEqual(['m/0001_a.up.sql', 'm/000002_a.up.sql', 'm/2_b.up.sql', 'm/10_c.up.sql']);
  });

  it('Flyway: by version, repeatables last by description', async () => {
    const names = ['V10__j.sql', 'V9__i.sql', 'V1_10__d.sql', 'V1_2__c.sql', 'V1__a.sql', 'V1.1__b.sql', 'R__zeta.sql', 'R__alpha.sql', 'U3__undo_only.sql'];
    const s = await one(Object.fromEntries(names.map((n) => [`f/${n}`, UP])));
    expect(resorted(s)).toEqual(s.migrations.map((m) => m.file));
  });

  it('goose, a plain directory, dbmate and Prisma', async () => {
    const sets = [
      await one({ 'g/10_c.sql': goose, 'g/9_b.sql': goose, 'g/009_a.sql': goose }),
      await one({ 'p/10_c.sql': UP, 'p/9-b.sql': UP, 'p/09_a.sql': UP }),
      await one({ 'd/20240102_b.sql': dbmate, 'd/0020240101_a.sql': dbmate, 'd/20240102_B.sql': dbmate }),
      await one({
        'prisma/migrations/migration_lock.toml': LOCK,
        'prisma/migrations/20240101000000_Beta/migration.sql': UP,
        'prisma/migrations/20240101000000_alpha/migration.sql': UP,
        'prisma/migrations/20231231000000_first/migration.sql': UP,
      }),
    ];
    for (const s of sets) expect(resorted(s), s.id).toEqual(s.migrations.map((m) => m.file));
  });
});

describe('compareInSet across snapshots of one set', () => {
  it("a branch's new migration against the target's newest, from the fields alone", async () => {
    const target = await one({ 'm/000004_a.up.sql': UP, 'm/000005_b.up.sql': UP });
    const branch = await one({ 'm/000004_a.up.sql': UP, 'm/4_x.up.sql': UP });
    const newest = target.migrations.at(-1)!;
    const added = branch.migrations.find((m) => m.file === 'm/4_x.up.sql')!;
    expect(compareInSet(target, added, newest)).toBeLessThan(0);
    expect(compareInSet(target, newest, added)).toBeGreaterThan(0);
    // The same migration read from two snapshots is at the same place.
    expect(compareInSet(target, target.migrations[0]!, branch.migrations[0]!)).toBe(0);
  });

  it('golang-migrate, goose, plain: 10 after 9 whatever the padding; equal numbers fall back to the file name', () => {
    for (const fw of ['golang-migrate', 'goose', 'sql'] as const) {
      const s = set(fw);
      expect(compareInSet(s, mig('db/9_a.sql', '9', { version: '9' }), mig('db/0010_b.sql', '10', { version: '10' }))).toBeLessThan(0);
      expect(compareInSet(s, mig('db/2_b.sql', '2', { version: '2' }), mig('db/0002_a.sql', '2', { version: '2' }))).toBeGreaterThan(0);
    }
  });

  it('Flyway: 1.10 after 1.2, versioned before repeatable, repeatables by description', () => {
    const s = set('flyway');
    const v = (file: string, version: string) => mig(`db/${file}`, version, { version });
    const r = (desc: string) => mig(`db/R__${desc}.sql`, `R__${desc}`, { repeatable: true });
    expect(compareInSet(s, v('V1_10__a.sql', '1.10'), v('V1_2__b.sql', '1.2'))).toBeGreaterThan(0);
    expect(compareInSet(s, v('V999__a.sql', '999'), r('a'))).toBeLessThan(0);
    expect(compareInSet(s, r('a'), v('V1__a.sql', '1'))).toBeGreaterThan(0);
    expect(compareInSet(s, r('b_view'), r('a_view'))).toBeGreaterThan(0);
  });

  it('dbmate: the file name, not the number (0020240101 before 20231231)', () => {
    const s = set('dbmate');
    expect(compareInSet(s, mig('db/0020240101_a.sql', '0020240101', { version: '0020240101' }), mig('db/20231231_b.sql', '20231231', { version: '20231231' }))).toBeLessThan(0);
  });

  it('Prisma: localeCompare of the folders, also for a folder whose migration.sql is missing', () => {
    const s = set('prisma');
    const p = (folder: string) => mig(`db/${folder}/migration.sql`, folder);
    expect(compareInSet(s, p('20240101000000_alpha'), p('20240101000000_Beta'))).toBeLessThan(0);
    expect(compareInSet(s, p('0_baseline'), p('20240101000000_a'))).toBeLessThan(0);
  });

  it('Knex and Sequelize: the file name by code units, extension included', () => {
    const s = set('knex');
    expect(compareInSet(s, mig('m/20240101_a.ts', '20240101_a.ts'), mig('m/20240101_a.js', '20240101_a.js'))).toBeGreaterThan(0);
    expect(compareInSet(s, mig('m/20240101_B.js', 'B'), mig('m/20240101_a.js', 'a'))).toBeLessThan(0);
    expect(compareInSet(set('sequelize'), mig('m/20240102-a.js', 'a'), mig('m/20240101-z.js', 'z'))).toBeGreaterThan(0);
  });

  it('TypeORM: the class-name timestamp, whatever the file is called; node-pg-migrate: the numeric prefix', () => {
    expect(compareInSet(set('typeorm'), mig('m/a.ts', 'Late1700000000002', { version: '1700000000002' }), mig('m/z.ts', 'Early1700000000001', { version: '1700000000001' }))).toBeGreaterThan(0);
    expect(compareInSet(set('node-pg-migrate'), mig('m/9_a.js', '9_a', { version: '9' }), mig('m/10_b.js', '10_b', { version: '10' }))).toBeLessThan(0);
  });

  it('refuses a graph-ordered set, a tool whose order is not modelled, and a migration without its version', () => {
    const a = mig('db/a.py', 'a');
    expect(() => compareInSet(set('django', [], 'graph'), a, a)).toThrow(/graph/);
    // Every sequence tool migrate-lint reads is modelled; a graph tool in a sequence-ordered set is not.
    expect(() => compareInSet(set('alembic'), a, a)).toThrow(/not modelled/);
    expect(() => compareInSet(set('golang-migrate'), mig('db/1_a.up.sql', '1'), mig('db/2_a.up.sql', '2', { version: '2' }))).toThrow(/has no version/);
  });
});
