/**
 * The merge revision `alembic merge -m "merge heads" <heads>` writes (reference/frameworks.md §4.4;
 * alembic/command.py `merge` → script/base.py `ScriptDirectory.generate_revision`, `_rev_path`): a new
 * 12-hex revision id, `down_revision` the heads in the order Alembic lists them, the `Revises:` docstring
 * line, `pass` bodies. The text is the project's `script.py.mako` rendered when it uses only the
 * substitutions Alembic's own templates use; otherwise Alembic 1.20's generic template. The file name
 * follows the config's `file_template`. `test/interop/alembic.test.ts` compares it with the installed
 * Alembic's output, byte for byte apart from the revision id and the Create Date.
 */
import type { FixEnvironment } from '../../src/engine/rule.js';
import type { Fix, Migration, MigrationSet } from '../../src/model/types.js';

export const MERGE_MESSAGE = 'merge heads';

/** alembic/templates/generic/script.py.mako, Alembic 1.20. */
export const GENERIC_TEMPLATE = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = \${repr(up_revision)}
down_revision: Union[str, Sequence[str], None] = \${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = \${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = \${repr(depends_on)}


def upgrade() -> None:
    """Upgrade schema."""
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Downgrade schema."""
    \${downgrades if downgrades else "pass"}
`;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Python's `str(datetime.now())`: microseconds only when not zero. */
export function pythonDateTime(d: Date): string {
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return d.getMilliseconds() === 0 ? base : `${base}.${pad(d.getMilliseconds(), 3)}000`;
}

/** Python's `repr` of a revision string (ids never hold quotes or backslashes Alembic would accept). */
const pyRepr = (s: string): string => (s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);

/** `_rev_path`'s slug: the message's `\w+` words joined by `_`, lower-cased, cut at a word boundary. */
export function slugOf(message: string, truncate: number): string {
  const slug = (message.match(/[\p{L}\p{N}_]+/gu) ?? []).join('_').toLowerCase();
  if (slug.length <= truncate) return slug;
  const cut = slug.slice(0, truncate);
  const i = cut.lastIndexOf('_');
  return `${i < 0 ? cut : cut.slice(0, i)}_`;
}

/** `file_template % {...}`: `%(name)s`, `%(name)d`, `%(name).2d`, `%%`. */
export function fileName(template: string, values: Record<string, string | number>): string | null {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    if (template[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const m = /^%\((\w+)\)(\.(\d+))?([sd])/.exec(template.slice(i));
    if (!m || !(m[1]! in values)) return null;
    const v = values[m[1]!]!;
    out += m[4] === 'd' ? String(Math.trunc(Number(v))).padStart(m[3] ? Number(m[3]) : 0, '0') : String(v);
    i += m[0].length - 1;
  }
  return out;
}

/**
 * Renders `script.py.mako` for a merge: only `${…}` substitutions of the names Alembic passes
 * (`message`, `up_revision`, `down_revision`, `create_date`, `imports`, `branch_labels`, `depends_on`,
 * `upgrades`, `downgrades`), in the forms Alembic's templates write them. Null for anything else (Mako
 * control lines, blocks, other expressions): the template cannot be rendered without Mako.
 */
export function renderTemplate(template: string, v: { message: string; rev: string; heads: readonly string[]; createDate: string }): string | null {
  const lines = template.split('\n');
  if (lines.some((l) => /^\s*(%|##)/.test(l) || l.endsWith('\\')) || template.includes('<%')) return null;
  const values: Record<string, string> = {
    message: v.message,
    up_revision: v.rev,
    'down_revision | comma,n': v.heads.join(', '),
    create_date: v.createDate,
    'imports if imports else ""': '',
    'repr(up_revision)': pyRepr(v.rev),
    'repr(down_revision)': v.heads.length === 1 ? pyRepr(v.heads[0]!) : `(${v.heads.map(pyRepr).join(', ')})`,
    'repr(branch_labels)': 'None',
    'repr(depends_on)': 'None',
    'upgrades if upgrades else "pass"': 'pass',
    'downgrades if downgrades else "pass"': 'pass',
  };
  let ok = true;
  const out = template.replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
    const key = expr.trim().replace(/\s+/g, ' ');
    if (!(key in values)) ok = false;
    return values[key] ?? '';
  });
  return ok ? out : null;
}

/** The fix for heads of one Alembic set that need merging: create the merge revision. `heads` are in
 *  Alembic's order (the order its revision map loads their files). */
export function alembicMergeFix(set: MigrationSet, heads: readonly Migration[], env: FixEnvironment): Fix {
  const rev = env.newRevisionId();
  const now = env.now;
  const names = heads.map((m) => m.name);
  const template = set.scaffold?.fileTemplate ?? '%(rev)s_%(slug)s';
  const slug = slugOf(MERGE_MESSAGE, set.scaffold?.truncateSlugLength ?? 40);
  const file =
    fileName(template, {
      rev,
      slug,
      epoch: Math.floor(now.getTime() / 1000),
      year: now.getFullYear(),
      month: now.getMonth() + 1,
      day: now.getDate(),
      hour: now.getHours(),
      minute: now.getMinutes(),
      second: now.getSeconds(),
    }) ?? `${rev}_${slug}`;
  // With several version locations Alembic writes beside the first head; otherwise into the one location.
  const first = heads[0]!.file;
  const dir = first.startsWith(`${set.dir}/`) ? set.dir : first.slice(0, first.lastIndexOf('/'));
  const values = { message: MERGE_MESSAGE, rev, heads: names, createDate: pythonDateTime(now) };
  const content = (set.scaffold?.template !== undefined ? renderTemplate(set.scaffold.template, values) : null) ?? renderTemplate(GENERIC_TEMPLATE, values)!;
  const path = `${dir}/${file}.py`;
  return { description: `create ${path}, merging ${names.join(', ')}`, edits: [{ kind: 'create', path, content }] };
}
