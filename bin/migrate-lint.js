#!/usr/bin/env node
// The only place that sets the process exit code (src/cli/main.ts returns it).
// `npm run build` bundles the command line into dist/migrate-lint.mjs (scripts/bundle.ts: one module
// loads in a fraction of the time of the ~150 it is made of); a bundle older than tsc's output (after a
// bare `tsc`) is stale and is not used.
import { statSync } from 'node:fs';

const mtime = (rel) => {
  try {
    return statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const bundled = mtime('../dist/migrate-lint.mjs') >= mtime('../dist/src/cli/main.js');
const { run } = await import(bundled ? '../dist/migrate-lint.mjs' : '../dist/src/cli/main.js');

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
