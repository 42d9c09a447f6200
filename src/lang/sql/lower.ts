/**
 * Lowers parsed PostgreSQL statements into the neutral model (src/model/statement.ts). One SQL statement
 * becomes one `Statement`, except multi-target statements (`ALTER TABLE t ADD ..., DROP ...`,
 * `DROP TABLE a, b`, `TRUNCATE a, b`), which become one per action or target, sharing the span.
 *
 * A `SchemaState` follows what the text itself creates, so later statements can say more than their own
 * words: a table created earlier is `tableIsNew`; a column created earlier gives `alter_column_type` its
 * `fromType`; an index created earlier names its table for `DROP INDEX`; a constraint created earlier
 * says whether `DROP`/`VALIDATE CONSTRAINT` is about a foreign key.
 */

import type {
  AlterTableCmd,
  ColumnDef,
  Constraint,
  CreateStmt,
  Node,
  VariableSetStmt,
} from 'libpg-query';
import type { Span } from '../../model/types.js';
import { durationMs, type AlterTableAction, type ColumnFacts, type ConstraintFacts, type Statement, type TransactionAction } from '../../model/statement.js';
import { exprRange, listName, relName, renderType, str, strings, tagOf, unwrap } from './ast.js';
import type { SqlToken } from './parser.js';
import { expressionVolatility } from './volatility.js';

/** What the statements lowered from one SQL statement share. */
export interface StatementBase {
  span: Span;
  construct: string;
  operationIndex: number;
}

/** One parsed statement and what lowering needs to read its source text. */
export interface LowerInput {
  node: Node;
  /** The whole SQL text. */
  sql: string;
  /** The statement's tokens (comments included). */
  tokens: SqlToken[];
  /** AST byte location -> UTF-16 offset into `sql`. */
  toOffset: (byteLocation: number) => number;
  /** The statement's extent in `sql`. */
  start: number;
  end: number;
}

interface ConstraintInfo {
  type: ConstraintFacts['type'];
  references?: string;
  /** For `CHECK (col IS NOT NULL)`: the column it proves NOT NULL. */
  notNullColumn?: string;
  valid: boolean;
}

/** Names compare without a leading `public.` (the default search_path) so `orders` matches `public.orders`. */
function key(name: string): string {
  return name.startsWith('public.') ? name.slice('public.'.length) : name;
}

/** The last component of a possibly qualified name. */
function bare(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? name : name.slice(i + 1);
}

/** What the text has created so far. */
export class SchemaState {
  private readonly newTables = new Set<string>();
  private readonly columns = new Map<string, Map<string, string>>();
  private readonly indexes = new Map<string, string>();
  private readonly constraints = new Map<string, Map<string, ConstraintInfo>>();
  /** Per table: columns proven NOT NULL by a valid, unnamed CHECK. */
  private readonly provenNotNull = new Map<string, Set<string>>();
  /** Materialized view -> the tables its query reads. */
  private readonly reads = new Map<string, string[]>();

  isNew(table: string): boolean {
    return this.newTables.has(key(table));
  }
  addTable(table: string): void {
    this.newTables.add(key(table));
  }
  dropTable(table: string): void {
    const k = key(table);
    this.newTables.delete(k);
    this.columns.delete(k);
    this.constraints.delete(k);
    this.provenNotNull.delete(k);
  }
  renameTable(table: string, newName: string): void {
    const from = key(table);
    // ALTER TABLE s.t RENAME TO u keeps the schema.
    const schema = table.includes('.') ? table.slice(0, table.lastIndexOf('.') + 1) : '';
    const to = key(schema + newName);
    const moves: [Map<string, unknown>, string, string][] = [];
    for (const m of [this.columns, this.constraints, this.provenNotNull] as Map<string, unknown>[]) moves.push([m, from, to]);
    for (const [m, f, t] of moves) {
      const v = m.get(f);
      if (v !== undefined) {
        m.delete(f);
        m.set(t, v);
      }
    }
    if (this.newTables.delete(from)) this.newTables.add(to);
    for (const [i, t] of this.indexes) if (key(t) === from) this.indexes.set(i, schema + newName);
  }
  columnType(table: string, column: string): string | undefined {
    return this.columns.get(key(table))?.get(column);
  }
  setColumn(table: string, column: string, type: string | undefined): void {
    const k = key(table);
    let m = this.columns.get(k);
    if (!m) this.columns.set(k, (m = new Map()));
    if (type === undefined) m.delete(column);
    else m.set(column, type);
  }
  renameColumn(table: string, column: string, newName: string): void {
    const t = this.columnType(table, column);
    this.setColumn(table, column, undefined);
    if (t !== undefined) this.setColumn(table, newName, t);
  }
  indexTable(index: string): string | undefined {
    return this.indexes.get(key(index)) ?? this.indexes.get(bare(index));
  }
  addIndex(index: string, table: string): void {
    this.indexes.set(key(index), table);
  }
  dropIndex(index: string): void {
    this.indexes.delete(key(index));
  }
  constraint(table: string, name: string): ConstraintInfo | undefined {
    return this.constraints.get(key(table))?.get(name);
  }
  addConstraint(table: string, name: string | undefined, info: ConstraintInfo): void {
    if (info.valid && info.notNullColumn) {
      const k = key(table);
      let s = this.provenNotNull.get(k);
      if (!s) this.provenNotNull.set(k, (s = new Set()));
      s.add(info.notNullColumn);
    }
    if (name === undefined) return;
    const k = key(table);
    let m = this.constraints.get(k);
    if (!m) this.constraints.set(k, (m = new Map()));
    m.set(name, info);
  }
  validateConstraint(table: string, name: string): void {
    const c = this.constraint(table, name);
    if (c) this.addConstraint(table, name, { ...c, valid: true });
  }
  dropConstraint(table: string, name: string): void {
    const c = this.constraint(table, name);
    this.constraints.get(key(table))?.delete(name);
    if (c?.notNullColumn) this.provenNotNull.get(key(table))?.delete(c.notNullColumn);
  }
  viewReads(view: string): string[] | undefined {
    return this.reads.get(key(view));
  }
  setViewReads(view: string, reads: string[]): void {
    this.reads.set(key(view), reads);
  }
  isProvenNotNull(table: string, column: string): boolean {
    return this.provenNotNull.get(key(table))?.has(column) ?? false;
  }
}

/** Settings measured in time, whose values get `valueMs` (config-setting.html: units ms, s, min, h, d). */
const TIME_SETTINGS = new Set([
  'deadlock_timeout',
  'idle_in_transaction_session_timeout',
  'idle_session_timeout',
  'lock_timeout',
  'statement_timeout',
  'transaction_timeout',
]);

const SERIAL_TYPES = new Set(['smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8']);

/** Lowers one statement, updating `state` with what it creates. */
export function lowerStatement(input: LowerInput, base: StatementBase, state: SchemaState): Statement[] {
  return new Lowerer(input, base, state).lower();
}

class Lowerer {
  private readonly out: Statement[] = [];

  constructor(
    private readonly input: LowerInput,
    private readonly base: StatementBase,
    private readonly state: SchemaState,
  ) {}

  /** Source text of an expression node, as written. */
  private text(node: unknown): string {
    const r = exprRange(node, this.input.tokens, this.input.toOffset, this.input.end);
    return r ? this.input.sql.slice(r.start, r.end) : '';
  }

  /** Adds a statement, marking it `tableIsNew` when it touches a table the text created earlier. */
  private emit(st: Statement, touched?: string, flags: { ifExists?: boolean; ifNotExists?: boolean } = {}): void {
    const full: Statement = { ...st };
    if (touched !== undefined && this.state.isNew(touched)) full.tableIsNew = true;
    if (flags.ifExists) full.ifExists = true;
    if (flags.ifNotExists) full.ifNotExists = true;
    this.out.push(full);
  }

  private other(description: string): void {
    this.out.push({ ...this.base, kind: 'other', description });
  }

  lower(): Statement[] {
    const n = this.input.node;
    const b = this.base;
    const tag = tagOf(n);
    switch (tag) {
      case 'CreateStmt':
        this.createTable(unwrap(n, 'CreateStmt')!);
        break;
      case 'CreateTableAsStmt': {
        const s = unwrap(n, 'CreateTableAsStmt')!;
        const name = relName(s.into?.rel);
        if (s.objtype === 'OBJECT_MATVIEW') {
          const st: Statement = { ...b, kind: 'create_materialized_view', view: name, withData: !s.into?.skipData };
          const reads = relationsRead(s.query);
          if (reads.length > 0) {
            st.reads = reads;
            this.state.setViewReads(name, reads);
          }
          this.emit(st, undefined, { ifNotExists: !!s.if_not_exists });
        } else {
          this.emit({ ...b, kind: 'create_table', table: name, columns: [], asQuery: true }, undefined, {
            ifNotExists: !!s.if_not_exists,
          });
        }
        this.state.addTable(name);
        break;
      }
      case 'IndexStmt': {
        const s = unwrap(n, 'IndexStmt')!;
        const table = relName(s.relation);
        let hasExpressions = false;
        const columns = (s.indexParams ?? []).map((p) => {
          const e = unwrap(p, 'IndexElem');
          if (e?.name) return e.name;
          hasExpressions = true;
          return this.text(e?.expr);
        });
        const st: Statement = {
          ...b,
          kind: 'create_index',
          table,
          columns,
          unique: !!s.unique,
          concurrently: !!s.concurrent,
        };
        if (s.idxname) st.index = s.idxname;
        if (hasExpressions) st.hasExpressions = true;
        if (s.whereClause) st.where = this.text(s.whereClause);
        const include = (s.indexIncludingParams ?? []).flatMap((p) => {
          const name = unwrap(p, 'IndexElem')?.name;
          return name ? [name] : [];
        });
        if (include.length > 0) st.include = include;
        if (s.accessMethod && s.accessMethod !== 'btree') st.method = s.accessMethod;
        this.emit(st, table, { ifNotExists: !!s.if_not_exists });
        if (s.idxname) {
          // An index lives in its table's schema.
          const schema = s.relation?.schemaname ? `${s.relation.schemaname}.` : '';
          this.state.addIndex(schema + s.idxname, table);
        }
        break;
      }
      case 'DropStmt':
        this.drop(unwrap(n, 'DropStmt')!);
        break;
      case 'DropdbStmt': {
        const s = unwrap(n, 'DropdbStmt')!;
        this.emit({ ...b, kind: 'drop_database', database: s.dbname ?? '' }, undefined, { ifExists: !!s.missing_ok });
        break;
      }
      case 'RenameStmt':
        this.rename(unwrap(n, 'RenameStmt')!);
        break;
      case 'AlterTableStmt': {
        const s = unwrap(n, 'AlterTableStmt')!;
        const table = relName(s.relation);
        if (s.objtype !== 'OBJECT_TABLE') {
          this.other(b.construct);
          break;
        }
        for (const c of s.cmds ?? []) {
          const cmd = unwrap(c, 'AlterTableCmd');
          if (cmd) this.alterTableCmd(table, cmd, !!s.missing_ok);
        }
        break;
      }
      case 'AlterEnumStmt': {
        const s = unwrap(n, 'AlterEnumStmt')!;
        const type = strings(s.typeName).join('.');
        if (s.oldVal !== undefined || s.newVal === undefined) {
          this.other('ALTER TYPE RENAME VALUE');
          break;
        }
        const st: Statement = { ...b, kind: 'add_enum_value', type, value: s.newVal };
        if (s.newValNeighbor !== undefined) {
          st.position = s.newValIsAfter ? { after: s.newValNeighbor } : { before: s.newValNeighbor };
        }
        this.emit(st, undefined, { ifNotExists: !!s.skipIfNewValExists });
        break;
      }
      case 'CreateEnumStmt': {
        const s = unwrap(n, 'CreateEnumStmt')!;
        this.emit({ ...b, kind: 'create_enum', type: strings(s.typeName).join('.'), values: strings(s.vals) });
        break;
      }
      case 'ReindexStmt': {
        const s = unwrap(n, 'ReindexStmt')!;
        const concurrently = (s.params ?? []).some((p) => {
          const d = unwrap(p, 'DefElem');
          return d?.defname === 'concurrently' && !isFalse(d.arg);
        });
        const targets = {
          REINDEX_OBJECT_INDEX: 'index',
          REINDEX_OBJECT_TABLE: 'table',
          REINDEX_OBJECT_SCHEMA: 'schema',
          REINDEX_OBJECT_SYSTEM: 'system',
          REINDEX_OBJECT_DATABASE: 'database',
        } as const;
        const target = targets[s.kind ?? 'REINDEX_OBJECT_TABLE'];
        const name = s.relation ? relName(s.relation) : s.name;
        const st: Statement = { ...b, kind: 'reindex', target, concurrently };
        if (name) st.name = name;
        let touched: string | undefined;
        if (target === 'index' && name) {
          const t = this.state.indexTable(name);
          if (t) st.table = touched = t;
        } else if (target === 'table') touched = name;
        this.emit(st, touched);
        break;
      }
      case 'ClusterStmt': {
        const s = unwrap(n, 'ClusterStmt')!;
        const st: Statement = { ...b, kind: 'cluster' };
        const table = s.relation ? relName(s.relation) : undefined;
        if (table) st.table = table;
        if (s.indexname) st.index = s.indexname;
        this.emit(st, table);
        break;
      }
      case 'VacuumStmt': {
        const s = unwrap(n, 'VacuumStmt')!;
        const opts = new Map(
          (s.options ?? []).flatMap((o) => {
            const d = unwrap(o, 'DefElem');
            return d?.defname ? [[d.defname, !isFalse(d.arg)] as const] : [];
          }),
        );
        const tables = (s.rels ?? []).map((r) => relName(unwrap(r, 'VacuumRelation')?.relation));
        for (const table of tables.length > 0 ? tables : [undefined]) {
          const st: Statement = s.is_vacuumcmd
            ? { ...b, kind: 'vacuum', full: opts.get('full') === true, analyze: opts.get('analyze') === true }
            : { ...b, kind: 'analyze' };
          if (table) st.table = table;
          this.emit(st, table);
        }
        break;
      }
      case 'TruncateStmt': {
        const s = unwrap(n, 'TruncateStmt')!;
        for (const r of s.relations ?? []) {
          const table = relName(unwrap(r, 'RangeVar'));
          this.emit({ ...b, kind: 'truncate', table, cascade: s.behavior === 'DROP_CASCADE' }, table);
        }
        break;
      }
      case 'CreateTrigStmt': {
        const s = unwrap(n, 'CreateTrigStmt')!;
        const table = relName(s.relation);
        this.emit({ ...b, kind: 'create_trigger', table, trigger: s.trigname ?? '', replace: !!s.replace }, table);
        break;
      }
      case 'RefreshMatViewStmt': {
        const s = unwrap(n, 'RefreshMatViewStmt')!;
        const view = relName(s.relation);
        const st: Statement = { ...b, kind: 'refresh_materialized_view', view, concurrently: !!s.concurrent, withData: !s.skipData };
        const reads = this.state.viewReads(view);
        if (reads) st.reads = reads;
        this.emit(st, view);
        break;
      }
      case 'VariableSetStmt':
        this.set(unwrap(n, 'VariableSetStmt')!);
        break;
      case 'TransactionStmt': {
        const kinds: Record<string, TransactionAction> = {
          TRANS_STMT_BEGIN: 'begin',
          TRANS_STMT_START: 'begin',
          TRANS_STMT_COMMIT: 'commit',
          TRANS_STMT_ROLLBACK: 'rollback',
          TRANS_STMT_SAVEPOINT: 'savepoint',
          TRANS_STMT_RELEASE: 'release',
          TRANS_STMT_ROLLBACK_TO: 'rollback_to',
          TRANS_STMT_PREPARE: 'prepare',
          TRANS_STMT_COMMIT_PREPARED: 'commit_prepared',
          TRANS_STMT_ROLLBACK_PREPARED: 'rollback_prepared',
        };
        const action = kinds[unwrap(n, 'TransactionStmt')!.kind ?? ''];
        if (action) this.emit({ ...b, kind: 'transaction', action });
        else this.other(b.construct);
        break;
      }
      case 'UpdateStmt': {
        const s = unwrap(n, 'UpdateStmt')!;
        const table = relName(s.relation);
        this.emit({ ...b, kind: 'update', table, where: s.whereClause !== undefined }, table);
        break;
      }
      case 'DeleteStmt': {
        const s = unwrap(n, 'DeleteStmt')!;
        const table = relName(s.relation);
        this.emit({ ...b, kind: 'delete', table, where: s.whereClause !== undefined }, table);
        break;
      }
      case 'InsertStmt': {
        const s = unwrap(n, 'InsertStmt')!;
        const table = relName(s.relation);
        const select = unwrap(s.selectStmt, 'SelectStmt');
        const fromQuery = select !== undefined && select.valuesLists === undefined;
        this.emit({ ...b, kind: 'insert', table, fromQuery }, table);
        break;
      }
      case 'SelectStmt': {
        const into = unwrap(n, 'SelectStmt')!.intoClause;
        if (into?.rel) {
          const table = relName(into.rel);
          this.emit({ ...b, kind: 'create_table', table, columns: [], asQuery: true });
          this.state.addTable(table);
        } else this.other(b.construct);
        break;
      }
      default:
        this.other(b.construct);
    }
    return this.out;
  }

  private createTable(s: CreateStmt): void {
    const table = relName(s.relation);
    const columns: ColumnFacts[] = [];
    const constraints: ConstraintFacts[] = [];
    const raw: Constraint[] = [];
    const like: string[] = [];
    for (const e of s.tableElts ?? []) {
      const col = unwrap(e, 'ColumnDef');
      if (col) {
        const facts = this.column(col);
        columns.push(facts);
        continue;
      }
      const con = unwrap(e, 'Constraint');
      if (con) {
        const facts = this.constraintFacts(con);
        if (facts) {
          constraints.push(facts);
          raw.push(con);
        }
        continue;
      }
      const l = unwrap(e, 'TableLikeClause');
      if (l) like.push(relName(l.relation));
    }
    const references = [
      ...new Set([
        ...columns.flatMap((c) => (c.references ? [c.references.table] : [])),
        ...constraints.flatMap((c) => (c.type === 'foreign_key' && c.references ? [c.references] : [])),
      ]),
    ];
    const st: Statement = { ...this.base, kind: 'create_table', table, columns };
    if (constraints.length > 0) st.constraints = constraints;
    if (like.length > 0) st.like = like;
    if (references.length > 0) st.references = references;
    const parents = (s.inhRelations ?? []).map((r) => relName(unwrap(r, 'RangeVar')));
    if (s.partbound && parents[0]) st.partitionOf = parents[0];
    else if (parents.length > 0) st.inherits = parents;
    const p = s.relation?.relpersistence;
    st.persistence = p === 'u' ? 'unlogged' : p === 't' ? 'temporary' : 'permanent';
    this.emit(st, undefined, { ifNotExists: !!s.if_not_exists });
    this.state.addTable(table);
    for (const c of columns) {
      this.state.setColumn(table, c.name, c.type);
      if (c.references) this.state.addConstraint(table, `${bare(table)}_${c.name}_fkey`, { type: 'foreign_key', references: c.references.table, valid: true });
    }
    constraints.forEach((c, i) => this.rememberConstraint(table, c, raw[i]));
  }

  private column(col: ColumnDef): ColumnFacts {
    const facts: ColumnFacts = { name: col.colname ?? '' };
    const names = strings(col.typeName?.names);
    const type = renderType(col.typeName);
    if (type) facts.type = type;
    if (names.length === 1 && SERIAL_TYPES.has(names[0]!)) facts.serial = true;
    let nullable = true;
    if (col.is_not_null) nullable = false;
    const checks: string[] = [];
    for (const c of col.constraints ?? []) {
      const con = unwrap(c, 'Constraint');
      if (!con) continue;
      switch (con.contype) {
        case 'CONSTR_NOTNULL':
          nullable = false;
          break;
        case 'CONSTR_NULL':
          nullable = true;
          break;
        case 'CONSTR_DEFAULT':
          if (con.raw_expr) facts.default = this.defaultValue(con.raw_expr);
          break;
        case 'CONSTR_IDENTITY':
          facts.identity = con.generated_when === 'd' ? 'by default' : 'always';
          nullable = false;
          break;
        case 'CONSTR_GENERATED':
          // The parser (PostgreSQL 18 grammar) marks `GENERATED ALWAYS AS (e)` without STORED as virtual.
          facts.generated = { kind: con.generated_kind === 'v' ? 'virtual' : 'stored', expression: this.text(con.raw_expr) };
          break;
        case 'CONSTR_CHECK':
          checks.push(this.text(con.raw_expr));
          break;
        case 'CONSTR_PRIMARY':
          facts.primaryKey = true;
          nullable = false;
          break;
        case 'CONSTR_UNIQUE':
          facts.unique = true;
          break;
        case 'CONSTR_FOREIGN': {
          const ref: NonNullable<ColumnFacts['references']> = { table: relName(con.pktable) };
          const pk = strings(con.pk_attrs)[0];
          if (pk) ref.column = pk;
          facts.references = ref;
          break;
        }
        default:
          break;
      }
    }
    // serial implies NOT NULL (datatype-numeric.html 8.1.4).
    if (facts.serial) nullable = false;
    facts.nullable = nullable;
    if (checks.length > 0) facts.checks = checks;
    return facts;
  }

  private defaultValue(expr: Node): NonNullable<ColumnFacts['default']> {
    const text = this.text(expr);
    if (isConstant(expr)) return { kind: 'constant', text, volatile: false };
    const v = expressionVolatility(expr);
    const d: NonNullable<ColumnFacts['default']> = { kind: 'db-expression', text };
    if (v !== undefined) d.volatile = v === 'volatile';
    return d;
  }

  private constraintFacts(con: Constraint): ConstraintFacts | undefined {
    const name = con.conname;
    const with_ = <T extends ConstraintFacts>(f: T): T => {
      if (name) f.name = name;
      return f;
    };
    switch (con.contype) {
      case 'CONSTR_CHECK':
        return with_({ type: 'check', expression: this.text(con.raw_expr), ...(con.skip_validation ? { notValid: true } : {}) });
      case 'CONSTR_UNIQUE':
      case 'CONSTR_PRIMARY': {
        const f: ConstraintFacts = with_({ type: con.contype === 'CONSTR_UNIQUE' ? 'unique' : 'primary_key' });
        const cols = strings(con.keys);
        if (cols.length > 0) f.columns = cols;
        if (con.indexname) {
          f.usingIndex = true;
          f.index = con.indexname;
        }
        return f;
      }
      case 'CONSTR_EXCLUSION':
        return with_({ type: 'exclusion' });
      case 'CONSTR_FOREIGN': {
        const f: ConstraintFacts = with_({ type: 'foreign_key', references: relName(con.pktable) });
        const cols = strings(con.fk_attrs);
        if (cols.length > 0) f.columns = cols;
        const ref = strings(con.pk_attrs);
        if (ref.length > 0) f.referencedColumns = ref;
        if (con.skip_validation) f.notValid = true;
        return f;
      }
      default:
        return undefined;
    }
  }

  private rememberConstraint(table: string, c: ConstraintFacts, raw?: Constraint): void {
    let name = c.name;
    // PostgreSQL names an unnamed foreign key <table>_<columns>_fkey (ChooseConstraintName, tablecmds.c).
    if (name === undefined && c.type === 'foreign_key' && c.columns) name = `${bare(table)}_${c.columns.join('_')}_fkey`;
    const info: ConstraintInfo = { type: c.type, valid: !c.notValid };
    if (c.references) info.references = c.references;
    const nn = raw ? notNullCheckColumn(raw) : undefined;
    if (nn) info.notNullColumn = nn;
    this.state.addConstraint(table, name, info);
  }

  private drop(s: NonNullable<ReturnType<typeof unwrap<'DropStmt'>>>): void {
    const b = this.base;
    const flags = { ifExists: !!s.missing_ok };
    const cascade = s.behavior === 'DROP_CASCADE';
    const names = (s.objects ?? []).map((o) => listName(o));
    switch (s.removeType) {
      case 'OBJECT_TABLE':
        for (const table of names) {
          this.emit({ ...b, kind: 'drop_table', table, ...(cascade ? { cascade } : {}) }, table, flags);
          this.state.dropTable(table);
        }
        return;
      case 'OBJECT_INDEX':
        for (const index of names) {
          const st: Statement = { ...b, kind: 'drop_index', index, concurrently: !!s.concurrent };
          const table = this.state.indexTable(index);
          if (table) st.table = table;
          if (cascade) st.cascade = true;
          this.emit(st, table, flags);
          this.state.dropIndex(index);
        }
        return;
      case 'OBJECT_SCHEMA':
        for (const schema of names) this.emit({ ...b, kind: 'drop_schema', schema, cascade }, undefined, flags);
        return;
      default:
        this.other(b.construct);
    }
  }

  private rename(s: NonNullable<ReturnType<typeof unwrap<'RenameStmt'>>>): void {
    const b = this.base;
    const flags = { ifExists: !!s.missing_ok };
    const table = relName(s.relation);
    const newName = s.newname ?? '';
    if (s.renameType === 'OBJECT_TABLE') {
      this.emit({ ...b, kind: 'rename_table', table, newName }, table, flags);
      this.state.renameTable(table, newName);
    } else if (s.renameType === 'OBJECT_COLUMN' && s.relationType === 'OBJECT_TABLE') {
      const column = s.subname ?? '';
      this.emit({ ...b, kind: 'rename_column', table, column, newName }, table, flags);
      this.state.renameColumn(table, column, newName);
    } else if (s.renameType === 'OBJECT_INDEX') {
      // `table` is required by the model; plain SQL names only the index, so the table is known only
      // when the index was created earlier in the same text.
      const t = this.state.indexTable(table);
      if (t) {
        this.emit({ ...b, kind: 'rename_index', table: t, index: table, newName }, t, flags);
        this.state.dropIndex(table);
        this.state.addIndex(newName, t);
      } else this.other('ALTER INDEX RENAME');
    } else {
      this.other(b.construct);
    }
  }

  private alterTableCmd(table: string, cmd: AlterTableCmd, tableIfExists: boolean): void {
    const b = this.base;
    const col = cmd.name ?? '';
    const ifExists = tableIfExists || (cmd.missing_ok === true && cmd.subtype !== 'AT_AddColumn');
    const flags = { ifExists, ifNotExists: cmd.subtype === 'AT_AddColumn' && cmd.missing_ok === true };
    const action = (a: AlterTableAction, detail: string, column?: string) => {
      const st: Statement = { ...b, kind: 'alter_table', table, action: a, detail };
      if (column) st.column = column;
      this.emit(st, table, flags);
    };
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = unwrap(cmd.def, 'ColumnDef');
        if (!def) return this.other(b.construct);
        const column = this.column(def);
        this.emit({ ...b, kind: 'add_column', table, column }, table, flags);
        this.state.setColumn(table, column.name, column.type);
        if (column.references) {
          this.state.addConstraint(table, `${bare(table)}_${column.name}_fkey`, { type: 'foreign_key', references: column.references.table, valid: true });
        }
        return;
      }
      case 'AT_ColumnDefault':
        if (cmd.def) this.emit({ ...b, kind: 'set_default', table, column: col, default: this.defaultValue(cmd.def) }, table, flags);
        else this.emit({ ...b, kind: 'drop_default', table, column: col }, table, flags);
        return;
      case 'AT_DropNotNull':
        return this.emit({ ...b, kind: 'drop_not_null', table, column: col }, table, flags);
      case 'AT_SetNotNull': {
        const st: Statement = { ...b, kind: 'set_not_null', table, column: col };
        if (this.state.isProvenNotNull(table, col)) st.provenByCheck = true;
        return this.emit(st, table, flags);
      }
      case 'AT_DropColumn':
        this.emit({ ...b, kind: 'drop_column', table, column: col, ...(cmd.behavior === 'DROP_CASCADE' ? { cascade: true } : {}) }, table, flags);
        this.state.setColumn(table, col, undefined);
        return;
      case 'AT_AddConstraint': {
        const con = unwrap(cmd.def, 'Constraint');
        if (!con) return this.other(b.construct);
        if (con.contype === 'CONSTR_NOTNULL') {
          // PostgreSQL 18: ADD CONSTRAINT c NOT NULL col [NOT VALID] is SET NOT NULL with a name.
          const st: Statement = { ...b, kind: 'set_not_null', table, column: strings(con.keys)[0] ?? '' };
          if (con.conname) st.constraint = con.conname;
          if (con.skip_validation) st.notValid = true;
          else if (this.state.isProvenNotNull(table, st.column)) st.provenByCheck = true;
          return this.emit(st, table, flags);
        }
        const facts = this.constraintFacts(con) ?? { type: 'unknown' as const };
        const constraint: Extract<Statement, { kind: 'add_constraint' }>['constraint'] = { type: facts.type };
        for (const k of ['name', 'columns', 'notValid', 'usingIndex', 'index', 'references', 'referencedColumns', 'expression'] as const) {
          if (facts[k] !== undefined) (constraint as Record<string, unknown>)[k] = facts[k];
        }
        const nn = notNullCheckColumn(con);
        if (nn) constraint.notNullColumn = nn;
        this.emit({ ...b, kind: 'add_constraint', table, constraint }, table, flags);
        this.rememberConstraint(table, facts, con);
        return;
      }
      case 'AT_ValidateConstraint': {
        const st: Statement = { ...b, kind: 'validate_constraint', table, constraint: col };
        const known = this.state.constraint(table, col);
        if (known) {
          st.constraintType = known.type;
          if (known.references) st.references = known.references;
        }
        this.emit(st, table, flags);
        this.state.validateConstraint(table, col);
        return;
      }
      case 'AT_DropConstraint': {
        const st: Statement = { ...b, kind: 'drop_constraint', table, constraint: col };
        if (cmd.behavior === 'DROP_CASCADE') st.cascade = true;
        const known = this.state.constraint(table, col);
        if (known) {
          st.constraintType = known.type;
          if (known.references) st.references = known.references;
        }
        this.emit(st, table, flags);
        this.state.dropConstraint(table, col);
        return;
      }
      case 'AT_AlterColumnType': {
        const def = unwrap(cmd.def, 'ColumnDef');
        const toType = renderType(def?.typeName);
        const st: Statement = { ...b, kind: 'alter_column_type', table, column: col, toType };
        const fromType = this.state.columnType(table, col);
        if (fromType !== undefined) st.fromType = fromType;
        if (def?.raw_default) {
          st.using = this.text(def.raw_default);
          if (isColumnOrCastOfIt(def.raw_default, col)) st.usingIsColumn = true;
        }
        this.emit(st, table, flags);
        this.state.setColumn(table, col, toType);
        return;
      }
      case 'AT_SetLogged':
      case 'AT_SetUnLogged':
        return this.emit({ ...b, kind: 'set_logged', table, logged: cmd.subtype === 'AT_SetLogged' }, table, flags);
      case 'AT_SetAccessMethod':
        return this.emit({ ...b, kind: 'set_access_method', table, method: cmd.name ?? 'DEFAULT' }, table, flags);
      case 'AT_EnableTrig':
      case 'AT_EnableAlwaysTrig':
      case 'AT_EnableReplicaTrig':
      case 'AT_EnableTrigAll':
      case 'AT_EnableTrigUser':
      case 'AT_DisableTrig':
      case 'AT_DisableTrigAll':
      case 'AT_DisableTrigUser': {
        const trigger = cmd.subtype.endsWith('All') ? 'ALL' : cmd.subtype.endsWith('User') ? 'USER' : col;
        return this.emit({ ...b, kind: 'alter_trigger', table, trigger, enabled: cmd.subtype.startsWith('AT_Enable') }, table, flags);
      }
      case 'AT_AttachPartition': {
        const partition = relName(unwrap(cmd.def, 'PartitionCmd')?.name);
        return this.emit({ ...b, kind: 'attach_partition', table, partition }, table, flags);
      }
      case 'AT_DetachPartition':
      case 'AT_DetachPartitionFinalize': {
        const pc = unwrap(cmd.def, 'PartitionCmd');
        const partition = relName(pc?.name);
        return this.emit(
          {
            ...b,
            kind: 'detach_partition',
            table,
            partition,
            concurrently: !!pc?.concurrent,
            finalize: cmd.subtype === 'AT_DetachPartitionFinalize',
          },
          table,
          flags,
        );
      }
      case 'AT_SetStatistics':
        return action('set_statistics', 'SET STATISTICS', col);
      case 'AT_SetOptions':
      case 'AT_ResetOptions':
        return action('set_column_options', 'SET (attribute options)', col);
      case 'AT_SetStorage':
        return action('set_storage', 'SET STORAGE', col);
      case 'AT_SetCompression':
        return action('set_compression', 'SET COMPRESSION', col);
      case 'AT_SetRelOptions':
      case 'AT_ResetRelOptions':
      case 'AT_ReplaceRelOptions':
        return action('set_storage_parameters', 'SET (storage parameters)');
      case 'AT_ClusterOn':
        return action('cluster_on', 'CLUSTER ON');
      case 'AT_DropCluster':
        return action('set_without_cluster', 'SET WITHOUT CLUSTER');
      case 'AT_ChangeOwner':
        return action('owner', 'OWNER TO');
      case 'AT_SetTableSpace':
        return action('set_tablespace', 'SET TABLESPACE');
      case 'AT_ReplicaIdentity':
        return action('replica_identity', 'REPLICA IDENTITY');
      case 'AT_EnableRowSecurity':
      case 'AT_DisableRowSecurity':
      case 'AT_ForceRowSecurity':
      case 'AT_NoForceRowSecurity':
        return action('row_security', 'ROW LEVEL SECURITY');
      case 'AT_AddInherit':
        return action('inherit', 'INHERIT');
      case 'AT_DropInherit':
        return action('no_inherit', 'NO INHERIT');
      case 'AT_AddIdentity':
        return action('add_identity', 'ADD GENERATED AS IDENTITY', col);
      case 'AT_SetIdentity':
        return action('set_identity', 'SET GENERATED', col);
      case 'AT_DropIdentity':
        return action('drop_identity', 'DROP IDENTITY', col);
      case 'AT_SetExpression':
        return action('set_expression', 'SET EXPRESSION', col);
      case 'AT_DropExpression':
        return action('drop_expression', 'DROP EXPRESSION', col);
      case 'AT_AlterConstraint':
        return action('alter_constraint', 'ALTER CONSTRAINT');
      case 'AT_EnableRule':
      case 'AT_EnableAlwaysRule':
      case 'AT_EnableReplicaRule':
      case 'AT_DisableRule':
        return action('rule', 'ENABLE/DISABLE RULE');
      case 'AT_AddOf':
      case 'AT_DropOf':
        return action('of_type', cmd.subtype === 'AT_AddOf' ? 'OF' : 'NOT OF');
      default:
        return action('other', 'ALTER TABLE');
    }
  }

  private set(s: VariableSetStmt): void {
    const b = this.base;
    const local = !!s.is_local;
    const name = (s.name ?? '').toLowerCase();
    switch (s.kind) {
      case 'VAR_SET_VALUE': {
        const value = (s.args ?? []).map(constText).join(', ');
        const st: Statement = { ...b, kind: 'set_setting', name, value, local };
        if (TIME_SETTINGS.has(name)) {
          const ms = durationMs(value);
          if (ms !== undefined) st.valueMs = ms;
        }
        return this.emit(st);
      }
      case 'VAR_SET_DEFAULT':
      case 'VAR_RESET':
        return this.emit({ ...b, kind: 'set_setting', name, value: null, local });
      case 'VAR_RESET_ALL':
        return this.emit({ ...b, kind: 'set_setting', name: 'all', value: null, local });
      default:
        return this.other(b.construct);
    }
  }
}

function isFalse(arg: Node | undefined): boolean {
  const s = str(arg) ?? unwrap(arg, 'A_Const')?.sval?.sval;
  if (s !== undefined) return /^(false|off|0|no)$/i.test(s);
  const b = unwrap(arg, 'Boolean');
  if (b) return !b.boolval;
  const i = unwrap(arg, 'Integer');
  if (i) return (i.ival ?? 0) === 0;
  return false;
}

/** Constants, casts of constants, and arrays of them: values PostgreSQL computes once. */
function isConstant(n: Node | undefined): boolean {
  if (!n) return false;
  if (unwrap(n, 'A_Const')) return true;
  const cast = unwrap(n, 'TypeCast');
  if (cast) return isConstant(cast.arg);
  const arr = unwrap(n, 'A_ArrayExpr');
  if (arr) return (arr.elements ?? []).every(isConstant);
  return false;
}

/** A SET argument as text: `'1s'` -> `1s`, `5000` -> `5000`. */
function constText(n: Node): string {
  const c = unwrap(n, 'A_Const');
  if (c) {
    if (c.sval) return c.sval.sval ?? '';
    if (c.ival) return String(c.ival.ival ?? 0);
    if (c.fval) return c.fval.fval ?? '';
    if (c.boolval) return c.boolval.boolval ? 'true' : 'false';
    if (c.isnull) return 'NULL';
    return '0'; // an A_Const with every field at its default is the integer 0
  }
  const cast = unwrap(n, 'TypeCast');
  if (cast?.arg) return constText(cast.arg);
  return '';
}

/** `USING c` or `USING c::t` / `CAST(c AS t)`: the column itself, maybe cast. */
function isColumnOrCastOfIt(n: Node, column: string): boolean {
  const cast = unwrap(n, 'TypeCast');
  if (cast) return cast.arg !== undefined && isColumnOrCastOfIt(cast.arg, column);
  const ref = unwrap(n, 'ColumnRef');
  if (!ref) return false;
  const fields = strings(ref.fields);
  return fields.length === 1 && fields[0] === column;
}

/** `CHECK (col IS NOT NULL)`: the column, from the AST. */
function notNullCheckColumn(con: Constraint): string | undefined {
  if (con.contype !== 'CONSTR_CHECK') return undefined;
  const t = unwrap(con.raw_expr, 'NullTest');
  if (!t || t.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = strings(unwrap(t.arg, 'ColumnRef')?.fields);
  return fields.length === 1 ? fields[0] : undefined;
}

/** The tables a query reads (its RangeVars, minus names its WITH clause defines), in order, deduplicated. */
export function relationsRead(query: Node | undefined): string[] {
  const ctes = new Set<string>();
  const found: string[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    if (!x || typeof x !== 'object') return;
    const cte = unwrap(x as Node, 'CommonTableExpr');
    if (cte?.ctename) ctes.add(cte.ctename);
    const rv = unwrap(x as Node, 'RangeVar');
    if (rv) {
      const name = relName(rv);
      if (!found.includes(name)) found.push(name);
    }
    for (const v of Object.values(x)) if (typeof v === 'object') visit(v);
  };
  visit(query);
  return found.filter((n) => !ctes.has(n));
}
