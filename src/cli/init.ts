/**
 * `migrate-lint init`: a starter configuration (listing the sets detection found, commented, so the user
 * sees what will be checked), the GitHub workflow and a pre-commit entry. A file that exists is never
 * touched: init says so and, for `.pre-commit-config.yaml`, prints the lines to add.
 */
import { constants, existsSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILES, PACKAGE_KEY } from '../config/load.js';
import { KEY_DOCS } from '../config/schema.js';
import { IoError } from '../errors.js';
import { WORKFLOW_YAML } from '../github/workflow.js';
import type { MigrationSet } from '../model/types.js';
import { DEFAULT_PG_VERSION } from '../postgres/version.js';
import { VERSION } from '../version.js';

export const CONFIG_FILE = 'migrate-lint.config.yaml';
export const WORKFLOW_FILE = '.github/workflows/migrate-lint.yml';
export const PRE_COMMIT_FILE = '.pre-commit-config.yaml';

export const PRE_COMMIT_ENTRY = `  - repo: https://github.com/migrate-lint/migrate-lint
    rev: v${VERSION}
    hooks:
      - id: migrate-lint
`;

export function starterConfig(sets: readonly MigrationSet[]): string {
  const comment = (key: string) => `# ${key}: ${KEY_DOCS[key]}`;
  const lines = ['# migrate-lint configuration (docs/configuration.md). The nearest configuration to a migration set wins.', ''];
  lines.push(comment('sets'));
  if (sets.length > 0) {
    lines.push('# Found by detection; uncomment to name them yourself (then only these are checked here):', '# sets:');
    for (const s of sets) lines.push(`#   - framework: ${s.framework}`, `#     path: ${s.dir}`);
  } else {
    lines.push('# No migrations were found by detection; name them:', '# sets:', '#   - framework: django', '#     path: app/migrations');
  }
  lines.push('', comment('pgVersion'), `pgVersion: ${DEFAULT_PG_VERSION}`, '');
  lines.push(comment('rules'), '# rules:', '#   require-lock-timeout: [warning, { maxLockTimeout: 5s }]', '#   drop-column: "off"', 'rules: {}', '');
  lines.push(comment('ignore'), '# ignore:', '#   - "legacy/**"', '');
  lines.push(comment('baseline'), '# baseline: origin/main', '');
  return lines.join('\n');
}

export interface InitOutcome {
  created: string[];
  skipped: { path: string; why: string }[];
  /** Lines the user should add by hand (to an existing pre-commit config). */
  advice: string[];
}

/** Writes the three files under `root` (the repository root), never over an existing file. */
export async function init(root: string, sets: readonly MigrationSet[]): Promise<InitOutcome> {
  const out: InitOutcome = { created: [], skipped: [], advice: [] };
  const existing = await rootConfig(root);
  if (existing) out.skipped.push({ path: existing, why: 'a configuration exists' });
  else await create(root, CONFIG_FILE, starterConfig(sets), out);
  await create(root, WORKFLOW_FILE, WORKFLOW_YAML, out);
  const wrote = await create(root, PRE_COMMIT_FILE, `repos:\n${PRE_COMMIT_ENTRY}`, out);
  if (!wrote) out.advice.push(`add to ${PRE_COMMIT_FILE} under repos:`, PRE_COMMIT_ENTRY.trimEnd());
  return out;
}

/** Creates a file with O_EXCL: a file that appears between the check and the write is not overwritten. */
async function create(root: string, rel: string, text: string, out: InitOutcome): Promise<boolean> {
  const abs = path.join(root, rel);
  try {
    await mkdir(path.dirname(abs), { recursive: true });
    const handle = await open(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    out.created.push(rel);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      out.skipped.push({ path: rel, why: 'it exists' });
      return false;
    }
    throw new IoError(`cannot write ${rel}: ${code ?? String(e)}`);
  }
}

/** A configuration at the root already: one of the file names, or the package.json key. */
async function rootConfig(root: string): Promise<string | null> {
  for (const name of CONFIG_FILES) if (existsSync(path.join(root, name))) return name;
  try {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as unknown;
    if (pkg !== null && typeof pkg === 'object' && PACKAGE_KEY in pkg) return `package.json ("${PACKAGE_KEY}" key)`;
  } catch {
    // No package.json, or not one init can read: there is no configuration in it either way.
  }
  return null;
}
