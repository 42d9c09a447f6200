/**
 * Bundles the compiled command line (dist/src/cli/main.js and everything it imports, our dependencies
 * included) into dist/migrate-lint.cjs, which bin/migrate-lint.js runs, and the chunks it imports
 * dynamically (dist/chunks/: discovery and the front ends, which a cached check never loads). Node 20 spends
 * about 2 ms per ES module it loads; the ~150 modules of the unbundled tree cost a quarter of a second
 * on every run, more than a cached check of 5,000 migrations (BENCHMARKS.md). The bundle is CommonJS: Node
 * 20 loads a script faster than an ES module of the same code (about 40 ms less for this one), and
 * bin/migrate-lint.js can compile a script with V8's code cache, which Node 20 offers no ES module.
 * `npm run build` runs this after tsc. Left outside the bundle: the packages loaded lazily and only when needed (TypeScript's 9 MB
 * compiler, libpg-query's WASM, which it finds beside its own files, and ajv), and Node's built-ins.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BUNDLE = path.join(root, 'dist/migrate-lint.cjs');

// Without the bundler (its native binding is per platform), bin/migrate-lint.js runs tsc's output instead.
let build: typeof import('rolldown').build;
try {
  ({ build } = await import('rolldown'));
} catch (e) {
  console.warn(`not bundled (rolldown unavailable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}); bin/migrate-lint.js runs dist/src/cli/main.js`);
  process.exit(0);
}
const CHUNKS = path.join(root, 'dist/chunks');
// The files of this build and of the ES-module builds before it.
for (const f of [BUNDLE, 'dist/migrate-lint.mjs', 'dist/migrate-lint.mjs.map', 'dist/migrate-lint.cjs.map', 'dist/parse-worker.mjs', 'dist/parse-worker.mjs.map', 'dist/parse-worker.cjs', 'dist/parse-worker.cjs.map']) {
  rmSync(path.resolve(root, f), { force: true });
}
rmSync(CHUNKS, { recursive: true, force: true });
await build({
  // The parse worker (src/discover/parallel.ts) is an entry of its own, dist/parse-worker.cjs, sharing the
  // front ends' chunk with the command line.
  input: { [path.basename(BUNDLE, '.cjs')]: path.join(root, 'dist/src/cli/main.js'), 'parse-worker': path.join(root, 'dist/src/discover/parse-worker.js') },
  platform: 'node',
  external: [/^node:/, /^typescript$/, /^libpg-query(\/|$)/, /^ajv(\/|$)/],
  // What is imported dynamically goes to chunks of its own: the front ends and their parsers
  // (src/api.ts `frontEnds`), which a check answered from the cache never loads. Source maps beside them
  // (`node --enable-source-maps`; the benchmark's profiles name the modules of the bundle through them).
  output: { dir: path.dirname(BUNDLE), entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', format: 'cjs', sourcemap: true },
  logLevel: 'warn',
});
const chunks = readdirSync(CHUNKS, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.cjs'));
const kib = (p: string) => (statSync(p).size / 1024).toFixed(0);
console.log(`bundled ${path.relative(root, BUNDLE)} (${kib(BUNDLE)} KiB) and ${chunks.length} chunk(s) in ${path.relative(root, CHUNKS)} (${chunks.map((c) => `${kib(path.join(CHUNKS, c.name))} KiB`).join(', ')})`);
