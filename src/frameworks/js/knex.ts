/**
 * Knex's schema builder lowered into the PostgreSQL it generates (knex 3.x `client: 'pg'`,
 * lib/dialects/postgres/schema/pg-tablecompiler.js and pg-columncompiler.js; checked against
 * `.toSQL()` of knex 3.1, reference/frameworks.md §6.5). Order as knex compiles a table: `createTable`
 * is the CREATE TABLE, then the table's statements (indexes, unique and foreign-key constraints, …) in
 * call order; `alterTable` / `table` is one ALTER TABLE adding every new column, then each `.alter()`ed
 * column, then the statements in call order.
 */
import { evaluate, paramName, skipParens, stringOf, ts, type ChainLink, type JsValue, type StrValue } from '../../lang/typescript/index.js';
import { asFunction, bodyStatements, chainOf } from '../../lang/typescript/index.js';
import { lit, q, type ChainLowering, type Lowerer } from './lower.js';

const TYPES: Record<string, (args: JsValue[], col: string) => string | null> = {
  increments: () => 'serial',
  bigIncrements: () => 'bigserial',
  integer: () => 'integer',
  mediumint: () => 'integer',
  bigInteger: () => 'bigint',
  bigint: () => 'bigint',
  tinyint: () => 'smallint',
  smallint: () => 'smallint',
  string: (a) => `varchar(${num(a[1]) ?? 255})`,
  varchar: (a) => `varchar(${num(a[1]) ?? 255})`,
  text: () => 'text',
  boolean: () => 'boolean',
  date: () => 'date',
  time: () => 'time',
  dateTime: (a) => timestampType(a[1]),
  datetime: (a) => timestampType(a[1]),
  timestamp: (a) => timestampType(a[1]),
  float: () => 'real',
  double: () => 'double precision',
  decimal: (a) => (a[1]?.kind === 'null' ? 'decimal' : `decimal(${num(a[1]) ?? 8}, ${num(a[2]) ?? 2})`),
  json: () => 'json',
  jsonb: () => 'jsonb',
  uuid: () => 'uuid',
  binary: () => 'bytea',
  specificType: (a) => (a[1]?.kind === 'str' ? a[1].value : null),
  enu: (a, col) => enumType(a[1], col),
  enum: (a, col) => enumType(a[1], col),
};

function num(v: JsValue | undefined): number | undefined {
  return v?.kind === 'num' ? v.value : undefined;
}

function timestampType(opts: JsValue | undefined): string {
  const o = opts?.kind === 'object' ? opts.props : undefined;
  // `timestamp(name, useTz)` (older signature) or `timestamp(name, { useTz, precision })`; useTz defaults to true.
  const useTz = opts?.kind === 'bool' ? opts.value : o?.get('useTz')?.kind === 'bool' ? (o.get('useTz') as { value: boolean }).value : true;
  const p = num(o?.get('precision'));
  return `${useTz ? 'timestamptz' : 'timestamp'}${p !== undefined ? `(${p})` : ''}`;
}

function enumType(values: JsValue | undefined, col: string): string | null {
  if (values?.kind !== 'array' || !values.items.every((v) => v.kind === 'str')) return null;
  return `text check (${q(col)} in (${values.items.map((v) => lit((v as StrValue).value)).join(', ')}))`;
}

/** A column default as knex renders it (`defaultTo(0)` is `default '0'`, true is `'1'`). */
function defaultSql(v: JsValue, roots: ReadonlySet<string>): string {
  switch (v.kind) {
    case 'num':
      return lit(String(v.value));
    case 'bool':
      return v.value ? "'1'" : "'0'";
    case 'str':
      return lit(v.value);
    case 'null':
      return 'null';
    case 'call': {
      const [root, ...rest] = v.path.split('.');
      const tail = rest.join('.');
      if (roots.has(root!) && tail === 'fn.now') return 'CURRENT_TIMESTAMP';
      if (roots.has(root!) && tail === 'fn.uuid') return '(gen_random_uuid())';
      if (roots.has(root!) && tail === 'raw' && v.args[0]?.kind === 'str') return v.args[0].value;
      break;
    }
  }
  return `"${v.node.getText().replace(/"/g, '')}"`;
}

function strings(v: JsValue | undefined): string[] | null {
  if (!v) return null;
  if (v.kind === 'str') return [v.value];
  if (v.kind === 'array' && v.items.every((i) => i.kind === 'str')) return v.items.map((i) => (i as StrValue).value);
  return null;
}

const str = (v: JsValue | undefined): string | undefined => (v?.kind === 'str' ? v.value : undefined);

/** knex's `_indexCommand`: `<table>_<columns>_<type>`, lower-cased, `.` and `-` as `_`. */
function indexName(table: string, columns: string[], type: 'index' | 'unique' | 'foreign'): string {
  const bare = table.includes('.') ? table.slice(table.lastIndexOf('.') + 1) : table;
  return `${bare}_${columns.join('_')}_${type}`.toLowerCase().replace(/[.-]/g, '_');
}

interface Pending {
  sql: string;
  node: ts.Node;
}

/** One `createTable` / `alterTable` callback, compiled the way knex's table compiler orders it. */
class TableCompiler {
  readonly adds: { def: string; node: ts.Node }[] = [];
  readonly alters: Pending[] = [];
  readonly statements: Pending[] = [];
  /** `createTable`: columns and table constraints inside CREATE TABLE. */
  readonly createParts: string[] = [];
  primary: string | null = null;
  constructor(
    readonly table: string,
    readonly creating: boolean,
    readonly roots: ReadonlySet<string>,
  ) {}
}

export const knexLowering: ChainLowering = {
  lower(links, call, lx) {
    const first = links[0]!;
    if (first.name === 'raw' && first.args) {
      lx.raw(first.args[0], call, 'knex.raw', first.args.length > 1 ? withPgBindings : undefined);
      return 1;
    }
    if (first.name !== 'schema') return 0;
    let schema: string | null = null;
    let i = 1;
    for (; i < links.length; i++) {
      const l = links[i]!;
      if (!l.args) return i;
      const a = l.args.map((x) => evaluate(x));
      const name = str(a[0]);
      const qualified = (n: string) => (schema ? `${schema}.${n}` : n);
      const construct = `knex.schema.${l.name}`;
      switch (l.name) {
        case 'withSchema':
          schema = name ?? null;
          break;
        case 'createTable':
        case 'createTableIfNotExists':
        case 'alterTable':
        case 'table': {
          if (!name) {
            lx.opaque(l.node, construct);
            break;
          }
          tableBuilder(qualified(name), l, lx, construct);
          break;
        }
        case 'dropTable':
        case 'dropTableIfExists':
          if (name) lx.generated(`drop table ${l.name.endsWith('IfExists') ? 'if exists ' : ''}${q(qualified(name))}`, l.node, construct);
          else lx.opaque(l.node, construct);
          break;
        case 'renameTable':
          if (name && str(a[1])) lx.generated(`alter table ${q(qualified(name))} rename to ${q(str(a[1])!)}`, l.node, construct);
          else lx.opaque(l.node, construct);
          break;
        case 'raw':
          lx.raw(l.args[0], l.node, construct, l.args.length > 1 ? withPgBindings : undefined);
          break;
        case 'createSchema':
        case 'createSchemaIfNotExists':
          if (name) lx.generated(`create schema ${l.name.endsWith('IfNotExists') ? 'if not exists ' : ''}${q(name)}`, l.node, construct);
          break;
        case 'dropSchema':
        case 'dropSchemaIfExists':
          if (name) lx.generated(`drop schema ${l.name.endsWith('IfExists') ? 'if exists ' : ''}${q(name)}${a[1]?.kind === 'bool' && a[1].value ? ' cascade' : ''}`, l.node, construct);
          else lx.opaque(l.node, construct);
          break;
        case 'refreshMaterializedView':
          if (name) lx.generated(`refresh materialized view${a[1]?.kind === 'bool' && a[1].value ? ' concurrently' : ''} ${q(qualified(name))}`, l.node, construct);
          else lx.opaque(l.node, construct);
          break;
        case 'hasTable':
        case 'hasColumn':
          // Reads the catalog; no change.
          break;
        default:
          lx.opaque(l.node, construct);
      }
    }
    return i;
  },

  lowerRootCall(root, links, lx) {
    // `knex('users').where(…).update(…)`: the query builder.
    const table = stringOf(root.arguments[0] ?? root) ?? null;
    const where = links.some((l) => l.name.startsWith('where'));
    for (const l of links) {
      const construct = `knex(…).${l.name}`;
      if (!table) continue;
      if (l.name === 'update' || l.name === 'increment' || l.name === 'decrement') lx.data('update', table.value, where, l.node, construct);
      else if (l.name === 'del' || l.name === 'delete') lx.data('delete', table.value, where, l.node, construct);
      else if (l.name === 'insert') lx.data('insert', table.value, false, l.node, construct);
      else if (l.name === 'truncate') lx.generated(`truncate ${q(table.value)} restart identity`, l.node, construct);
    }
    if (!table) lx.opaque(root, 'knex(…)');
  },
};

function tableBuilder(table: string, link: ChainLink, lx: Lowerer, construct: string): void {
  const creating = link.name.startsWith('createTable');
  const tc = new TableCompiler(table, creating, lx.roots);
  const fn = asFunction(link.args?.[1]);
  const param = fn ? paramName(fn, 0) : null;
  if (link.args?.[1] && (!fn || !param)) {
    lx.opaque(link.node, construct);
    return;
  }
  const operationIndex = lx.nextOperation();
  if (fn && param) {
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) {
        const { root, links } = chainOf(n);
        const r = skipParens(root);
        if (ts.isIdentifier(r) && r.text === param && links.length > 0) {
          columnOrCommand(tc, links, n, lx);
          return;
        }
      }
      ts.forEachChild(n, visit);
    };
    for (const s of bodyStatements(fn)) visit(s);
  }
  if (creating) {
    const parts = [...tc.createParts, ...(tc.primary ? [tc.primary] : [])];
    lx.generated(`create table ${link.name === 'createTableIfNotExists' ? 'if not exists ' : ''}${q(table)} (${parts.join(', ')})`, link.node, construct, operationIndex);
  } else if (tc.adds.length > 0) {
    const out = lx.generated(`alter table ${q(table)} ${tc.adds.map((a) => `add column ${a.def}`).join(', ')}`, link.node, construct, operationIndex);
    // One ALTER TABLE, one action per column: each action points at the column that added it.
    if (out.length === tc.adds.length) out.forEach((st, k) => (st.span = lx.mod.index.span(tc.adds[k]!.node.getStart(), tc.adds[k]!.node.getEnd())));
  }
  for (const p of [...tc.alters, ...tc.statements]) lx.generated(p.sql, p.node, construct, operationIndex);
}

/** One chain on the table builder: a column (`t.string('a').notNullable()`) or a table command. */
function columnOrCommand(tc: TableCompiler, links: ChainLink[], node: ts.CallExpression, lx: Lowerer): void {
  const head = links[0]!;
  const a = (head.args ?? []).map((x) => evaluate(x));
  const t = q(tc.table);
  const bare = tc.table.includes('.') ? tc.table.slice(tc.table.lastIndexOf('.') + 1) : tc.table;
  const cols = strings(a[0]);
  const push = (sql: string) => tc.statements.push({ sql, node });
  switch (head.name) {
    case 'index': {
      if (!cols) return lx.opaque(node, 't.index');
      const opts = a[2]?.kind === 'object' ? a[2].props : undefined;
      const method = str(a[2]) ?? str(opts?.get('storageEngineIndexType'));
      push(`create index ${q(str(a[1]) ?? indexName(bare, cols, 'index'))} on ${t}${method ? ` using ${method}` : ''} (${cols.map(q).join(', ')})${predicate(opts)}`);
      return;
    }
    case 'unique': {
      if (!cols) return lx.opaque(node, 't.unique');
      const opts = a[1]?.kind === 'object' ? a[1].props : undefined;
      const name = str(a[1]) ?? str(opts?.get('indexName')) ?? indexName(bare, cols, 'unique');
      const useConstraint = opts?.get('useConstraint');
      const pred = predicate(opts);
      if ((useConstraint?.kind === 'bool' && !useConstraint.value) || pred) push(`create unique index ${q(name)} on ${t} (${cols.map(q).join(', ')})${pred}`);
      else push(`alter table ${t} add constraint ${q(name)} unique (${cols.map(q).join(', ')})`);
      return;
    }
    case 'primary': {
      if (!cols) return lx.opaque(node, 't.primary');
      const name = str(a[1]) ?? str(a[1]?.kind === 'object' ? a[1].props.get('constraintName') : undefined) ?? `${bare}_pkey`;
      if (tc.creating) tc.primary = `constraint ${q(name)} primary key (${cols.map(q).join(', ')})`;
      else push(`alter table ${t} add constraint ${q(name)} primary key (${cols.map(q).join(', ')})`);
      return;
    }
    case 'foreign': {
      if (!cols) return lx.opaque(node, 't.foreign');
      const fk = foreignKey(links.slice(1), cols);
      if (!fk) return lx.opaque(node, 't.foreign');
      push(`alter table ${t} add constraint ${q(fk.name ?? str(a[1]) ?? indexName(bare, cols, 'foreign'))} foreign key (${cols.map(q).join(', ')}) references ${fk.sql}`);
      return;
    }
    case 'dropColumn':
    case 'dropColumns': {
      const names = (head.args ?? []).flatMap((x) => strings(evaluate(x)) ?? []);
      if (names.length === 0) return lx.opaque(node, `t.${head.name}`);
      push(`alter table ${t} ${names.map((n) => `drop column ${q(n)}`).join(', ')}`);
      return;
    }
    case 'dropTimestamps':
      push(`alter table ${t} drop column "created_at", drop column "updated_at"`);
      return;
    case 'renameColumn':
      if (!str(a[0]) || !str(a[1])) return lx.opaque(node, 't.renameColumn');
      push(`alter table ${t} rename ${q(str(a[0])!)} to ${q(str(a[1])!)}`);
      return;
    case 'dropIndex':
      push(`drop index ${q(str(a[1]) ?? indexName(bare, cols ?? [], 'index'))}`);
      return;
    case 'dropUnique':
      push(`alter table ${t} drop constraint ${q(str(a[1]) ?? indexName(bare, cols ?? [], 'unique'))}`);
      return;
    case 'dropForeign':
      push(`alter table ${t} drop constraint ${q(str(a[1]) ?? indexName(bare, cols ?? [], 'foreign'))}`);
      return;
    case 'dropPrimary':
      push(`alter table ${t} drop constraint ${q(str(a[0]) ?? `${bare}_pkey`)}`);
      return;
    case 'setNullable':
      if (!str(a[0])) return lx.opaque(node, 't.setNullable');
      push(`alter table ${t} alter column ${q(str(a[0])!)} drop not null`);
      return;
    case 'dropNullable':
      if (!str(a[0])) return lx.opaque(node, 't.dropNullable');
      push(`alter table ${t} alter column ${q(str(a[0])!)} set not null`);
      return;
    case 'timestamps': {
      const useTimestamps = a[0]?.kind === 'bool' && a[0].value;
      const now = a[1]?.kind === 'bool' && a[1].value;
      const type = useTimestamps || a[0] === undefined ? 'timestamptz' : 'timestamptz';
      for (const c of ['created_at', 'updated_at']) addColumn(tc, `${q(c)} ${type}${now ? ' not null default CURRENT_TIMESTAMP' : ''}`, node);
      return;
    }
    case 'comment':
    case 'engine':
    case 'charset':
    case 'collate':
    case 'inherits':
      return;
    default:
      break;
  }
  const type = TYPES[head.name];
  const col = str(a[0]) ?? (head.name === 'increments' || head.name === 'bigIncrements' ? 'id' : undefined);
  const sqlType = type && col ? type(a, col) : null;
  if (!type || !col || !sqlType) return lx.opaque(node, `t.${head.name}`);
  column(tc, col, sqlType, head.name, a, links.slice(1), node, lx);
}

function predicate(opts: Map<string, JsValue> | undefined): string {
  // `predicate: knex.whereNotNull('a')` is a query builder: only the simple forms are read.
  const p = opts?.get('predicate');
  if (!p || p.kind !== 'call') return '';
  const col = str(p.args[0]);
  if (p.path.endsWith('.whereNotNull') && col) return ` where ${q(col)} is not null`;
  if (p.path.endsWith('.whereNull') && col) return ` where ${q(col)} is null`;
  if (p.path.endsWith('.whereRaw') && p.args[0]?.kind === 'str') return ` where ${p.args[0].value}`;
  return '';
}

/** `.references('users.id')` / `.references('id').inTable('users')`, `.onDelete(…)`, `.withKeyName(…)`. */
function foreignKey(links: ChainLink[], cols: string[]): { sql: string; name?: string } | null {
  let ref: string[] | null = null;
  let table: string | undefined;
  let name: string | undefined;
  let onDelete: string | undefined;
  let onUpdate: string | undefined;
  for (const l of links) {
    const v = l.args?.[0] ? evaluate(l.args[0]) : undefined;
    if (l.name === 'references') {
      const r = strings(v);
      if (r && r.length === 1 && r[0]!.includes('.') && !table) {
        table = r[0]!.slice(0, r[0]!.lastIndexOf('.'));
        ref = [r[0]!.slice(r[0]!.lastIndexOf('.') + 1)];
      } else ref = r;
    } else if (l.name === 'inTable') table = str(v);
    else if (l.name === 'withKeyName') name = str(v);
    else if (l.name === 'onDelete') onDelete = str(v);
    else if (l.name === 'onUpdate') onUpdate = str(v);
  }
  if (!ref || !table) return null;
  void cols;
  return { sql: `${q(table)} (${ref.map(q).join(', ')})${onUpdate ? ` on update ${onUpdate}` : ''}${onDelete ? ` on delete ${onDelete}` : ''}`, ...(name ? { name } : {}) };
}

function addColumn(tc: TableCompiler, def: string, node: ts.Node): void {
  if (tc.creating) tc.createParts.push(def);
  else tc.adds.push({ def, node });
}

/** A column with its modifiers, added (or with `.alter()`, changed) the way knex's column compiler does. */
function column(tc: TableCompiler, col: string, type: string, method: string, a: JsValue[], mods: ChainLink[], node: ts.CallExpression, lx: Lowerer): void {
  let notNull: boolean | null = null;
  let dflt: string | null = null;
  let primary = false;
  let alter = false;
  let alterNullable = true;
  const t = q(tc.table);
  const bare = tc.table.includes('.') ? tc.table.slice(tc.table.lastIndexOf('.') + 1) : tc.table;
  const after: string[] = [];
  for (const m of mods) {
    const v = m.args?.map((x) => evaluate(x)) ?? [];
    switch (m.name) {
      case 'notNullable':
      case 'notNull':
        notNull = true;
        break;
      case 'nullable':
        notNull = false;
        break;
      case 'defaultTo':
        if (v[0]) dflt = defaultSql(v[0], tc.roots);
        break;
      case 'primary':
        primary = true;
        break;
      case 'unique': {
        const opts = v[0]?.kind === 'object' ? v[0].props : undefined;
        after.push(`alter table ${t} add constraint ${q(str(opts?.get('indexName')) ?? indexName(bare, [col], 'unique'))} unique (${q(col)})`);
        break;
      }
      case 'index':
        after.push(`create index ${q(str(v[0]) ?? indexName(bare, [col], 'index'))} on ${t}${str(v[1]) ? ` using ${str(v[1])}` : ''} (${q(col)})`);
        break;
      case 'references': {
        const fk = foreignKey(mods.slice(mods.indexOf(m)), [col]);
        if (fk) after.push(`alter table ${t} add constraint ${q(fk.name ?? indexName(bare, [col], 'foreign'))} foreign key (${q(col)}) references ${fk.sql}`);
        else lx.opaque(m.node, `t.${method}(…).references`);
        break;
      }
      case 'alter': {
        alter = true;
        const opts = v[0]?.kind === 'object' ? v[0].props : undefined;
        const an = opts?.get('alterNullable');
        if (an?.kind === 'bool') alterNullable = an.value;
        break;
      }
      default:
        break;
    }
  }
  if (alter && !tc.creating) {
    // pg-tablecompiler.js `alterColumnsPrefix` / `_setNullableState`: drop default, drop not null, TYPE …
    // USING, then set not null and the default again when given.
    const c = q(col);
    const stmts = [`alter table ${t} alter column ${c} drop default`];
    if (alterNullable) stmts.push(`alter table ${t} alter column ${c} drop not null`);
    stmts.push(`alter table ${t} alter column ${c} type ${type} using (${c}::${type})`);
    if (alterNullable && notNull) stmts.push(`alter table ${t} alter column ${c} set not null`);
    if (dflt !== null) stmts.push(`alter table ${t} alter column ${c} set default ${dflt}`);
    for (const sql of stmts) tc.alters.push({ sql, node });
    return;
  }
  const isIncrements = method === 'increments' || method === 'bigIncrements';
  const incPk = isIncrements && !(a[1]?.kind === 'object' && a[1].props.get('primaryKey')?.kind === 'bool' && !(a[1].props.get('primaryKey') as { value: boolean }).value);
  let def = `${q(col)} ${type}`;
  if (notNull === true) def += ' not null';
  else if (notNull === false) def += ' null';
  if (dflt !== null) def += ` default ${dflt}`;
  if (primary) {
    if (tc.creating) tc.primary = `constraint ${q(`${bare}_pkey`)} primary key (${q(col)})`;
    else after.unshift(`alter table ${t} add constraint ${q(`${bare}_pkey`)} primary key (${q(col)})`);
  } else if (incPk && !(tc.creating && tc.primary)) def += ' primary key';
  addColumn(tc, def, node);
  for (const sql of after) tc.statements.push({ sql, node });
}

/** `knex.raw(sql, bindings)`: `?` is a value and `??` an identifier binding; read them as placeholders. */
function withPgBindings(s: StrValue): StrValue {
  let value = '';
  const offsets: number[] = [];
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.value.length; i++) {
    const c = s.value[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && s.value[i + 1] === '?') {
      value += '?';
      offsets.push(s.offsets[i]!);
      i++;
      continue;
    } else if (c === '?') {
      const ident = s.value[i + 1] === '?';
      const text = ident ? `"?${++n}"` : `$${++n}`;
      value += text;
      for (let k = 0; k < text.length; k++) offsets.push(s.offsets[i]!);
      if (ident) i++;
      continue;
    }
    value += c;
    offsets.push(s.offsets[i]!);
  }
  offsets.push(s.offsets[s.value.length]!);
  return { value, offsets, placeholders: s.placeholders };
}
