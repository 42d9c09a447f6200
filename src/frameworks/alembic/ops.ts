/**
 * `op.*` calls in a revision's `upgrade()` → statements. Each call is written as the PostgreSQL SQL Alembic
 * emits for it (alembic/ddl/impl.py, ddl/postgresql.py, SQLAlchemy's DDL compiler; reference/frameworks.md
 * §4.6, verified with `alembic upgrade head --sql`) and that SQL goes through the SQL front end, so an
 * `op.create_index` and a `CREATE INDEX` line are the same statement to every rule. The statements keep
 * the span of the `op` call; `op.execute('…')` SQL is parsed where it is written, through the literal's
 * escapes. `test/interop/alembic.test.ts` lowers Alembic's own `--sql` output and requires the same
 * statements.
 *
 * Batch operations (`with op.batch_alter_table('t') as batch_op:`) emit plain `ALTER TABLE` on PostgreSQL
 * and are read as the matching `op.*` call on that table.
 */
import { parseSql } from '../../lang/sql/index.js';
import type { PyValue } from '../../lang/python/index.js';
import { LineIndex } from '../../model/text.js';
import type { DataEffects, Diagnostic, Span, Statement } from '../../model/types.js';
import { pgType, quoteIdent, serialOf, serverDefault, sqlString } from './sqltypes.js';

type PyCall = Extract<PyValue, { kind: 'call' }>;

export interface OpCall {
  /** The operation: `create_index`, `add_column`, … */
  fn: string;
  /** `op.create_index` or `batch_op.create_index`, for messages. */
  construct: string;
  call: PyCall;
  /** For calls on a `batch_alter_table` context: its table and schema. */
  batch?: { table: string; schema: string | null };
  /** Inside `with op.get_context().autocommit_block():`. */
  autocommit: boolean;
}

export interface LowerContext {
  index: LineIndex;
  diagnostics: Diagnostic[];
}

/** Parameter names in positional order (Alembic 1.x `Operations` signatures, older names as aliases). */
const PARAMS: Record<string, string[]> = {
  create_table: ['table_name'],
  drop_table: ['table_name'],
  rename_table: ['old_table_name', 'new_table_name'],
  add_column: ['table_name', 'column'],
  drop_column: ['table_name', 'column_name'],
  alter_column: ['table_name', 'column_name'],
  create_index: ['index_name', 'table_name', 'columns'],
  drop_index: ['index_name', 'table_name'],
  create_foreign_key: ['constraint_name', 'source_table', 'referent_table', 'local_cols', 'remote_cols'],
  create_unique_constraint: ['constraint_name', 'table_name', 'columns'],
  create_check_constraint: ['constraint_name', 'table_name', 'condition'],
  create_primary_key: ['constraint_name', 'table_name', 'columns'],
  drop_constraint: ['constraint_name', 'table_name', 'type_'],
  execute: ['sqltext'],
  bulk_insert: ['table', 'rows'],
};

/** Parameters a batch operation takes from its `batch_alter_table` instead of its arguments. */
const FROM_BATCH = new Set(['table_name', 'source_table']);

const ALIASES: Record<string, string[]> = {
  index_name: ['name'],
  constraint_name: ['name'],
  table_name: ['tablename', 'table'],
  old_table_name: ['old_table'],
  source_table: ['source'],
  referent_table: ['referent'],
  column_name: ['column'],
  sqltext: ['sql'],
};

class Args {
  constructor(
    readonly op: OpCall,
    private readonly params: string[],
  ) {}

  get(name: string): PyValue | undefined {
    const call = this.op.call;
    for (const n of [name, ...(ALIASES[name] ?? [])]) {
      const v = call.kwargs.get(n);
      if (v) return v;
    }
    const positional = this.op.batch ? this.params.filter((p) => !FROM_BATCH.has(p)) : this.params;
    const i = positional.indexOf(name);
    return i >= 0 ? call.args[i] : undefined;
  }

  has(name: string): boolean {
    return this.op.call.kwargs.has(name);
  }

  /** A name: a string, or `op.f('…')`. */
  name(param: string): string | null {
    if (this.op.batch && FROM_BATCH.has(param)) return this.op.batch.table;
    return nameOf(this.get(param));
  }

  flag(param: string): boolean {
    const v = this.get(param);
    return v?.kind === 'bool' && v.value;
  }

  schema(param = 'schema'): string | null {
    if (this.op.batch && param === 'schema' && !this.has('schema')) return this.op.batch.schema;
    return nameOf(this.get(param));
  }
}

/** A string, or `op.f('…')` / `sa.quoted_name('…')` / `conv('…')`, which name it as given. */
export function nameOf(v: PyValue | undefined): string | null {
  if (!v) return null;
  if (v.kind === 'str') return v.value;
  if (v.kind === 'call' && v.callee && ['f', 'quoted_name', 'conv'].includes(v.callee.slice(v.callee.lastIndexOf('.') + 1)) && v.args[0]?.kind === 'str') return v.args[0].value;
  return null;
}

function strings(v: PyValue | undefined): string[] | null {
  if (!v) return null;
  if (v.kind === 'str') return [v.value];
  if (v.kind !== 'list' && v.kind !== 'tuple') return null;
  const out: string[] = [];
  for (const i of v.items) {
    const n = nameOf(i);
    if (n === null) return null;
    out.push(n);
  }
  return out;
}

/** SQL text: a string or `sa.text('…')`. */
function sqlText(v: PyValue | undefined): string | null {
  if (!v) return null;
  if (v.kind === 'str') return v.value;
  if (v.kind === 'call' && v.callee && ['text', 'literal_column'].includes(v.callee.slice(v.callee.lastIndexOf('.') + 1)) && v.args[0]?.kind === 'str') return v.args[0].value;
  return null;
}

const table = (name: string, schema: string | null): string => (schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name));
const idents = (names: readonly string[]): string => names.map(quoteIdent).join(', ');

const lastName = (callee: string | null): string => (callee ? callee.slice(callee.lastIndexOf('.') + 1) : '');

/** A `sa.Column(...)` call read into what its DDL needs. */
interface ColumnSpec {
  name: string;
  type: string | null;
  nullable: boolean;
  primaryKey: boolean;
  unique: boolean;
  index: boolean;
  autoincrement: boolean | 'auto';
  default: string | null;
  identity?: 'ALWAYS' | 'BY DEFAULT';
  computed?: { expression: string; persisted: boolean };
  foreignKeys: { target: string; ondelete?: string; onupdate?: string }[];
  enum?: { name: string; values: string[] };
}

function readColumn(v: PyValue | undefined): ColumnSpec | null {
  if (!v || v.kind !== 'call' || lastName(v.callee) !== 'Column') return null;
  const [nameArg, ...rest] = v.args;
  const name = nameOf(nameArg);
  if (name === null) return null;
  let typeArg = v.kwargs.get('type_');
  const spec: ColumnSpec = { name, type: null, nullable: true, primaryKey: false, unique: false, index: false, autoincrement: 'auto', default: null, foreignKeys: [] };
  for (const a of rest) {
    const cls = a.kind === 'call' ? lastName(a.callee) : a.kind === 'name' ? lastName(a.path) : '';
    if (a.kind === 'call' && cls === 'ForeignKey') {
      const target = nameOf(a.args[0] ?? a.kwargs.get('column'));
      if (target === null) return null;
      const fk: ColumnSpec['foreignKeys'][number] = { target };
      const od = nameOf(a.kwargs.get('ondelete'));
      const ou = nameOf(a.kwargs.get('onupdate'));
      if (od) fk.ondelete = od;
      if (ou) fk.onupdate = ou;
      spec.foreignKeys.push(fk);
    } else if (a.kind === 'call' && cls === 'Identity') {
      const always = a.kwargs.get('always');
      spec.identity = always?.kind === 'bool' && always.value ? 'ALWAYS' : 'BY DEFAULT';
    } else if (a.kind === 'call' && cls === 'Computed') {
      const expression = sqlText(a.args[0] ?? a.kwargs.get('sqltext'));
      if (expression === null) return null;
      const persisted = a.kwargs.get('persisted');
      spec.computed = { expression, persisted: persisted?.kind === 'bool' && persisted.value };
    } else if (typeArg === undefined) {
      typeArg = a;
    }
  }
  spec.type = pgType(typeArg);
  if (spec.type === null && typeArg !== undefined) return null;
  if (typeArg?.kind === 'call' && ['Enum', 'ENUM'].includes(lastName(typeArg.callee))) {
    const n = nameOf(typeArg.kwargs.get('name'));
    const values = typeArg.args.map(nameOf);
    const create = typeArg.kwargs.get('create_type');
    if (n && values.every((x): x is string => x !== null) && !(create?.kind === 'bool' && !create.value)) spec.enum = { name: n, values };
  }
  const bool = (k: string): boolean | undefined => {
    const x = v.kwargs.get(k);
    return x?.kind === 'bool' ? x.value : undefined;
  };
  spec.primaryKey = bool('primary_key') ?? false;
  spec.nullable = bool('nullable') ?? !spec.primaryKey;
  spec.unique = bool('unique') ?? false;
  spec.index = bool('index') ?? false;
  const auto = v.kwargs.get('autoincrement');
  spec.autoincrement = auto?.kind === 'bool' ? auto.value : 'auto';
  const sd = v.kwargs.get('server_default');
  if (sd && sd.kind !== 'none') {
    spec.default = serverDefault(sd);
    if (spec.default === null) return null;
  }
  return spec;
}

/** `REFERENCES t (c)` for a `ForeignKey('schema.t.c')` target. */
function references(target: string): string {
  const parts = target.split('.');
  const column = parts.pop()!;
  return `${parts.length > 1 ? table(parts[1]!, parts[0]!) : quoteIdent(parts[0] ?? '')} (${quoteIdent(column)})`;
}

function cascades(fk: { ondelete?: string; onupdate?: string }): string {
  return `${fk.ondelete ? ` ON DELETE ${fk.ondelete}` : ''}${fk.onupdate ? ` ON UPDATE ${fk.onupdate}` : ''}`;
}

/** A column's definition as `get_column_specification` writes it for PostgreSQL. */
function columnSql(c: ColumnSpec, serial: boolean): string {
  let type = c.type ?? 'INTEGER';
  if (serial) type = serialOf(c.type) ?? type;
  let sql = `${quoteIdent(c.name)} ${type}`;
  if (c.default !== null && !c.identity) sql += ` DEFAULT ${c.default}`;
  if (c.computed) sql += ` GENERATED ALWAYS AS (${c.computed.expression})${c.computed.persisted ? ' STORED' : ''}`;
  if (c.identity) sql += ` GENERATED ${c.identity} AS IDENTITY`;
  if (!c.nullable && !c.identity) sql += ' NOT NULL';
  return sql;
}

/** The index SQLAlchemy creates for `index=True` / `unique=True, index=True`: `ix_%(column_0_label)s`,
 *  the label being `[<schema>_]<table>_<column>`. */
function columnIndex(t: string, schema: string | null, c: ColumnSpec): string {
  return `CREATE ${c.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(`ix_${schema ? `${schema}_` : ''}${t}_${c.name}`)} ON ${table(t, schema)} (${quoteIdent(c.name)})`;
}

/** `CREATE TABLE` and what SQLAlchemy emits with it: enum types before, indexes after. */
function createTable(a: Args): string[] | null {
  const name = a.name('table_name');
  if (name === null) return null;
  const schema = a.schema();
  const columns: ColumnSpec[] = [];
  const constraints: string[] = [];
  const after: string[] = [];
  let explicitPk: string | null = null;
  for (const item of a.op.call.args.slice(1)) {
    const cls = item.kind === 'call' ? lastName(item.callee) : '';
    if (cls === 'Column') {
      const c = readColumn(item);
      if (!c) return null;
      columns.push(c);
      continue;
    }
    if (item.kind !== 'call') return null;
    const cname = nameOf(item.kwargs.get('name'));
    const prefix = cname ? `CONSTRAINT ${quoteIdent(cname)} ` : '';
    if (cls === 'PrimaryKeyConstraint') {
      const cols = item.args.map(nameOf);
      if (cols.some((c) => c === null)) return null;
      explicitPk = `${prefix}PRIMARY KEY (${idents(cols as string[])})`;
    } else if (cls === 'UniqueConstraint') {
      const cols = item.args.map(nameOf);
      if (cols.some((c) => c === null)) return null;
      constraints.push(`${prefix}UNIQUE (${idents(cols as string[])})`);
    } else if (cls === 'CheckConstraint') {
      const expr = sqlText(item.args[0] ?? item.kwargs.get('sqltext'));
      if (expr === null) return null;
      constraints.push(`${prefix}CHECK (${expr})`);
    } else if (cls === 'ForeignKeyConstraint') {
      const cols = strings(item.args[0] ?? item.kwargs.get('columns'));
      const refs = strings(item.args[1] ?? item.kwargs.get('refcolumns'));
      if (!cols || !refs || refs.length === 0) return null;
      const target = refs[0]!.split('.');
      target.pop();
      const refTable = target.length > 1 ? table(target[1]!, target[0]!) : quoteIdent(target[0] ?? '');
      const refCols = refs.map((r) => quoteIdent(r.slice(r.lastIndexOf('.') + 1)));
      constraints.push(`${prefix}FOREIGN KEY(${idents(cols)}) REFERENCES ${refTable} (${refCols.join(', ')})${cascades({ ...(nameOf(item.kwargs.get('ondelete')) ? { ondelete: nameOf(item.kwargs.get('ondelete'))! } : {}), ...(nameOf(item.kwargs.get('onupdate')) ? { onupdate: nameOf(item.kwargs.get('onupdate'))! } : {}) })}`);
    } else if (cls === 'Index') {
      const iname = nameOf(item.args[0]);
      const cols = item.args.slice(1).map((x) => (x.kind === 'str' ? quoteIdent(x.value) : sqlText(x)));
      if (iname === null || cols.some((c) => c === null)) return null;
      const unique = item.kwargs.get('unique');
      after.push(`CREATE ${unique?.kind === 'bool' && unique.value ? 'UNIQUE ' : ''}INDEX ${quoteIdent(iname)} ON ${table(name, schema)} (${cols.join(', ')})`);
    } else {
      return null;
    }
  }
  const pkCols = columns.filter((c) => c.primaryKey);
  // SQLAlchemy's autoincrement "auto": the single integer primary key column with no default of its own.
  const serialCol =
    pkCols.length === 1 && pkCols[0]!.autoincrement !== false && pkCols[0]!.foreignKeys.length === 0 && pkCols[0]!.default === null && !pkCols[0]!.identity && !pkCols[0]!.computed
      ? pkCols[0]!
      : null;
  const lines = columns.map((c) => columnSql(c, c === serialCol && serialOf(c.type) !== null));
  const pk = explicitPk ?? (pkCols.length ? `PRIMARY KEY (${idents(pkCols.map((c) => c.name))})` : null);
  const columnConstraints: string[] = [];
  for (const c of columns) {
    for (const fk of c.foreignKeys) columnConstraints.push(`FOREIGN KEY(${quoteIdent(c.name)}) REFERENCES ${references(fk.target)}${cascades(fk)}`);
    if (c.unique && !c.index) columnConstraints.push(`UNIQUE (${quoteIdent(c.name)})`);
  }
  const body = [...lines, ...(pk ? [pk] : []), ...constraints, ...columnConstraints];
  const enums = columns.flatMap((c) => (c.enum ? [`CREATE TYPE ${quoteIdent(c.enum.name)} AS ENUM (${c.enum.values.map(sqlString).join(', ')})`] : []));
  const ifNotExists = a.flag('if_not_exists') ? 'IF NOT EXISTS ' : '';
  return [...enums, `CREATE TABLE ${ifNotExists}${table(name, schema)} (\n    ${body.join(', \n    ')}\n)`, ...after, ...columns.filter((c) => c.index).map((c) => columnIndex(name, schema, c))];
}

function addColumn(a: Args): string[] | null {
  const t = a.name('table_name');
  const c = readColumn(a.get('column'));
  if (t === null || !c) return null;
  const schema = a.schema();
  const target = table(t, schema);
  const out = [`ALTER TABLE ${target} ADD COLUMN ${a.flag('if_not_exists') ? 'IF NOT EXISTS ' : ''}${columnSql(c, false)}`];
  for (const fk of c.foreignKeys) out.push(`ALTER TABLE ${target} ADD FOREIGN KEY(${quoteIdent(c.name)}) REFERENCES ${references(fk.target)}${cascades(fk)}`);
  if (c.index) out.push(columnIndex(t, schema, c));
  else if (c.unique) out.push(`ALTER TABLE ${target} ADD UNIQUE (${quoteIdent(c.name)})`);
  return out;
}

/** `alter_column`: the type first (PostgresqlImpl), then nullability, default and the rename (DefaultImpl). */
function alterColumn(a: Args): string[] | null {
  const t = a.name('table_name');
  const c = a.name('column_name');
  if (t === null || c === null) return null;
  const target = table(t, a.schema());
  const col = quoteIdent(c);
  const out: string[] = [];
  const typeArg = a.get('type_');
  if (typeArg && typeArg.kind !== 'none') {
    const type = pgType(typeArg);
    if (type === null) return null;
    const using = a.get('postgresql_using');
    const usingSql = using ? sqlText(using) : null;
    if (using && usingSql === null) return null;
    out.push(`ALTER TABLE ${target} ALTER COLUMN ${col} TYPE ${type}${usingSql !== null ? ` USING ${usingSql}` : ''}`);
  }
  const nullable = a.get('nullable');
  if (nullable?.kind === 'bool') out.push(`ALTER TABLE ${target} ALTER COLUMN ${col} ${nullable.value ? 'DROP' : 'SET'} NOT NULL`);
  else if (nullable && nullable.kind !== 'none') return null;
  const sd = a.get('server_default');
  if (sd && !(sd.kind === 'bool' && !sd.value)) {
    if (sd.kind === 'none') out.push(`ALTER TABLE ${target} ALTER COLUMN ${col} DROP DEFAULT`);
    else {
      const d = serverDefault(sd);
      if (d === null) return null;
      out.push(`ALTER TABLE ${target} ALTER COLUMN ${col} SET DEFAULT ${d}`);
    }
  }
  const rename = a.get('new_column_name');
  if (rename && rename.kind !== 'none') {
    const n = nameOf(rename);
    if (n === null) return null;
    out.push(`ALTER TABLE ${target} RENAME ${col} TO ${quoteIdent(n)}`);
  }
  return out;
}

function createIndex(a: Args): string[] | null {
  const t = a.name('table_name');
  const colsArg = a.get('columns');
  if (t === null || !colsArg) return null;
  const items = colsArg.kind === 'list' || colsArg.kind === 'tuple' ? colsArg.items : [colsArg];
  const cols = items.map((x) => (x.kind === 'str' ? quoteIdent(x.value) : sqlText(x)));
  if (cols.some((c) => c === null)) return null;
  const nameArg = a.get('index_name');
  const name = nameOf(nameArg);
  if (nameArg && nameArg.kind !== 'none' && name === null) return null;
  const using = nameOf(a.get('postgresql_using'));
  const include = a.get('postgresql_include');
  const includeCols = include ? strings(include) : null;
  if (include && includeCols === null) return null;
  const whereArg = a.get('postgresql_where');
  const where = whereArg ? sqlText(whereArg) : null;
  if (whereArg && where === null) return null;
  return [
    `CREATE ${a.flag('unique') ? 'UNIQUE ' : ''}INDEX ${a.flag('postgresql_concurrently') ? 'CONCURRENTLY ' : ''}${a.flag('if_not_exists') ? 'IF NOT EXISTS ' : ''}${name !== null ? `${quoteIdent(name)} ` : ''}ON ${table(t, a.schema())}${using ? ` USING ${using}` : ''} (${cols.join(', ')})${includeCols ? ` INCLUDE (${idents(includeCols)})` : ''}${where !== null ? ` WHERE ${where}` : ''}`,
  ];
}

function constraintPrefix(a: Args): string | null {
  const arg = a.get('constraint_name');
  if (!arg || arg.kind === 'none') return '';
  const n = nameOf(arg);
  return n === null ? null : `CONSTRAINT ${quoteIdent(n)} `;
}

function createForeignKey(a: Args): string[] | null {
  const prefix = constraintPrefix(a);
  const source = a.name('source_table');
  const referent = a.name('referent_table');
  const local = strings(a.get('local_cols'));
  const remote = strings(a.get('remote_cols'));
  if (prefix === null || source === null || referent === null || !local || !remote) return null;
  const fk = { ...(nameOf(a.get('ondelete')) ? { ondelete: nameOf(a.get('ondelete'))! } : {}), ...(nameOf(a.get('onupdate')) ? { onupdate: nameOf(a.get('onupdate'))! } : {}) };
  const deferrable = a.get('deferrable');
  const initially = nameOf(a.get('initially'));
  const tail = `${deferrable?.kind === 'bool' ? (deferrable.value ? ' DEFERRABLE' : ' NOT DEFERRABLE') : ''}${initially ? ` INITIALLY ${initially}` : ''}${a.flag('postgresql_not_valid') ? ' NOT VALID' : ''}`;
  return [
    `ALTER TABLE ${table(source, a.schema('source_schema'))} ADD ${prefix}FOREIGN KEY(${idents(local)}) REFERENCES ${table(referent, a.schema('referent_schema'))} (${idents(remote)})${cascades(fk)}${tail}`,
  ];
}

function tableConstraint(a: Args, body: (a: Args) => string | null): string[] | null {
  const prefix = constraintPrefix(a);
  const t = a.name('table_name');
  const b = body(a);
  if (prefix === null || t === null || b === null) return null;
  return [`ALTER TABLE ${table(t, a.schema())} ADD ${prefix}${b}`];
}

/** The SQL Alembic emits for a call, or null when its arguments cannot be read statically. */
function sqlFor(op: OpCall): string[] | null {
  const a = new Args(op, PARAMS[op.fn] ?? []);
  switch (op.fn) {
    case 'create_table':
      return createTable(a);
    case 'drop_table': {
      const t = a.name('table_name');
      return t === null ? null : [`DROP TABLE ${a.flag('if_exists') ? 'IF EXISTS ' : ''}${table(t, a.schema())}`];
    }
    case 'rename_table': {
      const t = a.name('old_table_name');
      const n = a.name('new_table_name');
      return t === null || n === null ? null : [`ALTER TABLE ${table(t, a.schema())} RENAME TO ${quoteIdent(n)}`];
    }
    case 'add_column':
      return addColumn(a);
    case 'drop_column': {
      const t = a.name('table_name');
      const c = a.name('column_name');
      return t === null || c === null ? null : [`ALTER TABLE ${table(t, a.schema())} DROP COLUMN ${a.flag('if_exists') ? 'IF EXISTS ' : ''}${quoteIdent(c)}`];
    }
    case 'alter_column':
      return alterColumn(a);
    case 'create_index':
      return createIndex(a);
    case 'drop_index': {
      const n = a.name('index_name');
      return n === null ? null : [`DROP INDEX ${a.flag('postgresql_concurrently') ? 'CONCURRENTLY ' : ''}${a.flag('if_exists') ? 'IF EXISTS ' : ''}${table(n, a.schema())}`];
    }
    case 'create_foreign_key':
      return createForeignKey(a);
    case 'create_unique_constraint':
      return tableConstraint(a, (x) => {
        const cols = strings(x.get('columns'));
        return cols ? `UNIQUE (${idents(cols)})` : null;
      });
    case 'create_primary_key':
      return tableConstraint(a, (x) => {
        const cols = strings(x.get('columns'));
        return cols ? `PRIMARY KEY (${idents(cols)})` : null;
      });
    case 'create_check_constraint':
      return tableConstraint(a, (x) => {
        const cond = sqlText(x.get('condition'));
        return cond === null ? null : `CHECK (${cond})${x.flag('postgresql_not_valid') ? ' NOT VALID' : ''}`;
      });
    case 'drop_constraint': {
      const n = a.name('constraint_name');
      const t = a.name('table_name');
      return n === null || t === null ? null : [`ALTER TABLE ${table(t, a.schema())} DROP CONSTRAINT ${a.flag('if_exists') ? 'IF EXISTS ' : ''}${quoteIdent(n)}`];
    }
    default:
      return null;
  }
}

/** Operations that change nothing in the database or only read: no statement. */
const NO_STATEMENT = new Set(['f', 'get_bind', 'get_context', 'inline_literal', 'invoke', 'implementation_for', 'register_operation', 'run_async']);

const CONSTRAINT_TYPES: Record<string, 'foreign_key' | 'unique' | 'check' | 'primary_key'> = { foreignkey: 'foreign_key', unique: 'unique', check: 'check', primary: 'primary_key' };

const noEffects = (): DataEffects => ({ deletes: false, updates: false, inserts: false, dropsData: false, opaque: false });

/**
 * The statements of one call. Generated SQL is parsed on its own and every statement takes the call's
 * span; `op.execute` SQL keeps its own positions in the string literal.
 */
export function lowerOp(op: OpCall, operationIndex: number, ctx: LowerContext): Statement[] {
  const span = op.call.span;
  const base = { span, construct: op.construct, operationIndex };
  const out = lowerCall(op, operationIndex, ctx, base);
  if (op.autocommit) for (const s of out) s.autocommit = true;
  return out;
}

function lowerCall(op: OpCall, operationIndex: number, ctx: LowerContext, base: { span: Span; construct: string; operationIndex: number }): Statement[] {
  if (NO_STATEMENT.has(op.fn)) return [];
  if (op.fn === 'execute') {
    const v = new Args(op, PARAMS.execute!).get('sqltext');
    const literal = v?.kind === 'str' ? v : v?.kind === 'call' && lastName(v.callee) === 'text' && v.args[0]?.kind === 'str' ? v.args[0] : null;
    if (!literal || literal.kind !== 'str') return [{ ...base, kind: 'raw_sql', sql: null, effects: { ...noEffects(), opaque: true } }];
    // A literal built from pieces ('a' 'b', 'a' + 'b') has no exact map: its statements point at it whole.
    const map = literal.sourceOffset ?? (() => literal.node.from);
    const r = parseSql(literal.value, { index: ctx.index, mapOffset: map, construct: op.construct, operationIndex, shareOperationIndex: true });
    ctx.diagnostics.push(...r.diagnostics);
    return r.statements;
  }
  if (op.fn === 'bulk_insert') {
    const t = new Args(op, PARAMS.bulk_insert!).get('table');
    const name = t?.kind === 'call' && ['table', 'Table'].includes(lastName(t.callee)) ? nameOf(t.args[0]) : null;
    return name === null ? [{ ...base, kind: 'other', description: op.construct }] : [{ ...base, kind: 'insert', table: name, fromQuery: false }];
  }
  const sql = sqlFor(op);
  if (sql === null) return [{ ...base, kind: 'other', description: `${op.construct} (arguments not readable statically)` }];
  const statements: Statement[] = [];
  for (const text of sql) {
    const r = parseSql(text, { index: new LineIndex(text), mapOffset: (o) => o, construct: op.construct, operationIndex, shareOperationIndex: true });
    // Generated SQL that PostgreSQL's parser rejects is a gap in this front end, not the user's error.
    if (r.diagnostics.length > 0) return [{ ...base, kind: 'other', description: `${op.construct} (not understood)` }];
    for (const st of r.statements) statements.push({ ...st, span: base.span });
  }
  return refine(op, statements);
}

/** Facts the call states that its SQL does not: the index's table, the constraint's kind, the old type. */
function refine(op: OpCall, statements: Statement[]): Statement[] {
  const a = new Args(op, PARAMS[op.fn] ?? []);
  for (const st of statements) {
    if (st.kind === 'drop_index' && st.table === undefined) {
      const t = a.name('table_name');
      if (t !== null) st.table = a.schema() ? `${a.schema()}.${t}` : t;
    }
    if (st.kind === 'drop_constraint' && st.constraintType === undefined) {
      const type = nameOf(a.get('type_'));
      if (type && CONSTRAINT_TYPES[type]) st.constraintType = CONSTRAINT_TYPES[type];
    }
    if (st.kind === 'alter_column_type' && st.fromType === undefined) {
      const from = existingType(a.get('existing_type'));
      if (from) st.fromType = from;
    }
  }
  return statements;
}

/** `existing_type=` as the SQL front end spells types: parsed from the SQL Alembic would write for it. */
function existingType(v: PyValue | undefined): string | undefined {
  const type = pgType(v);
  if (type === null) return undefined;
  const text = `ALTER TABLE t ALTER COLUMN c TYPE ${type}`;
  const st = parseSql(text, { index: new LineIndex(text), mapOffset: (o) => o }).statements[0];
  return st?.kind === 'alter_column_type' ? st.toType : undefined;
}
