/**
 * Parsing in worker threads. A cold check spends most of its time in the front ends' per-file parsing
 * (Lezer, the TypeScript compiler, libpg-query; BENCHMARKS.md), one file at a time on one core. When a
 * front end has enough files to parse (`MIN_JOBS`), `prefill` hands batches of them to workers running
 * the same pure parse functions (src/frameworks/parsers.ts) while this thread parses batches of its own;
 * every result lands in the parse cache under the key the front end would have used, so the front end's
 * own loop then finds them there. Results are structured clones, as the persistent cache's are: equal to
 * what this thread would have computed (test/discover/parallel.test.ts).
 *
 * `MIGRATE_LINT_WORKERS=<n>` starts n workers; there are none by default. On the 2-vCPU machine the
 * benchmarks run on, one worker changed a cold check by -15% (Prisma) to +15% (Knex, whose worker loads the
 * TypeScript compiler again): two threads parsing at once each ran at about 70% of one alone there
 * (BENCHMARKS.md), so the default stays off until a machine shows a gain. Without the compiled worker
 * script (running from the TypeScript sources, as the tests do) everything is parsed in this thread, as
 * it is for small trees.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadParsers, runParseJob, type ParseJob } from '../frameworks/parsers.js';

/** Below this many files to parse, starting a worker (~0.1 s) costs more than it saves. */
export const MIN_JOBS = 200;
/** Files per message: large enough that messaging is cheap, small enough to even out the threads. */
const BATCH = 24;

/** `MIGRATE_LINT_WORKERS`, at most one fewer than the machine's cores; 0 when unset or not a number. */
export function workerCount(env: Record<string, string | undefined> = process.env): number {
  const v = env.MIGRATE_LINT_WORKERS?.trim();
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  return Math.min(Number(v), Math.max(1, os.availableParallelism() - 1));
}

/** The worker script beside this module: tsc's output (dist/src/discover/parse-worker.js) or the bundle's
 *  (dist/parse-worker.cjs, this module being in dist/chunks/). */
function workerScript(): URL | null {
  for (const rel of ['./parse-worker.js', '../parse-worker.cjs', './parse-worker.cjs']) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

export interface PrefillStats {
  /** Jobs whose key the cache lacked. */
  missing: number;
  /** Of those, how many workers parsed. */
  inWorkers: number;
  workers: number;
}

/** Fills `cache` for every job whose key it lacks, in workers when there are at least `MIN_JOBS` of them
 *  (else leaves them to the caller). Never fails because of a worker: what a worker could not do is done
 *  here. */
export async function prefill(jobs: readonly ParseJob[], cache: Map<string, unknown>, workers = workerCount()): Promise<PrefillStats> {
  const keys = new Set<string>();
  const todo = jobs.filter((j) => !keys.has(j.key) && keys.add(j.key) && cache.get(j.key) === undefined);
  const script = workers > 0 && todo.length >= MIN_JOBS ? workerScript() : null;
  if (!script) return { missing: todo.length, inWorkers: 0, workers: 0 };
  await loadParsers(new Set(todo.map((j) => j.parser)));
  const queue: ParseJob[][] = [];
  for (let i = 0; i < todo.length; i += BATCH) queue.push(todo.slice(i, i + BATCH));
  const local = (batch: readonly ParseJob[]) => {
    for (const job of batch) cache.set(job.key, runParseJob(job));
  };
  let inWorkers = 0;
  const pool = Array.from({ length: Math.min(workers, Math.ceil(queue.length / 2)) }, () => new Worker(script));
  const finished = pool.map(
    (worker) =>
      new Promise<void>((resolve) => {
        // Batches sent and not yet answered, oldest first (a worker answers in order). Two are kept in
        // flight so that a worker never waits for this thread to finish its own batch before it gets more.
        const sent: ParseJob[][] = [];
        const send = () => {
          const batch = queue.shift();
          if (!batch) return;
          sent.push(batch);
          worker.postMessage(batch.map(({ parser, src, args }) => ({ parser, src, args })));
        };
        worker.on('message', (results: unknown[] | null) => {
          const batch = sent.shift()!;
          if (results) {
            batch.forEach((job, i) => cache.set(job.key, results[i]));
            inWorkers += batch.length;
          } else {
            local(batch);
          }
          send();
          if (sent.length === 0) resolve();
        });
        // A worker that fails (cannot start, runs out of memory) hands its batches back and stops.
        worker.on('error', () => {
          for (const batch of sent.splice(0)) local(batch);
          resolve();
        });
        send();
        send();
        if (sent.length === 0) resolve();
      }),
  );
  // This thread takes batches too, yielding between them so that the workers' results are taken in and
  // they are given more.
  while (queue.length > 0) {
    local(queue.shift()!);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all(finished);
  await Promise.all(pool.map((w) => w.terminate()));
  return { missing: todo.length, inWorkers, workers: pool.length };
}
