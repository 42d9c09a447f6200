import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSnapshot } from '../../src/api.js';
import { ParseCache } from '../../src/discover/index.js';
import { CacheStore, defaultCacheDir } from '../../src/discover/store.js';
import { FsSnapshot } from '../../src/snapshot/fs.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ml-store-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const FIXTURES = path.resolve(__dirname, '../../fixtures');

describe('CacheStore', () => {
  it('keeps structured values across processes (save, then a new store reads them)', () => {
    const dir = tempDir();
    const a = CacheStore.open(dir, '/some/repo', 'parse');
    const value = { n: 1, none: undefined, nothing: null, list: [1, 'two'], map: new Map([['k', new Set([1])]]) };
    a.set('k1', value);
    a.save();
    const b = CacheStore.open(dir, '/some/repo', 'parse');
    expect(b.has('k1')).toBe(true);
    expect(b.get('k1')).toEqual(value);
    expect(b.stats).toEqual({ hits: 1, misses: 0 });
    expect(b.get('other')).toBeUndefined();
  });

  it('stores a value as it was when set: a later change to the object in memory is not saved', () => {
    const dir = tempDir();
    const a = CacheStore.open(dir, '/r', 'parse');
    const value = { statements: [1] };
    a.set('k', value);
    value.statements.push(2);
    a.save();
    expect(CacheStore.open(dir, '/r', 'parse').get('k')).toEqual({ statements: [1] });
  });

  it('keeps one file per repository and kind', () => {
    const dir = tempDir();
    for (const [root, kind] of [['/a', 'parse'], ['/b', 'parse'], ['/a', 'runs']] as const) {
      const s = CacheStore.open(dir, root, kind);
      s.set('k', root + kind);
      s.save();
    }
    expect(readdirSync(dir)).toHaveLength(3);
    expect(CacheStore.open(dir, '/b', 'parse').get('k')).toBe('/bparse');
    expect(CacheStore.open(dir, '/a', 'runs').get('k')).toBe('/aruns');
  });

  it('reads a truncated, corrupt or foreign file as empty and replaces it on the next save', () => {
    const dir = tempDir();
    const a = CacheStore.open(dir, '/r', 'parse');
    a.set('k', 'v');
    a.save();
    const file = path.join(dir, readdirSync(dir)[0]!);
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 3));
    expect(CacheStore.open(dir, '/r', 'parse').has('k')).toBe(false);
    writeFileSync(file, 'not a cache');
    expect(CacheStore.open(dir, '/r', 'parse').has('k')).toBe(false);
    // Another build's file: same layout, another fingerprint.
    const other = Buffer.concat([Buffer.from('MLC1'), u32(5), Buffer.from('other'), whole.subarray(8 + whole.readUInt32LE(4))]);
    writeFileSync(file, other);
    const c = CacheStore.open(dir, '/r', 'parse');
    expect(c.has('k')).toBe(false);
    c.set('k2', 'v2');
    c.save();
    expect(CacheStore.open(dir, '/r', 'parse').get('k2')).toBe('v2');
  });

  it('drops entries no run has used for eight saves', () => {
    const dir = tempDir();
    const first = CacheStore.open(dir, '/r', 'parse');
    first.set('old', 1);
    first.set('kept', 2);
    first.save();
    for (let i = 0; i < 8; i++) {
      const s = CacheStore.open(dir, '/r', 'parse');
      expect(s.get('kept')).toBe(2);
      s.set(`new${i}`, i);
      s.save();
    }
    const last = CacheStore.open(dir, '/r', 'parse');
    expect(last.has('kept')).toBe(true);
    expect(last.has('old')).toBe(false);
    expect(last.has('new7')).toBe(true);
  });

  it('writes each new entry to the next file as it is set, reads it back from there, and leaves the old file alone until the save', () => {
    const dir = tempDir();
    const first = CacheStore.open(dir, '/r', 'parse');
    first.set('old', 'before');
    first.save();
    const [file] = readdirSync(dir);
    const before = readFileSync(path.join(dir, file!));
    const s = CacheStore.open(dir, '/r', 'parse');
    const big = 'x'.repeat(100_000);
    s.set('big', { big });
    const tmp = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    expect(tmp).toHaveLength(1);
    // The value is on disk already, not held until the save.
    expect(statSync(path.join(dir, tmp[0]!)).size).toBeGreaterThan(100_000);
    expect(readFileSync(path.join(dir, file!))).toEqual(before);
    expect(s.get('big')).toEqual({ big });
    expect(s.get('old')).toBe('before');
    s.save();
    expect(readdirSync(dir)).toEqual([file]);
    const after = CacheStore.open(dir, '/r', 'parse');
    expect(after.get('big')).toEqual({ big });
    expect(after.get('old')).toBe('before');
  });

  it('removes its next file when the process ends without saving (an error, an exit)', () => {
    const dir = tempDir();
    const store = path.resolve(__dirname, '../../dist/src/discover/store.js');
    for (const end of ['process.exit(3)', "throw new Error('bad input')"]) {
      const script = `import { CacheStore } from ${JSON.stringify(store)}; const s = CacheStore.open(${JSON.stringify(dir)}, '/r', 'parse'); s.set('k', 1); ${end};`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status).not.toBe(0);
      expect(readdirSync(dir)).toEqual([]);
    }
    // Killed by a signal, the exit handler does not run: the next run that writes removes what it left.
    const script = `import { CacheStore } from ${JSON.stringify(store)}; const s = CacheStore.open(${JSON.stringify(dir)}, '/r', 'parse'); s.set('k', 1); process.kill(process.pid, 'SIGKILL');`;
    spawnSync(process.execPath, ['--input-type=module', '-e', script]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    const s = CacheStore.open(dir, '/r', 'parse');
    s.set('k', 2);
    s.save();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('never fails a run when the directory cannot be written', () => {
    const dir = tempDir();
    chmodSync(dir, 0o500);
    try {
      const s = CacheStore.open(path.join(dir, 'sub'), '/r', 'parse');
      s.set('k', 1);
      expect(() => s.save()).not.toThrow();
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('lives in MIGRATE_LINT_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheDir({ MIGRATE_LINT_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/migrate-lint');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' })).toMatch(/\.cache\/migrate-lint$/);
  });
});

describe('the parse cache on disk', () => {
  // Every fixture, every front end: what a run reads back from the store gives exactly the findings that
  // parsing gives.
  const fixtures = readdirSync(FIXTURES);
  it.each(fixtures)('%s: a second run parses nothing and finds the same', async (name) => {
    const root = path.join(FIXTURES, name);
    const dir = tempDir();
    // Fixes are dated and Alembic's carry a random revision id: both fixed here.
    const fixEnv = { now: new Date(Date.UTC(2026, 0, 2, 3, 4)), newRevisionId: () => 'abcdef123456' };
    const plain = await lintSnapshot(new FsSnapshot(root), [''], { cache: new ParseCache(), fixEnv });
    const cold = new ParseCache(CacheStore.open(dir, root, 'parse'));
    const first = await lintSnapshot(new FsSnapshot(root), [''], { cache: cold, fixEnv });
    cold.save();
    const warm = new ParseCache(CacheStore.open(dir, root, 'parse'));
    const second = await lintSnapshot(new FsSnapshot(root), [''], { cache: warm, fixEnv });
    expect(cold.store!.stats.misses).toBeGreaterThan(0);
    expect(warm.store!.stats.misses).toBe(0);
    expect(warm.store!.stats.hits).toBe(cold.store!.stats.misses);
    expect(first.findings).toEqual(plain.findings);
    expect(second.findings).toEqual(plain.findings);
    expect(second.sets.map((s) => s.migrations.length)).toEqual(plain.sets.map((s) => s.migrations.length));
  });
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
