/**
 * `npm run bench`: every generated tree at the size, measured against Django's loader, squawk and
 * the byte-reading floor; writes BENCHMARKS.md and prints it. Never run by the tests (the smoke test runs
 * the same code on tiny trees: test/bench/runner.test.ts).
 *
 * While working on one figure: `npm run bench -- --kinds django,git --runs 1 --out /tmp/b.md`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from './compare/index.js';
import { TREES, runBench } from './runner/bench.js';
import type { Kind } from './generators/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, kinds: { type: 'string' }, out: { type: 'string', default: path.join(REPO, 'BENCHMARKS.md') } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const kinds = values.kinds?.split(',') as Kind[] | undefined;
const unknown = kinds?.filter((k) => !TREES.some((t) => t.kind === k));
if (unknown?.length) throw new Error(`unknown tree ${unknown.join(', ')}; trees: ${TREES.map((t) => t.kind).join(', ')}`);

await runBench({ size: 'full', runs, out: values.out, ...(kinds ? { kinds } : {}), log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(readFileSync(values.out, 'utf8'));
