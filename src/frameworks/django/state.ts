/**
 * Django model state, replayed statically across a project's migrations, and the database it leaves.
 *
 * Django lowers an operation with the state before it: `AlterField` compares the old field with the new
 * one (`BaseDatabaseSchemaEditor._alter_field`), `RemoveField` of a `ForeignKey` drops `<name>_id`, a
 * `ForeignKey` column takes its target's primary key type. Two layers are kept, as Django has them:
 *
 * - `ProjectState`: the models as the migrations declare them (django/db/migrations/state.py
 *   `ProjectState`, each operation's `state_forwards`), fields read statically into `FieldDecl`s;
 * - `Catalog`: the constraints and indexes the statements created, by name, per table: what Django's
 *   schema editor looks up in the live database (`_constraint_names`, backed by the PostgreSQL
 *   introspection's `get_constraints`) before it drops a unique constraint, an index or a foreign key.
 *
 * Replay is static. A model defined outside the repository, a field that cannot be read, an operation
 * that is not understood (a custom operation, an unreadable list) leave what they touch unknown, and the
 * lowering then falls back to what the operation alone says: nothing is guessed.
 */
import { createHash } from 'node:crypto';
import type { Statement } from '../../model/types.js';

/** The `to` side of a relation field (django/db/models/fields/related.py). */
export interface Relation {
  /** The target as `app_label.model_name` (lowercase), or null when it cannot be read statically. */
  to: string | null;
  /** `to_field=`: the target field, when not the primary key. */
  toField?: string;
  /** `db_constraint=False` creates no FOREIGN KEY constraint. */
  dbConstraint: boolean;
  /** ManyToManyField: no column; an intermediate table unless `through=` names a model. */
  many: boolean;
  /** ManyToManyField(through=...): the table belongs to that model. */
  through?: boolean;
  /** ManyToManyField(db_table=...). */
  dbTable?: string;
}

/** A field as a migration declares it, read statically from its constructor call. */
export interface FieldDecl {
  /** The class name as written, without the module: `CharField`, `ForeignKey`, `ArrayField`. */
  cls: string;
  /** False when the declaration could not be read (not a call, `**kwargs`): nothing below is known. */
  known: boolean;
  null: boolean;
  blank: boolean;
  unique: boolean;
  primaryKey: boolean;
  /** `db_index`, defaulting to True for `ForeignKey`/`OneToOneField` and `SlugField` as Django does. */
  dbIndex: boolean;
  maxLength?: number;
  maxDigits?: number;
  decimalPlaces?: number;
  dbColumn?: string;
  /** `default=`: a constant, or a callable Django evaluates once (`uuid.uuid4`, `timezone.now`). */
  default?: { kind: 'constant' | 'app-callable'; text: string; isNone: boolean };
  /** `db_default=` (Django ≥ 5.0): a value or an expression the database evaluates. */
  dbDefault?: { kind: 'constant' | 'db-expression'; text: string; volatile?: boolean };
  /** `auto_now` / `auto_now_add`: the effective default is "now", computed by the application. */
  autoNow: boolean;
  dbComment?: string;
  dbCollation?: string;
  relation?: Relation;
  /** ArrayField's `base_field` and `size`. */
  base?: FieldDecl;
  size?: number;
  /** GeneratedField. */
  generated?: { expression: string; persisted: boolean; output?: FieldDecl };
  /** Other keyword arguments that reach `deconstruct()` (`serialize=False`, `db_tablespace=...`), as
   *  written; for uncovered declarations, the whole text. */
  extra: string[];
}

/**
 * What `Field.deconstruct()` returns without the attributes that never reach the database
 * (`Field.non_db_attrs`): two declarations with equal signatures alter nothing
 * (`BaseDatabaseSchemaEditor._field_should_be_altered`, which also drops `to` when both targets have the
 * same table, and `db_comment` where asked).
 */
export function fieldSignature(f: FieldDecl, opts: { ignoreTo?: boolean; ignoreComment?: boolean } = {}): string {
  if (!f.known) return `?${f.extra.join()}`;
  const rel = f.relation && (opts.ignoreTo ? { ...f.relation, to: undefined } : f.relation);
  return JSON.stringify([
    f.cls, f.null, f.unique, f.primaryKey, f.dbIndex, f.autoNow, f.maxLength, f.maxDigits, f.decimalPlaces, f.default?.text, f.dbDefault?.text,
    opts.ignoreComment ? undefined : f.dbComment, f.dbCollation, rel, f.base && fieldSignature(f.base), f.size, f.generated, f.extra,
  ]);
}

/** `models.Index(...)` and the contrib.postgres index classes. */
export interface IndexDecl {
  name?: string;
  /** Field names as written, `-name` for descending. */
  fields: string[];
  /** Access method when not btree (`GinIndex` → `gin`). */
  method?: string;
  condition?: string;
  include?: string[];
  expressions: boolean;
  opclasses: boolean;
}

/** `CheckConstraint`, `UniqueConstraint`, `ExclusionConstraint`. */
export interface ConstraintDecl {
  name?: string;
  type: 'check' | 'unique' | 'exclusion' | 'unknown';
  fields?: string[];
  /** Check constraint: the condition as written (Python, not SQL). */
  expression?: string;
  /** Check constraint `Q(<field>__isnull=False)`: Django compiles it to `"<column>" IS NOT NULL`. */
  notNullField?: string;
  /** UniqueConstraint forms PostgreSQL gets as a unique index, not a constraint
   *  (`condition`, `include`, `opclasses`, expressions, `nulls_distinct`): `_unique_sql`. */
  asIndex: boolean;
  condition?: string;
  include?: string[];
  deferrable?: boolean;
}

export interface ModelOptions {
  dbTable?: string;
  managed: boolean;
  proxy: boolean;
  uniqueTogether: string[][];
  indexTogether: string[][];
  indexes: IndexDecl[];
  constraints: ConstraintDecl[];
  /** False when `options` could not be read. */
  known: boolean;
}

export interface FieldState {
  name: string;
  decl: FieldDecl;
  /** The migration (`app\0name`) that last set this field, for the ancestry check in `knows`. */
  by: string;
  /** Created by the model state itself, not by a migration: the implicit `id` (`Options._prepare`). */
  autoCreated?: boolean;
}

export interface ModelState {
  app: string;
  /** As the migration wrote it (`Item`); keys are lowercase. */
  name: string;
  key: string;
  table: string;
  /** `db_table` was set: RenameModel keeps the table (`AlterModelTable` semantics). */
  explicitTable: boolean;
  fields: Map<string, FieldState>;
  options: ModelOptions;
  by: string;
}

/** `app_label.model_name`, lowercase, as Django keys models in `ProjectState.models`. */
export function modelKey(app: string, model: string): string {
  return `${app}.${model.toLowerCase()}`;
}

/** PostgreSQL's identifier length limit (NAMEDATALEN - 1), `DatabaseOperations.max_name_length`. */
const MAX_NAME = 63;

/** django/db/backends/utils.py `names_digest`: md5 over the arguments, hex, first `length` chars. */
export function namesDigest(args: string[], length: number): string {
  const h = createHash('md5');
  for (const a of args) h.update(a, 'utf8');
  return h.digest('hex').slice(0, length);
}

/** django/db/backends/utils.py `truncate_name`: long names keep a prefix and a 4-char digest. */
export function truncateName(name: string, length = MAX_NAME, hashLen = 4): string {
  if (name.length <= length) return name;
  return name.slice(0, length - hashLen) + namesDigest([name], hashLen);
}

/**
 * `BaseDatabaseSchemaEditor._create_index_name`: the name Django gives an index, a unique constraint
 * (`_uniq`), a foreign key (`_fk_<table>_<column>`), a check (`_check`), a LIKE index (`_like`).
 */
export function djangoIndexName(table: string, columns: string[], suffix = ''): string {
  let hashSuffix = namesDigest([table, ...columns], 8) + suffix;
  const full = `${table}_${columns.join('_')}_${hashSuffix}`;
  if (full.length <= MAX_NAME) return full;
  if (hashSuffix.length > MAX_NAME / 3) hashSuffix = hashSuffix.slice(0, Math.floor(MAX_NAME / 3));
  const other = Math.floor((MAX_NAME - hashSuffix.length) / 2) - 1;
  let name = `${table.slice(0, other)}_${columns.join('_').slice(0, other)}_${hashSuffix}`;
  if (name[0] === '_' || /^[0-9]/.test(name)) name = `D${name.slice(0, -1)}`;
  return name;
}

/**
 * The name PostgreSQL gives a constraint declared without one (`makeObjectName` in
 * src/backend/commands/indexcmds.c): `<table>_<column>_<label>`, the two names shortened, longer one
 * first, to fit 63 bytes. A clash with an existing name would add a number; that is not modelled.
 */
export function pgObjectName(name1: string, name2: string | null, label: string): string {
  const overhead = label.length + 1 + (name2 !== null ? 1 : 0);
  const avail = MAX_NAME - overhead;
  let n1 = name1.length;
  let n2 = name2?.length ?? 0;
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  return `${name1.slice(0, n1)}${name2 !== null ? `_${name2.slice(0, n2)}` : ''}_${label}`;
}

/** One constraint or index as `get_constraints` reports it. */
interface CatalogEntry {
  name: string;
  kind: 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'index';
  columns: string[];
  /** Index: `indisunique`. */
  unique?: boolean;
  /** Index: a plain btree index, introspected with type `idx` (`Index.suffix`). */
  basic?: boolean;
  /** Foreign key: the referenced table. */
  references?: string;
  /** Check: the column a `CHECK (column IS NOT NULL)` proves NOT NULL. */
  notNull?: string;
  /** Check or foreign key: validated (not `NOT VALID`, or validated since). */
  valid?: boolean;
}

/** The column of a check that is only `column IS NOT NULL` (what SET NOT NULL can trust). */
function notNullColumn(expression: string | undefined): string | undefined {
  return /^\(*\s*"?([A-Za-z_][\w$]*)"?\s+IS\s+NOT\s+NULL\s*\)*$/i.exec(expression ?? '')?.[1];
}

export interface ConstraintQuery {
  unique?: boolean;
  primaryKey?: boolean;
  index?: boolean;
  foreignKey?: boolean;
  check?: boolean;
  /** Only plain btree indexes (`type_=Index.suffix`). */
  basicIndex?: boolean;
  exclude?: Set<string>;
}

/**
 * The constraints and indexes of the tables the replayed statements created, kept in step with every
 * statement (Django's and RunSQL's), as PostgreSQL's catalog would be. Tables created outside the replay
 * are unknown: lookups on them return null.
 */
export class Catalog {
  private readonly tables = new Map<string, CatalogEntry[]>();

  /** `_constraint_names(model, columns, ...)`: matching names, or null when the table is unknown. */
  names(table: string, columns: string[] | null, q: ConstraintQuery = {}): CatalogEntry[] | null {
    const entries = this.tables.get(table);
    if (!entries) return null;
    const out = entries.filter((e) => {
      if (columns && (e.columns.length !== columns.length || e.columns.some((c, i) => c !== columns[i]))) return false;
      if (q.unique !== undefined && (e.kind === 'primary_key' || e.kind === 'unique' || (e.kind === 'index' && !!e.unique)) !== q.unique) return false;
      if (q.primaryKey !== undefined && (e.kind === 'primary_key') !== q.primaryKey) return false;
      if (q.index !== undefined && (e.kind === 'index') !== q.index) return false;
      if (q.foreignKey && e.kind !== 'foreign_key') return false;
      if (q.check !== undefined && (e.kind === 'check') !== q.check) return false;
      if (q.basicIndex && !e.basic) return false;
      return !q.exclude?.has(e.name);
    });
    // Constraints come first (pg_constraint), then indexes; indexes are grouped by name.
    return [...out.filter((e) => e.kind !== 'index'), ...out.filter((e) => e.kind === 'index').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
  }

  /** Follows one statement's effect on constraints and indexes. State-only statements change nothing. */
  apply(st: Statement): void {
    if (st.stateOnly) return;
    switch (st.kind) {
      case 'create_table': {
        const entries: CatalogEntry[] = [];
        for (const c of st.columns) this.columnEntries(st.table, c, entries);
        for (const c of st.constraints ?? []) {
          const cols = c.columns ?? [];
          if (c.type === 'unique' || c.type === 'check' || c.type === 'primary_key' || c.type === 'foreign_key') {
            const label = { unique: 'key', check: 'check', primary_key: 'pkey', foreign_key: 'fkey' }[c.type];
            const name = c.name ?? pgObjectName(st.table, c.type === 'primary_key' ? null : cols.join('_'), label);
            entries.push(entry(name, c.type, cols, c));
          }
        }
        this.tables.set(st.table, entries);
        return;
      }
      case 'drop_table':
        this.tables.delete(st.table);
        return;
      case 'rename_table': {
        const entries = this.tables.get(st.table);
        this.tables.delete(st.table);
        if (entries) this.tables.set(st.newName, entries);
        // Foreign keys keep pointing at the table under its new name.
        for (const es of this.tables.values()) for (const e of es) if (e.references === st.table) e.references = st.newName;
        return;
      }
      case 'add_column': {
        const entries = this.tables.get(st.table);
        if (entries) this.columnEntries(st.table, st.column, entries);
        return;
      }
      case 'drop_column': {
        // PostgreSQL drops every index and constraint that involves the column.
        const entries = this.tables.get(st.table);
        if (entries) this.tables.set(st.table, entries.filter((e) => !e.columns.includes(st.column)));
        return;
      }
      case 'rename_column':
        for (const e of this.tables.get(st.table) ?? []) e.columns = e.columns.map((c) => (c === st.column ? st.newName : c));
        return;
      case 'create_index': {
        const entries = this.tables.get(st.table);
        if (entries && st.index) {
          // Expression keys are not columns: get_constraints reports no column for them.
          const basic = !st.method && !st.index.endsWith('_btree');
          entries.push({ name: st.index, kind: 'index', columns: st.hasExpressions ? [] : st.columns, unique: st.unique, basic });
        }
        return;
      }
      case 'drop_index':
        if (st.index) this.remove(st.index);
        return;
      case 'rename_index':
        for (const entries of this.tables.values()) for (const e of entries) if (e.name === st.index) e.name = st.newName;
        return;
      case 'add_constraint': {
        const entries = this.tables.get(st.table);
        const c = st.constraint;
        if (!entries || !c.name || c.type === 'unknown' || c.type === 'exclusion') return;
        entries.push(entry(c.name, c.type, c.columns ?? [], c));
        return;
      }
      case 'validate_constraint':
        for (const e of this.tables.get(st.table) ?? []) if (e.name === st.constraint) e.valid = true;
        return;
      case 'drop_constraint':
        if (st.constraint) this.remove(st.constraint, st.table);
        return;
      default:
        return;
    }
  }

  private remove(name: string, table?: string): void {
    for (const [t, entries] of this.tables) {
      if (table !== undefined && t !== table) continue;
      const i = entries.findIndex((e) => e.name === name);
      if (i >= 0) entries.splice(i, 1);
    }
  }

  /** What a column definition declares inline, named as PostgreSQL names it. */
  private columnEntries(table: string, c: Extract<Statement, { kind: 'add_column' }>['column'], out: CatalogEntry[]): void {
    if (c.primaryKey) out.push({ name: pgObjectName(table, null, 'pkey'), kind: 'primary_key', columns: [c.name] });
    else if (c.unique) out.push({ name: pgObjectName(table, c.name, 'key'), kind: 'unique', columns: [c.name] });
    for (const _ of c.checks ?? []) out.push({ name: pgObjectName(table, c.name, 'check'), kind: 'check', columns: [c.name] });
    if (c.references) out.push({ name: pgObjectName(table, c.name, 'fkey'), kind: 'foreign_key', columns: [c.name], references: c.references.table });
  }

  /** A validated `CHECK (column IS NOT NULL)` exists: from PostgreSQL 12, SET NOT NULL skips its scan. */
  provesNotNull(table: string, column: string): boolean {
    return (this.tables.get(table) ?? []).some((e) => e.kind === 'check' && e.valid && e.notNull === column);
  }

  /** Names an inline foreign key: Django's `ADD COLUMN ... CONSTRAINT <name> REFERENCES` names its own. */
  rename(table: string, from: string, to: string): void {
    for (const e of this.tables.get(table) ?? []) if (e.name === from) e.name = to;
  }
}

function entry(name: string, kind: CatalogEntry['kind'], columns: string[], c: { references?: string; expression?: string; notValid?: boolean }): CatalogEntry {
  const e: CatalogEntry = { name, kind, columns, valid: !c.notValid };
  if (c.references) e.references = c.references;
  const notNull = kind === 'check' ? notNullColumn(c.expression) : undefined;
  if (notNull) e.notNull = notNull;
  return e;
}

/** Field classes whose `db_index` defaults to True (related.py ForeignKey, fields SlugField). */
const INDEXED_BY_DEFAULT = new Set(['ForeignKey', 'OneToOneField', 'SlugField']);
export function defaultDbIndex(cls: string): boolean {
  return INDEXED_BY_DEFAULT.has(cls);
}

/** The column a field occupies: `db_column`, else `<name>_id` for a relation, else its name
 *  (`Field.get_attname_column`, `ForeignKey.get_attname`). Null for a ManyToManyField. */
export function columnOf(name: string, f: FieldDecl): string | null {
  if (f.relation?.many) return null;
  if (f.dbColumn) return f.dbColumn;
  return f.relation ? `${name}_id` : name;
}

/**
 * The project's models, replayed operation by operation (each operation's `state_forwards`). Fields
 * remember the migration that set them; apps with an operation replay could not read remember where.
 */
export class ProjectState {
  readonly models = new Map<string, ModelState>();
  /** app label → migrations holding an operation whose effect on that app's models is unknown. */
  readonly opaque = new Map<string, string[]>();

  constructor(
    /** `DEFAULT_AUTO_FIELD` (class name) from settings, or null when it cannot be read. The migration
     *  state's app configs are stubs, so an AppConfig's `default_auto_field` does not apply here. */
    readonly defaultAutoField: string | null,
  ) {}

  /** A copy whose models can change independently (SeparateDatabaseAndState's database operations). */
  clone(): ProjectState {
    const c = new ProjectState(this.defaultAutoField);
    for (const [k, m] of this.models) c.models.set(k, { ...m, fields: new Map([...m.fields].map(([n, f]) => [n, { ...f }])), options: { ...m.options } });
    for (const [k, v] of this.opaque) c.opaque.set(k, [...v]);
    return c;
  }

  model(app: string, name: string): ModelState | undefined {
    return this.models.get(name.includes('.') ? name.toLowerCase() : modelKey(app, name));
  }

  markOpaque(app: string, by: string): void {
    const list = this.opaque.get(app) ?? [];
    if (!list.includes(by)) list.push(by);
    this.opaque.set(app, list);
  }

  /** Fields of any model that point at `target` (`Options.related_objects`), with their models. */
  relatedTo(target: string): { model: ModelState; field: FieldState }[] {
    const out: { model: ModelState; field: FieldState }[] = [];
    for (const m of this.models.values()) for (const f of m.fields.values()) if (f.decl.relation?.to === target) out.push({ model: m, field: f });
    return out;
  }

  /** The field a relation points at: `to_field`, else the target's primary key. */
  targetField(rel: Relation): { model: ModelState; field: FieldState } | undefined {
    if (!rel.to) return undefined;
    const model = this.models.get(rel.to);
    if (!model) return undefined;
    const field = rel.toField ? model.fields.get(rel.toField) : [...model.fields.values()].find((f) => f.decl.primaryKey);
    return field ? { model, field } : undefined;
  }

  /** `CreateModel.state_forwards`, with the implicit `id` Django adds when no field is the primary key. */
  createModel(app: string, name: string, fields: [string, FieldDecl][], options: ModelOptions, by: string): ModelState {
    const key = modelKey(app, name);
    const map = new Map<string, FieldState>();
    // Options._prepare: an auto-created `id` goes first (its creation counter is negative).
    if (!options.proxy && !fields.some(([, f]) => f.primaryKey || !f.known)) {
      const cls = this.defaultAutoField;
      map.set('id', { name: 'id', by, autoCreated: true, decl: cls ? autoFieldDecl(cls) : unknownDecl('?') });
    }
    for (const [n, f] of fields) map.set(n, { name: n, decl: f, by });
    const m: ModelState = { app, name, key, table: options.dbTable ?? truncateName(key.replace('.', '_')), explicitTable: options.dbTable !== undefined, fields: map, options, by };
    this.models.set(key, m);
    return m;
  }
}

export function unknownDecl(cls: string, text = cls): FieldDecl {
  return { cls, known: false, null: false, blank: false, unique: false, primaryKey: false, dbIndex: false, autoNow: false, extra: [text] };
}

/** The auto-created primary key (`Options._prepare`): `id = <DEFAULT_AUTO_FIELD>(primary_key=True)`. */
export function autoFieldDecl(cls: string): FieldDecl {
  return { cls, known: true, null: false, blank: true, unique: true, primaryKey: true, dbIndex: false, autoNow: false, extra: [] };
}
