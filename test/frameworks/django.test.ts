import { describe, expect, it } from 'vitest';
import { lintSnapshot } from '../../src/api.js';
import { labelOfInstalledApp } from '../../src/frameworks/django/project.js';
import { djangoIndexName, pgObjectName, truncateName } from '../../src/frameworks/django/state.js';
import type { DataEffects, DataTarget, Migration, Statement } from '../../src/model/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { DJANGO_INITIAL, djangoTree } from '../helpers/files.js';

async function load(files: Record<string, string>) {
  return lintSnapshot(new MemorySnapshot(files), [''], { rulesToRun: [] });
}

async function migration(source: string): Promise<Migration> {
  const r = await load(djangoTree(source));
  const m = r.sets.flatMap((s) => s.migrations).find((x) => x.name === '0002_change');
  if (!m) throw new Error('migration not loaded');
  return m;
}

const wrap = (ops: string, extra = '') =>
  `from django.db import migrations, models\nimport uuid\n\n\nclass Migration(migrations.Migration):\n${extra}    dependencies = [('shop', '0001_initial')]\n    operations = [\n${ops}\n    ]\n`;

type Facts = Omit<Statement, 'span'> & { span?: unknown };
const strip = (s: Statement[]): Facts[] => s.map(({ span: _span, ...rest }) => rest as Facts);

describe('Django migration module', () => {
  it('reads dependencies, replaces, run_before, initial and atomic', async () => {
    const m = await migration(
      `from django.db import migrations\n\nDEPS = [('shop', '0001_initial'), ["billing", "__first__"]]\n\nclass Migration(migrations.Migration):\n    initial = True\n    atomic = False\n    dependencies = DEPS\n    replaces = [('shop', '0001_a')]\n    run_before = (('reports', '0001_initial'),)\n    operations = []\n`,
    );
    expect(m.parents.map((p) => [p.set, p.name, p.special])).toEqual([
      ['shop', '0001_initial', undefined],
      ['billing', '__first__', 'first'],
    ]);
    expect(m.replaces.map((p) => p.name)).toEqual(['0001_a']);
    expect(m.runBefore.map((p) => `${p.set}.${p.name}`)).toEqual(['reports.0001_initial']);
    expect(m.initial).toBe(true);
    expect(m.atomic).toBe(false);
    expect(m.span?.start).toEqual({ line: 5, column: 7 });
  });

  it('resolves swappable_dependency through AUTH_USER_MODEL in settings', async () => {
    const r = await load({
      'manage.py': '',
      'proj/settings.py': "INSTALLED_APPS = ['django.contrib.auth', 'accounts', 'shop']\nAUTH_USER_MODEL = 'accounts.User'\n",
      'accounts/migrations/__init__.py': '',
      'accounts/migrations/0001_initial.py': DJANGO_INITIAL,
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': `from django.conf import settings\nfrom django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]\n    operations = []\n`,
    });
    const shop = r.sets.find((s) => s.name === 'shop')!;
    expect(shop.migrations[0]!.parents).toMatchObject([{ set: 'accounts', name: '__first__', special: 'first', setting: 'AUTH_USER_MODEL' }]);
    expect(r.histories[0]!.edges().length).toBe(1);
  });

  it('leaves swappable_dependency unresolved (and unjudged) when settings cannot be read', async () => {
    const m = await migration(`from django.conf import settings\nfrom django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]\n    operations = []\n`);
    expect(m.parents).toMatchObject([{ special: 'setting', setting: 'AUTH_USER_MODEL' }]);
  });

  it('follows INSTALLED_APPS built from lists in the same module', async () => {
    const r = await load({
      'manage.py': '',
      'site/settings.py': "DJANGO = ['django.contrib.auth']\nLOCAL = ['shop.apps.ShopConfig']\nINSTALLED_APPS = DJANGO + LOCAL\nINSTALLED_APPS += ['taggit']\n",
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': DJANGO_INITIAL,
    });
    expect(r.histories[0]!.external?.externalSets).toEqual(['auth', 'taggit']);
    expect(r.histories[0]!.external?.externalSource).toBe('site/settings.py');
  });

  it('derives app labels the way Django does', () => {
    expect(labelOfInstalledApp('django.contrib.auth')).toBe('auth');
    expect(labelOfInstalledApp('shop.apps.ShopConfig')).toBe('shop');
    expect(labelOfInstalledApp('taggit')).toBe('taggit');
  });

  it('keeps separate Django projects (manage.py) apart', async () => {
    const r = await load({
      'a/manage.py': '',
      'a/shop/migrations/__init__.py': '',
      'a/shop/migrations/0001_initial.py': DJANGO_INITIAL,
      'b/manage.py': '',
      'b/shop/migrations/__init__.py': '',
      'b/shop/migrations/0001_initial.py': DJANGO_INITIAL,
    });
    expect(r.histories.map((h) => h.namespace).sort()).toEqual(['django:a', 'django:b']);
  });

  it('skips modules Django skips and modules that are not migrations, and folders that are not packages', async () => {
    const r = await load({
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': DJANGO_INITIAL,
      'shop/migrations/_private.py': 'x = 1\n',
      'shop/migrations/~backup.py': DJANGO_INITIAL,
      'shop/migrations/helpers.py': 'def f():\n    return 1\n',
      'web/migrations/0001_init.js': 'exports.up = () => {}\n',
      'noinit/migrations/0001_initial.py': DJANGO_INITIAL,
    });
    expect(r.sets.map((s) => [s.name, s.migrations.map((m) => m.name)])).toEqual([['shop', ['0001_initial']]]);
  });
});

describe('Django operations → statements', () => {
  it('lowers schema operations with the facts rules need', async () => {
    const m = await migration(
      wrap(`        migrations.AddField(model_name='item', name='token', field=models.UUIDField(default=uuid.uuid4, unique=True)),
        migrations.AddField('item', 'owner', models.ForeignKey(null=True, on_delete=models.CASCADE, to='auth.user')),
        migrations.AlterField(model_name='item', name='name', field=models.CharField(max_length=200, null=True)),
        migrations.RemoveField(model_name='item', name='old'),
        migrations.RenameField(model_name='item', old_name='a', new_name='b'),
        migrations.RenameModel(old_name='Item', new_name='Product'),
        migrations.DeleteModel(name='Thing')`),
    );
    // What Django's schema editor runs (schema.ts, checked against the real Django in django-state.test.ts):
    // a callable default is evaluated once into ADD COLUMN ... DEFAULT and dropped after; UNIQUE and
    // REFERENCES are inline; the foreign key's index is deferred to the end of the migration, where the
    // later RenameModel has renamed its table; the AlterField is read against the model state of 0001.
    const base = (construct: string, operationIndex: number) => ({ construct: `migrations.${construct}`, operationIndex });
    expect(strip(m.statements)).toEqual([
      { kind: 'add_column', table: 'shop_item', ...base('AddField', 0), column: { name: 'token', ormType: 'UUIDField', type: 'uuid', nullable: false, default: { kind: 'app-callable', text: 'uuid.uuid4', volatile: false }, unique: true } },
      { kind: 'drop_default', table: 'shop_item', column: 'token', ...base('AddField', 0) },
      { kind: 'add_column', table: 'shop_item', ...base('AddField', 1), column: { name: 'owner_id', ormType: 'ForeignKey', nullable: true, references: { table: 'auth_user' } } },
      { kind: 'alter_column_type', table: 'shop_item', column: 'name', fromType: 'varchar(100)', toType: 'varchar(200)', ...base('AlterField', 2) },
      { kind: 'drop_not_null', table: 'shop_item', column: 'name', ...base('AlterField', 2) },
      { kind: 'drop_column', table: 'shop_item', column: 'old', cascade: true, ...base('RemoveField', 3) },
      { kind: 'rename_column', table: 'shop_item', column: 'a', newName: 'b', ...base('RenameField', 4) },
      { kind: 'rename_table', table: 'shop_item', newName: 'shop_product', ...base('RenameModel', 5) },
      { kind: 'drop_table', table: 'shop_thing', cascade: true, ...base('DeleteModel', 6) },
      { kind: 'create_index', table: 'shop_product', index: 'shop_item_owner_id_5636367b', columns: ['owner_id'], unique: false, concurrently: false, ...base('AddField', 1) },
    ]);
  });

  it('lowers indexes, constraints and *_together', async () => {
    const m = await migration(
      wrap(`        migrations.AddIndex(model_name='item', index=models.Index(fields=['-name'], name='item_name_idx')),
        AddIndexConcurrently(model_name='item', index=models.Index(fields=['sku'], name='item_sku_idx')),
        migrations.RemoveIndex(model_name='item', name='old_idx'),
        migrations.AddConstraint(model_name='item', constraint=models.CheckConstraint(condition=models.Q(price__gte=0), name='price_gte_0')),
        migrations.AddConstraint(model_name='item', constraint=models.UniqueConstraint(fields=['sku'], name='uniq_sku')),
        migrations.AlterUniqueTogether(name='item', unique_together={('name', 'sku')})`),
    );
    expect(strip(m.statements).map((s) => ({ ...s, construct: undefined, operationIndex: undefined }))).toEqual([
      { kind: 'create_index', table: 'shop_item', index: 'item_name_idx', columns: ['name'], unique: false, concurrently: false },
      { kind: 'create_index', table: 'shop_item', index: 'item_sku_idx', columns: ['sku'], unique: false, concurrently: true },
      { kind: 'drop_index', table: 'shop_item', index: 'old_idx', concurrently: false, ifExists: true },
      { kind: 'add_constraint', table: 'shop_item', constraint: { type: 'check', name: 'price_gte_0', expression: 'models.Q(price__gte=0)' } },
      { kind: 'add_constraint', table: 'shop_item', constraint: { type: 'unique', name: 'uniq_sku', columns: ['sku'] } },
      { kind: 'add_constraint', table: 'shop_item', constraint: { type: 'unique', name: 'shop_item_name_sku_6c054174_uniq', columns: ['name', 'sku'] } },
    ].map((s) => ({ ...s, construct: undefined, operationIndex: undefined })));
  });

  it('uses db_table from CreateModel in the same migration, and spans point at the operation', async () => {
    const m = await migration(
      wrap(`        migrations.CreateModel(name='Order', fields=[('id', models.BigAutoField(primary_key=True))], options={'db_table': 'orders'}),
        migrations.AddIndex(model_name='order', index=models.Index(fields=['id'], name='o_idx'))`),
    );
    expect(m.statements.map((s) => [s.kind, 'table' in s ? s.table : null, s.span.start.line, s.span.start.column])).toEqual([
      ['create_table', 'orders', 8, 9],
      ['create_index', 'orders', 9, 9],
    ]);
  });

  it('reads RunPython/RunSQL reverses and what the code does to rows', async () => {
    const m = await migration(`from django.db import migrations


def helper(qs):
    qs.delete()


def forwards(apps, schema_editor):
    Item = apps.get_model('shop', 'Item')
    for item in Item.objects.all():
        item.save()
    helper(Item.objects.filter(name=''))


class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]
    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(imported.forwards, reverse_code=forwards),
        migrations.RunSQL("UPDATE t SET a = 1", reverse_sql=''),
        migrations.RunSQL(["SELECT 1", ("SELECT %s", [1])]),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel('Item')]),
    ]
`);
    const flags = (e: DataEffects) => ({ deletes: e.deletes, updates: e.updates, inserts: e.inserts, dropsData: e.dropsData, opaque: e.opaque });
    expect(m.statements.map((s) => [s.kind, s.reverse?.status, s.stateOnly ?? false, s.kind === 'run_code' || s.kind === 'raw_sql' ? flags(s.effects) : null, s.kind === 'raw_sql' ? s.sql : null])).toEqual([
      ['run_code', 'noop', false, { deletes: true, updates: true, inserts: false, dropsData: false, opaque: false }, null],
      ['run_code', 'present', false, { deletes: false, updates: false, inserts: false, dropsData: false, opaque: true }, null],
      ['raw_sql', 'empty', false, { deletes: false, updates: true, inserts: false, dropsData: false, opaque: false }, 'UPDATE t SET a = 1'],
      ['update', undefined, false, null, null],
      ['raw_sql', 'missing', false, { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false }, 'SELECT 1;\nSELECT %s'],
      ['other', undefined, false, null, null],
      ['other', undefined, false, null, null],
      ['drop_table', undefined, true, null, null],
    ]);
    expect(m.diagnostics).toEqual([]);
  });

  it('reads the models RunPython code reads and writes, its row loops, batching, imports and parameters', async () => {
    const m = await migration(`from django.db import migrations
from clerk_sync.models import ClerkUser
from django.db.models import F


def forwards(apps, schema_editor):
    from shop.models import Tag
    Item = apps.get_model('shop', 'Item')
    Legacy = apps.get_model('legacy.Product')
    for user in ClerkUser.objects.all():
        Item.objects.create(name=user.name)
    for p in Legacy.objects.filter(active=True).iterator(chunk_size=500):
        p.save()
    for i in Item.objects.all()[:10]:
        i.delete()
    Item.objects.filter(name='').update(name=F('id'))


def backwards(apps, schema_editor):
    apps.get_model('shop', 'Item').objects.all().delete()


def empty(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]
    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(forwards, empty),
        migrations.RunSQL("INSERT INTO shop_item (name) VALUES ('x')", "DELETE FROM shop_item"),
        migrations.RunSQL("CREATE TABLE t (a int)", "DROP TABLE t"),
    ]
`);
    const [run, runEmpty, sql, , sqlCreate] = m.statements;
    if (run?.kind !== 'run_code') throw new Error('expected run_code');
    const e = run.effects;
    const target = (t: DataTarget) => [t.model, t.set, t.table, t.imported ?? false];
    expect(e.params?.names).toEqual(['apps', 'schema_editor']);
    expect(e.reads?.map(target)).toEqual([
      ['clerk_sync.ClerkUser', 'clerk_sync', undefined, true],
      ['legacy.Product', 'legacy', undefined, false],
      ['shop.Item', 'shop', 'shop_item', false],
    ]);
    expect(e.writes?.map(target)).toEqual([
      ['shop.Item', 'shop', 'shop_item', false],
      ['legacy.Product', 'legacy', undefined, false],
    ]);
    expect(e.rowLoops?.map((l) => [l.source?.model, l.chunked, l.perRow, l.span.start.line])).toEqual([
      ['clerk_sync.ClerkUser', false, ['create'], 10],
      ['legacy.Product', true, ['save'], 12],
    ]);
    expect(e.batched).toBe(true);
    expect(e.codeImports?.map((i) => [i.module, i.names, i.span.start.line])).toEqual([
      ['clerk_sync.models', ['ClerkUser'], 2],
      ['shop.models', ['Tag'], 7],
    ]);
    expect(run.reverse).toMatchObject({ status: 'present', effects: { deletes: true, destroys: true } });
    expect(runEmpty?.reverse?.status).toBe('empty');
    expect(sql?.reverse).toMatchObject({ status: 'present', effects: { deletes: true, destroys: true } });
    expect(sqlCreate?.reverse?.effects?.destroys).toBeUndefined();
  });

  it('lowers RunSQL through the SQL front end, with positions through string escapes', async () => {
    const m = await migration(
      wrap(`        migrations.RunSQL("CREATE INDEX i ON shop_item (name);\\n    ALTER TABLE shop_item ADD COLUMN c int DEFAULT random()", migrations.RunSQL.noop),
        migrations.RunSQL([("UPDATE shop_item SET name = %s WHERE name LIKE 'a%%'", ['x'])], reverse_sql="SELEC 1")`),
    );
    expect(m.statements.map((s) => [s.kind, s.construct, s.operationIndex, `${s.span.start.line}:${s.span.start.column}`])).toEqual([
      ['raw_sql', 'migrations.RunSQL', 0, '8:9'],
      ['create_index', 'migrations.RunSQL', 0, '8:28'],
      ['add_column', 'migrations.RunSQL', 0, '8:69'],
      ['raw_sql', 'migrations.RunSQL', 1, '9:9'],
      ['update', 'migrations.RunSQL', 1, '9:30'],
    ]);
    const add = m.statements[2]!;
    expect(add.kind === 'add_column' && add.column.default).toMatchObject({ kind: 'db-expression', volatile: true });
    // Only the forward SQL is lowered; the reverse is not run on the way up.
    expect(m.diagnostics).toEqual([]);
  });

  it('reports a SQL syntax error inside RunSQL at its place in the Python file', async () => {
    const m = await migration(wrap(`        migrations.RunSQL("SELECT 1;\\n    SELEC 2", migrations.RunSQL.noop)`));
    expect(m.diagnostics).toMatchObject([{ code: 'syntax', message: 'syntax error at or near "SELEC"', span: { start: { line: 8, column: 43 } } }]);
  });

  it('reads suppression comments with their reasons', async () => {
    const m = await migration(wrap(`        # migrate-lint: ignore irreversible-operation, parse-error: backfill is idempotent
        migrations.RunPython(forwards),  # migrate-lint: ignore irreversible-operation: same line`, '    # migrate-lint: ignore-file irreversible-operation: whole file\n'));
    expect(m.suppressions.map((s) => [s.rules, s.reason, s.line])).toEqual([
      [['irreversible-operation'], 'whole file', null],
      [['irreversible-operation', 'parse-error'], 'backfill is idempotent', 10],
      [['irreversible-operation'], 'same line', 10],
    ]);
  });
});

describe('Django model state replay', () => {
  it('names indexes and constraints as Django and PostgreSQL do, long names included', () => {
    // Expected values printed by Django 5.2's `_create_index_name` / `truncate_name` and read back from
    // PostgreSQL 15's pg_constraint.
    expect(djangoIndexName('shop_item', ['name'])).toBe('shop_item_name_c85f6249');
    expect(djangoIndexName('t', ['a', 'b'], '_uniq')).toBe('t_a_b_e7f8cbd8_uniq');
    expect(djangoIndexName('a_very_long_application_label_for_testing_models_verylongmodelname', ['some_rather_long_column_name'], '_fk_another_quite_long_table_name_id_id')).toBe(
      'a_very_long_applicat_some_rather_long_col_788aef93_fk_another_q',
    );
    expect(djangoIndexName('x'.repeat(70), ['y'.repeat(70)], '_like')).toBe(`${'x'.repeat(24)}_${'y'.repeat(24)}_7573d2de_like`);
    expect(truncateName(`app_${'m'.repeat(80)}`)).toBe(`app_${'m'.repeat(55)}600d`);
    expect(pgObjectName('a'.repeat(60), 'b'.repeat(40), 'key')).toBe(`${'a'.repeat(29)}_${'b'.repeat(29)}_key`);
    expect(pgObjectName('a'.repeat(60), null, 'pkey')).toBe(`${'a'.repeat(58)}_pkey`);
  });

  const module = (deps: string, ops: string, extra = '') =>
    `from django.db import migrations, models\nimport django.db.models.deletion\n\n\nclass Migration(migrations.Migration):\n${extra}    dependencies = [${deps}]\n    operations = [\n${ops}\n    ]\n`;
  const statementsOf = async (files: Record<string, string>, file: string) => {
    const r = await load(files);
    const m = r.sets.flatMap((s) => s.migrations).find((x) => x.file === file);
    if (!m) throw new Error(`${file} not loaded`);
    return strip(m.statements).map(({ construct: _c, operationIndex: _o, ...rest }) => rest);
  };
  const shop = (ops: string, settings = "INSTALLED_APPS = ['shop']\nDEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\n") => ({
    'manage.py': '',
    'site/settings.py': settings,
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': DJANGO_INITIAL,
    'shop/migrations/0002_change.py': module("('shop', '0001_initial')", ops),
  });

  it('gives a ForeignKey the type of its target primary key, implicit ones from DEFAULT_AUTO_FIELD', async () => {
    const ops = `        migrations.CreateModel(name='Tag', fields=[('label', models.CharField(max_length=10))]),
        migrations.AddField('item', 'tag', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='shop.tag')),`;
    const column = async (settings?: string) => {
      const sts = await statementsOf(shop(ops, settings), 'shop/migrations/0002_change.py');
      const add = sts.find((s) => s.kind === 'add_column');
      return add?.kind === 'add_column' ? add.column.type : null;
    };
    expect(await column()).toBe('bigint');
    // Django's own default (global_settings) when the settings module does not set it.
    expect(await column("INSTALLED_APPS = ['shop']\n")).toBe('integer');
    // Set to something that cannot be read: the type is not guessed.
    expect(await column("INSTALLED_APPS = ['shop']\nDEFAULT_AUTO_FIELD = env('AUTO')\n")).toBeUndefined();
  });

  it('reads AlterField against the field as earlier migrations left it, and falls back without them', async () => {
    const ops = `        migrations.AlterField('item', 'name', models.TextField()),`;
    expect(await statementsOf(shop(ops), 'shop/migrations/0002_change.py')).toEqual([
      { kind: 'alter_column_type', table: 'shop_item', column: 'name', fromType: 'varchar(100)', toType: 'text', using: '"name"::text', usingIsColumn: true },
    ]);
    // The model is defined outside the repository: only what the operation says.
    const files = { 'shop/migrations/__init__.py': '', 'shop/migrations/0002_change.py': module("('other', '0001_initial')", ops) };
    expect(await statementsOf(files, 'shop/migrations/0002_change.py')).toEqual([
      { kind: 'alter_column', table: 'shop_item', column: 'name', to: { name: 'name', ormType: 'TextField', type: 'text', nullable: false } },
    ]);
  });

  it('forgets what an unreadable operation may have changed, from that migration on', async () => {
    const files = {
      ...shop(`        custom.ops.AddFieldIfMissing('item', 'name'),`),
      'shop/migrations/0003_more.py': module("('shop', '0002_change')", `        migrations.AlterField('item', 'name', models.CharField(max_length=200)),`),
    };
    expect((await statementsOf(files, 'shop/migrations/0003_more.py')).map((s) => s.kind)).toEqual(['alter_column']);
  });

  it('does not carry a sibling branch into the state a migration sees', async () => {
    const files = {
      ...shop(`        migrations.AlterField('item', 'name', models.CharField(max_length=150)),`),
      'shop/migrations/0002_other.py': module("('shop', '0001_initial')", `        migrations.AlterField('item', 'name', models.CharField(max_length=200)),`),
    };
    const a = await statementsOf(files, 'shop/migrations/0002_change.py');
    const b = await statementsOf(files, 'shop/migrations/0002_other.py');
    // Whichever is replayed second would see the other's change; it sees an unknown previous field instead.
    expect([a, b].map((x) => x[0]?.kind).sort()).toEqual(['alter_column', 'alter_column_type']);
    const typed = [a, b].flatMap((x) => x).find((s) => s.kind === 'alter_column_type');
    expect(typed).toMatchObject({ fromType: 'varchar(100)' });
  });

  it('keeps a callable default app-computed, drops defaults Django drops, keeps db_default', async () => {
    const sts = await statementsOf(
      shop(`        migrations.AddField('item', 'token', models.UUIDField(default=uuid.uuid4)),
        migrations.AddField('item', 'created', models.DateTimeField(db_default=models.functions.Now())),
        migrations.AddField('item', 'qty', models.IntegerField(default=0), preserve_default=False),
        migrations.AddField('item', 'note', models.TextField(null=True)),`),
      'shop/migrations/0002_change.py',
    );
    expect(sts).toEqual([
      { kind: 'add_column', table: 'shop_item', column: { name: 'token', ormType: 'UUIDField', type: 'uuid', nullable: false, default: { kind: 'app-callable', text: 'uuid.uuid4', volatile: false } } },
      { kind: 'drop_default', table: 'shop_item', column: 'token' },
      { kind: 'add_column', table: 'shop_item', column: { name: 'created', ormType: 'DateTimeField', type: 'timestamp with time zone', nullable: false, default: { kind: 'db-expression', text: 'STATEMENT_TIMESTAMP()', volatile: false } } },
      { kind: 'add_column', table: 'shop_item', column: { name: 'qty', ormType: 'IntegerField', type: 'integer', nullable: false, default: { kind: 'constant', text: '0', volatile: false } } },
      { kind: 'drop_default', table: 'shop_item', column: 'qty' },
      { kind: 'add_column', table: 'shop_item', column: { name: 'note', ormType: 'TextField', type: 'text', nullable: true } },
    ]);
  });

  it('resolves ForeignKeys across apps and through AUTH_USER_MODEL, and drops <name>_id with its key', async () => {
    const files = {
      'manage.py': '',
      'site/settings.py': "INSTALLED_APPS = ['accounts', 'shop']\nAUTH_USER_MODEL = 'accounts.User'\n",
      'accounts/migrations/__init__.py': '',
      'accounts/migrations/0001_initial.py': module('', `        migrations.CreateModel(name='User', fields=[('id', models.UUIDField(primary_key=True, serialize=False))]),`),
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': DJANGO_INITIAL,
      'shop/migrations/0002_change.py': module(
        "('shop', '0001_initial'), migrations.swappable_dependency(settings.AUTH_USER_MODEL)",
        `        migrations.AddField('item', 'owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),`,
      ).replace('from django.db', 'from django.conf import settings\nfrom django.db'),
      'shop/migrations/0003_drop.py': module("('shop', '0002_change')", `        migrations.RemoveField('item', 'owner'),`),
    };
    const add = await statementsOf(files, 'shop/migrations/0002_change.py');
    expect(add[0]).toMatchObject({ kind: 'add_column', column: { name: 'owner_id', type: 'uuid', references: { table: 'accounts_user', column: 'id' } } });
    expect(await statementsOf(files, 'shop/migrations/0003_drop.py')).toEqual([
      { kind: 'drop_constraint', table: 'shop_item', constraint: 'shop_item_owner_id_5636367b_fk_accounts_user_id', constraintType: 'foreign_key', references: 'accounts_user' },
      { kind: 'drop_column', table: 'shop_item', column: 'owner_id', cascade: true },
    ]);
  });

  it('marks what unmanaged models and state_operations do as state-only', async () => {
    const r = await load(
      shop(`        migrations.CreateModel(name='View', fields=[('id', models.IntegerField(primary_key=True))], options={'managed': False}),
        migrations.RunSQL('SELECT 1', state_operations=[migrations.AddField('item', 'extra', models.IntegerField(null=True))]),
        migrations.AlterField('item', 'extra', models.BigIntegerField(null=True)),`),
    );
    const m = r.sets[0]!.migrations.find((x) => x.name === '0002_change')!;
    expect(m.statements.map((s) => [s.kind, s.stateOnly ?? false])).toEqual([
      ['create_table', true],
      ['raw_sql', false],
      ['other', false],
      ['add_column', true],
      // The state says `extra` exists (and was integer): Django alters it as such.
      ['alter_column_type', false],
    ]);
  });
});
