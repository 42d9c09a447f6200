#!/usr/bin/env node
// The only place that sets the process exit code (src/cli/main.ts returns it).
import { run } from '../dist/src/cli/main.js';

process.exitCode = await run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
