/**
 * Smoke test of the benchmark generators (bench/generators/, issue 8) at tiny sizes: each writes the same
 * bytes for the same seed, migrate-lint finds the tree as intended (framework, sets, migration counts,
 * the one conflict or the heads, the statements meant to be flagged, no parse errors), and the Django and
 * Alembic trees load in the real tools (the venv's Django `MigrationLoader` and Alembic
 * `ScriptDirectory`) with the same leaves, conflicts and heads. No timing here: `npm run bench` measures.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateAlembic } from '../../bench/generators/alembic.js';
import { generateDjango } from '../../bench/generators/django.js';
import { generateGit } from '../../bench/generators/git.js';
import { GENERATORS } from '../../bench/generators/index.js';
import { generateKnex, generateTypeorm } from '../../bench/generators/js.js';
import { generatePrisma } from '../../bench/generators/prisma.js';
import { Random } from '../../bench/generators/random.js';
import { lint, type LintResult } from '../../src/api.js';
import { runPython } from '../helpers/python.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'ml-generators-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => path.join(scratch, `${name}-${n++}`);

/** sha256 over every file's path and bytes, in path order (`.git` left out). */
function hashTree(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name === '.git' ? [] : e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const f of walk(root).sort()) h.update(path.relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

const byRule = (r: LintResult, id: string) => r.findings.filter((f) => f.ruleId === id);
const migrationCount = (r: LintResult) => r.sets.reduce((s, set) => s + set.migrations.length, 0);

/** No file migrate-lint could not read, and no construct it could not lower. */
function expectReadable(r: LintResult): void {
  expect(byRule(r, 'parse-error').map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([]);
  expect(r.sets.flatMap((s) => s.migrations.flatMap((m) => m.diagnostics.map((d) => `${m.file}: ${d.message}`)))).toEqual([]);
  expect(r.sets.flatMap((s) => s.migrations.flatMap((m) => m.statements.filter((st) => st.kind === 'other').map((st) => `${m.file}: ${st.construct}`)))).toEqual([]);
}

describe('the shared PRNG', () => {
  it('is mulberry32: the same seed gives the same stream, another seed another', () => {
    const a = new Random(7);
    const b = new Random(7);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Random(8).next()).not.toBe(xs[0]);
    // Reference values of mulberry32(1), so a change of algorithm is caught.
    const r = new Random(1);
    expect([r.next(), r.next()].map((x) => x.toFixed(8))).toEqual(['0.62707394', '0.00273572']);
  });
});

describe('generators: same seed, same bytes', () => {
  for (const [kind, size] of [['django', 40], ['alembic', 30], ['prisma', 10], ['knex', 10], ['typeorm', 10], ['git', 60]] as const) {
    it(kind, async () => {
      const [a, b, c] = [fresh(kind), fresh(kind), fresh(kind)];
      const ta = await GENERATORS[kind](a, { size, seed: 3 });
      const tb = await GENERATORS[kind](b, { size, seed: 3 });
      await GENERATORS[kind](c, { size, seed: 4 });
      expect(hashTree(a)).toBe(hashTree(b));
      expect(hashTree(a)).not.toBe(hashTree(c));
      expect({ ...tb, root: ta.root }).toEqual(ta);
      expect(ta.files).toBeGreaterThan(ta.migrations);
    });
  }

  it('refuses a directory that is not empty', async () => {
    const dir = fresh('django');
    await generateDjango(dir, { size: 40 });
    await expect(generateDjango(dir, { size: 40 })).rejects.toThrow(/not empty/);
  });
});

describe('django', () => {
  it('one project of several apps: squashes, cross-app dependencies and exactly one pending conflict; Django agrees', async () => {
    const tree = await generateDjango(fresh('django'), { size: 90 });
    const e = tree.expected;
    expect(tree.migrations).toBe(90);
    expect(e.conflict).not.toBeNull();
    expect(e.squashes.length).toBeGreaterThanOrEqual(1);

    const ours = await lint({ cwd: tree.root });
    expectReadable(ours);
    expect(ours.sets.map((s) => s.framework)).toEqual(e.apps.map(() => 'django'));
    expect(ours.sets.map((s) => s.name).sort()).toEqual([...e.apps].sort());
    expect(migrationCount(ours)).toBe(tree.migrations);
    expect(ours.histories).toHaveLength(1);
    const history = ours.histories[0]!;
    for (const set of ours.sets) expect(history.leaves(set).map((m) => m.name).sort(), set.name).toEqual(e.leaves[set.name]);
    expect(byRule(ours, 'conflicting-leaves').map((f) => f.data)).toEqual([expect.objectContaining({ app: e.conflict!.app, leaves: e.conflict!.leaves })]);
    expect(byRule(ours, 'missing-dependency')).toEqual([]);
    expect(byRule(ours, 'dependency-cycle')).toEqual([]);

    // Django's own loader, and the project state rendered from every operation.
    const django = JSON.parse(runPython('test/bench/django_tree.py', [tree.root, '--state'])) as {
      nodes: number; disk: number; replacements: string[]; leaves: Record<string, string[]>; conflicts: Record<string, string[]>; models: number; rendered: number;
    };
    expect(django.disk).toBe(tree.migrations);
    expect(django.nodes).toBe(e.graphNodes);
    expect(django.replacements).toEqual(e.squashes.map((s) => `${s.app}.${s.name}`).sort());
    expect(django.leaves).toEqual(e.leaves);
    expect(django.conflicts).toEqual({ [e.conflict!.app]: e.conflict!.leaves });
    expect(django.rendered).toBe(django.models);
  });
});

describe('alembic', () => {
  it('branches and merges ending in one head, or in the two heads asked for; Alembic agrees', async () => {
    // Both trees under one directory: one run of Alembic reads both environments.
    const parent = fresh('alembic');
    const trees = { 1: await generateAlembic(path.join(parent, 'one'), { size: 60 }), 2: await generateAlembic(path.join(parent, 'two'), { size: 60, heads: 2 }) };
    const theirs = JSON.parse(runPython('test/interop/alembic_graph.py', [parent])) as { dir: string; heads: string[]; revisions: Record<string, unknown>; warnings: string[]; error?: string }[];
    expect(theirs.map((env) => env.dir).sort()).toEqual(['one/alembic', 'two/alembic']);
    for (const heads of [1, 2] as const) {
      const tree = trees[heads];
      const e = tree.expected;
      expect(e.heads).toHaveLength(heads);
      expect(e.merges).toBeGreaterThan(0);

      const ours = await lint({ cwd: tree.root });
      expectReadable(ours);
      expect(ours.sets.map((s) => [s.framework, s.dir, s.migrations.length])).toEqual([['alembic', `${e.scriptDirectory}/versions`, 60]]);
      const set = ours.sets[0]!;
      expect(ours.histories[0]!.leaves(set).map((m) => m.name).sort()).toEqual(e.heads);
      expect(set.migrations.filter((m) => m.parents.length > 1)).toHaveLength(e.merges);
      expect(byRule(ours, 'conflicting-leaves').map((f) => [...(f.data.heads as string[])].sort())).toEqual(heads === 2 ? [e.heads] : []);
      expect(byRule(ours, 'missing-dependency')).toEqual([]);

      const alembic = theirs.find((env) => env.dir === `${heads === 1 ? 'one' : 'two'}/alembic`)!;
      expect(alembic.error).toBeUndefined();
      expect(alembic.warnings).toEqual([]);
      expect([...alembic.heads].sort()).toEqual(e.heads);
      expect(Object.keys(alembic.revisions).sort()).toEqual(set.migrations.map((m) => m.name).sort());
    }
  });
});

describe('prisma', () => {
  it('migration folders of Prisma SQL: PostgreSQL parses all of it, and the statements meant to be flagged are', async () => {
    const tree = await generatePrisma(fresh('prisma'), { size: 20 });
    const e = tree.expected;
    const ours = await lint({ cwd: tree.root });
    expectReadable(ours);
    expect(ours.sets.map((s) => [s.framework, s.dir, s.migrations.length, s.dialect])).toEqual([['prisma', e.migrationsDir, 20, 'postgresql']]);
    const statements = ours.sets[0]!.migrations.reduce((s, m) => s + m.statements.length, 0);
    // ALTER TABLE with several actions is one SQL statement and several model statements.
    expect(statements).toBeGreaterThanOrEqual(e.statements);
    expect(byRule(ours, 'required-column-without-default')).toHaveLength(e.requiredColumnsWithoutDefault);
    // Every plain or unique index on an existing table, and every DROP INDEX (neither is CONCURRENTLY).
    expect(byRule(ours, 'index-not-concurrent')).toHaveLength(e.indexesOnExistingTables + (e.sections.DropIndex ?? 0));
  });
});

describe('knex and typeorm', () => {
  for (const [kind, generate] of [['knex', generateKnex], ['typeorm', generateTypeorm]] as const) {
    it(`${kind}: detected as ${kind}, every migration read, the statements meant to be flagged are`, async () => {
      const tree = await generate(fresh(kind), { size: 40 });
      const e = tree.expected;
      const ours = await lint({ cwd: tree.root });
      expectReadable(ours);
      expect(ours.sets.map((s) => [s.framework, s.dir, s.migrations.length])).toEqual([[kind, e.migrationsDir, 40]]);
      expect(byRule(ours, 'index-not-concurrent')).toHaveLength(e.indexesOnExistingTables);
      expect(byRule(ours, 'constraint-builds-index')).toHaveLength(e.uniqueConstraintsOnExistingTables);
      expect(byRule(ours, 'required-column-without-default')).toHaveLength(e.requiredColumnsWithoutDefault);
      expect(byRule(ours, 'cannot-run-in-transaction')).toEqual([]);
    });
  }
});

describe('git', () => {
  it('a repository with history and a checked-out feature branch whose one conflict check --base reports', async () => {
    const tree = await generateGit(fresh('git'), { size: 100 });
    const e = tree.expected;
    expect(e.featureFiles).toHaveLength(5);
    expect(e.mainSinceBranchPoint).toHaveLength(3);
    expect(e.commits.main).toBeGreaterThan(3);

    const git = (...args: string[]) => execFileSync('git', args, { cwd: tree.root, encoding: 'utf8' }).trim();
    expect(git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('feature');
    expect(git('status', '--porcelain')).toBe('');
    expect(git('rev-parse', 'main')).toBe(e.refs.main);
    expect(git('rev-list', '--count', 'main')).toBe(String(e.commits.main));
    expect(git('diff', '--name-only', `${e.refs.mergeBase}..feature`).split('\n').sort()).toEqual([...e.featureFiles].sort());

    const plain = await lint({ cwd: tree.root });
    expectReadable(plain);
    expect(migrationCount(plain)).toBe(e.featureMigrations);
    expect(byRule(plain, 'conflicting-leaves')).toEqual([]);

    const ours = await lint({ cwd: tree.root, base: 'main' });
    expect(byRule(ours, 'conflicting-leaves').map((f) => [f.file, f.data.app, [...(f.data.leaves as string[])].sort()])).toEqual([
      [`${e.conflict.app}/migrations/${e.conflict.branchLeaf}.py`, e.conflict.app, e.conflict.leaves],
    ]);
    expect(ours.findings.every((f) => e.featureFiles.includes(f.file))).toBe(true);
  });
});
