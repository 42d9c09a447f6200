/**
 * The Django half of the "add it nullable, then fill it" recipes in these rules' docs: a data migration
 * that gives each existing row of `shop.Item` its own value, a thousand rows per short transaction
 * (`atomic = False`, so no lock or row version is held across batches).
 */
import { djangoMigration } from '../../src/engine/examples.js';

export interface BackfillOptions {
  /** The migration's file name without `.py`, and the one it depends on. */
  name: string;
  after: string;
  field: string;
  /** The Python expression computing one row's value (evaluated per row). */
  value: string;
  /** What the value needs imported: standard library modules (`uuid`) and Django names
   *  (`from django.db.models.functions import Left`). */
  stdlib?: string[];
  imports?: string[];
}

/** A `# file:` section with the data migration. */
export function djangoBackfill(o: BackfillOptions): string {
  const [, ...migration] = djangoMigration(['migrations.RunPython(fill, migrations.RunPython.noop)'], { atomic: false, dependency: `('shop', '${o.after}')` }).split('\n');
  return [
    `# file: shop/migrations/${o.name}.py`,
    ...(o.stdlib ?? []).map((m) => `import ${m}`),
    ...(o.stdlib?.length ? [''] : []),
    'from django.db import migrations, transaction',
    ...(o.imports ?? []),
    '',
    '',
    'def fill(apps, schema_editor):',
    "    Item = apps.get_model('shop', 'Item')",
    '    while True:  # one short transaction per batch',
    '        with transaction.atomic():',
    `            ids = list(Item.objects.filter(${o.field}__isnull=True).values_list('id', flat=True)[:1000])`,
    '            if not ids:',
    '                break',
    '            for pk in ids:',
    `                Item.objects.filter(pk=pk).update(${o.field}=${o.value})`,
    ...migration,
  ].join('\n');
}
