/**
 * Parsing in worker threads (src/discover/parallel.ts). The worker script is JavaScript, so the worker
 * path is tested through tsc's output (dist/, built by `npm test` before the tests run) and through the
 * command line; from the TypeScript sources `prefill` parses nothing itself and leaves it to the front ends.
 * Each result a worker computes must equal what this thread computes for the same job, and a run with
 * workers must print exactly what a run without them prints.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateAlembic } from '../../bench/generators/alembic.js';
import { generateDjango } from '../../bench/generators/django.js';
import { generateKnex } from '../../bench/generators/js.js';
import { generatePrisma } from '../../bench/generators/prisma.js';
import { MIN_JOBS, prefill as prefillHere, workerCount } from '../../src/discover/parallel.js';
import { loadParsers, runParseJob, type ParseJob } from '../../src/frameworks/parsers.js';
import { decodeSource } from '../../src/snapshot/content.js';
import { gitBlobId } from '../../src/snapshot/content.js';
import type { SourceFile } from '../../src/frameworks/types.js';
import { REPO } from '../helpers/python.js';

const BIN = path.join(REPO, 'bin/migrate-lint.js');
const scratch = mkdtempSync(path.join(tmpdir(), 'ml-parallel-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** tsc's output of the module under test: it finds its worker script beside it. */
const compiled = (): Promise<typeof import('../../src/discover/parallel.js')> => import(path.join(REPO, 'dist/src/discover/parallel.js'));

function source(root: string, file: string): SourceFile {
  const bytes = readFileSync(path.join(root, file));
  const d = decodeSource(bytes);
  const rel = file.split(path.sep).join('/');
  return d.ok ? { path: rel, contentId: gitBlobId(bytes), ok: true, text: d.text } : { path: rel, contentId: gitBlobId(bytes), ok: false, diagnostic: d.diagnostic };
}

function filesUnder(root: string, dir: string, ext: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(path.join(root, d)).flatMap((e) => {
      const rel = path.join(d, e);
      return statSync(path.join(root, rel)).isDirectory() ? walk(rel) : rel.endsWith(ext) && !e.startsWith('__init__') ? [rel] : [];
    });
  return walk(dir).sort();
}

/** Jobs of every parser from small generated trees: Django modules, Alembic revisions, Prisma SQL, Knex
 *  (generated once). */
let generated: Promise<ParseJob[]> | undefined;
function mixedJobs(): Promise<ParseJob[]> {
  return (generated ??= generateJobs());
}

async function generateJobs(): Promise<ParseJob[]> {
  const django = await generateDjango(path.join(scratch, 'django'), { size: 120 });
  const alembic = await generateAlembic(path.join(scratch, 'alembic'), { size: 60 });
  const prisma = await generatePrisma(path.join(scratch, 'prisma'), { size: 40 });
  const knex = await generateKnex(path.join(scratch, 'knex'), { size: 40 });
  const jobs: ParseJob[] = [];
  for (const f of filesUnder(django.root, '.', '.py').filter((f) => f.includes(`${path.sep}migrations${path.sep}`))) {
    const app = f.split(path.sep)[0]!;
    jobs.push({ key: `django:${f}`, parser: 'django', src: source(django.root, f), args: [{ app, setId: `django:${app}`, authUserModel: null }] });
  }
  for (const f of filesUnder(alembic.root, '.', '.py').filter((f) => f.includes('versions'))) {
    jobs.push({ key: `alembic:${f}`, parser: 'alembic', src: source(alembic.root, f), args: [{ setId: 'alembic:alembic', set: 'alembic' }] });
  }
  for (const f of filesUnder(prisma.root, '.', '.sql')) jobs.push({ key: `sql:${f}`, parser: 'sql', src: source(prisma.root, f), args: ['whole', true] });
  for (const f of filesUnder(knex.root, '.', '.js').filter((f) => !f.endsWith('knexfile.js'))) jobs.push({ key: `js:${f}`, parser: 'js', src: source(knex.root, f), args: ['knex'] });
  return jobs;
}

describe('prefill', () => {
  it('parses in workers what this thread would parse, result for result', { timeout: 120_000 }, async () => {
    const jobs = await mixedJobs();
    expect(jobs.length).toBeGreaterThanOrEqual(MIN_JOBS);
    expect(new Set(jobs.map((j) => j.parser))).toEqual(new Set(['django', 'alembic', 'sql', 'js']));
    const { prefill } = await compiled();
    const cache = new Map<string, unknown>();
    const stats = await prefill(jobs, cache, 1);
    expect(stats.workers).toBe(1);
    expect(stats.missing).toBe(jobs.length);
    expect(stats.inWorkers).toBeGreaterThan(0);
    expect(stats.inWorkers).toBeLessThanOrEqual(jobs.length);
    expect([...cache.keys()].sort()).toEqual(jobs.map((j) => j.key).sort());
    await loadParsers(['django', 'alembic', 'sql', 'js']);
    for (const job of jobs) expect(cache.get(job.key), job.key).toEqual(runParseJob(job));
  });

  it('leaves the parsing to the caller below MIN_JOBS files, with no workers, or from the sources', async () => {
    const jobs = (await mixedJobs()).slice(0, MIN_JOBS - 1);
    const { prefill } = await compiled();
    const cache = new Map<string, unknown>();
    expect(await prefill(jobs, cache, 2)).toEqual({ missing: jobs.length, inWorkers: 0, workers: 0 });
    expect(cache.size).toBe(0);
    const all = await mixedJobs();
    expect(await prefill(all, cache, 0)).toEqual({ missing: all.length, inWorkers: 0, workers: 0 });
    // From the TypeScript sources there is no worker script to start.
    expect(await prefillHere(all, cache, 2)).toEqual({ missing: all.length, inWorkers: 0, workers: 0 });
    expect(cache.size).toBe(0);
  });

  it('skips jobs already cached and keys given twice', async () => {
    const jobs = await mixedJobs();
    const { prefill } = await compiled();
    const cache = new Map<string, unknown>(jobs.slice(0, 50).map((j) => [j.key, 'cached']));
    const stats = await prefill([...jobs, ...jobs.slice(60, 70)], cache, 1);
    expect(stats.missing).toBe(jobs.length - 50);
    expect(jobs.slice(0, 50).every((j) => cache.get(j.key) === 'cached')).toBe(true);
    expect(cache.size).toBe(jobs.length);
  });
});

describe('workerCount', () => {
  it('reads MIGRATE_LINT_WORKERS, at most one fewer than the cores (at least 1); none when unset', () => {
    const cap = Math.max(1, availableParallelism() - 1);
    expect(workerCount({})).toBe(0);
    expect(workerCount({ MIGRATE_LINT_WORKERS: '0' })).toBe(0);
    expect(workerCount({ MIGRATE_LINT_WORKERS: ' 1 ' })).toBe(1);
    expect(workerCount({ MIGRATE_LINT_WORKERS: '64' })).toBe(cap);
    expect(workerCount({ MIGRATE_LINT_WORKERS: 'many' })).toBe(0);
  });
});

describe('the command line with and without workers', () => {
  it.each(['django', 'prisma', 'knex'] as const)('prints the same check of a %s tree', { timeout: 180_000 }, async (kind) => {
    const gen = { django: generateDjango, prisma: generatePrisma, knex: generateKnex }[kind];
    const tree = await gen(path.join(scratch, `cli-${kind}`), { size: MIN_JOBS + 40 });
    const run = (workers: string) => {
      const r = spawnSync(process.execPath, [BIN, 'check', '--no-cache', '--format', 'json', '.'], { cwd: tree.root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { PATH: process.env.PATH ?? '', MIGRATE_LINT_WORKERS: workers } });
      expect(r.error).toBeUndefined();
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const alone = run('0');
    const parallel = run('1');
    expect(JSON.parse(alone).findings.length).toBeGreaterThan(0);
    expect(parallel).toBe(alone);
  });
});
