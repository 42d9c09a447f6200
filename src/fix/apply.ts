/**
 * Applies the fixes findings carry (DESIGN.md "fix"): every file is written to a temporary file in its
 * own directory and linked into place, so a crash leaves either nothing or the whole file, and a file
 * that exists is never overwritten (`link` fails on an existing name, atomically). A fix whose file
 * already exists with the same content is already applied: a second `--fix` changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IoError } from '../errors.js';
import type { FileEdit, Finding } from '../model/types.js';

export interface FixPlan {
  /** Edits to make, in order, without duplicates (two findings may ask for the same file). */
  edits: FileEdit[];
  /** Edits already in place. */
  done: FileEdit[];
}

/** What applying the findings' fixes to the tree at `root` would do. Refuses edits that conflict. */
export function planFixes(root: string, findings: readonly Finding[]): FixPlan {
  const plan: FixPlan = { edits: [], done: [] };
  const creating = new Map<string, string>();
  for (const f of findings) {
    for (const edit of f.fix?.edits ?? []) {
      if (edit.kind !== 'create') throw new IoError(`${f.ruleId}: a '${edit.kind}' fix cannot be applied yet`);
      const abs = resolveInside(root, edit.path);
      const pending = creating.get(edit.path);
      if (pending !== undefined) {
        if (pending !== edit.content) throw new IoError(`two fixes write different contents to ${edit.path}`, 'apply them one at a time');
        continue;
      }
      if (existsSync(abs)) {
        if (readFileSync(abs, 'utf8') === edit.content) {
          plan.done.push(edit);
          continue;
        }
        throw new IoError(`${edit.path} already exists; a fix never overwrites a file`, 'move it away, or write the migration by hand');
      }
      creating.set(edit.path, edit.content);
      plan.edits.push(edit);
    }
  }
  return plan;
}

/** Makes the planned edits. */
export async function applyFixes(root: string, plan: FixPlan): Promise<void> {
  for (const edit of plan.edits) {
    if (edit.kind !== 'create') continue;
    const abs = resolveInside(root, edit.path);
    await mkdir(path.dirname(abs), { recursive: true });
    const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${randomBytes(6).toString('hex')}.migrate-lint.tmp`);
    await writeFile(tmp, edit.content, { flag: 'wx' });
    try {
      await link(tmp, abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new IoError(code === 'EEXIST' ? `${edit.path} appeared while fixing; not overwritten` : `cannot write ${edit.path}: ${code ?? String(e)}`);
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }
}

/** The planned edits as a unified diff (`--fix-dry-run`). */
export function renderDiff(plan: FixPlan): string {
  return plan.edits
    .map((edit) => {
      if (edit.kind !== 'create') return '';
      const lines = edit.content.endsWith('\n') ? edit.content.slice(0, -1).split('\n') : edit.content.split('\n');
      return [`--- /dev/null`, `+++ b/${edit.path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`), ...(edit.content.endsWith('\n') ? [] : ['\\ No newline at end of file'])].join('\n') + '\n';
    })
    .join('');
}

/** A repository-relative path that stays inside the repository. */
function resolveInside(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  const back = path.relative(root, abs);
  if (back.startsWith('..') || path.isAbsolute(back)) throw new IoError(`a fix names a path outside the repository: ${rel}`);
  return abs;
}
