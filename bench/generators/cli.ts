/**
 * `node dist/bench/generators/cli.js <kind> <dir> [--size N] [--seed S]`: writes one generated tree into
 * `dir` (empty or new) and prints its description (`GeneratedTree`) as JSON on standard output.
 */
import { GENERATORS, isKind } from './index.js';

async function main(argv: string[]): Promise<number> {
  const positional: string[] = [];
  const opts: { size?: number; seed?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--size' || a === '--seed') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v)) return usage(`${a} needs an integer`);
      opts[a === '--size' ? 'size' : 'seed'] = v;
    } else if (a.startsWith('-')) {
      return usage(`unknown option ${a}`);
    } else positional.push(a);
  }
  const [kind, dir] = positional;
  if (!kind || !dir || positional.length > 2) return usage('expected <kind> <dir>');
  if (!isKind(kind)) return usage(`unknown kind ${kind}`);
  const t0 = process.hrtime.bigint();
  const tree = await GENERATORS[kind](dir, opts);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`${JSON.stringify({ ...tree, generatedInMs: Math.round(ms) }, null, 2)}\n`);
  return 0;
}

function usage(problem: string): number {
  process.stderr.write(`${problem}\nusage: node dist/bench/generators/cli.js <${Object.keys(GENERATORS).join('|')}> <dir> [--size N] [--seed S]\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
