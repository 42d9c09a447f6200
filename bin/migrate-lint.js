#!/usr/bin/env node
// The only place that sets the process exit code (src/cli/main.ts returns it).
// `npm run build` bundles the command line into dist/migrate-lint.cjs (scripts/bundle.ts: one script and
// a few chunks load in a fraction of the time of the ~150 modules they are made of); a bundle older than
// tsc's output (after a bare `tsc`) is stale and is not used.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const stat = (rel) => {
  try {
    return statSync(fileURLToPath(new URL(rel, import.meta.url)));
  } catch {
    return null;
  }
};
/** What `loadBundle` leaves to do once the run is over: store the code V8 compiled for the bundle. */
let saveCodeCache = null;
const bundle = stat('../dist/migrate-lint.cjs');
const compiled = stat('../dist/src/cli/main.js');
const { run } = bundle && bundle.mtimeMs >= (compiled?.mtimeMs ?? -1) ? loadBundle(bundle) : await import('../dist/src/cli/main.js');

// A reader that goes away (`migrate-lint check | head`) is no error of the run's: the rest of the output is
// dropped, and the run ends as it would have (the cache written, its exit code set).
const gone = new Set();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    gone.add(stream);
  });
}
const write = (stream) => (s) => gone.has(stream) || stream.write(s);

process.exitCode = await run(process.argv.slice(2), {
  stdout: write(process.stdout),
  stderr: write(process.stderr),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
saveCodeCache?.();

/**
 * Runs the bundle as Node runs a CommonJS module, compiled with V8's code cache: Node 20 keeps none between
 * processes, and compiling the 0.7 MB bundle, then the functions a run calls, was a third of a check
 * answered from the cache (BENCHMARKS.md). The cache is kept beside the parse cache (`--cache-dir`,
 * `$MIGRATE_LINT_CACHE_DIR`, `$XDG_CACHE_HOME/migrate-lint`, `~/.cache/migrate-lint`; none with
 * `--no-cache`), under a name made of the bundle's path, size and time and Node's version; V8 rejects a
 * cache made for other code or another V8, and a new one is written after the run (functions compiled by
 * then included). Writing one removes the code caches no build has written for 30 days. Any failure to
 * read or write it only costs time.
 */
function loadBundle(st) {
  const file = fileURLToPath(new URL('../dist/migrate-lint.cjs', import.meta.url));
  const source = readFileSync(file, 'utf8');
  const cacheFile = codeCacheFile(file, st);
  let cachedData;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The wrapper Node's own CommonJS loader puts around a module.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  // Made after a run that does some work, so that the functions a check calls are in it, not only those of
  // `--version`.
  const args = process.argv.slice(2);
  const working = args.length > 0 && !args.some((a) => ['--version', '-V', '--help', '-h', 'help'].includes(a));
  if (cacheFile && working && (cachedData === undefined || script.cachedDataRejected)) {
    saveCodeCache = () => {
      try {
        mkdirSync(path.dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
        removeStale(path.dirname(cacheFile));
      } catch {
        // A read-only cache directory: the next run compiles again.
      }
    };
  }
  return module.exports;
}

function removeStale(dir) {
  const monthAgo = Date.now() - 30 * 24 * 3600 * 1000;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.code.bin')) continue;
    try {
      if (statSync(path.join(dir, name)).mtimeMs < monthAgo) unlinkSync(path.join(dir, name));
    } catch {
      // removed by another run
    }
  }
}

function codeCacheFile(file, st) {
  const args = process.argv.slice(2);
  if (args.includes('--no-cache')) return null;
  const at = args.findIndex((a) => a === '--cache-dir' || a.startsWith('--cache-dir='));
  const given = at < 0 ? undefined : args[at].startsWith('--cache-dir=') ? args[at].slice('--cache-dir='.length) : args[at + 1];
  const env = process.env;
  const home = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  const dir = given ? path.resolve(given) : env.MIGRATE_LINT_CACHE_DIR ? path.resolve(env.MIGRATE_LINT_CACHE_DIR) : path.join(home, 'migrate-lint');
  const key = createHash('sha1').update(`${file}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 16);
  return path.join(dir, `${key}.code.bin`);
}
