/**
 * Test and docs trees written as one text: each file starts with a `# file: <path>` line. A Django source
 * with no such line is a single migration, placed as `shop/migrations/0002_change.py` after an initial
 * migration that creates `shop.Item`, in a project with a settings module.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { djangoMigration as djangoOps, djangoModule, fileTree } from '../../src/engine/examples.js';

export const DJANGO_INITIAL = `from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name='Item',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=100)),
            ],
        ),
    ]
`;

/** Splits a tree written with `# file: <path>` lines (`-- file: <path>` for SQL trees). */
export function splitFiles(text: string, marker: '#' | '--' = '#'): Record<string, string> {
  return splitSections(text, marker).file;
}

export type Section = 'base' | 'target' | 'file' | 'deleted';
const SECTIONS: readonly Section[] = ['base', 'target', 'file', 'deleted'];

/**
 * Splits a tree whose files start with `# <section>: <path>` lines. Besides `file:`, a comparison case
 * (a branch about to merge into `main`) uses `base:` for files the branch point had, `target:` for files
 * main gained or changed since, and `deleted:` (no body) for files the branch deleted.
 */
export function splitSections(text: string, marker: '#' | '--' = '#'): Record<Section, Record<string, string>> {
  const out: Record<Section, Record<string, string>> = { base: {}, target: {}, file: {}, deleted: {} };
  let current: { section: Section; path: string } | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (current !== null) out[current.section][current.path] = lines.join('\n').replace(/\n+$/, '') + '\n';
  };
  for (const line of text.split('\n')) {
    const section = SECTIONS.find((s) => line.startsWith(`${marker} ${s}: `));
    if (section) {
      flush();
      current = { section, path: line.slice(marker.length + section.length + 3).trim() };
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return out;
}

/** The three trees of a comparison case, or null when the text has no `base:`, `target:` or `deleted:`. */
export interface BranchTrees {
  base: Record<string, string>;
  target: Record<string, string>;
  head: Record<string, string>;
}

export function branchTrees(lang: 'django' | 'sql' | 'prisma', text: string): BranchTrees | null {
  const marker = lang === 'django' ? '#' : '--';
  if (!new RegExp(`^${marker} (base|target|deleted): `, 'm').test(text)) return null;
  const s = splitSections(text, marker);
  const place = (files: Record<string, string>): Record<string, string> => {
    if (lang === 'django') return files;
    if (lang === 'sql') return Object.fromEntries(Object.entries(files).map(([p, t]) => [`db/migrations/${p}`, t]));
    return Object.fromEntries(Object.entries(files).map(([p, t]) => [/\.\w+$/.test(p) ? `prisma/migrations/${p}` : `prisma/migrations/${p}/migration.sql`, t]));
  };
  // Every tree starts from the same first migration as single-file cases (shop.Item; users and orders).
  const start: Record<string, string> = lang === 'sql' ? { 'db/migrations/0001_init.sql': SQL_INITIAL } : lang === 'prisma' ? prismaTree('') : { 'shop/migrations/0001_initial.py': DJANGO_INITIAL };
  if (lang === 'prisma') delete start[PRISMA_CASE_FILE];
  const base = { ...start, ...place(s.base) };
  const gone = new Set(Object.keys(place(s.deleted)));
  const head = Object.fromEntries(Object.entries({ ...base, ...place(s.file) }).filter(([p]) => !gone.has(p)));
  const pack = lang === 'django' ? withPackages : (f: Record<string, string>) => f;
  return { base: pack(base), target: pack({ ...base, ...place(s.target) }), head: pack(head) };
}

/** Adds `__init__.py` to every `migrations/` directory that has files. */
export function withPackages(files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  for (const f of Object.keys(files)) {
    const m = /^(.*\/)?migrations\//.exec(f);
    if (m) out[`${m[0]}__init__.py`] ??= '';
  }
  return out;
}

export function djangoTree(source: string): Record<string, string> {
  if (/^# file: /m.test(source)) return withPackages(splitFiles(source));
  return withPackages({
    'shop/migrations/0001_initial.py': DJANGO_INITIAL,
    'shop/migrations/0002_change.py': source,
  });
}

/**
 * The tables every SQL and Prisma case starts from (an earlier migration created them, so locks on them
 * block traffic). Mirrors DJANGO_INITIAL's role for Django cases.
 */
export const SQL_INITIAL = `CREATE TABLE users (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    email varchar(255) NOT NULL
);

CREATE TABLE orders (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL,
    status varchar(20) NOT NULL,
    total numeric(10, 2),
    created_at timestamp NOT NULL DEFAULT now()
);
`;

/** Where SQL and Prisma cases put the migration under test. */
export const SQL_CASE_FILE = 'db/migrations/0002_change.sql';
export const PRISMA_CASE_FILE = 'prisma/migrations/20240102000000_change/migration.sql';

/**
 * A plain directory of ordered SQL files: the initial tables, then `sql` as `0002_change.sql`. A `sql`
 * text with `-- file: <name>` lines is several migrations in that directory (`-- file: 0003_validate.sql`),
 * for recipes that take more than one migration.
 */
export function sqlTree(sql: string): Record<string, string> {
  return { 'db/migrations/0001_init.sql': SQL_INITIAL, ...sqlFiles(sql, 'db/migrations/', SQL_CASE_FILE) };
}

/** A Prisma migrations folder on PostgreSQL: the initial tables, then `sql` (`-- file: <folder>` lines
 *  make several migrations, e.g. `-- file: 20240103000000_validate`). */
export function prismaTree(sql: string): Record<string, string> {
  const files = sqlFiles(sql, 'prisma/migrations/', PRISMA_CASE_FILE);
  // A name with an extension is a file of its own (`-- file: migration_lock.toml` replaces the lock file).
  const folders = Object.fromEntries(Object.entries(files).map(([p, t]) => [/\.\w+$/.test(p) ? p : `${p}/migration.sql`, t]));
  return {
    'prisma/migrations/migration_lock.toml': '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    'prisma/migrations/20240101000000_init/migration.sql': SQL_INITIAL,
    ...folders,
  };
}

function sqlFiles(sql: string, dir: string, single: string): Record<string, string> {
  if (!/^-- file: /m.test(sql)) return { [single]: sql };
  return Object.fromEntries(Object.entries(splitFiles(sql, '--')).map(([name, text]) => [dir + name, text]));
}

/** Where Alembic cases put the revision under test (the first one, when a case holds several). */
export const ALEMBIC_CASE_FILE = 'alembic/versions/a0002_change.py';

/** A minimal `env.py`: beside `versions/`, it marks the script directory (and holds nothing to read). */
export const ALEMBIC_ENV = 'from alembic import context\n\ncontext.run_migrations()\n';

/** The first revision of every Alembic case: it creates `users` and `orders` (SQL_INITIAL). */
export const ALEMBIC_INITIAL = `from alembic import op


revision = 'a0001'
down_revision = None


def upgrade():
    op.execute("""
${SQL_INITIAL}""")


def downgrade():
    op.execute('DROP TABLE orders, users')
`;

/**
 * An Alembic script directory: the initial revision, then the case. A source with `# file: <path>` lines
 * is the files as they are (plus `alembic/env.py`). Otherwise each top-level `def upgrade():` (with the
 * comment lines before it) is one revision, chained after the initial one as `a0002`, `a0003`, …; a
 * source with no `def upgrade` is the body of one. Each revision starts with a 7-line header, so line 1
 * of the source is line 8 of the file (9 when the source is a body).
 */
export function alembicTree(source: string): Record<string, string> {
  if (/^# file: /m.test(source)) return { 'alembic/env.py': ALEMBIC_ENV, ...splitFiles(source) };
  const lines = source.split('\n');
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (!l.startsWith('def upgrade')) return;
    let s = i;
    while (s > 0 && s - 1 > (starts.at(-1) ?? -1) && (lines[s - 1]!.startsWith('#') || lines[s - 1]!.trim() === '')) s--;
    starts.push(starts.length === 0 ? 0 : s);
  });
  const chunks = starts.length === 0 ? [['def upgrade():', ...lines.map((l) => (l.trim() === '' ? '' : `    ${l}`))]] : starts.map((s, k) => lines.slice(s, starts[k + 1] ?? lines.length));
  const files: Record<string, string> = { 'alembic/env.py': ALEMBIC_ENV, 'alembic/versions/a0001_init.py': ALEMBIC_INITIAL };
  chunks.forEach((chunk, k) => {
    const id = `a${String(k + 2).padStart(4, '0')}`;
    const down = `a${String(k + 1).padStart(4, '0')}`;
    const header = ['from alembic import op', 'import sqlalchemy as sa', 'from sqlalchemy.dialects import postgresql', '', `revision = '${id}'`, `down_revision = '${down}'`, ''];
    files[`alembic/versions/${id}_change.py`] = [...header, ...chunk].join('\n').replace(/\n+$/, '') + '\n';
  });
  return files;
}

/** A migration module with the given dependency tuples and no operations; `class Migration` is on line 4. */
export function djangoMigration(...deps: string[]): string {
  return djangoModule(deps.length ? [deps.join(', ')] : []);
}

export { fileTree as tree };

/**
 * A temporary directory holding `files`, with an empty `.git` so it is its own repository root;
 * removed after the test file's tests.
 */
export function tempTree(files: Record<string, string>, prefix = 'ml-tree-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  trees.push(dir);
  mkdirSync(path.join(dir, '.git'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}
const trees: string[] = [];
afterAll(() => trees.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A migration of app `shop` adding a nullable text field to `Item`, after `('shop', after)`: the step the
 *  git, hook and action tests commit on one branch or another. */
export const addTextField = (name: string, after: string): string =>
  djangoOps([`migrations.AddField('item', '${name}', models.TextField(null=True))`], { dependency: `('shop', '${after}')` });

/** The smallest Django project the hook tests commit: `manage.py`, settings, app `shop` with 0001–0003_a. */
export const SHOP_PROJECT: Record<string, string> = {
  'manage.py': 'import os\n',
  'mysite/__init__.py': '',
  'mysite/settings.py': "INSTALLED_APPS = ['shop']\n",
  'shop/__init__.py': '',
  'shop/migrations/__init__.py': '',
  'shop/migrations/0001_initial.py': DJANGO_INITIAL,
  'shop/migrations/0002_add_price.py': addTextField('price', '0001_initial'),
  'shop/migrations/0003_a.py': addTextField('field_a', '0002_add_price'),
};
