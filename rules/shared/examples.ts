/**
 * Builds the Django migration modules these rules show in their docs and test tables: a migration of app
 * `shop` after `0001_initial` (which creates `shop.Item`, table `shop_item`), with `class Migration` on
 * line 4 and the first operation on line 7 (line 8 with `atomic = False`). Belongs with the tree builders in
 * src/engine/examples.ts.
 */

export interface DjangoMigrationOptions {
  /** The dependency tuple, as Python source. */
  dependency?: string;
  /** `atomic = False`, for statements that cannot run in a transaction block. */
  atomic?: false;
}

/**
 * `operations` one per item, each indented by eight spaces and followed by a comma; an item may span lines
 * (continuation lines get the same indent), and an item starting with `#` is a comment line.
 */
export function djangoMigration(operations: readonly string[], opts: DjangoMigrationOptions = {}): string {
  const body = operations.map((op) => op.split('\n').map((l) => `        ${l}`).join('\n') + (op.startsWith('#') ? '' : ','));
  return [
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
