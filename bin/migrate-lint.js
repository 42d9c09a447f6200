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

process.exitCode = await run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
