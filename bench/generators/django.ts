/**
 * A Django project as `startproject` + `startapp` + years of `makemigrations` leave it: `manage.py`, the
 * settings module `mysite.settings` with INSTALLED_APPS, and per app `__init__.py`, `apps.py`,
 * `models.py`, `admin.py`, `tests.py`, `views.py` and `migrations/`.
 *
 * The history is simulated in time order: each step adds the next migration of one app, written as
 * Django 5.2's MigrationWriter writes it (kwargs sorted, imports sorted, the template's blank lines), with
 * operations that are valid against the state so far — CreateModel, AddField of many field types
 * (`preserve_default=False` where makemigrations asks for a one-off default), AlterField, RemoveField,
 * AddIndex with Django's own index naming, RunSQL, and RunPython with and without a reverse.
 *
 * The graph is valid for Django's loader by construction: apps are ordered, and an app may only depend on
 * earlier apps (a ForeignKey to another app's model depends on the migration that created the model, or
 * now and then on that app's leaf, as `makemigrations` resolves it), so no squash can close a cycle.
 * Some apps get a squash (`0001_squashed_<last>` with `replaces`, the replaced files still present, the
 * operations concatenated as `squashmigrations --no-optimize` writes them) and, unless disabled, exactly
 * one app ends with two leaves: the pending conflict.
 */
import path from 'node:path';
import { FileTree, DEFAULT_SEED, EPOCH_MS, camel, dateTime, positiveInt, type GenerateOptions, type GeneratedTree } from './tree.js';
import { Random } from './random.js';
import { DOMAINS, ENTITIES, TEXT_ATTRIBUTES, TIME_ATTRIBUTES } from './words.js';

export const DJANGO_DEFAULT_SIZE = 5000;
export const DJANGO_SETTINGS = 'mysite.settings';
const DJANGO_VERSION = '5.2.17';

export interface DjangoOptions extends GenerateOptions {
  /** Number of apps; default one per 100 migrations (50 for the default 5,000), at least 3. */
  apps?: number;
  /** Leave exactly one app with two leaves (default true). */
  conflict?: boolean;
  /** Number of squashed migrations; default one per 10 apps, at least 1. */
  squashes?: number;
}

export interface DjangoExpected {
  settings: string;
  /** Our apps, in INSTALLED_APPS order (django.contrib.auth and contenttypes come first). */
  apps: string[];
  /** The one pending conflict: the app and its two leaves, sorted as Django's `detect_conflicts` sorts them. */
  conflict: { app: string; leaves: string[] } | null;
  /** Leaves of every app after squash replacement, sorted (what `MigrationGraph.leaf_nodes(app)` gives). */
  leaves: Record<string, string[]>;
  squashes: { app: string; name: string; replaces: number }[];
  /** Migration nodes Django's graph keeps: migrations minus the ones the squashes replace. */
  graphNodes: number;
  crossAppDependencies: number;
  swappableDependencies: number;
  operations: Record<string, number>;
  nonAtomic: number;
}

// ---------------------------------------------------------------------------------------------------
// State

interface Field {
  name: string;
  cls: string;
  /** Keyword arguments as Python source, rendered sorted like Django's serializer. */
  kw: Record<string, string>;
  /** `app.model` for a ForeignKey to one of ours, `settings` for the user model. */
  fk?: string;
  indexed: boolean;
}

interface Model {
  name: string;
  fields: Field[];
  /** Migration that created it: other apps' dependencies point there. */
  createdBy: string;
}

interface App {
  label: string;
  index: number;
  models: Model[];
  /** Migration names in order (squashes excluded). */
  names: string[];
  atomic: boolean[];
  next: number;
}

type Dep = { app: string; name: string } | { swappable: true };

interface Op {
  kind: string;
  text: string;
  fragment: string | null;
  imports: string[];
  defs: string[];
}

export interface DjangoMigration {
  app: string;
  name: string;
  deps: Dep[];
  ops: Op[];
  initial: boolean;
  atomic: boolean;
  replaces?: string[];
  time: number;
  /** What `makemigrations --empty --name` was given, for data migrations. */
  customName?: string;
}

const I8 = '        ';
const I12 = '            ';
const I16 = '                ';
const py = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ID_FIELD = "models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')";

function renderField(f: Field): string {
  return `models.${f.cls}(${Object.keys(f.kw).sort().map((k) => `${k}=${f.kw[k]}`).join(', ')})`;
}

function fieldImports(f: Field): string[] {
  const out: string[] = [];
  if (f.fk) out.push('import django.db.models.deletion');
  if (f.fk === 'settings') out.push('from django.conf import settings');
  for (const v of Object.values(f.kw)) {
    if (v.startsWith('django.utils.timezone')) out.push('import django.utils.timezone');
    if (v.startsWith('uuid.')) out.push('import uuid');
  }
  return out;
}

const column = (f: Field) => (f.fk ? `${f.name}_id` : f.name);

/** The simulated project: apps, their models, and the migrations written so far. */
export class DjangoSim {
  out: DjangoMigration[] = [];
  private constructor(
    readonly rng: Random,
    public apps: App[],
    public clock: number,
    private taken: Set<string>,
    public counts: { crossApp: number; swappable: number },
  ) {}

  static create(rng: Random, appCount: number): DjangoSim {
    const apps = Array.from({ length: appCount }, (_, i): App => ({
      label: i < DOMAINS.length ? DOMAINS[i]! : `${DOMAINS[i % DOMAINS.length]}${Math.floor(i / DOMAINS.length) + 1}`,
      index: i,
      models: [],
      names: [],
      atomic: [],
      next: 1,
    }));
    return new DjangoSim(rng, apps, EPOCH_MS, new Set(), { crossApp: 0, swappable: 0 });
  }

  /** An independent copy of the state sharing the random stream (a branch of the project). */
  fork(): DjangoSim {
    return new DjangoSim(this.rng, structuredClone(this.apps), this.clock, new Set(this.taken), { ...this.counts });
  }

  private unique(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  leaf(app: App): string | null {
    return app.names[app.names.length - 1] ?? null;
  }

  /** Adds the next migration of `app`, of a seeded kind that fits its state. */
  step(app: App): DjangoMigration {
    const rng = this.rng;
    this.clock += rng.int(20, 3 * 24 * 60) * 60_000;
    const number = app.next;
    const deps: Dep[] = [];
    const prev = this.leaf(app);
    if (prev) deps.push({ app: app.label, name: prev });
    const ops: Op[] = [];
    let atomic = true;
    let customName: string | undefined;
    const initial = app.models.length === 0;
    if (initial) {
      for (let i = rng.int(1, 3); i > 0; i--) ops.push(this.createModel(app, deps, `${app.label}#${number}`));
    } else {
      const kind = rng.weighted({ addField: 30, alterField: 13, addIndex: 11, createModel: 9, addFieldIndex: 10, removeField: 4, runSQL: 6, runPython: 7, alterIndex: 4, concurrentIndex: 2 });
      const model = () => rng.pick(app.models);
      switch (kind) {
        case 'addField': {
          const m = model();
          for (let i = rng.pick([1, 1, 1, 1, 1, 1, 2, 2, 2, 3]); i > 0; i--) ops.push(this.addField(app, m, deps));
          break;
        }
        case 'addFieldIndex': {
          const m = model();
          const add = this.addField(app, m, deps);
          ops.push(add, this.addIndex(app, m, m.fields[m.fields.length - 1]!));
          break;
        }
        case 'alterField':
        case 'alterIndex': {
          const alter = this.alterField(app);
          if (alter) ops.push(alter);
          if (kind === 'alterIndex' || !alter) {
            const m = model();
            const f = this.indexable(m);
            ops.push(f ? this.addIndex(app, m, f) : this.addField(app, m, deps));
          }
          break;
        }
        case 'addIndex': {
          const m = model();
          const f = this.indexable(m);
          ops.push(f ? this.addIndex(app, m, f) : this.addField(app, m, deps));
          break;
        }
        case 'createModel':
          ops.push(this.createModel(app, deps, `${app.label}#${number}`));
          break;
        case 'removeField': {
          const m = model();
          const removable = m.fields.filter((f) => !f.fk && !f.indexed && m.fields.length > 3);
          if (removable.length === 0) {
            ops.push(this.addField(app, m, deps));
            break;
          }
          const f = rng.pick(removable);
          m.fields.splice(m.fields.indexOf(f), 1);
          ops.push({ kind: 'RemoveField', fragment: `remove_${m.name.toLowerCase()}_${f.name}`, imports: [], defs: [], text: `${I8}migrations.RemoveField(\n${I12}model_name=${py(m.name.toLowerCase())},\n${I12}name=${py(f.name)},\n${I8}),\n` });
          break;
        }
        case 'runSQL': {
          const m = model();
          const f = rng.pick(m.fields);
          const table = `${app.label}_${m.name.toLowerCase()}`;
          const col = column(f);
          const set = /Integer|Decimal|Float/.test(f.cls) && !f.fk ? '0' : f.cls === 'BooleanField' ? 'false' : /Char|Text|Slug|Email/.test(f.cls) ? `lower("${col}")` : f.cls.startsWith('Date') ? 'now()' : null;
          const sql = set === null ? `ANALYZE "${table}"` : `UPDATE "${table}" SET "${col}" = ${set} WHERE "${col}" IS NULL`;
          customName = `backfill_${m.name.toLowerCase()}_${f.name}`.slice(0, 40);
          ops.push({ kind: 'RunSQL', fragment: null, imports: [], defs: [], text: `${I8}migrations.RunSQL(\n${I12}sql=${py(sql)},\n${I12}reverse_sql=migrations.RunSQL.noop,\n${I8}),\n` });
          break;
        }
        case 'concurrentIndex': {
          // A hand-written index built without blocking writes: CONCURRENTLY cannot run in a transaction,
          // so the migration says atomic = False.
          const m = model();
          const f = rng.pick(m.fields);
          const table = `${app.label}_${m.name.toLowerCase()}`;
          const idx = this.unique(`${table.slice(0, 20)}_${column(f).slice(0, 20)}_cidx`);
          atomic = false;
          customName = `index_${m.name.toLowerCase()}_${f.name}`.slice(0, 40);
          ops.push({
            kind: 'RunSQL',
            fragment: null,
            imports: [],
            defs: [],
            text: `${I8}migrations.RunSQL(\n${I12}sql=${py(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "${idx}" ON "${table}" ("${column(f)}")`)},\n${I12}reverse_sql=${py(`DROP INDEX CONCURRENTLY IF EXISTS "${idx}"`)},\n${I8}),\n`,
          });
          break;
        }
        case 'runPython': {
          const m = model();
          ops.push(this.runPython(app, m));
          customName = `populate_${m.name.toLowerCase()}`.slice(0, 40);
          break;
        }
      }
    }
    app.next++;
    const name = `${String(number).padStart(4, '0')}_${initial ? 'initial' : (customName ?? suggestName(ops, this.clock))}`;
    const mig: DjangoMigration = { app: app.label, name, deps: dedupeDeps(deps), ops, initial, atomic, time: this.clock, ...(customName ? { customName } : {}) };
    app.names.push(name);
    app.atomic.push(atomic);
    for (const m of app.models) if (m.createdBy === `${app.label}#${number}`) m.createdBy = name;
    this.out.push(mig);
    return mig;
  }

  private fieldName(m: Model, base: string): string {
    let name = base;
    for (let i = 2; m.fields.some((f) => f.name === name); i++) name = `${base}_${i}`;
    return name;
  }

  /** A field for a new or existing model; `existing` asks for what makemigrations writes on a table with rows. */
  private newField(app: App, m: Model, deps: Dep[], existing: boolean): { field: Field; preserveDefault: boolean } {
    const rng = this.rng;
    const kind = rng.weighted({ char: 20, int: 12, bool: 9, datetime: 8, decimal: 7, text: 8, json: 4, fk: 10, date: 3, bigint: 3, email: 2, uuid: 2, slug: 2, posint: 4 });
    let preserveDefault = true;
    const f: Field = { name: rng.pick(TEXT_ATTRIBUTES), cls: 'CharField', kw: {}, indexed: false };
    // Nullable, defaulted, or required with a one-off default (preserve_default=False): the three answers
    // to makemigrations' "non-nullable field without a default" question.
    const mode = existing ? rng.weighted({ nullable: 5, default: 3, oneOff: 2 }) : rng.weighted({ required: 6, nullable: 2, default: 2 });
    switch (kind) {
      case 'char':
        f.kw.max_length = String(rng.pick([20, 32, 50, 64, 100, 128, 200, 255]));
        if (mode === 'nullable') f.kw.null = 'True';
        if (mode === 'default') f.kw.default = "''";
        if (mode === 'oneOff') (f.kw.default = "''"), (preserveDefault = false);
        if (rng.chance(0.3)) f.kw.blank = 'True';
        break;
      case 'slug':
        f.name = 'slug';
        f.cls = 'SlugField';
        f.kw.max_length = '50';
        f.indexed = true;
        if (existing || mode === 'nullable') f.kw.null = 'True';
        break;
      case 'email':
        f.name = 'email';
        f.cls = 'EmailField';
        f.kw.max_length = '254';
        f.kw.blank = 'True';
        if (mode === 'oneOff') (f.kw.default = "''"), (preserveDefault = false);
        else if (mode !== 'required') f.kw.default = "''";
        break;
      case 'int':
      case 'posint':
      case 'bigint':
        f.cls = kind === 'int' ? 'IntegerField' : kind === 'posint' ? 'PositiveIntegerField' : 'BigIntegerField';
        f.name = rng.pick(['count', 'quantity', 'position', 'priority', 'rank', 'score', 'version', 'level', 'sequence', 'duration', 'retries']);
        if (mode === 'nullable') f.kw.null = 'True';
        else if (mode === 'oneOff') (f.kw.default = '0'), (preserveDefault = false);
        else if (mode === 'default' || rng.chance(0.5)) f.kw[rng.chance(0.3) ? 'db_default' : 'default'] = String(rng.pick([0, 1, 10, 100]));
        break;
      case 'bool':
        f.cls = 'BooleanField';
        f.name = rng.pick(['is_active', 'is_public', 'is_archived', 'is_default', 'enabled', 'verified', 'locked', 'featured']);
        if (mode === 'nullable') f.kw.null = 'True';
        else f.kw[rng.chance(0.2) ? 'db_default' : 'default'] = rng.pick(['False', 'True']);
        break;
      case 'datetime':
        f.cls = 'DateTimeField';
        f.name = `${rng.pick(TIME_ATTRIBUTES)}_at`;
        if (f.name === 'created_at' && !existing) f.kw.auto_now_add = 'True';
        else if (f.name === 'updated_at') f.kw.auto_now = 'True';
        else if (mode === 'oneOff') (f.kw.default = 'django.utils.timezone.now'), (preserveDefault = false);
        else (f.kw.null = 'True'), (f.kw.blank = 'True');
        if (existing && (f.kw.auto_now || f.kw.auto_now_add) && !f.kw.default) (f.kw.default = 'django.utils.timezone.now'), (preserveDefault = false);
        break;
      case 'date':
        f.cls = 'DateField';
        f.name = `${rng.pick(TIME_ATTRIBUTES)}_on`;
        f.kw.null = 'True';
        f.kw.blank = 'True';
        break;
      case 'decimal':
        f.cls = 'DecimalField';
        f.name = rng.pick(['amount', 'total', 'price', 'balance', 'discount', 'margin', 'weight', 'rate', 'tax']);
        f.kw.max_digits = String(rng.pick([8, 10, 12, 14]));
        f.kw.decimal_places = String(rng.pick([2, 2, 4]));
        if (mode === 'nullable') f.kw.null = 'True';
        else if (mode === 'oneOff') (f.kw.default = '0'), (preserveDefault = false);
        else f.kw.default = "'0'";
        break;
      case 'text':
        f.cls = 'TextField';
        f.name = rng.pick(['description', 'note', 'summary', 'comment', 'body', 'details', 'instructions', 'notes']);
        f.kw.blank = 'True';
        if (mode === 'nullable') f.kw.null = 'True';
        else if (mode === 'oneOff') (f.kw.default = "''"), (preserveDefault = false);
        else if (mode === 'default' || rng.chance(0.5)) f.kw.default = "''";
        break;
      case 'json':
        f.cls = 'JSONField';
        f.name = rng.pick(['metadata', 'settings', 'payload', 'extra', 'attributes', 'flags']);
        if (mode === 'nullable' || rng.chance(0.4)) (f.kw.null = 'True'), (f.kw.blank = 'True');
        else f.kw.default = 'dict';
        break;
      case 'uuid':
        f.cls = 'UUIDField';
        f.name = rng.pick(['uuid', 'public_id', 'external_id']);
        f.kw.default = 'uuid.uuid4';
        f.kw.editable = 'False';
        if (rng.chance(0.5)) (f.kw.unique = 'True'), (f.indexed = true);
        break;
      case 'fk': {
        const target = this.fkTarget(app, deps);
        if (!target) return this.newField(app, m, deps, existing);
        f.cls = 'ForeignKey';
        f.fk = target.fk;
        f.name = target.name;
        f.indexed = true;
        f.kw.to = target.to;
        if (existing || mode === 'nullable') (f.kw.null = 'True'), (f.kw.blank = 'True'), (f.kw.on_delete = 'django.db.models.deletion.SET_NULL');
        else f.kw.on_delete = `django.db.models.deletion.${rng.pick(['CASCADE', 'CASCADE', 'PROTECT'])}`;
        if (rng.chance(0.3)) f.kw.related_name = py(`${m.name.toLowerCase()}_${target.name}s`);
        break;
      }
    }
    f.name = this.fieldName(m, f.name);
    return { field: f, preserveDefault };
  }

  /** A model this app may point at: its own, an earlier app's (with the dependency), or the user model. */
  private fkTarget(app: App, deps: Dep[]): { fk: string; name: string; to: string } | null {
    const rng = this.rng;
    if (rng.chance(0.12)) {
      deps.push({ swappable: true });
      this.counts.swappable++;
      return { fk: 'settings', name: rng.pick(['owner', 'created_by', 'user', 'assignee', 'author']), to: 'settings.AUTH_USER_MODEL' };
    }
    const earlier = this.apps.slice(0, app.index).filter((a) => a.models.length > 0 && a.names.length > 0);
    if (earlier.length > 0 && rng.chance(0.55)) {
      const other = rng.pick(earlier);
      const target = rng.pick(other.models);
      // makemigrations depends on the other app's leaf when it cannot tell which migration holds the model;
      // hand-tidied histories point at the migration that created it.
      const dep = rng.chance(0.25) ? this.leaf(other)! : target.createdBy;
      deps.push({ app: other.label, name: dep });
      this.counts.crossApp++;
      return { fk: `${other.label}.${target.name.toLowerCase()}`, name: target.name.toLowerCase(), to: py(`${other.label}.${target.name.toLowerCase()}`) };
    }
    const own = app.models;
    if (own.length === 0) return null;
    const target = rng.pick(own);
    return { fk: `${app.label}.${target.name.toLowerCase()}`, name: target.name.toLowerCase(), to: py(`${app.label}.${target.name.toLowerCase()}`) };
  }

  private createModel(app: App, deps: Dep[], createdBy: string): Op {
    const rng = this.rng;
    let name = camel([rng.pick(ENTITIES)]);
    if (app.models.some((m) => m.name === name)) name = camel([rng.pick(ENTITIES), rng.pick(ENTITIES)]);
    for (let i = 2; app.models.some((m) => m.name === name); i++) name = `${name}${i}`;
    const m: Model = { name, fields: [], createdBy };
    const lines = [`${I16}('id', ${ID_FIELD}),\n`];
    const imports: string[] = [];
    for (let i = rng.int(2, 7); i > 0; i--) {
      const { field } = this.newField(app, m, deps, false);
      m.fields.push(field);
      imports.push(...fieldImports(field));
      lines.push(`${I16}(${py(field.name)}, ${renderField(field)}),\n`);
    }
    app.models.push(m);
    const options = rng.chance(0.2) ? `${I12}options={'ordering': [${py(`-${m.fields[0]!.name}`)}]},\n` : '';
    return { kind: 'CreateModel', fragment: name.toLowerCase(), imports, defs: [], text: `${I8}migrations.CreateModel(\n${I12}name=${py(name)},\n${I12}fields=[\n${lines.join('')}${I12}],\n${options}${I8}),\n` };
  }

  private addField(app: App, m: Model, deps: Dep[]): Op {
    const { field, preserveDefault } = this.newField(app, m, deps, true);
    const stored: Field = preserveDefault ? field : { ...field, kw: Object.fromEntries(Object.entries(field.kw).filter(([k]) => k !== 'default')) };
    m.fields.push(stored);
    const lower = m.name.toLowerCase();
    return {
      kind: 'AddField',
      fragment: `${lower}_${field.name}`,
      imports: fieldImports(field),
      defs: [],
      text: `${I8}migrations.AddField(\n${I12}model_name=${py(lower)},\n${I12}name=${py(field.name)},\n${I12}field=${renderField(field)},\n${preserveDefault ? '' : `${I12}preserve_default=False,\n`}${I8}),\n`,
    };
  }

  private indexable(m: Model): Field | undefined {
    const candidates = m.fields.filter((f) => !f.indexed && !f.fk && f.cls !== 'JSONField' && f.cls !== 'TextField');
    return candidates.length ? this.rng.pick(candidates) : undefined;
  }

  /** `Index.set_name_with_model`: table[:11], first column[:7], a 6-character digest, `_idx` (≤ 30). */
  private addIndex(app: App, m: Model, f: Field): Op {
    const table = `${app.label}_${m.name.toLowerCase()}`;
    let name: string;
    do name = `${table.slice(0, 11)}_${column(f).slice(0, 7)}_${this.rng.hex(6)}_idx`;
    while (this.taken.has(name));
    this.taken.add(name);
    f.indexed = true;
    const lower = m.name.toLowerCase();
    return {
      kind: 'AddIndex',
      fragment: `${lower}_${name}`,
      imports: [],
      defs: [],
      text: `${I8}migrations.AddIndex(\n${I12}model_name=${py(lower)},\n${I12}index=models.Index(fields=[${py(f.name)}], name=${py(name)}),\n${I8}),\n`,
    };
  }

  private alterField(app: App): Op | null {
    const rng = this.rng;
    const candidates = app.models.flatMap((m) => m.fields.filter((f) => ['CharField', 'IntegerField', 'BooleanField', 'DecimalField', 'TextField', 'DateTimeField'].includes(f.cls) && !f.kw.auto_now && !f.kw.auto_now_add).map((f) => [m, f] as const));
    if (candidates.length === 0) return null;
    const [m, f] = rng.pick(candidates);
    const kw = { ...f.kw };
    let cls = f.cls;
    switch (f.cls) {
      case 'CharField':
        kw.max_length = String(Math.min(1024, Number(kw.max_length) * 2));
        break;
      case 'IntegerField':
        if (kw.null) {
          delete kw.null;
          kw.default = '0';
        } else cls = 'BigIntegerField';
        break;
      case 'BooleanField':
        if (kw.default) kw.default = kw.default === 'True' ? 'False' : 'True';
        else if (kw.db_default) kw.db_default = kw.db_default === 'True' ? 'False' : 'True';
        else kw.help_text = py('Set by the nightly job.');
        break;
      case 'DecimalField':
        kw.max_digits = String(Number(kw.max_digits) + 2);
        break;
      case 'TextField':
      case 'DateTimeField':
        if (kw.null) kw.help_text = py(`When the ${m.name.toLowerCase()} changed.`);
        else kw.null = 'True';
        break;
    }
    f.kw = kw;
    f.cls = cls;
    const lower = m.name.toLowerCase();
    return {
      kind: 'AlterField',
      fragment: `alter_${lower}_${f.name}`,
      imports: fieldImports(f),
      defs: [],
      text: `${I8}migrations.AlterField(\n${I12}model_name=${py(lower)},\n${I12}name=${py(f.name)},\n${I12}field=${renderField(f)},\n${I8}),\n`,
    };
  }

  private runPython(app: App, m: Model): Op {
    const rng = this.rng;
    const lower = m.name.toLowerCase();
    const fn = this.unique(`populate_${app.label}_${lower}`);
    const f = rng.pick(m.fields);
    const body = rng.chance(0.5)
      ? `    ${m.name} = apps.get_model(${py(app.label)}, ${py(m.name)})\n    ${m.name}.objects.filter(${f.name}__isnull=True).update(${f.name}=None)\n`
      : `    ${m.name} = apps.get_model(${py(app.label)}, ${py(m.name)})\n    for obj in ${m.name}.objects.all().iterator(chunk_size=1000):\n        obj.save(update_fields=[${py(f.name)}])\n`;
    const defs = [`def ${fn}(apps, schema_editor):\n${body}`];
    const reverse = rng.weighted({ function: 4, noop: 4, none: 2 });
    let call: string;
    if (reverse === 'function') {
      defs.push(`def un${fn}(apps, schema_editor):\n    pass\n`);
      call = `migrations.RunPython(${fn}, un${fn})`;
    } else if (reverse === 'noop') call = `migrations.RunPython(${fn}, migrations.RunPython.noop)`;
    else call = `migrations.RunPython(${fn})`;
    return { kind: 'RunPython', fragment: null, imports: [], defs, text: `${I8}${call},\n` };
  }
}

/** `Migration.suggest_name` (django/db/migrations/migration.py, 4.0+). */
function suggestName(ops: readonly Op[], time: number): string {
  const fragments = ops.map((o) => o.fragment).filter((f): f is string => !!f).map((f) => f.replace(/\W+/g, '_'));
  if (fragments.length === 0 || fragments.length !== ops.length) {
    const t = new Date(time);
    const p = (n: number) => String(n).padStart(2, '0');
    return `auto_${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}_${p(t.getUTCHours())}${p(t.getUTCMinutes())}`;
  }
  let name = fragments[0]!;
  for (const f of fragments.slice(1)) {
    const next = `${name}_${f}`;
    if (next.length > 52) return `${name}_and_more`;
    name = next;
  }
  return name;
}

function depKey(d: Dep): string {
  return 'swappable' in d ? '\u0000swappable' : `${d.app}\u0001${d.name}`;
}

function dedupeDeps(deps: readonly Dep[]): Dep[] {
  const seen = new Map<string, Dep>();
  for (const d of deps) seen.set(depKey(d), d);
  // The writer sorts dependencies; the swappable key ('__setting__', …) sorts first.
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
}

/** Django 5.2's MIGRATION_TEMPLATE, plus module-level functions for RunPython as people write them. */
export function renderDjangoMigration(m: DjangoMigration): string {
  const imports = new Set(['from django.db import migrations, models']);
  if (m.deps.some((d) => 'swappable' in d)) imports.add('from django.conf import settings');
  for (const op of m.ops) for (const i of op.imports) imports.add(i);
  const sorted = [...imports].sort((a, b) => {
    const ka = [a.split(' ')[0] === 'from' ? 1 : 0, a.split(' ')[1]!] as const;
    const kb = [b.split(' ')[0] === 'from' ? 1 : 0, b.split(' ')[1]!] as const;
    return ka[0] - kb[0] || (ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0);
  });
  const defs = m.ops.flatMap((o) => o.defs);
  const deps = m.deps.map((d) => ('swappable' in d ? `${I8}migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n` : `${I8}(${py(d.app)}, ${py(d.name)}),\n`)).join('');
  const replaces = m.replaces ? `\n    replaces = [${m.replaces.map((r) => `(${py(m.app)}, ${py(r)})`).join(', ')}]\n` : '';
  return (
    `# Generated by Django ${DJANGO_VERSION} on ${dateTime(m.time)}\n\n` +
    `${sorted.join('\n')}\n` +
    (defs.length ? `\n\n${defs.join('\n\n')}` : '') +
    `\n\nclass Migration(migrations.Migration):\n` +
    replaces +
    (m.initial ? '\n    initial = True\n' : '') +
    (m.atomic ? '' : '\n    atomic = False\n') +
    `\n    dependencies = [\n${deps}    ]\n\n    operations = [\n${m.ops.map((o) => o.text).join('')}    ]\n`
  );
}

// ---------------------------------------------------------------------------------------------------
// The project around the migrations

export function djangoProjectFiles(tree: FileTree, labels: readonly string[]): void {
  tree.add(
    'manage.py',
    `#!/usr/bin/env python\n"""Django's command-line utility for administrative tasks."""\nimport os\nimport sys\n\n\ndef main():\n    """Run administrative tasks."""\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', '${DJANGO_SETTINGS}')\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == '__main__':\n    main()\n`,
  );
  tree.add('mysite/__init__.py', '');
  tree.add(
    'mysite/settings.py',
    `"""Settings of a generated benchmark project (bench/generators/django.ts)."""\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n\nSECRET_KEY = 'benchmark-only'\nDEBUG = True\nALLOWED_HOSTS = []\nUSE_TZ = True\nDEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\n\nINSTALLED_APPS = [\n    'django.contrib.auth',\n    'django.contrib.contenttypes',\n${labels.map((l) => `    '${l}',\n`).join('')}]\n\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'mysite',\n    }\n}\n`,
  );
  for (const label of labels) {
    tree.add(`${label}/__init__.py`, '');
    tree.add(`${label}/migrations/__init__.py`, '');
    tree.add(`${label}/apps.py`, `from django.apps import AppConfig\n\n\nclass ${camel(label.split('_'))}Config(AppConfig):\n    default_auto_field = 'django.db.models.BigAutoField'\n    name = '${label}'\n`);
    tree.add(`${label}/models.py`, 'from django.db import models\n\n# Create your models here.\n');
    tree.add(`${label}/admin.py`, 'from django.contrib import admin\n\n# Register your models here.\n');
    tree.add(`${label}/tests.py`, 'from django.test import TestCase\n\n# Create your tests here.\n');
    tree.add(`${label}/views.py`, 'from django.shortcuts import render\n\n# Create your views here.\n');
  }
}

export const djangoMigrationPath = (m: DjangoMigration) => `${m.app}/migrations/${m.name}.py`;

/** A squash of `app`'s migrations 1..k (`squashmigrations <app> <k>`), replaced files kept. */
function squash(sim: DjangoSim, app: App): DjangoMigration | null {
  const byName = new Map(sim.out.filter((m) => m.app === app.label && !m.replaces).map((m) => [m.name, m]));
  // Only an atomic prefix: a squash runs in one transaction, so it stops before a non-atomic migration.
  let atomicPrefix = 0;
  while (atomicPrefix < app.names.length && app.atomic[atomicPrefix]) atomicPrefix++;
  const max = Math.min(atomicPrefix, app.names.length - 1, 40);
  if (max < 3) return null;
  const k = sim.rng.int(Math.min(3, max), max);
  const replaced = app.names.slice(0, k).map((n) => byName.get(n)!);
  const external = replaced.flatMap((m) => m.deps.filter((d) => 'swappable' in d || d.app !== app.label));
  sim.clock += 60_000 * 60;
  const last = replaced[replaced.length - 1]!;
  const m: DjangoMigration = {
    app: app.label,
    name: `0001_squashed_${last.name}`,
    deps: dedupeDeps(external),
    ops: replaced.flatMap((r) => r.ops),
    initial: true,
    atomic: true,
    replaces: replaced.map((r) => r.name),
    time: sim.clock,
  };
  sim.out.push(m);
  return m;
}

export interface DjangoPlan {
  sim: DjangoSim;
  labels: string[];
  /** Apps in the order their steps were taken; `runSchedule` consumes it. */
  schedule: number[];
  squashAt: Map<number, number>;
  /** Apps that may stand in for a squash app that cannot be squashed (too few atomic migrations). */
  squashPool: number[];
  squashes: DjangoMigration[];
  conflictApp: number | null;
}

/**
 * Plans a project of `total` migration files: apps, how many migrations each gets (seeded weights), the
 * order in time, where squashes happen and which app will hold the conflict (its last two
 * migrations are the two leaves, so they are not in the schedule).
 */
export function planDjango(rng: Random, total: number, opts: { apps: number; squashes: number; conflict: boolean }): DjangoPlan {
  const sim = DjangoSim.create(rng, opts.apps);
  const regular = total - opts.squashes - (opts.conflict ? 2 : 0);
  if (regular < opts.apps * 4) throw new Error(`size ${total} is too small for ${opts.apps} apps (at least ${opts.apps * 4 + opts.squashes + 2} migrations)`);
  const weights = sim.apps.map(() => 0.5 + rng.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(4, Math.floor((regular * w) / sum)));
  for (let i = 0, have = counts.reduce((a, b) => a + b, 0); have !== regular; i = (i + 1) % counts.length) {
    if (have < regular) (counts[i]!++, have++);
    else if (counts[i]! > 4) (counts[i]!--, have--);
  }
  // The conflict and the squashes go to different apps with the most migrations.
  const bySize = counts.map((c, i) => [c, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i);
  const conflictApp = opts.conflict ? bySize[Math.floor(rng.next() * Math.min(5, bySize.length))]! : null;
  const squashApps = bySize.filter((i) => i !== conflictApp).slice(0, Math.max(opts.squashes * 3, opts.squashes));
  rng.shuffle(squashApps);
  const schedule = counts.flatMap((c, i) => Array.from({ length: c }, () => i));
  rng.shuffle(schedule);
  // Squashes happen in the second half of the history, each after its own step.
  const squashAt = new Map<number, number>();
  for (const a of squashApps.slice(0, opts.squashes)) {
    let at = rng.int(Math.floor(schedule.length * 0.5), schedule.length - 1);
    while (squashAt.has(at)) at = at + 1 < schedule.length ? at + 1 : Math.floor(schedule.length * 0.5);
    squashAt.set(at, a);
  }
  return { sim, labels: sim.apps.map((a) => a.label), schedule, squashAt, squashPool: squashApps.slice(opts.squashes), squashes: [], conflictApp };
}

/** Runs steps `from`..`to` of the plan (a squash is made after the step it is scheduled at). */
export function runSchedule(plan: DjangoPlan, from: number, to: number, onStep?: (m: DjangoMigration[]) => void): void {
  for (let i = from; i < to; i++) {
    const made = [plan.sim.step(plan.sim.apps[plan.schedule[i]!]!)];
    const s = plan.squashAt.get(i);
    if (s !== undefined) {
      // An app whose first migrations are not atomic can never be squashed: another app stands in.
      let m = squash(plan.sim, plan.sim.apps[s]!);
      for (let k = 0; !m && k < plan.squashPool.length; k++) {
        m = squash(plan.sim, plan.sim.apps[plan.squashPool[k]!]!);
        if (m) plan.squashPool.splice(k, 1);
      }
      if (m) {
        plan.squashes.push(m);
        made.push(m);
      } else {
        // Not enough atomic migrations yet: try again at the next free step (dropped past the end; the
        // caller keeps the count exact).
        let at = i + 1;
        while (plan.squashAt.has(at)) at++;
        if (at < plan.schedule.length) plan.squashAt.set(at, s);
      }
    }
    onStep?.(made);
  }
}

/** Two branches each add a child of `app`'s leaf (what two pull requests merged one after the other leave). */
export function conflictPair(sim: DjangoSim, app: number): [DjangoMigration, DjangoMigration] {
  const left = sim.fork();
  let right = sim.fork();
  const a = left.step(left.apps[app]!);
  let b = right.step(right.apps[app]!);
  // Two files cannot share a name: draw the second branch again from the branch point.
  while (b.name === a.name) {
    right = sim.fork();
    b = right.step(right.apps[app]!);
  }
  // Both leaves are files of this project: record them on the main simulation (its state stays the
  // branch point's, which is all later expectations need).
  sim.out.push(a, b);
  sim.clock = Math.max(left.clock, right.clock);
  return [a, b];
}

export function djangoDefaults(size: number, opts: DjangoOptions): { apps: number; squashes: number; conflict: boolean } {
  const apps = positiveInt(opts.apps, Math.max(3, Math.round(size / 100)), 'apps');
  const squashes = opts.squashes ?? Math.max(1, Math.round(apps / 10));
  return { apps, squashes, conflict: opts.conflict ?? true };
}

/** What `expected` says about a finished simulation's files. */
export function djangoExpected(plan: DjangoPlan, migrations: readonly DjangoMigration[], conflict: [DjangoMigration, DjangoMigration] | null): DjangoExpected {
  const leaves: Record<string, string[]> = {};
  for (const label of plan.labels) {
    const own = migrations.filter((m) => m.app === label);
    const replaced = new Set(own.flatMap((m) => m.replaces ?? []));
    const live = own.filter((m) => !replaced.has(m.name));
    const parents = new Set(live.flatMap((m) => m.deps.filter((d): d is { app: string; name: string } => !('swappable' in d) && d.app === label).map((d) => d.name)));
    // A dependency on a replaced migration points at its squash once Django has replaced it.
    for (const s of live.filter((m) => m.replaces)) if (s.replaces!.some((r) => parents.has(r))) parents.add(s.name);
    leaves[label] = live.filter((m) => !parents.has(m.name)).map((m) => m.name).sort();
  }
  const operations: Record<string, number> = {};
  for (const m of migrations) if (!m.replaces) for (const op of m.ops) operations[op.kind] = (operations[op.kind] ?? 0) + 1;
  const replacedCount = migrations.reduce((n, m) => n + (m.replaces?.length ?? 0), 0);
  return {
    settings: DJANGO_SETTINGS,
    apps: plan.labels,
    conflict: conflict ? { app: conflict[0].app, leaves: [conflict[0].name, conflict[1].name].sort() } : null,
    leaves,
    squashes: plan.squashes.map((s) => ({ app: s.app, name: s.name, replaces: s.replaces!.length })),
    graphNodes: migrations.length - replacedCount,
    crossAppDependencies: plan.sim.counts.crossApp,
    swappableDependencies: plan.sim.counts.swappable,
    operations,
    nonAtomic: migrations.filter((m) => !m.atomic).length,
  };
}

/** Builds the whole project in memory. */
export function buildDjango(opts: DjangoOptions = {}): { tree: FileTree; migrations: DjangoMigration[]; expected: DjangoExpected; size: number; seed: number } {
  const size = positiveInt(opts.size, DJANGO_DEFAULT_SIZE, 'size');
  const seed = opts.seed ?? DEFAULT_SEED;
  const rng = new Random(seed);
  const d = djangoDefaults(size, opts);
  const plan = planDjango(rng, size, d);
  runSchedule(plan, 0, plan.schedule.length);
  // A squash scheduled at the very end that never found enough atomic migrations is dropped; keep the
  // count exact by adding regular steps instead.
  while (plan.sim.out.length < size - (d.conflict ? 2 : 0)) plan.sim.step(plan.sim.apps[plan.schedule[plan.sim.out.length % plan.schedule.length]!]!);
  const conflict = plan.conflictApp !== null ? conflictPair(plan.sim, plan.conflictApp) : null;
  const migrations = plan.sim.out;
  const tree = new FileTree();
  djangoProjectFiles(tree, plan.labels);
  for (const m of migrations) tree.add(djangoMigrationPath(m), renderDjangoMigration(m));
  return { tree, migrations, expected: djangoExpected(plan, migrations, conflict), size, seed };
}

export async function generateDjango(dir: string, opts: DjangoOptions = {}): Promise<GeneratedTree<DjangoExpected>> {
  const built = buildDjango(opts);
  built.tree.write(dir);
  return { kind: 'django', root: path.resolve(dir), seed: built.seed, size: built.size, files: built.tree.files.size, bytes: built.tree.bytes, migrations: built.migrations.length, expected: built.expected };
}
