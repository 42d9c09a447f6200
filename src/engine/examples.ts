/**
 * Builders for the Django trees that graph rules show in their docs (and that tests build): a tree is one
 * text, each file starting with a `# file: <path>` line, the form `test/helpers/files.ts` splits.
 */

/** A Django migration module with the given dependency tuples (as Python source) and no operations. */
export function djangoModule(deps: string[], opts: { initial?: boolean } = {}): string {
  return [
    'from django.db import migrations',
    '',
    '',
    'class Migration(migrations.Migration):',
    ...(opts.initial ? ['    initial = True'] : []),
    deps.length > 1 ? `    dependencies = [\n${deps.map((d) => `        ${d},`).join('\n')}\n    ]` : `    dependencies = [${deps.join('')}]`,
    '    operations = []',
  ].join('\n');
}

/**
 * An Alembic revision with no operations: `revision` on line 5, `down_revision` (a string, a tuple of
 * them, or None) on line 6, then `branch_labels` / `depends_on` when given.
 */
export function alembicRevision(revision: string, down: string | readonly string[] | null, opts: { branchLabels?: string; dependsOn?: string } = {}): string {
  const repr = (v: string | readonly string[] | null) => (v === null ? 'None' : typeof v === 'string' ? `'${v}'` : `(${v.map((x) => `'${x}'`).join(', ')})`);
  return [
    'from alembic import op',
    'import sqlalchemy as sa',
    '',
    '',
    `revision = '${revision}'`,
    `down_revision = ${repr(down)}`,
    ...(opts.branchLabels ? [`branch_labels = ('${opts.branchLabels}',)`] : []),
    ...(opts.dependsOn ? [`depends_on = '${opts.dependsOn}'`] : []),
    '',
    '',
    'def upgrade():',
    '    pass',
    '',
    '',
    'def downgrade():',
    '    pass',
  ].join('\n');
}

/** Files as one text with `# file:` lines. */
export function fileTree(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([p, c]) => `# file: ${p}\n${c}`)
    .join('\n\n');
}

/**
 * A comparison example: a branch about to merge into `main`. `base` holds files the branch point had,
 * `target` files main gained or changed since, `head` the branch's new or edited files, `deleted` the
 * files the branch removed. Each file starts with a `# base: <path>` (`target:`, `file:`, `deleted:`)
 * line; `--` instead of `#` for SQL trees.
 */
export function branchTree(parts: { base?: Record<string, string>; target?: Record<string, string>; head?: Record<string, string>; deleted?: readonly string[] }, marker: '#' | '--' = '#'): string {
  const section = (name: string, files: Record<string, string> = {}) => Object.entries(files).map(([p, c]) => `${marker} ${name}: ${p}\n${c}`);
  return [...section('base', parts.base), ...section('target', parts.target), ...section('file', parts.head), ...(parts.deleted ?? []).map((p) => `${marker} deleted: ${p}\n`)].join('\n\n');
}

/**
 * A migration of app `shop` after `0001_initial` (which creates `shop.Item`, table `shop_item`), as the
 * statement rules show it in their docs and test tables: `class Migration` on line 4 (plus one per import
 * line) and the first operation three lines below it (four with `atomic = False`).
 */
export interface DjangoMigrationOptions {
  /** The dependency tuple, as Python source. */
  dependency?: string;
  /** `atomic = False`, for statements that cannot run in a transaction block. */
  atomic?: false;
  /** Import lines before `from django.db import ...` (`from django.contrib.postgres.operations import
   *  AddIndexConcurrently`). */
  imports?: readonly string[];
}

/**
 * `operations` one per item, each indented by eight spaces and followed by a comma; an item may span lines
 * (continuation lines get the same indent), and an item starting with `#` is a comment line.
 */
export function djangoMigration(operations: readonly string[], opts: DjangoMigrationOptions = {}): string {
  const body = operations.map((op) => op.split('\n').map((l) => `        ${l}`).join('\n') + (op.startsWith('#') ? '' : ','));
  return [
    ...(opts.imports ?? []),
    operations.some((op) => op.includes('models.')) ? 'from django.db import migrations, models' : 'from django.db import migrations',
    '',
    '',
    'class Migration(migrations.Migration):',
    ...(opts.atomic === false ? ['    atomic = False'] : []),
    `    dependencies = [${opts.dependency ?? "('shop', '0001_initial')"}]`,
    '    operations = [',
    ...body,
    '    ]',
  ].join('\n');
}

/** `migrations.RunSQL(sql, reverse)`, with the SQL and its reverse as Python string literals. */
export function runSql(sql: string, reverse?: string): string {
  return `migrations.RunSQL(${pyString(sql)}, ${reverse === undefined ? 'migrations.RunSQL.noop' : pyString(reverse)})`;
}

function pyString(s: string): string {
  return s.includes("'") ? `"${s}"` : `'${s}'`;
}
