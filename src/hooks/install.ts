/**
 * `migrate-lint install-hook`: a git pre-commit hook that runs `migrate-lint check --staged`, for
 * repositories that do not use the pre-commit framework (which uses .pre-commit-hooks.yaml instead).
 *
 * Where: `git rev-parse --git-path hooks`, which is what git itself runs hooks from — it honours
 * `core.hooksPath` and answers the shared hooks directory in a linked worktree.
 *
 * What the hook calls: a hook runs at the top of the working tree with whatever PATH the committing program
 * has (GUI clients often have a short one), so the script looks for the CLI where a project installs it
 * rather than relying on npx: this package's own bin when it lies inside the repository (a devDependency,
 * also in a monorepo's sub-package), then `node_modules/.bin/migrate-lint` at the top, then `migrate-lint`
 * on PATH (a global install). Paths inside the repository are written relative to its top, so the hook
 * keeps working when the clone moves and can live in a committed `core.hooksPath` directory. When none is
 * found the hook fails and says how to install it (or to skip once with `git commit --no-verify`): a hook
 * that quietly passes would hide the conflicts it is there to catch.
 *
 * A hook file migrate-lint did not write (no marker line) is never overwritten.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GitError, IoError, UsageError } from '../errors.js';

export const HOOK_MARKER = '# installed by migrate-lint install-hook';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    return (await run('git', args, { cwd, encoding: 'utf8' })).stdout.trim();
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new GitError('git is not installed or not on PATH', 'install git; the hook is a git hook');
    const msg = (err.stderr ?? err.message).trim().split('\n')[0] ?? '';
    if (/not a git repository/i.test(msg)) throw new GitError(`not a git repository: ${cwd}`, 'run migrate-lint install-hook inside the repository whose commits it should check');
    throw new GitError(`git ${args.join(' ')} failed: ${msg}`);
  }
}

/** This package's bin: the nearest directory above this module (src/hooks/, dist/src/hooks/ or the bundle
 *  in dist/) that holds bin/migrate-lint.js. */
function packageBin(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const bin = path.join(dir, 'bin/migrate-lint.js');
    if (existsSync(bin)) return bin;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/migrate-lint.js');
    dir = up;
  }
}

/** A POSIX shell word. */
function sh(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The hook script; `bin` is this package's bin relative to the repository top, when it lies inside it. */
export function hookScript(bin: string | null): string {
  const lines = [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Checks the staged migrations before each commit: conflicts, unsafe locks, irreversible steps.',
    '# Skip it once with `git commit --no-verify`; remove this file to uninstall.',
    '# Git runs hooks at the top of the working tree, so the relative paths below start there.',
  ];
  if (bin !== null) {
    lines.push(`if [ -f ${sh(bin)} ]; then`, `  exec node ${sh(bin)} check --staged`, 'fi');
  }
  lines.push(
    'if [ -x node_modules/.bin/migrate-lint ]; then',
    '  exec node_modules/.bin/migrate-lint check --staged',
    'fi',
    'if command -v migrate-lint >/dev/null 2>&1; then',
    '  exec migrate-lint check --staged',
    'fi',
    "echo 'migrate-lint: not found (this pre-commit hook runs it): run npm install, or npm install --save-dev migrate-lint; git commit --no-verify skips the hook once' >&2",
    'exit 1',
    '',
  );
  return lines.join('\n');
}

/**
 * Writes the pre-commit hook of the repository `cwd` is in. Idempotent; throws `UsageError` when a hook
 * migrate-lint did not write is in the way.
 */
export async function installHook(cwd: string): Promise<{ path: string; message: string }> {
  const top = await git(cwd, ['rev-parse', '--show-toplevel']);
  if (!top) throw new GitError(`not inside a git working tree: ${cwd}`, 'run it inside a checkout, not in .git or a bare repository');
  // Relative answers are relative to the directory git ran in.
  const hooksDir = path.resolve(top, await git(top, ['rev-parse', '--git-path', 'hooks']));
  const hookPath = path.join(hooksDir, 'pre-commit');
  const shown = path.relative(top, hookPath).startsWith('..') ? hookPath : path.relative(top, hookPath);

  let existing: string | null = null;
  try {
    existing = readFileSync(hookPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new IoError(`cannot read ${shown}: ${(e as Error).message}`);
  }
  if (existing !== null && !existing.split('\n').includes(HOOK_MARKER)) {
    throw new UsageError(
      `${shown} already exists and was not written by migrate-lint; leaving it alone`,
      'add the line `migrate-lint check --staged` to that hook yourself, or move it away and run install-hook again (with the pre-commit framework, use the migrate-lint hook from .pre-commit-hooks.yaml instead)',
    );
  }

  const bin = packageBin();
  const rel = path.relative(top, bin);
  const script = hookScript(rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep).join('/'));
  if (existing === script) {
    return { path: hookPath, message: `${shown} is already installed: each commit runs migrate-lint check --staged` };
  }
  // Written beside the hook and renamed over it, so a commit running meanwhile sees the old or the new
  // hook, never half of one.
  const tmp = path.join(hooksDir, `.pre-commit.migrate-lint-${process.pid}.tmp`);
  try {
    mkdirSync(hooksDir, { recursive: true });
    writeFileSync(tmp, script, { mode: 0o755 });
    chmodSync(tmp, 0o755); // the umask may have taken bits away
    renameSync(tmp, hookPath);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new IoError(`cannot write ${shown}: ${(e as Error).message}`);
  }
  return {
    path: hookPath,
    message: `${existing === null ? 'installed' : 'updated'} ${shown}: each commit now runs migrate-lint check --staged (git commit --no-verify skips it)`,
  };
}
