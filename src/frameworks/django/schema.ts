/**
 * Django's PostgreSQL schema editor, replayed statically: each operation read by operations.ts is applied
 * to the model state (its `state_forwards`) and lowered into the statements its `database_forwards` runs
 * through `DatabaseSchemaEditor` (django/db/backends/base/schema.py, postgresql/schema.py, Django 5.2),
 * so that rules see what the SQL front end would see in the SQL Django executes.
 * test/frameworks/django-state.test.ts compares the two on migrations applied by the real Django.
 *
 * Where Django asks the live database (`_constraint_names` before dropping a unique constraint, an index
 * or a foreign key), the `Catalog` of what earlier statements created answers; where it cannot, the
 * statement is emitted without a name. Deferred SQL (foreign keys of new tables, field indexes) is
 * emitted at the end of the migration, where the schema editor runs it on exit, with the operation's
 * span. Which database the project uses is a run-time setting; PostgreSQL is assumed, as everywhere else.
 */
import { alg } from '@dagrejs/graphlib';
import { nodeKey, type History } from '../../model/history.js';
import type { ConstraintFacts } from '../../model/statement.js';
import type { ColumnFacts, DataEffects, DataTarget, Migration, Statement } from '../../model/types.js';
import type { DjangoOp, OpBase } from './operations.js';
import {
  Catalog,
  ProjectState,
  autoFieldDecl,
  columnOf,
  djangoIndexName,
  fieldSignature,
  modelKey,
  pgObjectName,
  truncateName,
  type ConstraintDecl,
  type FieldDecl,
  type FieldState,
  type IndexDecl,
  type ModelState,
} from './state.js';

/** `DatabaseWrapper.data_types` (django/db/backends/postgresql/base.py), by internal type. */
const DATA_TYPES: Record<string, string> = {
  AutoField: 'integer',
  BigAutoField: 'bigint',
  BinaryField: 'bytea',
  BooleanField: 'boolean',
  DateField: 'date',
  DateTimeField: 'timestamp with time zone',
  DecimalField: 'numeric(%(max_digits)s, %(decimal_places)s)',
  DurationField: 'interval',
  FileField: 'varchar(%(max_length)s)',
  FilePathField: 'varchar(%(max_length)s)',
  FloatField: 'double precision',
  IntegerField: 'integer',
  BigIntegerField: 'bigint',
  IPAddressField: 'inet',
  GenericIPAddressField: 'inet',
  JSONField: 'jsonb',
  PositiveBigIntegerField: 'bigint',
  PositiveIntegerField: 'integer',
  PositiveSmallIntegerField: 'smallint',
  SlugField: 'varchar(%(max_length)s)',
  SmallAutoField: 'smallint',
  SmallIntegerField: 'smallint',
  TextField: 'text',
  TimeField: 'time',
  UUIDField: 'uuid',
  // django.contrib.postgres fields' db_type().
  HStoreField: 'hstore',
  IntegerRangeField: 'int4range',
  BigIntegerRangeField: 'int8range',
  DecimalRangeField: 'numrange',
  DateTimeRangeField: 'tstzrange',
  DateRangeField: 'daterange',
  SearchVectorField: 'tsvector',
};

/** `get_internal_type()` of subclasses that map like their parent. */
const INTERNAL_TYPE: Record<string, string> = {
  EmailField: 'CharField',
  URLField: 'CharField',
  CommaSeparatedIntegerField: 'CharField',
  ImageField: 'FileField',
};

/** `rel_db_type()`: a foreign key to an auto field is a plain integer of the same width; to a positive
 *  integer, the signed type (`PositiveIntegerRelDbTypeMixin`, related_fields_match_type is False). */
const REL_DB_TYPE: Record<string, string> = {
  AutoField: 'integer',
  BigAutoField: 'bigint',
  SmallAutoField: 'smallint',
  PositiveIntegerField: 'integer',
  PositiveBigIntegerField: 'bigint',
  PositiveSmallIntegerField: 'smallint',
};

/** `data_types_suffix`: Django ≥ 4.1 makes auto fields identity columns. */
const AUTO_FIELDS = new Set(['AutoField', 'BigAutoField', 'SmallAutoField']);

/** `data_type_check_constraints`. */
const POSITIVE = new Set(['PositiveBigIntegerField', 'PositiveIntegerField', 'PositiveSmallIntegerField']);

/** Internal types with `empty_strings_allowed`: a NOT NULL blank field's effective default is ''. */
const EMPTY_STRINGS = new Set(['CharField', 'SlugField', 'TextField', 'FileField', 'FilePathField', 'BinaryField']);

function internalType(f: FieldDecl): string {
  return INTERNAL_TYPE[f.cls] ?? f.cls;
}

/** `Field.db_type(connection)` on PostgreSQL, or undefined when it cannot be known statically. */
export function dbType(f: FieldDecl, state: ProjectState): string | undefined {
  if (!f.known || f.relation?.many) return undefined;
  if (f.relation) {
    const target = state.targetField(f.relation);
    return target && target.field.decl.known ? relDbType(target.field.decl, state) : undefined;
  }
  if (f.generated) return f.generated.output ? dbType(f.generated.output, state) : undefined;
  const t = internalType(f);
  // `_get_varchar_column`: varchar without a length when max_length is None.
  if (t === 'CharField') return f.maxLength === undefined ? 'varchar' : `varchar(${f.maxLength})`;
  if (t === 'DecimalField') return f.maxDigits !== undefined && f.decimalPlaces !== undefined ? `numeric(${f.maxDigits}, ${f.decimalPlaces})` : undefined;
  if (t === 'ArrayField') {
    const base = f.base && dbType(f.base, state);
    return base ? `${base}[${f.size ?? ''}]` : undefined;
  }
  const template = DATA_TYPES[t];
  if (template === undefined) return undefined;
  if (!template.includes('%(max_length)s')) return template;
  return f.maxLength === undefined ? undefined : template.replace('%(max_length)s', String(f.maxLength));
}

function relDbType(target: FieldDecl, state: ProjectState): string | undefined {
  return REL_DB_TYPE[internalType(target)] ?? dbType(target, state);
}

/**
 * postgresql/schema.py `_field_data_type`: what `_using_sql` compares to decide on `USING col::type`.
 * CharField's entry is a function, so every CharField compares equal to every other.
 */
function dataTypeKey(f: FieldDecl, state: ProjectState): string | undefined {
  if (f.relation) return dbType(f, state);
  const t = internalType(f);
  if (t === 'CharField') return '<_get_varchar_column>';
  return DATA_TYPES[t] ?? dbType(f, state);
}

function checkOf(f: FieldDecl, column: string): string | undefined {
  return POSITIVE.has(internalType(f)) ? `"${column}" >= 0` : undefined;
}

/**
 * `BaseDatabaseSchemaEditor._effective_default`: the value Django writes into `ADD COLUMN ... DEFAULT`
 * and backfills with, or null. A callable default (and `auto_now`) is computed once by the application.
 */
export function effectiveDefault(f: FieldDecl): { kind: 'constant' | 'app-callable'; text: string } | null {
  if (!f.known) return null;
  if (f.default) return f.default.isNone ? null : f.default;
  if (f.generated) return null;
  if (!f.null && f.blank && EMPTY_STRINGS.has(internalType(f))) return { kind: 'constant', text: "''" };
  if (f.autoNow) return { kind: 'app-callable', text: 'timezone.now()' };
  return null;
}

function defaultFacts(d: { kind: 'constant' | 'app-callable' | 'db-expression'; text: string; volatile?: boolean }): NonNullable<ColumnFacts['default']> {
  // A value Django computed is written into the SQL as a literal: not volatile whatever produced it.
  return d.kind === 'db-expression' ? { kind: d.kind, text: d.text, ...(d.volatile !== undefined ? { volatile: d.volatile } : {}) } : { kind: d.kind, text: d.text, volatile: false };
}

/** `column_sql` (`_iter_column_sql`): the column as CREATE TABLE / ADD COLUMN declares it. */
export function columnFacts(column: string, f: FieldDecl, state: ProjectState, includeDefault: boolean): ColumnFacts {
  const c: ColumnFacts = { name: column };
  if (!f.known) return c;
  c.ormType = f.cls;
  const type = dbType(f, state);
  if (type) c.type = type;
  c.nullable = f.primaryKey ? false : f.generated ? true : f.null;
  const eff = includeDefault ? effectiveDefault(f) : null;
  if (f.dbDefault) c.default = defaultFacts(f.dbDefault);
  else if (eff) c.default = defaultFacts(eff);
  if (f.primaryKey) c.primaryKey = true;
  else if (f.unique) c.unique = true;
  if (AUTO_FIELDS.has(internalType(f))) c.identity = 'by default';
  const check = checkOf(f, column);
  if (check) c.checks = [check];
  if (f.generated) c.generated = { kind: f.generated.persisted ? 'stored' : 'virtual', expression: f.generated.expression };
  return c;
}

type Body<K extends Statement['kind']> = Omit<Extract<Statement, { kind: K }>, keyof OpBase | 'kind' | 'stateOnly' | 'tableIsNew' | 'reverse'>;

/** Everything the replay of one migration needs. */
interface Env {
  app: string;
  /** The migration being lowered (`nodeKey`). */
  by: string;
  state: ProjectState;
  catalog: Catalog;
  /** Whether what `by` did is in the state this migration sees: an ancestor, or itself. */
  visible: (by: string) => boolean;
  out: Statement[];
  /** `schema_editor.deferred_sql`: run when the migration's schema editor exits. */
  deferred: Statement[];
}

/** Emits for one operation: statements share its span and index; state-only ones touch no database. */
class Emitter {
  constructor(
    readonly env: Env,
    readonly base: OpBase,
    readonly stateOnly: boolean,
  ) {}

  private make<K extends Statement['kind']>(kind: K, body: Body<K>): Statement {
    return { ...this.base, ...(this.stateOnly ? { stateOnly: true } : {}), kind, ...body } as unknown as Statement;
  }

  emit<K extends Statement['kind']>(kind: K, body: Body<K>): Statement {
    const st = this.make(kind, body);
    this.env.out.push(st);
    this.env.catalog.apply(st);
    return st;
  }

  defer<K extends Statement['kind']>(kind: K, body: Body<K>): void {
    const st = this.make(kind, body);
    if (this.stateOnly) this.env.out.push(st);
    else this.env.deferred.push(st);
  }

  get state(): ProjectState {
    return this.env.state;
  }
}

function defaultTable(app: string, model: string): string {
  return truncateName(`${app}_${model.toLowerCase()}`);
}

function opaque(env: Env, app: string): boolean {
  return (env.state.opaque.get(app) ?? []).some((k) => env.visible(k));
}

/** The model as this migration sees it, or undefined when replay cannot know it. */
function knownModel(env: Env, app: string, name: string): ModelState | undefined {
  const m = env.state.model(app, name);
  return m && env.visible(m.by) && !opaque(env, m.app) ? m : undefined;
}

function knownField(env: Env, m: ModelState | undefined, name: string): FieldState | undefined {
  const f = m?.fields.get(name);
  return f && f.decl.known && env.visible(f.by) ? f : undefined;
}

function managed(m: ModelState): boolean {
  return m.options.managed && !m.options.proxy;
}

/** Field names (`-name` for descending) → columns, through the model when it is known. */
function columnsOf(m: ModelState | undefined, names: string[]): string[] {
  return names.map((n) => {
    const name = n.replace(/^-/, '');
    const f = m?.fields.get(name);
    return f ? (columnOf(name, f.decl) ?? name) : name;
  });
}

/** The table and column a relation points at, when known. */
function target(state: ProjectState, f: FieldDecl): { table: string; column?: string } | undefined {
  if (!f.relation?.to) return undefined;
  const t = state.targetField(f.relation);
  if (t) return { table: t.model.table, column: columnOf(t.field.name, t.field.decl) ?? t.field.name };
  const m = state.models.get(f.relation.to);
  if (m) return { table: m.table };
  // A model outside the repository: Django's default table name for its label.
  const [app, model] = f.relation.to.split('.');
  return { table: defaultTable(app!, model!) };
}

/** `_create_fk_sql` / `_fk_constraint_name`: `<table>_<column>_<hash>_fk_<to table>_<to column>`. */
function fkName(table: string, column: string, to: { table: string; column?: string } | undefined): string | undefined {
  return to?.column ? djangoIndexName(table, [column], `_fk_${to.table}_${to.column}`) : undefined;
}

function fkStatement(table: string, column: string, to: { table: string; column?: string } | undefined, name = fkName(table, column, to)): Body<'add_constraint'> {
  return {
    table,
    constraint: {
      type: 'foreign_key',
      ...(name ? { name } : {}),
      columns: [column],
      ...(to ? { references: to.table } : {}),
      ...(to?.column ? { referencedColumns: [to.column] } : {}),
    },
  };
}

/** `_field_indexes_sql` on PostgreSQL: the db_index index, and the `varchar_pattern_ops` /
 *  `text_pattern_ops` index for LIKE on varchar and text columns (`_create_like_index_sql`). */
function fieldIndexes(state: ProjectState, table: string, column: string, f: FieldDecl): Body<'create_index'>[] {
  const out: Body<'create_index'>[] = [];
  if (f.dbIndex && !f.unique) out.push({ table, index: djangoIndexName(table, [column]), columns: [column], unique: false, concurrently: false });
  const like = likeIndex(state, table, column, f);
  if (like) out.push(like);
  return out;
}

function likeIndex(state: ProjectState, table: string, column: string, f: FieldDecl): Body<'create_index'> | undefined {
  const type = dbType(f, state);
  if (!type || !(f.dbIndex || f.unique) || type.includes('[')) return undefined;
  if (!type.startsWith('varchar') && !type.startsWith('text')) return undefined;
  return { table, index: djangoIndexName(table, [column], '_like'), columns: [column], unique: false, concurrently: false };
}

function indexBody(m: ModelState | undefined, table: string, idx: IndexDecl, concurrently: boolean): Body<'create_index'> {
  return {
    table,
    ...(idx.name ? { index: idx.name } : {}),
    columns: columnsOf(m, idx.fields),
    unique: false,
    concurrently,
    ...(idx.method ? { method: idx.method } : {}),
    ...(idx.condition ? { where: idx.condition } : {}),
    ...(idx.include ? { include: columnsOf(m, idx.include) } : {}),
    ...(idx.expressions ? { hasExpressions: true } : {}),
  };
}

/** A model constraint: a unique index for the forms PostgreSQL gets as an index, else ADD CONSTRAINT. */
function constraintStatement(m: ModelState | undefined, table: string, c: ConstraintDecl, notValid = false): ['create_index', Body<'create_index'>] | ['add_constraint', Body<'add_constraint'>] {
  if (c.type === 'unique' && c.asIndex) {
    return ['create_index', { table, ...(c.name ? { index: c.name } : {}), columns: columnsOf(m, c.fields ?? []), unique: true, concurrently: false, ...(c.condition ? { where: c.condition } : {}), ...(c.include ? { include: columnsOf(m, c.include) } : {}) }];
  }
  return ['add_constraint', { table, constraint: { ...constraintFacts(m, c), ...(notValid ? { notValid: true } : {}) } }];
}

function constraintFacts(m: ModelState | undefined, c: ConstraintDecl): ConstraintFacts {
  // The one condition whose SQL matters to a rule is written as Django compiles it: a validated
  // CHECK ("col" IS NOT NULL) lets SET NOT NULL skip its scan.
  const expression = c.notNullField ? `"${columnsOf(m, [c.notNullField])[0]}" IS NOT NULL` : c.expression;
  return {
    type: c.type,
    ...(c.name ? { name: c.name } : {}),
    ...(c.fields ? { columns: columnsOf(m, c.fields) } : {}),
    ...(expression ? { expression } : {}),
  };
}

/** The auto-created intermediate table of a ManyToManyField (`create_many_to_many_intermediary_model`). */
function throughModel(state: ProjectState, owner: ModelState, name: string, f: FieldDecl): ModelState | undefined {
  const rel = f.relation;
  if (!rel?.many || rel.through || !rel.to) return undefined;
  let from = owner.key.slice(owner.key.indexOf('.') + 1);
  let to = rel.to.slice(rel.to.indexOf('.') + 1);
  if (from === to) {
    from = `from_${from}`;
    to = `to_${to}`;
  }
  const fk = (key: string): FieldDecl => ({
    cls: 'ForeignKey', known: true, null: false, blank: false, unique: false, primaryKey: false, dbIndex: true, autoNow: false, extra: [],
    relation: { to: key, dbConstraint: rel.dbConstraint, many: false },
  });
  const table = rel.dbTable ?? truncateName(`${owner.table}_${name}`);
  const fields = new Map<string, FieldState>();
  const pk = state.defaultAutoField;
  fields.set('id', { name: 'id', by: owner.by, decl: pk ? autoFieldDecl(pk) : { ...autoFieldDecl('?'), known: false } });
  fields.set(from, { name: from, by: owner.by, decl: fk(owner.key) });
  fields.set(to, { name: to, by: owner.by, decl: fk(rel.to) });
  return {
    app: owner.app, name: `${owner.name}_${name}`, key: `${owner.key}_${name}`, table, explicitTable: true, fields, by: owner.by,
    options: { managed: true, proxy: false, uniqueTogether: [[from, to]], indexTogether: [], indexes: [], constraints: [], known: true },
  };
}

/** Intermediate tables of a model's auto-created many-to-many fields, with their fields' names. */
function throughsOf(state: ProjectState, m: ModelState): { name: string; through: ModelState }[] {
  return [...m.fields.values()].flatMap((f) => {
    const through = throughModel(state, m, f.name, f.decl);
    return through ? [{ name: f.name, through }] : [];
  });
}

/** `create_model` → `table_sql` plus what it defers: unique_together, foreign keys, indexes. */
function createModel(e: Emitter, m: ModelState): void {
  const table = m.table;
  const state = e.state;
  for (const group of m.options.uniqueTogether) {
    const cols = columnsOf(m, group);
    e.defer('add_constraint', { table, constraint: { type: 'unique', name: djangoIndexName(table, cols, '_uniq'), columns: cols } });
  }
  const columns: ColumnFacts[] = [];
  for (const f of m.fields.values()) {
    const column = columnOf(f.name, f.decl);
    if (column === null) continue;
    columns.push(columnFacts(column, f.decl, state, false));
    // PostgreSQL's editor has no sql_create_inline_fk: foreign keys of a new table are added after it.
    if (f.decl.relation?.dbConstraint) e.defer('add_constraint', fkStatement(table, column, target(state, f.decl)));
  }
  // `DEFAULT %s` parameters (a db_default value) make Django add the model's constraints afterwards.
  const params = [...m.fields.values()].some((f) => f.decl.dbDefault?.kind === 'constant');
  const constraints: ConstraintFacts[] = [];
  for (const c of m.options.constraints) {
    const [kind, body] = constraintStatement(m, table, c);
    if (kind === 'create_index' || params) e.defer(kind, body as never);
    else constraints.push((body as Body<'add_constraint'>).constraint);
  }
  e.emit('create_table', { table, columns, ...(constraints.length ? { constraints } : {}) });
  for (const f of m.fields.values()) {
    const column = columnOf(f.name, f.decl);
    if (column !== null) for (const idx of fieldIndexes(state, table, column, f.decl)) e.defer('create_index', idx);
  }
  for (const idx of m.options.indexes) e.defer('create_index', indexBody(m, table, idx, false));
  for (const { through } of throughsOf(state, m)) createModel(e, through);
}

/** Drops deferred statements that reference a table (or one of its columns) about to disappear, and
 *  follows renames, as `delete_model`, `remove_field`, `alter_db_table` and `_alter_field` do. */
function touchDeferred(env: Env, table: string, column: string | null, rename?: string): void {
  const refers = (st: Statement): boolean => {
    if (st.kind !== 'create_index' && st.kind !== 'add_constraint') return false;
    const cols = st.kind === 'create_index' ? st.columns : (st.constraint.columns ?? []);
    const refCols = st.kind === 'add_constraint' ? (st.constraint.referencedColumns ?? []) : [];
    const own = st.table === table && (column === null || cols.includes(column));
    const ref = st.kind === 'add_constraint' && st.constraint.references === table && (column === null || refCols.includes(column));
    return own || ref;
  };
  if (rename === undefined) {
    env.deferred = env.deferred.filter((st) => !refers(st));
    return;
  }
  for (const st of env.deferred) {
    if (!refers(st) || (st.kind !== 'create_index' && st.kind !== 'add_constraint')) continue;
    const swap = (xs: string[] | undefined) => xs?.map((c) => (c === column ? rename : c));
    if (column === null) {
      if (st.table === table) st.table = rename;
      if (st.kind === 'add_constraint' && st.constraint.references === table) st.constraint.references = rename;
    } else if (st.kind === 'create_index') {
      st.columns = swap(st.columns)!;
    } else {
      st.constraint = { ...st.constraint, ...(st.table === table && st.constraint.columns ? { columns: swap(st.constraint.columns)! } : {}), ...(st.constraint.references === table && st.constraint.referencedColumns ? { referencedColumns: swap(st.constraint.referencedColumns)! } : {}) };
    }
  }
}

/** `add_field`: ADD COLUMN with the effective default and an inline foreign key, DROP DEFAULT after. */
function addField(e: Emitter, m: ModelState | undefined, table: string, name: string, f: FieldDecl): void {
  const state = e.state;
  if (f.relation?.many) {
    const through = m && throughModel(state, m, name, f);
    if (through) createModel(e, through);
    return;
  }
  const column = columnOf(name, f) ?? name;
  const col = columnFacts(column, f, state, true);
  const to = f.relation?.dbConstraint ? target(state, f) : undefined;
  if (to) col.references = { table: to.table, ...(to.column ? { column: to.column } : {}) };
  e.emit('add_column', { table, column: col });
  // `sql_create_column_inline_fk` names the constraint itself, where PostgreSQL would say `<col>_fkey`.
  const fk = fkName(table, column, to);
  if (fk) e.env.catalog.rename(table, pgObjectName(table, column, 'fkey'), fk);
  if (f.known && !f.dbDefault && effectiveDefault(f) !== null) e.emit('drop_default', { table, column });
  for (const idx of fieldIndexes(state, table, column, f)) e.defer('create_index', idx);
}

/** `remove_field`: the field's foreign keys, then DROP COLUMN ... CASCADE (or the M2M table). */
function removeField(e: Emitter, m: ModelState, f: FieldState): void {
  const table = m.table;
  if (f.decl.relation?.many) {
    const through = throughModel(e.state, m, f.name, f.decl);
    if (through) deleteModel(e, through);
    return;
  }
  const column = columnOf(f.name, f.decl)!;
  if (f.decl.relation) dropForeignKeys(e, table, column, f.decl.relation.dbConstraint ? target(e.state, f.decl) : undefined);
  e.emit('drop_column', { table, column, cascade: true });
  touchDeferred(e.env, table, column);
}

/** `_constraint_names(model, [column], foreign_key=True)` and `_delete_fk_sql` for each. When the table's
 *  constraints are unknown, one unnamed drop stands for the key the field declares (`to`). */
function dropForeignKeys(e: Emitter, table: string, column: string, to: { table: string } | undefined): boolean {
  const found = e.env.catalog.names(table, [column], { foreignKey: true });
  if (found === null) {
    if (to) e.emit('drop_constraint', { table, constraintType: 'foreign_key', references: to.table });
    return to !== undefined;
  }
  for (const c of found) e.emit('drop_constraint', { table, constraint: c.name, constraintType: 'foreign_key', ...(c.references ? { references: c.references } : {}) });
  return found.length > 0;
}

function deleteModel(e: Emitter, m: ModelState): void {
  for (const { through } of throughsOf(e.state, m)) deleteModel(e, through);
  e.emit('drop_table', { table: m.table, cascade: true });
  touchDeferred(e.env, m.table, null);
}

/** Fields that point at `m.<name>` (`_related_non_m2m_objects`): foreign keys of every model, and the
 *  foreign keys of auto-created M2M tables, which Django registers before their owner's fields. */
function relatedColumns(state: ProjectState, m: ModelState, name: string, isPk: boolean): { table: string; column: string; decl: FieldDecl }[] {
  const out: { table: string; column: string; decl: FieldDecl }[] = [];
  const points = (d: FieldDecl) => d.relation?.to === m.key && !d.relation.many && (d.relation.toField === name || (!d.relation.toField && isPk));
  for (const model of state.models.values()) {
    const own = [...model.fields.values()].map((f) => ({ table: model.table, name: f.name, decl: f.decl }));
    const throughs = throughsOf(state, model).flatMap(({ through }) => [...through.fields.values()].map((f) => ({ table: through.table, name: f.name, decl: f.decl })));
    for (const x of [...throughs, ...own]) if (points(x.decl)) out.push({ table: x.table, column: columnOf(x.name, x.decl)!, decl: x.decl });
  }
  return out;
}

/** `BaseDatabaseSchemaEditor._field_should_be_altered`. */
function shouldBeAltered(state: ProjectState, oldCol: string | null, newCol: string | null, a: FieldDecl, b: FieldDecl, ignoreComment = false): boolean {
  if (oldCol !== newCol) return true;
  const tableOf = (d: FieldDecl) => (d.relation?.to ? (state.models.get(d.relation.to)?.table ?? d.relation.to) : undefined);
  const ignoreTo = !!a.relation && !!b.relation && !b.relation.many && tableOf(a) === tableOf(b);
  return fieldSignature(a, { ignoreTo, ignoreComment }) !== fieldSignature(b, { ignoreTo, ignoreComment });
}

/**
 * `alter_field` → `_alter_field` (base, then PostgreSQL's additions), step by step in Django's order:
 * drop foreign keys, unique, incoming foreign keys, the index and checks; rename; type, default and
 * nullability in one ALTER TABLE (or the four steps of NULL → NOT NULL with a default); then add back
 * what the new field needs.
 */
function alterField(e: Emitter, m: ModelState, oldName: string, newName: string, old: FieldDecl, nw: FieldDecl): void {
  const state = e.state;
  const catalog = e.env.catalog;
  const table = m.table;
  const oldCol = columnOf(oldName, old);
  const newCol = columnOf(newName, nw);
  if (!shouldBeAltered(state, oldCol, newCol, old, nw)) return;
  if (oldCol === null || newCol === null) {
    // ManyToMany: `_alter_many_to_many` renames the intermediate table when its name follows the field.
    const a = throughModel(state, m, oldName, old);
    const b = throughModel(state, m, newName, nw);
    if (a && b && a.table !== b.table) e.emit('rename_table', { table: a.table, newName: b.table });
    else if (!a || !b) e.emit('other', { description: 'AlterField of a ManyToManyField' });
    return;
  }
  const oldType = dbType(old, state);
  const newType = dbType(nw, state);
  const becamePk = !old.primaryKey && nw.primaryKey;
  const metaConstraints = new Set(m.options.constraints.flatMap((c) => (c.name ? [c.name] : [])));
  const metaIndexes = new Set(m.options.indexes.flatMap((i) => (i.name ? [i.name] : [])));

  let fksDropped = false;
  if (old.relation?.dbConstraint && shouldBeAltered(state, oldCol, newCol, old, nw, true)) {
    fksDropped = dropForeignKeys(e, table, oldCol, target(state, old));
  }
  if (old.unique && (!nw.unique || becamePk)) {
    const found = catalog.names(table, [oldCol], { unique: true, primaryKey: false, exclude: metaConstraints });
    if (found === null && !old.primaryKey) e.emit('drop_constraint', { table, constraintType: 'unique' });
    for (const c of found ?? []) e.emit('drop_constraint', { table, constraint: c.name, constraintType: 'unique' });
  }
  const dropIncoming = ((old.primaryKey && nw.primaryKey) || (old.unique && nw.unique)) && oldType !== newType;
  const incoming = dropIncoming ? relatedColumns(state, m, oldName, old.primaryKey) : [];
  for (const r of incoming) dropForeignKeys(e, r.table, r.column, r.decl.relation?.dbConstraint ? { table } : undefined);
  if (old.dbIndex && !old.unique && (!nw.dbIndex || nw.unique)) {
    const found = catalog.names(table, [oldCol], { index: true, basicIndex: true, exclude: metaIndexes });
    if (found === null) e.emit('drop_index', { table, concurrently: false, ifExists: true } as Body<'drop_index'>);
    for (const c of found ?? []) e.emit('drop_index', { table, index: c.name, concurrently: false, ifExists: true } as Body<'drop_index'>);
  }
  const oldCheck = checkOf(old, oldCol);
  const newCheck = checkOf(nw, newCol);
  if (oldCheck && !newCheck) {
    for (const c of catalog.names(table, [oldCol], { check: true, exclude: metaConstraints }) ?? [{ name: undefined }]) {
      e.emit('drop_constraint', { table, ...(c.name ? { constraint: c.name } : {}), constraintType: 'check' });
    }
  }
  if (oldCol !== newCol) {
    e.emit('rename_column', { table, column: oldCol, newName: newCol });
    touchDeferred(e.env, table, oldCol, newCol);
  }

  // One ALTER TABLE with every action (supports_combined_alters), then what must follow it.
  const actions: [Statement['kind'], object][] = [];
  const nullActions: [Statement['kind'], object][] = [];
  const post: [Statement['kind'], object][] = [];
  const oldAuto = AUTO_FIELDS.has(internalType(old));
  const newAuto = AUTO_FIELDS.has(internalType(nw));
  if (oldType !== newType || oldAuto !== newAuto || old.dbCollation !== nw.dbCollation || old.dbComment !== nw.dbComment) {
    // postgresql/schema.py `_alter_column_type_sql`: the LIKE index of a varchar/text column that stops
    // being one goes first; auto fields gain or lose their identity.
    if (changesIndexedText(old, nw, oldType, newType)) e.emit('drop_index', { table, index: djangoIndexName(table, [oldCol], '_like'), concurrently: false, ifExists: true } as Body<'drop_index'>);
    if (oldAuto && !newAuto) e.emit('alter_table', { table, action: 'drop_identity', detail: 'DROP IDENTITY IF EXISTS', column: newCol });
    if (newType === undefined) {
      actions.push(['alter_column', { table, column: newCol, to: columnFacts(newCol, nw, state, false), from: columnFacts(oldCol, old, state, false) }]);
    } else {
      const using = dataTypeKey(old, state) !== dataTypeKey(nw, state);
      actions.push(['alter_column_type', { table, column: newCol, ...(oldType ? { fromType: oldType } : {}), toType: newType, ...(using ? { using: `"${newCol}"::${newType}`, usingIsColumn: true } : {}) }]);
    }
    if (newAuto && !oldAuto) post.push(['alter_table', { table, action: 'add_identity', detail: 'ADD GENERATED BY DEFAULT AS IDENTITY', column: newCol }]);
  }
  if (nw.dbDefault) {
    if (!old.dbDefault || old.dbDefault.text !== nw.dbDefault.text) actions.push(['set_default', { table, column: newCol, default: defaultFacts(nw.dbDefault) }]);
  } else if (old.dbDefault) {
    actions.push(['drop_default', { table, column: newCol }]);
  }
  let needsDbDefault = false;
  if (old.null && !nw.null && !nw.dbDefault) {
    const a = effectiveDefault(old);
    const b = effectiveDefault(nw);
    // Two evaluations of a callable never compare equal in Django (uuid4(), now()).
    const same = a === null ? b === null : b !== null && a.kind === 'constant' && b.kind === 'constant' && a.text === b.text;
    if (!same && b !== null) {
      needsDbDefault = true;
      actions.push(['set_default', { table, column: newCol, default: defaultFacts(b) }]);
    }
  }
  if (old.null !== nw.null) {
    const proven = !nw.null && catalog.provesNotNull(table, newCol);
    nullActions.push([nw.null ? 'drop_not_null' : 'set_not_null', { table, column: newCol, ...(proven ? { provenByCheck: true } : {}) }]);
  }
  // "When changing a column NULL constraint to NOT NULL with a given default value, we need to perform
  // 4 steps": default, UPDATE ... WHERE col IS NULL, SET NOT NULL, drop the default.
  const fourWay = (nw.default !== undefined || nw.dbDefault !== undefined) && old.null && !nw.null;
  if (actions.length || nullActions.length) {
    if (!fourWay) actions.push(...nullActions);
    for (const [kind, body] of actions) e.emit(kind, body as never);
    if (fourWay) {
      e.emit('update', { table, where: true });
      for (const [kind, body] of nullActions) e.emit(kind, body as never);
    }
  }
  for (const [kind, body] of post) e.emit(kind, body as never);
  if (old.primaryKey && !nw.primaryKey) {
    for (const c of catalog.names(table, null, { primaryKey: true }) ?? [{ name: undefined }]) e.emit('drop_constraint', { table, ...(c.name ? { constraint: c.name } : {}), constraintType: 'primary_key' });
  }
  if (!nw.primaryKey && nw.unique && (!old.unique || old.primaryKey)) {
    e.emit('add_constraint', { table, constraint: { type: 'unique', name: djangoIndexName(table, [newCol], '_uniq'), columns: [newCol] } });
  }
  if ((!old.dbIndex || old.unique) && nw.dbIndex && !nw.unique) {
    e.emit('create_index', { table, index: djangoIndexName(table, [newCol]), columns: [newCol], unique: false, concurrently: false });
  }
  const toUpdate = [...incoming];
  if (becamePk) {
    e.emit('add_constraint', { table, constraint: { type: 'primary_key', name: djangoIndexName(table, [newCol], '_pk'), columns: [newCol] } });
    toUpdate.push(...relatedColumns(state, m, oldName, false));
  }
  const relType = (d: FieldDecl) => (d.known ? (REL_DB_TYPE[internalType(d)] ?? dbType(d, state)) : undefined);
  for (const r of toUpdate) {
    const [from, to] = [relType(old), relType(nw)];
    if (to) e.emit('alter_column_type', { table: r.table, column: r.column, ...(from ? { fromType: from } : {}), toType: to, ...(from !== to ? { using: `"${r.column}"::${to}`, usingIsColumn: true } : {}) });
  }
  if (nw.relation && !nw.relation.many && (fksDropped || !old.relation || !old.relation.dbConstraint) && nw.relation.dbConstraint) {
    e.emit('add_constraint', fkStatement(table, newCol, target(state, nw)));
  }
  if (dropIncoming) {
    for (const r of toUpdate) {
      if (r.decl.relation?.dbConstraint) e.emit('add_constraint', fkStatement(r.table, r.column, { table, column: newCol }, djangoIndexName(r.table, [r.column], '_fk')));
    }
  }
  if (newCheck && !oldCheck) {
    e.emit('add_constraint', { table, constraint: { type: 'check', name: djangoIndexName(table, [newCol], '_check'), columns: [newCol], expression: newCheck } });
  }
  if (needsDbDefault) e.emit('drop_default', { table, column: newCol });
  // postgresql/schema.py `_alter_field`: LIKE indexes follow unique and db_index.
  if ((!(old.dbIndex || old.unique) && nw.dbIndex) || (!old.unique && nw.unique) || changesIndexedText(old, nw, oldType, newType)) {
    const like = likeIndex(state, table, newCol, nw);
    if (like) e.emit('create_index', like);
  }
  if (old.unique && !(nw.dbIndex || nw.unique)) {
    e.emit('drop_index', { table, index: djangoIndexName(table, [oldCol], '_like'), concurrently: false, ifExists: true } as Body<'drop_index'>);
  }
}

/** `_is_changing_type_of_indexed_text_column`. */
function changesIndexedText(old: FieldDecl, nw: FieldDecl, oldType: string | undefined, newType: string | undefined): boolean {
  if (!(old.dbIndex || old.unique) || oldType === undefined || newType === undefined) return false;
  return ['varchar', 'text', 'citext'].some((t) => oldType.startsWith(t) && !newType.startsWith(t));
}

/** The state keeps `preserve_default=False` fields without their one-off default. */
function withoutDefault(f: FieldDecl): FieldDecl {
  if (!f.default) return f;
  const { default: _dropped, ...rest } = f;
  return rest;
}

/**
 * RunPython's models resolved to their tables where the state knows them (`apps.get_model('shop', 'Item')`
 * is `shop_item`, or its `db_table`). Copies: the parsed operation is cached and shared.
 */
function withTables(st: Statement, state: ProjectState): Statement {
  if (st.kind !== 'run_code') return st;
  const resolve = (e: DataEffects): DataEffects => {
    const fill = (ts: DataTarget[] | undefined) =>
      ts?.map((t) => {
        const m = t.model ? state.model(t.set ?? '', t.model) : undefined;
        return m ? { ...t, table: m.table } : t;
      });
    const reads = fill(e.reads);
    const writes = fill(e.writes);
    const rowLoops = e.rowLoops?.map((l) => (l.source ? { ...l, source: fill([l.source])![0]! } : l));
    return { ...e, ...(reads ? { reads } : {}), ...(writes ? { writes } : {}), ...(rowLoops ? { rowLoops } : {}) };
  };
  return { ...st, effects: resolve(st.effects), ...(st.reverse?.effects ? { reverse: { ...st.reverse, effects: resolve(st.reverse.effects) } } : {}) };
}

/** One operation: its effect on the database (statements) and on the state, in Django's order. */
function replayOp(op: DjangoOp, env: Env, stateOnly: boolean): void {
  const e = new Emitter(env, op.base, stateOnly);
  const state = env.state;
  const app = env.app;
  switch (op.op) {
    case 'Fixed': {
      for (const st of op.statements) {
        const copy: Statement = withTables(stateOnly ? { ...st, stateOnly: true } : { ...st }, env.state);
        env.out.push(copy);
        env.catalog.apply(copy);
      }
      if (op.opaque) state.markOpaque(app, env.by);
      for (const s of op.state ?? []) replayOp(s, env, true);
      return;
    }
    case 'Separate': {
      // database_operations each see the state their predecessors produced, on a copy: only
      // state_operations change the project state (django/db/migrations/operations/special.py).
      const dbEnv: Env = { ...env, state: state.clone() };
      for (const d of op.database) replayOp(d, dbEnv, stateOnly);
      env.deferred = dbEnv.deferred;
      for (const s of op.state) replayOp(s, env, true);
      return;
    }
    case 'CreateModel': {
      if (!op.fieldsKnown || !op.options.known) state.markOpaque(app, env.by);
      const m = state.createModel(app, op.name, op.fields, op.options, env.by);
      // An unmanaged or proxy model has no table Django manages (`allow_migrate_model`).
      if (managed(m)) createModel(e, m);
      else new Emitter(env, op.base, true).emit('create_table', { table: m.table, columns: [] });
      return;
    }
    case 'DeleteModel': {
      const m = knownModel(env, app, op.name);
      if (!m) e.emit('drop_table', { table: state.model(app, op.name)?.table ?? defaultTable(app, op.name), cascade: true });
      else if (managed(m)) deleteModel(e, m);
      state.models.delete(modelKey(app, op.name));
      return;
    }
    case 'RenameModel':
      renameModel(e, op.oldName, op.newName);
      return;
    case 'AlterModelTable': {
      const m = knownModel(env, app, op.name);
      const from = m?.table ?? defaultTable(app, op.name);
      const to = op.table ?? defaultTable(app, op.name);
      if (!m || managed(m)) {
        if (from !== to) renameTable(e, m, from, to);
      }
      if (m) {
        m.table = to;
        m.explicitTable = op.table !== null;
        m.by = env.by;
      }
      return;
    }
    case 'AddField': {
      const m = knownModel(env, app, op.model);
      if (!m || managed(m)) addField(e, m, m?.table ?? defaultTable(app, op.model), op.name, op.field);
      const target = state.model(app, op.model);
      target?.fields.set(op.name, { name: op.name, decl: op.preserveDefault ? op.field : withoutDefault(op.field), by: env.by });
      return;
    }
    case 'RemoveField': {
      const m = knownModel(env, app, op.model);
      const f = knownField(env, m, op.name);
      if (m && f) {
        if (managed(m)) removeField(e, m, f);
      } else {
        e.emit('drop_column', { table: m?.table ?? defaultTable(app, op.model), column: op.name, cascade: true });
      }
      state.model(app, op.model)?.fields.delete(op.name);
      return;
    }
    case 'AlterField': {
      const m = knownModel(env, app, op.model);
      const f = knownField(env, m, op.name);
      if (m && f) {
        if (managed(m)) alterField(e, m, op.name, op.name, f.decl, op.field);
      } else {
        const column = columnOf(op.name, op.field) ?? op.name;
        e.emit('alter_column', { table: m?.table ?? defaultTable(app, op.model), column, to: columnFacts(column, op.field, state, false) });
      }
      state.model(app, op.model)?.fields.set(op.name, { name: op.name, decl: op.preserveDefault ? op.field : withoutDefault(op.field), by: env.by });
      return;
    }
    case 'RenameField':
      renameField(e, op.model, op.oldName, op.newName);
      return;
    case 'AlterUniqueTogether':
    case 'AlterIndexTogether':
      alterTogether(e, op.op === 'AlterUniqueTogether' ? 'unique' : 'index', op.name, op.groups);
      return;
    case 'AddIndex': {
      const m = knownModel(env, app, op.model);
      if (!m || managed(m)) e.emit('create_index', indexBody(m, m?.table ?? defaultTable(app, op.model), op.index, op.concurrently));
      state.model(app, op.model)?.options.indexes.push(op.index);
      return;
    }
    case 'RemoveIndex': {
      const m = knownModel(env, app, op.model);
      if (!m || managed(m)) e.emit('drop_index', { table: m?.table ?? defaultTable(app, op.model), index: op.name, concurrently: op.concurrently, ifExists: true } as Body<'drop_index'>);
      const s = state.model(app, op.model);
      if (s) s.options.indexes = s.options.indexes.filter((i) => i.name !== op.name);
      return;
    }
    case 'RenameIndex': {
      const m = knownModel(env, app, op.model);
      if (!m || managed(m)) e.emit('rename_index', { table: m?.table ?? defaultTable(app, op.model), ...(op.oldName ? { index: op.oldName } : {}), newName: op.newName });
      for (const i of state.model(app, op.model)?.options.indexes ?? []) if (op.oldName && i.name === op.oldName) i.name = op.newName;
      return;
    }
    case 'AddConstraint': {
      const m = knownModel(env, app, op.model);
      if (!m || managed(m)) {
        const [kind, body] = constraintStatement(m, m?.table ?? defaultTable(app, op.model), op.constraint, op.notValid);
        e.emit(kind, body as never);
      }
      state.model(app, op.model)?.options.constraints.push(op.constraint);
      return;
    }
    case 'RemoveConstraint': {
      const m = knownModel(env, app, op.model);
      const c = m?.options.constraints.find((x) => x.name === op.name);
      const table = m?.table ?? defaultTable(app, op.model);
      if (!m || managed(m)) {
        if (c?.asIndex) e.emit('drop_index', { table, index: op.name, concurrently: false, ifExists: true } as Body<'drop_index'>);
        else e.emit('drop_constraint', { table, constraint: op.name, ...(c && c.type !== 'unknown' ? { constraintType: c.type } : {}) });
      }
      const s = state.model(app, op.model);
      if (s) s.options.constraints = s.options.constraints.filter((x) => x.name !== op.name);
      return;
    }
    case 'ValidateConstraint': {
      const m = knownModel(env, app, op.model);
      const c = m?.options.constraints.find((x) => x.name === op.name);
      e.emit('validate_constraint', { table: m?.table ?? defaultTable(app, op.model), constraint: op.name, ...(c && c.type !== 'unknown' ? { constraintType: c.type } : {}) });
      return;
    }
  }
}

/** `alter_db_table` plus the tables of auto-created M2M fields named after it. */
function renameTable(e: Emitter, m: ModelState | undefined, from: string, to: string): void {
  e.emit('rename_table', { table: from, newName: to });
  touchDeferred(e.env, from, null, to);
  if (!m) return;
  for (const { name, through } of throughsOf(e.state, m)) {
    const renamed = throughModel(e.state, { ...m, table: to }, name, m.fields.get(name)!.decl);
    if (renamed && renamed.table !== through.table) e.emit('rename_table', { table: through.table, newName: renamed.table });
  }
}

/** `RenameModel`: the table (unless db_table is set), then every foreign key that points at the model
 *  is dropped and re-created under its new name, and M2M tables and their columns follow. */
function renameModel(e: Emitter, oldName: string, newName: string): void {
  const env = e.env;
  const state = e.state;
  const app = env.app;
  const m = knownModel(env, app, oldName);
  const oldKey = modelKey(app, oldName);
  const newKey = modelKey(app, newName);
  if (!m) {
    e.emit('rename_table', { table: state.model(app, oldName)?.table ?? defaultTable(app, oldName), newName: defaultTable(app, newName) });
  }
  const s = state.models.get(oldKey);
  if (!s) return;
  const oldTable = s.table;
  const newTable = s.explicitTable ? s.table : defaultTable(app, newName);
  // Incoming relations and M2M tables, as they were before the rename.
  const incoming = m ? [...state.models.values()].flatMap((o) => [...o.fields.values()].filter((f) => f.decl.relation?.to === oldKey && !f.decl.relation.many).map((f) => ({ model: o, field: f }))) : [];
  const throughsBefore = m ? [...state.models.values()].flatMap((o) => throughsOf(state, o).map((t) => ({ owner: o, ...t }))) : [];
  // state_forwards: the model moves to its new key and every relation follows it.
  state.models.delete(oldKey);
  Object.assign(s, { name: newName, key: newKey, table: newTable, by: env.by });
  state.models.set(newKey, s);
  for (const o of state.models.values()) for (const f of o.fields.values()) if (f.decl.relation?.to === oldKey) f.decl = { ...f.decl, relation: { ...f.decl.relation, to: newKey } };
  if (!m || !managed(s)) return;
  if (oldTable !== newTable) {
    e.emit('rename_table', { table: oldTable, newName: newTable });
    touchDeferred(env, oldTable, null, newTable);
  }
  if (oldTable === newTable) return;
  for (const { model, field } of incoming) {
    const column = columnOf(field.name, field.decl)!;
    const to = target(state, field.decl);
    if (field.decl.relation?.dbConstraint && dropForeignKeys(e, model.table, column, to)) e.emit('add_constraint', fkStatement(model.table, column, to));
  }
  for (const { owner, name, through } of throughsBefore) {
    const after = throughModel(state, owner, name, owner.fields.get(name)!.decl)!;
    if (through.table !== after.table) e.emit('rename_table', { table: through.table, newName: after.table });
    const beforeCols = [...through.fields.values()];
    const afterCols = [...after.fields.values()];
    for (let i = 1; i < beforeCols.length; i++) {
      const [b, a] = [beforeCols[i]!, afterCols[i]!];
      if (b.decl.relation?.to !== oldKey && a.decl.relation?.to !== newKey) continue;
      const [bc, ac] = [columnOf(b.name, b.decl)!, columnOf(a.name, a.decl)!];
      const dropped = b.decl.relation?.dbConstraint ? dropForeignKeys(e, after.table, bc, target(state, a.decl)) : false;
      if (bc !== ac) e.emit('rename_column', { table: after.table, column: bc, newName: ac });
      if (dropped) e.emit('add_constraint', fkStatement(after.table, ac, target(state, a.decl)));
    }
  }
}

function renameField(e: Emitter, model: string, oldName: string, newName: string): void {
  const env = e.env;
  const app = env.app;
  const m = knownModel(env, app, model);
  const f = knownField(env, m, oldName);
  if (m && f) {
    if (managed(m)) alterField(e, m, oldName, newName, f.decl, f.decl);
  } else {
    e.emit('rename_column', { table: m?.table ?? defaultTable(app, model), column: oldName, newName });
  }
  const s = e.state.model(app, model);
  if (!s) return;
  // state_forwards: the field keeps its place; options and to_field references follow the new name.
  s.fields = new Map([...s.fields].map(([n, x]) => (n === oldName ? [newName, { ...x, name: newName, by: env.by }] : [n, x])));
  const swap = (xs: string[]) => xs.map((x) => (x === oldName ? newName : x === `-${oldName}` ? `-${newName}` : x));
  s.options = {
    ...s.options,
    uniqueTogether: s.options.uniqueTogether.map(swap),
    indexTogether: s.options.indexTogether.map(swap),
    indexes: s.options.indexes.map((i) => ({ ...i, fields: swap(i.fields) })),
    constraints: s.options.constraints.map((c) => (c.fields ? { ...c, fields: swap(c.fields) } : c)),
  };
  for (const o of e.state.models.values()) {
    for (const x of o.fields.values()) {
      if (x.decl.relation?.to === s.key && x.decl.relation.toField === oldName) x.decl = { ...x.decl, relation: { ...x.decl.relation, toField: newName } };
    }
  }
}

/** `alter_unique_together` / `alter_index_together`: removed groups are looked up and dropped
 *  (`_delete_composed_index`), added ones created with Django's names. */
function alterTogether(e: Emitter, which: 'unique' | 'index', model: string, groups: string[][] | null): void {
  const env = e.env;
  const app = env.app;
  const m = knownModel(env, app, model);
  const table = m?.table ?? defaultTable(app, model);
  const s = e.state.model(app, model);
  const key = which === 'unique' ? 'uniqueTogether' : 'indexTogether';
  if (!m || groups === null) {
    // Without the previous value, every group written is taken as added.
    for (const g of groups ?? []) addTogether(e, which, undefined, table, g);
    if (!groups?.length) e.emit(which === 'unique' ? 'drop_constraint' : 'drop_index', which === 'unique' ? { table } : ({ table, concurrently: false } as never));
    if (s && groups) s.options = { ...s.options, [key]: groups };
    else if (s) e.state.markOpaque(app, env.by);
    return;
  }
  const id = (g: string[]) => JSON.stringify(g);
  const olds = new Map(m.options[key].map((g) => [id(g), g]));
  const news = new Map(groups.map((g) => [id(g), g]));
  if (managed(m)) {
    for (const [k, g] of olds) {
      if (news.has(k)) continue;
      const cols = columnsOf(m, g);
      const exclude = new Set([...m.options.constraints, ...m.options.indexes].flatMap((c) => (c.name ? [c.name] : [])));
      let found = env.catalog.names(table, cols, which === 'unique' ? { unique: true, primaryKey: false, exclude } : { index: true, unique: false, exclude });
      const dflt = djangoIndexName(table, cols, '_uniq');
      if (which === 'unique' && found?.some((c) => c.name === dflt)) found = found.filter((c) => c.name === dflt);
      const name = found?.length === 1 ? found[0]!.name : undefined;
      if (which === 'unique') e.emit('drop_constraint', { table, ...(name ? { constraint: name } : {}), constraintType: 'unique' });
      else e.emit('drop_index', { table, ...(name ? { index: name } : {}), concurrently: false, ifExists: true } as Body<'drop_index'>);
    }
    for (const [k, g] of news) if (!olds.has(k)) addTogether(e, which, m, table, g);
  }
  m.options = { ...m.options, [key]: groups };
}

function addTogether(e: Emitter, which: 'unique' | 'index', m: ModelState | undefined, table: string, group: string[]): void {
  const cols = columnsOf(m, group);
  // Names need the columns: with the model unknown, field names may not be the columns.
  const named = m !== undefined;
  if (which === 'unique') e.emit('add_constraint', { table, constraint: { type: 'unique', ...(named ? { name: djangoIndexName(table, cols, '_uniq') } : {}), columns: cols } });
  else e.emit('create_index', { table, ...(named ? { index: djangoIndexName(table, cols, '_idx') } : {}), columns: cols, unique: false, concurrently: false });
}

/** A parsed Django migration with the operations replay lowers. */
export interface ParsedDjango {
  migration: Migration;
  app: string;
  ops: DjangoOp[];
  /** The operations could not all be read (syntax error, `operations` not a list): what the migration
   *  does to its app's models is unknown from here on. */
  opaque: boolean;
}

function lowerMigration(p: ParsedDjango, env: Env): Statement[] {
  for (const op of p.ops) replayOp(op, env, false);
  if (p.opaque) env.state.markOpaque(p.app, env.by);
  // The schema editor runs its deferred SQL (foreign keys of new tables, indexes) when it exits.
  for (const st of env.deferred) {
    env.out.push(st);
    env.catalog.apply(st);
  }
  return env.out;
}

/**
 * `before(a, b)`: whether b is an ancestor of a. One bit set per node, built in topological order (a
 * node's ancestors are its parents and theirs): a few bytes per pair instead of a set per node, which a
 * project of thousands of migrations would otherwise spend most of its replay building.
 */
function ancestorBits(history: History, order: string[]): (a: string, b: string) => boolean {
  const pos = new Map(order.map((k, i) => [k, i]));
  const words = Math.ceil(order.length / 32);
  const bits = new Map<string, Uint32Array>();
  for (const key of order) {
    const own = new Uint32Array(words);
    for (const parent of history.graph.predecessors(key) ?? []) {
      const theirs = bits.get(parent)!;
      for (let i = 0; i < words; i++) own[i]! |= theirs[i]!;
      const j = pos.get(parent)!;
      own[j >>> 5]! |= 1 << (j & 31);
    }
    bits.set(key, own);
  }
  return (a, b) => {
    const j = pos.get(b);
    return j !== undefined && (bits.get(a)![j >>> 5]! & (1 << (j & 31))) !== 0;
  };
}

/**
 * Replays one project's migrations in graph order (parents first; squashes stand in for what they
 * replace, as `History` builds it) and sets each migration's statements. Migrations outside the graph
 * (replaced by a squash) and every migration of a history with a cycle are lowered on their own, with
 * nothing known before them.
 */
export function replayProject(history: History | undefined, parsed: ParsedDjango[], defaultAutoField: string | null): void {
  const alone = (p: ParsedDjango) => {
    const key = nodeKey(p.app, p.migration.name);
    p.migration.statements = lowerMigration(p, { app: p.app, by: key, state: new ProjectState(defaultAutoField), catalog: new Catalog(), visible: (k) => k === key, out: [], deferred: [] });
  };
  const byKey = new Map(parsed.map((p) => [nodeKey(p.app, p.migration.name), p]));
  if (!history || !alg.isAcyclic(history.graph)) {
    parsed.forEach(alone);
    return;
  }
  const state = new ProjectState(defaultAutoField);
  const catalog = new Catalog();
  const done = new Set<ParsedDjango>();
  const order = alg.topsort(history.graph);
  const before = ancestorBits(history, order);
  for (const key of order) {
    const p = byKey.get(key);
    if (!p || history.migration(key) !== p.migration) continue;
    p.migration.statements = lowerMigration(p, { app: p.app, by: key, state, catalog, visible: (k) => k === key || before(key, k), out: [], deferred: [] });
    done.add(p);
  }
  for (const p of parsed) if (!done.has(p)) alone(p);
}
