/**
 * The Python interpreter of the project's venv, where .ci/run installs Django and Alembic. Tests that
 * compare with the real tools fail (not skip) when it is missing, saying how to create it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');

export function venvPython(): string {
  const py = process.env.MIGRATE_LINT_PYTHON ?? path.join(REPO, '.venv/bin/python');
  if (!existsSync(py)) {
    throw new Error(`no Python venv at ${py}: run 'python3 -m venv .venv && .venv/bin/pip install django alembic' (what .ci/run does)`);
  }
  return py;
}

export function runPython(script: string, args: string[]): string {
  return execFileSync(venvPython(), [script, ...args], { encoding: 'utf8', cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
}
