/**
 * Django lowering against the real Django: every migration below is applied by Django 5.2 (the venv's) to
 * a throwaway PostgreSQL server, and the SQL its schema editor executed (test/interop/django_sql.py) is
 * read by our SQL front end. What our Django front end lowers the same migration into, by replaying the
 * model state, must be the same statements: kinds, tables, columns, PostgreSQL types, nullability,
 * defaults, constraint and index names, in the same order.
 *
 * The SQL of all migrations is read as one text, in Django's order, so the SQL front end knows column
 * types and constraints created by earlier migrations (`fromType`, `constraintType`) as replay does.
 * Statements Django runs that change no table (`SET CONSTRAINTS`, `COMMENT ON`, `ALTER SEQUENCE`) are
 * `other` in the SQL front end and not emitted by the Django one; they are left out on both sides.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintSnapshot } from '../../src/api.js';
import { loadSqlParser, parseSql, sqlFileContext } from '../../src/lang/sql/index.js';
import type { ColumnFacts, Statement } from '../../src/model/types.js';
import { normalizeType } from '../../src/postgres/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { runPython } from '../helpers/python.js';
import { startPostgres, type PgServer } from '../postgres/server.js';

const HEADER = `from django.db import migrations, models
import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.operations
import django.db.models.deletion
import django.db.models.functions
import uuid


class Migration(migrations.Migration):
`;

/** A migration module: dependencies as `app.name`, operations as written inside `operations = [...]`. */
function mig(deps: string[], ops: string, extra = ''): string {
  const d = deps.map((x) => `('${x.split('.')[0]}', '${x.split('.')[1]}')`).join(', ');
  return `${HEADER}${extra}    dependencies = [${d}]\n    operations = [\n${ops}\n    ]\n`;
}

const id = `('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'))`;
const createItem = (app: string, fields: string, options = '') =>
  `        migrations.CreateModel(name='Item', fields=[${id}, ${fields}]${options ? `, options=${options}` : ''}),`;

/** Each case is one app (plus helpers), so one Django run covers them all. */
const cases: { name: string; what: string; apps: Record<string, [string, string][]> }[] = [
  {
    name: 'widen',
    what: 'varchar(50) → varchar(100), varchar → text, integer → bigint, decimal precision',
    apps: {
      widen: [
        ['0001_initial', mig([], createItem('widen', `('name', models.CharField(max_length=50)), ('qty', models.IntegerField()), ('price', models.DecimalField(max_digits=8, decimal_places=2))`))],
        ['0002_widen', mig(['widen.0001_initial'], `        migrations.AlterField('item', 'name', models.CharField(max_length=100)),
        migrations.AlterField('item', 'qty', models.BigIntegerField()),
        migrations.AlterField('item', 'price', models.DecimalField(max_digits=12, decimal_places=2)),`)],
        ['0003_text', mig(['widen.0002_widen'], `        migrations.AlterField('item', 'name', models.TextField()),
        migrations.AlterField('item', 'qty', models.BigIntegerField(help_text='no database change')),`)],
      ],
    },
  },
  {
    name: 'nullability',
    what: 'null → not null (plain, with a constant default, with a blank CharField), not null → null',
    apps: {
      nullability: [
        ['0001_initial', mig([], createItem('nullability', `('a', models.IntegerField(null=True)), ('b', models.CharField(max_length=10, null=True)), ('c', models.CharField(max_length=10, null=True)), ('d', models.IntegerField())`))],
        ['0002_change', mig(['nullability.0001_initial'], `        migrations.AlterField('item', 'a', models.IntegerField()),
        migrations.AlterField('item', 'b', models.CharField(max_length=10, default='x')),
        migrations.AlterField('item', 'c', models.CharField(max_length=10, blank=True)),
        migrations.AlterField('item', 'd', models.IntegerField(null=True)),`)],
      ],
    },
  },
  {
    name: 'unique and db_index',
    what: 'unique on/off (constraint and LIKE index), db_index on/off, on a varchar and an integer',
    apps: {
      uniq: [
        ['0001_initial', mig([], createItem('uniq', `('code', models.CharField(max_length=10)), ('n', models.IntegerField()), ('tag', models.CharField(max_length=10, unique=True)), ('m', models.IntegerField(db_index=True))`))],
        ['0002_on', mig(['uniq.0001_initial'], `        migrations.AlterField('item', 'code', models.CharField(max_length=10, unique=True)),
        migrations.AlterField('item', 'n', models.IntegerField(db_index=True)),
        migrations.AlterField('item', 'tag', models.CharField(max_length=10)),
        migrations.AlterField('item', 'm', models.IntegerField()),`)],
        ['0003_off', mig(['uniq.0002_on'], `        migrations.AlterField('item', 'code', models.CharField(max_length=10, db_index=True)),
        migrations.AlterField('item', 'n', models.IntegerField()),
        migrations.AlterField('item', 'tag', models.CharField(max_length=12, db_index=True)),`)],
      ],
    },
  },
  {
    name: 'foreign keys',
    what: 'ForeignKey added, retargeted, renamed and removed; a target in another app',
    apps: {
      catalog: [['0001_initial', mig([], `        migrations.CreateModel(name='Brand', fields=[('id', models.AutoField(primary_key=True, serialize=False)), ('name', models.CharField(max_length=20))]),`)]],
      fk: [
        ['0001_initial', mig([], `${createItem('fk', `('name', models.CharField(max_length=10))`)}
        migrations.CreateModel(name='Box', fields=[${id}, ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='fk.item'))]),`)],
        ['0002_add', mig(['fk.0001_initial', 'catalog.0001_initial'], `        migrations.AddField('item', 'parent', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, to='fk.item')),
        migrations.AddField('item', 'brand', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to='catalog.brand')),
        migrations.AddField('box', 'loose', models.ForeignKey(null=True, db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='fk.item')),`)],
        ['0003_change', mig(['fk.0002_add'], `        migrations.AlterField('box', 'item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='catalog.brand')),
        migrations.RenameField('item', 'parent', 'up'),
        migrations.RemoveField('item', 'brand'),
        migrations.RemoveField('box', 'loose'),`)],
      ],
    },
  },
  {
    name: 'AddField defaults',
    what: 'constant, callable, db_default (expression and value), nullable, blank, auto_now_add, one-off default, positive integer',
    apps: {
      defaults: [
        ['0001_initial', mig([], createItem('defaults', `('name', models.CharField(max_length=10))`))],
        ['0002_add', mig(['defaults.0001_initial'], `        migrations.AddField('item', 'qty', models.IntegerField(default=0)),
        migrations.AddField('item', 'token', models.UUIDField(default=uuid.uuid4, unique=True)),
        migrations.AddField('item', 'created', models.DateTimeField(db_default=django.db.models.functions.Now())),
        migrations.AddField('item', 'flag', models.BooleanField(db_default=False)),
        migrations.AddField('item', 'note', models.TextField(null=True)),
        migrations.AddField('item', 'label', models.CharField(max_length=5, blank=True)),
        migrations.AddField('item', 'stamp', models.DateTimeField(auto_now_add=True)),
        migrations.AddField('item', 'size', models.PositiveIntegerField(default=1), preserve_default=False),
        migrations.AddField('item', 'data', models.JSONField(null=True, default=dict)),
        migrations.AddField('item', 'slug', models.SlugField(null=True)),
        migrations.AddField('item', 'code', models.CharField(max_length=8, null=True, unique=True)),
        migrations.AddField('item', 'tags', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=10), default=list, size=None)),
        migrations.AddField('item', 'email', models.EmailField(null=True)),`)],
        ['0003_alter', mig(['defaults.0002_add'], `        migrations.AlterField('item', 'size', models.IntegerField()),
        migrations.AlterField('item', 'flag', models.BooleanField(db_default=True)),
        migrations.AlterField('item', 'created', models.DateTimeField(null=True)),`)],
      ],
    },
  },
  {
    name: 'renames',
    what: 'RenameModel with incoming foreign keys and a M2M table, AlterModelTable, RenameField, DeleteModel',
    apps: {
      ren: [
        ['0001_initial', mig([], `${createItem('ren', `('name', models.CharField(max_length=10, db_index=True))`)}
        migrations.CreateModel(name='Box', fields=[${id}, ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='ren.item')), ('items', models.ManyToManyField(to='ren.item', related_name='+'))]),`)],
        ['0002_rename', mig(['ren.0001_initial'], `        migrations.RenameModel('Item', 'Product'),
        migrations.RenameField('product', 'name', 'title'),
        migrations.AlterModelTable('box', 'boxes'),`)],
        ['0003_delete', mig(['ren.0002_rename'], `        migrations.DeleteModel('Box'),`)],
      ],
    },
  },
  {
    name: 'indexes and constraints',
    what: 'AddIndex, RemoveIndex, unique_together on/off, CheckConstraint, UniqueConstraint plain and partial',
    apps: {
      idx: [
        ['0001_initial', mig([], createItem('idx', `('a', models.CharField(max_length=10)), ('b', models.IntegerField())`, `{'unique_together': {('a', 'b')}}`))],
        ['0002_add', mig(['idx.0001_initial'], `        migrations.AddIndex('item', models.Index(fields=['a', '-b'], name='ab_idx')),
        migrations.AddIndex('item', django.contrib.postgres.indexes.BrinIndex(fields=['b'], name='b_brin')),
        migrations.AlterUniqueTogether('item', set()),
        migrations.AddConstraint('item', models.CheckConstraint(condition=models.Q(b__gte=0), name='b_gte_0')),
        migrations.AddConstraint('item', models.UniqueConstraint(fields=['a'], name='uq_a')),
        migrations.AddConstraint('item', models.UniqueConstraint(fields=['b'], condition=models.Q(b__gt=0), name='uq_b_pos')),`)],
        ['0003_remove', mig(['idx.0002_add'], `        migrations.RemoveIndex('item', 'ab_idx'),
        migrations.RemoveConstraint('item', 'uq_a'),
        migrations.RemoveConstraint('item', 'uq_b_pos'),
        migrations.AlterUniqueTogether('item', {('b', 'a')}),`)],
      ],
    },
  },
  {
    name: 'contrib.postgres operations',
    what: 'AddIndexConcurrently, RemoveIndexConcurrently, AddConstraintNotValid, ValidateConstraint; SET NOT NULL proven by a validated check',
    apps: {
      pgops: [
        ['0001_initial', mig([], createItem('pgops', `('n', models.IntegerField()), ('m', models.IntegerField(null=True))`))],
        ['0002_concurrently', mig(['pgops.0001_initial'], `        django.contrib.postgres.operations.AddIndexConcurrently('item', models.Index(fields=['n'], name='n_idx')),
        django.contrib.postgres.operations.AddConstraintNotValid('item', models.CheckConstraint(condition=models.Q(n__gte=0), name='n_gte_0')),
        django.contrib.postgres.operations.AddConstraintNotValid('item', models.CheckConstraint(condition=models.Q(m__isnull=False), name='m_not_null')),`, '    atomic = False\n')],
        ['0003_validate', mig(['pgops.0002_concurrently'], `        django.contrib.postgres.operations.ValidateConstraint('item', 'n_gte_0'),
        django.contrib.postgres.operations.ValidateConstraint('item', 'm_not_null'),
        django.contrib.postgres.operations.RemoveIndexConcurrently('item', 'n_idx'),
        migrations.AlterField('item', 'm', models.IntegerField()),`, '    atomic = False\n')],
      ],
    },
  },
  {
    name: 'primary keys and many-to-many',
    what: 'AutoField → BigAutoField with incoming foreign keys (Django drops and re-creates them), M2M added and removed',
    apps: {
      pk: [
        ['0001_initial', mig([], `        migrations.CreateModel(name='Item', fields=[('id', models.AutoField(primary_key=True, serialize=False))]),
        migrations.CreateModel(name='Box', fields=[${id}, ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='pk.item'))]),`)],
        ['0002_big', mig(['pk.0001_initial'], `        migrations.AlterField('item', 'id', models.BigAutoField(primary_key=True, serialize=False)),
        migrations.AddField('box', 'items', models.ManyToManyField(to='pk.item')),`)],
        ['0003_drop', mig(['pk.0002_big'], `        migrations.RemoveField('box', 'items'),`)],
      ],
    },
  },
  {
    name: 'squash and SeparateDatabaseAndState',
    what: 'a squash replaces its migrations in the replay; only database_operations reach the database',
    apps: {
      sq: [
        ['0001_initial', mig([], createItem('sq', `('name', models.CharField(max_length=10))`))],
        ['0002_more', mig(['sq.0001_initial'], `        migrations.AddField('item', 'qty', models.IntegerField(null=True)),`)],
        ['0001_squashed_0002_more', mig([], createItem('sq', `('name', models.CharField(max_length=10)), ('qty', models.IntegerField(null=True))`), "    replaces = [('sq', '0001_initial'), ('sq', '0002_more')]\n")],
        ['0003_after', mig(['sq.0002_more'], `        migrations.AlterField('item', 'qty', models.BigIntegerField(default=0)),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AddField('item', 'extra', models.IntegerField(null=True))],
            state_operations=[migrations.AddField('item', 'extra', models.IntegerField(null=True, db_index=True))],
        ),`)],
        ['0004_last', mig(['sq.0003_after'], `        migrations.AlterField('item', 'extra', models.BigIntegerField(null=True, db_index=True)),`)],
      ],
    },
  },
];

function projectFiles(): Record<string, string> {
  const apps = [...new Set(cases.flatMap((c) => Object.keys(c.apps)))];
  const files: Record<string, string> = {
    'manage.py': '',
    'mysite/__init__.py': '',
    'mysite/settings.py': `INSTALLED_APPS = [${apps.map((a) => `'${a}'`).join(', ')}]\nDEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\nUSE_TZ = True\n`,
  };
  for (const c of cases) {
    for (const [app, migrations] of Object.entries(c.apps)) {
      files[`${app}/__init__.py`] = '';
      files[`${app}/migrations/__init__.py`] = '';
      for (const [name, text] of migrations) files[`${app}/migrations/${name}.py`] = text;
    }
  }
  return files;
}

type DjangoRun = { django: string; migrations: ({ app: string; name: string; sql: string[] } | { app: string; name: string; error: string })[] };

/** A statement reduced to what both front ends must agree on. */
function comparable(st: Statement): unknown {
  const type = (t: string | undefined) => {
    const n = t === undefined ? undefined : normalizeType(t);
    return n ? `${n.base}(${n.mods.join(',')})${'[]'.repeat(n.array)}` : t;
  };
  const column = (c: ColumnFacts) => ({
    name: c.name,
    type: type(c.type),
    nullable: c.nullable,
    // Django evaluates a callable default once: in its SQL it is a constant.
    default: c.default && { kind: c.default.kind === 'app-callable' ? 'constant' : c.default.kind, volatile: c.default.volatile },
    unique: c.unique ?? false,
    primaryKey: c.primaryKey ?? false,
    identity: c.identity,
    references: c.references?.table,
    checks: c.checks?.length ?? 0,
  });
  switch (st.kind) {
    case 'create_table':
      return { kind: st.kind, table: st.table, columns: st.columns.map(column), constraints: (st.constraints ?? []).map((c) => ({ type: c.type, name: c.name, columns: c.columns })) };
    case 'add_column':
      return { kind: st.kind, table: st.table, column: column(st.column) };
    case 'alter_column_type':
      return { kind: st.kind, table: st.table, column: st.column, fromType: type(st.fromType), toType: type(st.toType), using: st.using !== undefined, usingIsColumn: st.usingIsColumn ?? false };
    case 'set_default':
      return { kind: st.kind, table: st.table, column: st.column, default: { kind: st.default.kind === 'app-callable' ? 'constant' : st.default.kind, volatile: st.default.volatile } };
    case 'create_index':
      return { kind: st.kind, table: st.table, index: st.index, columns: st.columns, unique: st.unique, concurrently: st.concurrently, method: st.method, where: st.where !== undefined };
    case 'drop_index':
      return { kind: st.kind, table: st.table, index: st.index, ifExists: st.ifExists ?? false };
    case 'add_constraint':
      return { kind: st.kind, table: st.table, type: st.constraint.type, name: st.constraint.name, columns: st.constraint.columns, references: st.constraint.references, notValid: st.constraint.notValid ?? false };
    case 'drop_constraint':
      return { kind: st.kind, table: st.table, constraint: st.constraint, constraintType: st.constraintType, references: st.references };
    default: {
      const { span: _s, construct: _c, operationIndex: _o, tableIsNew: _t, reverse: _r, ...rest } = st;
      return rest;
    }
  }
}

const keep = (st: Statement) => st.kind !== 'other' && !st.stateOnly;

let server: PgServer;
let django: DjangoRun;
let ours: Awaited<ReturnType<typeof lintSnapshot>>;
/** Django's statements per `app.migration`, read by the SQL front end. */
const fromDjango = new Map<string, Statement[]>();
let dir: string;

beforeAll(async () => {
  server = await startPostgres();
  const files = projectFiles();
  dir = mkdtempSync(path.join(tmpdir(), 'migrate-lint-django-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  const { host, port, user } = server.config;
  django = JSON.parse(runPython('test/interop/django_sql.py', [dir, `postgres://${user}@${host}:${port}/migrate_lint_django`])) as DjangoRun;
  await loadSqlParser();
  // One text in Django's order: the SQL front end then knows earlier migrations' tables and columns.
  let text = '';
  const ranges: [string, number, number][] = [];
  for (const m of django.migrations) {
    if ('error' in m) continue;
    const start = text.length;
    text += m.sql.map((s) => `${s.replace(/;\s*$/, '')};\n`).join('');
    ranges.push([`${m.app}.${m.name}`, start, text.length]);
  }
  const all = parseSql(text, sqlFileContext(text));
  expect(all.diagnostics).toEqual([]);
  // A foreign key follows its referenced table when that is renamed; the SQL front end remembers the
  // name the key was created with.
  const renamed = new Map<string, string>();
  for (const st of all.statements) {
    if (st.kind === 'rename_table') for (const [k, v] of [...renamed, [st.table, st.table]]) if (v === st.table) renamed.set(k, st.newName);
    if ((st.kind === 'drop_constraint' || st.kind === 'validate_constraint') && st.references) st.references = renamed.get(st.references) ?? st.references;
  }
  for (const [key, start, end] of ranges) fromDjango.set(key, all.statements.filter((s) => s.span.offset >= start && s.span.offset < end));
  ours = await lintSnapshot(new MemorySnapshot(files), [''], { rulesToRun: [] });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Django lowering with model state = what Django executes on PostgreSQL', () => {
  it('ran the real Django', () => {
    expect(django.django).toMatch(/^\d+\.\d+/);
    expect(django.migrations.filter((m) => 'error' in m)).toEqual([]);
  });

  it('keeps what replay knows beyond the SQL: callable defaults, the check that proves NOT NULL', () => {
    const statements = (app: string, name: string) => ours.sets.find((s) => s.name === app)!.migrations.find((m) => m.name === name)!.statements;
    const token = statements('defaults', '0002_add').find((s) => s.kind === 'add_column' && s.column.name === 'token');
    expect(token?.kind === 'add_column' && token.column.default).toEqual({ kind: 'app-callable', text: 'uuid.uuid4', volatile: false });
    const notNull = [...statements('pgops', '0003_validate'), ...(fromDjango.get('pgops.0003_validate') ?? [])].filter((s) => s.kind === 'set_not_null');
    expect(notNull.map((s) => s.kind === 'set_not_null' && s.provenByCheck)).toEqual([true, true]);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.what}`, () => {
      for (const app of Object.keys(c.apps)) {
        const set = ours.sets.find((s) => s.name === app)!;
        for (const m of django.migrations.filter((x) => x.app === app)) {
          const mine = set.migrations.find((x) => x.name === m.name)!;
          const theirs = fromDjango.get(`${app}.${m.name}`) ?? [];
          const expected = theirs.filter(keep).map(comparable) as Record<string, unknown>[];
          const actual = (mine.statements.filter(keep).map(comparable) as Record<string, unknown>[]).map((st, i) => {
            const t = expected[i];
            // The SQL text does not say what a constraint created inline (UNIQUE, REFERENCES, CHECK in a
            // column definition) is when it is dropped by name later; replay knows. Compared where both know.
            if (st.kind !== 'drop_constraint' || t?.kind !== 'drop_constraint' || t.constraintType !== undefined) return st;
            return { ...st, constraintType: undefined, references: undefined };
          });
          expect(actual, `${app}.${m.name}`).toEqual(expected);
        }
      }
    });
  }
});
