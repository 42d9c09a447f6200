/**
 * Applies the fixes findings carry (DESIGN.md "fix"). Three kinds of edit:
 * - `create`: written to a temporary file in its own directory and linked into place, so a crash leaves
 *   either nothing or the whole file, and a file that exists is never overwritten (`link` fails on an
 *   existing name, atomically);
 * - `rename`: `git mv` for what git tracks (the index follows), else a no-clobber rename; an existing
 *   destination is never replaced;
 * - `replace`: the file is rewritten through a temporary file renamed over it, only if it still holds
 *   what it held when the plan was made.
 * A fix already in place is skipped (a created file with the same content; a rename whose source is gone
 * and whose destination exists), so a second `--fix` changes nothing. Before anything is written, safety.ts
 * checks the plan against the target branch and the work tree.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { link, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IoError } from '../errors.js';
import type { FileEdit, Finding } from '../model/types.js';
import type { GitRepo } from '../snapshot/git.js';

/** One planned change: a file to create, a path to rename, or a file's new content. */
export type PlannedEdit =
  | { kind: 'create'; path: string; content: string }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'replace'; path: string; before: string; after: string };

export interface FixPlan {
  /** Edits to make, in order, without duplicates (two findings may ask for the same edit). */
  edits: PlannedEdit[];
  /** Edits already in place. */
  done: FileEdit[];
}

/** What applying the findings' fixes to the tree at `root` would do. Refuses edits that conflict. */
export function planFixes(root: string, findings: readonly Finding[]): FixPlan {
  const plan: FixPlan = { edits: [], done: [] };
  const view = new PlannedTree(root);
  const seen = new Set<string>();
  const replaces = new Map<string, Extract<FileEdit, { kind: 'replace' }>[]>();
  for (const f of findings) {
    for (const edit of f.fix?.edits ?? []) {
      const key = JSON.stringify(edit);
      if (seen.has(key)) continue;
      seen.add(key);
      switch (edit.kind) {
        case 'create': {
          resolveInside(root, edit.path);
          const content = view.content(edit.path);
          if (content === edit.content) {
            plan.done.push(edit);
            continue;
          }
          if (view.planned(edit.path)) throw new IoError(`two fixes write different contents to ${edit.path}`, 'apply them one at a time');
          if (content !== null || view.exists(edit.path)) {
            throw new IoError(`${edit.path} already exists; a fix never overwrites a file`, 'move it away, or write the migration by hand');
          }
          view.create(edit.path, edit.content);
          plan.edits.push({ kind: 'create', path: edit.path, content: edit.content });
          break;
        }
        case 'rename': {
          resolveInside(root, edit.from);
          resolveInside(root, edit.to);
          const from = view.exists(edit.from);
          const to = view.exists(edit.to);
          if (!from && to) {
            plan.done.push(edit);
            continue;
          }
          if (!from) throw new IoError(`${edit.from} does not exist; it cannot be renamed`, 'run the check again: the tree changed since');
          if (to) throw new IoError(`${edit.to} already exists; a fix never overwrites a file`, `rename ${edit.from} by hand`);
          view.rename(edit.from, edit.to);
          plan.edits.push({ kind: 'rename', from: edit.from, to: edit.to });
          break;
        }
        case 'replace':
          resolveInside(root, edit.path);
          replaces.set(edit.path, [...(replaces.get(edit.path) ?? []), edit]);
          break;
      }
    }
  }
  // Text replacements go first, on the files as the findings read them (before any rename moves them).
  const rewrites: PlannedEdit[] = [];
  for (const [file, edits] of replaces) {
    const abs = resolveInside(root, file);
    const before = existsSync(abs) && !lstatSync(abs).isDirectory() ? readFileSync(abs, 'utf8') : null;
    if (before === null) throw new IoError(`${file} does not exist; it cannot be edited`, 'run the check again: the tree changed since');
    rewrites.push({ kind: 'replace', path: file, before, after: applyReplacements(file, before, edits) });
  }
  plan.edits.unshift(...rewrites);
  return plan;
}

/** Applies non-overlapping replacements to a text, last first so earlier offsets stay valid. */
function applyReplacements(file: string, text: string, edits: readonly Extract<FileEdit, { kind: 'replace' }>[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  let limit = text.length;
  for (const e of sorted) {
    if (e.offset < 0 || e.endOffset < e.offset || e.endOffset > limit) throw new IoError(`two fixes edit overlapping parts of ${file}, or one points past its end`, 'apply them one at a time');
    out = out.slice(0, e.offset) + e.text + out.slice(e.endOffset);
    limit = e.offset;
  }
  return out;
}

/** Makes the planned edits; `repo` (when the tree is a git work tree) moves tracked files with `git mv`. */
export async function applyFixes(root: string, plan: FixPlan, repo?: GitRepo | null): Promise<void> {
  for (const edit of plan.edits) {
    switch (edit.kind) {
      case 'create':
        await createFile(root, edit.path, edit.content);
        break;
      case 'rename':
        await renamePath(root, edit.from, edit.to, repo ?? null);
        break;
      case 'replace':
        await replaceFile(root, edit.path, edit.before, edit.after);
        break;
    }
  }
}

async function createFile(root: string, rel: string, content: string): Promise<void> {
  const abs = resolveInside(root, rel);
  await mkdir(path.dirname(abs), { recursive: true });
  const tmp = tempName(abs);
  await writeFile(tmp, content, { flag: 'wx' });
  try {
    await link(tmp, abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IoError(code === 'EEXIST' ? `${rel} appeared while fixing; not overwritten` : `cannot write ${rel}: ${code ?? String(e)}`);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function renamePath(root: string, from: string, to: string, repo: GitRepo | null): Promise<void> {
  const absFrom = resolveInside(root, from);
  const absTo = resolveInside(root, to);
  if (existsSync(absTo)) throw new IoError(`${to} appeared while fixing; not overwritten`);
  await mkdir(path.dirname(absTo), { recursive: true });
  if (repo && (await repo.tracked(from))) {
    await repo.mv(from, to);
    return;
  }
  if (lstatSync(absFrom).isDirectory()) {
    // rename(2) would replace an empty directory at `to`; it was checked absent just above.
    await rename(absFrom, absTo);
    return;
  }
  // link + unlink: the link fails if `to` exists, so nothing is ever replaced.
  try {
    await link(absFrom, absTo);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IoError(code === 'EEXIST' ? `${to} appeared while fixing; not overwritten` : `cannot rename ${from}: ${code ?? String(e)}`);
  }
  await unlink(absFrom);
}

async function replaceFile(root: string, rel: string, before: string, after: string): Promise<void> {
  const abs = resolveInside(root, rel);
  if (readFileSync(abs, 'utf8') !== before) throw new IoError(`${rel} changed while fixing; not edited`);
  const tmp = tempName(abs);
  await writeFile(tmp, after, { flag: 'wx' });
  try {
    await rename(tmp, abs);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new IoError(`cannot write ${rel}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function tempName(abs: string): string {
  return path.join(path.dirname(abs), `.${path.basename(abs)}.${randomBytes(6).toString('hex')}.migrate-lint.tmp`);
}

/** The planned edits as a unified diff (`--fix-dry-run`), with git's rename headers for renames. */
export function renderDiff(plan: FixPlan): string {
  return plan.edits
    .map((edit) => {
      switch (edit.kind) {
        case 'create': {
          const lines = splitLines(edit.content);
          return [`diff --git a/${edit.path} b/${edit.path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${edit.path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`), ...noNewline(edit.content)].join('\n') + '\n';
        }
        case 'rename':
          return [`diff --git a/${edit.from} b/${edit.to}`, 'similarity index 100%', `rename from ${edit.from}`, `rename to ${edit.to}`].join('\n') + '\n';
        case 'replace': {
          const a = splitLines(edit.before);
          const b = splitLines(edit.after);
          // One hunk over the whole file: exact, and fixes of this kind touch small migration files.
          return [`diff --git a/${edit.path} b/${edit.path}`, `--- a/${edit.path}`, `+++ b/${edit.path}`, `@@ -1,${a.length} +1,${b.length} @@`, ...a.map((l) => `-${l}`), ...noNewline(edit.before), ...b.map((l) => `+${l}`), ...noNewline(edit.after)].join('\n') + '\n';
        }
      }
    })
    .join('');
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

function noNewline(text: string): string[] {
  return text === '' || text.endsWith('\n') ? [] : ['\\ No newline at end of file'];
}

/** Every path a plan writes, reads or moves (for the safety checks): renames name both ends. */
export function touchedPaths(plan: FixPlan): string[] {
  return [...new Set(plan.edits.flatMap((e) => (e.kind === 'rename' ? [e.from, e.to] : [e.path])))];
}

/** A repository-relative path that stays inside the repository. */
function resolveInside(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const back = path.relative(root, abs);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) throw new IoError(`a fix names a path outside the repository: ${rel}`);
  return abs;
}

/** The tree as it will be after the edits planned so far: the file system plus creates and renames. */
class PlannedTree {
  private created = new Map<string, string>();
  /** Paths moved away (and not back), and where moved paths now are. */
  private gone = new Set<string>();
  private moved = new Map<string, string>();

  constructor(private readonly root: string) {}

  exists(rel: string): boolean {
    if (this.created.has(rel) || this.moved.has(rel)) return true;
    if (this.isGone(rel)) return false;
    return existsSync(path.resolve(this.root, rel));
  }

  /** The text of a file as planned, or null when it is not there (or is a directory). */
  content(rel: string): string | null {
    const created = this.created.get(rel);
    if (created !== undefined) return created;
    const source = this.moved.get(rel) ?? (this.isGone(rel) ? null : rel);
    if (source === null) return null;
    const abs = path.resolve(this.root, source);
    if (!existsSync(abs) || lstatSync(abs).isDirectory()) return null;
    return readFileSync(abs, 'utf8');
  }

  /** Whether the plan itself creates this path. */
  planned(rel: string): boolean {
    return this.created.has(rel);
  }

  create(rel: string, content: string): void {
    this.created.set(rel, content);
  }

  rename(from: string, to: string): void {
    const created = this.created.get(from);
    if (created !== undefined) {
      this.created.delete(from);
      this.created.set(to, created);
      return;
    }
    this.moved.set(to, this.moved.get(from) ?? from);
    this.moved.delete(from);
    this.gone.add(from);
    this.gone.delete(to);
  }

  private isGone(rel: string): boolean {
    for (const g of this.gone) if (rel === g || rel.startsWith(`${g}/`)) return true;
    return false;
  }
}
