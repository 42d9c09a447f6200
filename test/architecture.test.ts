/**
 * Imports point backwards along the flow (DESIGN.md "The flow", STYLE.md "Naming, layout"):
 * snapshot → discover → frameworks → model → engine + rules → report | fix, with the model at the
 * centre. Read with the TypeScript compiler's own import scanner.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/python.js';

/** For each layer, the layers it may import from (itself always allowed). */
const ALLOWED: Record<string, string[]> = {
  'src/model': [],
  'src/errors': [],
  'src/version': [],
  'src/lang': ['src/model', 'src/errors'],
  'src/postgres': ['src/model'],
  'src/snapshot': ['src/model', 'src/errors'],
  'src/frameworks': ['src/model', 'src/lang', 'src/snapshot', 'src/errors'],
  'src/discover': ['src/model', 'src/frameworks', 'src/snapshot', 'src/errors'],
  'src/engine': ['src/model', 'src/postgres', 'src/errors'],
  rules: ['src/engine', 'src/model', 'src/postgres'],
  'src/report': ['src/model', 'src/errors'],
  'src/fix': ['src/model', 'src/snapshot', 'src/errors'],
  // Configuration files: found and validated before discovery; the rules' metadata comes in as data.
  'src/config': ['src/model', 'src/postgres', 'src/errors'],
  // The GitHub pull-request comment and the git hook: beside the CLI, never inside the pipeline.
  'src/github': ['src/report', 'src/errors', 'src/version'],
  'src/hooks': ['src/errors', 'src/version'],
  'src/api': ['src/model', 'src/snapshot', 'src/discover', 'src/frameworks', 'src/engine', 'src/postgres', 'src/config', 'src/errors', 'rules'],
  'src/cli': ['src/api', 'src/model', 'src/engine', 'src/postgres', 'src/config', 'src/report', 'src/fix', 'src/github', 'src/hooks', 'src/errors', 'src/version', 'rules'],
  'src/index': ['src/api', 'src/model', 'src/snapshot', 'src/cli', 'rules'],
};

function layerOf(file: string): string | null {
  const rel = path.relative(REPO, file).split(path.sep).join('/').replace(/\.ts$/, '');
  const parts = rel.split('/');
  if (parts[0] === 'rules') return 'rules';
  if (parts[0] !== 'src') return null;
  return `src/${parts[1]}`;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  const files = [...tsFiles(path.join(REPO, 'src')), ...tsFiles(path.join(REPO, 'rules'))];

  it('every module belongs to a known layer', () => {
    expect(files.map(layerOf).filter((l) => l === null || !(l in ALLOWED))).toEqual([]);
  });

  it('imports only point backwards', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file)!;
      for (const imp of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        if (!imp.fileName.startsWith('.')) continue;
        const to = layerOf(path.resolve(path.dirname(file), imp.fileName.replace(/\.js$/, '.ts')));
        if (!to || to === from) continue;
        if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${path.relative(REPO, file)} imports ${imp.fileName} (${from} → ${to})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
