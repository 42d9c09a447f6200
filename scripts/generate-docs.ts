/**
 * Writes docs/rules/<id>.md and docs/rules/README.md from the rules' metadata. `--check` writes nothing
 * and fails when a committed page is stale (ruff's generate_all Check mode).
 */
import { readFileSync, writeFileSync, existsSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../rules/index.js';
import { renderRuleDoc, renderRuleIndex } from '../src/engine/docs.js';

export function expectedDocs(): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of allRules) out.set(`${r.id}.md`, renderRuleDoc(r));
  out.set('README.md', renderRuleIndex(allRules));
  return out;
}

function main(): void {
  const dir = path.resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'docs/rules');
  const check = process.argv.includes('--check');
  const expected = expectedDocs();
  const stale: string[] = [];
  for (const [name, text] of expected) {
    const file = path.join(dir, name);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
    if (current === text) continue;
    stale.push(name);
    if (!check) writeFileSync(file, text);
  }
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (name.endsWith('.md') && !expected.has(name)) {
      stale.push(name);
      if (!check) unlinkSync(path.join(dir, name));
    }
  }
  if (check && stale.length) {
    process.stderr.write(`stale rule docs: ${stale.join(', ')}; run 'npm run docs'\n`);
    process.exitCode = 1;
  } else if (!check) {
    process.stdout.write(stale.length ? `wrote ${stale.join(', ')}\n` : 'rule docs up to date\n');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
