/**
 * node-pg-migrate's MigrationBuilder (`pgm`) lowered into the PostgreSQL it writes (salsita/node-pg-migrate
 * src/operations/*.ts: `createIndex`, `addColumns`, `alterColumn`, `dropColumns`, `sql`, …;
 * reference/frameworks.md §12). `pgm.noTransaction()` takes the migration out of the run's transaction
 * (read by the adapter, not here). String defaults are written as `$pga$…$pga$` literals as
 * `escapeValue` does.
 */
import { evaluate, type JsValue } from '../../lang/typescript/index.js';
import { q, type ChainLowering } from './lower.js';

const str = (v: JsValue | undefined): string | undefined => (v?.kind === 'str' ? v.value : undefined);
const bool = (v: JsValue | undefined): boolean | undefined => (v?.kind === 'bool' ? v.value : undefined);

/** A table or type name: a string, or `{ schema, name }`. */
function nameOf(v: JsValue | undefined): string | undefined {
  if (v?.kind === 'str') return v.value;
  if (v?.kind === 'object') {
    const n = str(v.props.get('name'));
    const s = str(v.props.get('schema'));
    return n ? (s ? `${s}.${n}` : n) : undefined;
  }
  return undefined;
}

function names(v: JsValue | undefined): string[] | null {
  if (v?.kind === 'str') return [v.value];
  if (v?.kind === 'array' && v.items.every((i) => i.kind === 'str' || (i.kind === 'object' && str(i.props.get('name'))))) {
    return v.items.map((i) => (i.kind === 'str' ? i.value : str((i as { props: Map<string, JsValue> }).props.get('name'))!));
  }
  return null;
}

/** `escapeValue` (src/utils/escapeValue.ts): strings dollar-quoted, `pgm.func(…)` raw. */
function valueSql(v: JsValue): string | null {
  switch (v.kind) {
    case 'str':
      return `$pga$${v.value}$pga$`;
    case 'num':
      return String(v.value);
    case 'bool':
      return v.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'call':
      return v.path.endsWith('.func') && v.args[0]?.kind === 'str' ? v.args[0].value : null;
    default:
      return null;
  }
}

/** A column definition: a type shorthand (`'text'`), or `{ type, notNull, default, unique, primaryKey, references }`. */
function columnSql(name: string, v: JsValue): string | null {
  if (v.kind === 'str') return `${q(name)} ${v.value}`;
  if (v.kind !== 'object') return null;
  const type = str(v.props.get('type'));
  if (!type) return null;
  let sql = `${q(name)} ${type}`;
  if (bool(v.props.get('primaryKey'))) sql += ' PRIMARY KEY';
  if (bool(v.props.get('unique'))) sql += ' UNIQUE';
  if (bool(v.props.get('notNull'))) sql += ' NOT NULL';
  const d = v.props.get('default');
  if (d) {
    const s = valueSql(d);
    if (s === null) return null;
    sql += ` DEFAULT ${s}`;
  }
  const ref = nameOf(v.props.get('references'));
  if (ref) sql += ` REFERENCES ${q(ref)}`;
  return sql;
}

function columnsSql(v: JsValue | undefined): string[] | null {
  if (v?.kind !== 'object') return null;
  const out = [...v.props].map(([k, c]) => columnSql(k, c));
  return out.every((s) => s !== null) ? (out as string[]) : null;
}

/** `Indexes.generateIndexName`: `<table>_<columns>[_unique]_index`. */
function indexName(table: string, cols: string[], unique: boolean): string {
  const bare = table.includes('.') ? table.slice(table.lastIndexOf('.') + 1) : table;
  return `${bare}_${cols.join('_')}${unique ? '_unique' : ''}_index`;
}

export const pgmLowering: ChainLowering = {
  lower(links, call, lx) {
    const l = links[0]!;
    if (!l.args) return 0;
    const a = l.args.map((x) => evaluate(x));
    const construct = `pgm.${l.name}`;
    const table = nameOf(a[0]);
    const gen = (sql: string | null) => (sql === null ? lx.opaque(l.node, construct) : void lx.generated(sql, l.node, construct));
    switch (l.name) {
      case 'sql':
        lx.raw(l.args[0], l.node, construct);
        return 1;
      case 'noTransaction':
      case 'func':
        return 1;
      case 'createIndex':
      case 'addIndex': {
        const cols = names(a[1]);
        const o = a[2]?.kind === 'object' ? a[2].props : new Map<string, JsValue>();
        if (!table || !cols) return gen(null), 1;
        const unique = bool(o.get('unique')) ?? false;
        const method = str(o.get('method'));
        const where = str(o.get('where'));
        gen(
          `CREATE ${unique ? 'UNIQUE ' : ''}INDEX${bool(o.get('concurrently')) ? ' CONCURRENTLY' : ''}${bool(o.get('ifNotExists')) ? ' IF NOT EXISTS' : ''} ${q(str(o.get('name')) ?? indexName(table, cols, unique))} ON ${q(table)}${method ? ` USING ${method}` : ''} (${cols.map(q).join(', ')})${where ? ` WHERE ${where}` : ''}`,
        );
        return 1;
      }
      case 'dropIndex': {
        const cols = names(a[1]);
        const o = a[2]?.kind === 'object' ? a[2].props : new Map<string, JsValue>();
        const name = str(o.get('name')) ?? (table && cols ? indexName(table, cols, bool(o.get('unique')) ?? false) : undefined);
        gen(name ? `DROP INDEX${bool(o.get('concurrently')) ? ' CONCURRENTLY' : ''}${bool(o.get('ifExists')) ? ' IF EXISTS' : ''} ${q(name)}` : null);
        return 1;
      }
      case 'addColumns':
      case 'addColumn': {
        const cols = columnsSql(a[1]);
        gen(table && cols && cols.length ? `ALTER TABLE ${q(table)}\n  ${cols.map((c) => `ADD ${c}`).join(',\n  ')}` : null);
        return 1;
      }
      case 'dropColumns':
      case 'dropColumn': {
        const cols = a[1]?.kind === 'object' ? [...a[1].props.keys()] : names(a[1]);
        gen(table && cols && cols.length ? `ALTER TABLE ${q(table)}\n  ${cols.map((c) => `DROP ${q(c)}`).join(',\n  ')}` : null);
        return 1;
      }
      case 'renameColumn':
        gen(table && str(a[1]) && str(a[2]) ? `ALTER TABLE ${q(table)} RENAME ${q(str(a[1])!)} TO ${q(str(a[2])!)}` : null);
        return 1;
      case 'alterColumn': {
        // src/operations/tables/alterColumn.ts: default, type, then nullability, as actions of one ALTER TABLE.
        const col = str(a[1]);
        const o = a[2]?.kind === 'object' ? a[2].props : null;
        if (!table || !col || !o) return gen(null), 1;
        const actions: string[] = [];
        const d = o.get('default');
        if (d) {
          const s = d.kind === 'null' ? null : valueSql(d);
          actions.push(d.kind === 'null' ? 'DROP DEFAULT' : s ? `SET DEFAULT ${s}` : '');
        }
        const type = str(o.get('type'));
        if (type) actions.push(`SET DATA TYPE ${type}${str(o.get('using')) ? ` USING ${str(o.get('using'))}` : ''}`);
        const notNull = bool(o.get('notNull')) ?? (bool(o.get('allowNull')) === undefined ? undefined : !bool(o.get('allowNull')));
        if (notNull !== undefined) actions.push(notNull ? 'SET NOT NULL' : 'DROP NOT NULL');
        if (actions.some((x) => x === '')) return gen(null), 1;
        if (actions.length === 0) return 1;
        gen(`ALTER TABLE ${q(table)}\n  ${actions.map((x) => `ALTER ${q(col)} ${x}`).join(',\n  ')}`);
        return 1;
      }
      case 'createTable': {
        const cols = columnsSql(a[1]);
        const o = a[2]?.kind === 'object' ? a[2].props : undefined;
        gen(table && cols ? `CREATE TABLE${bool(o?.get('ifNotExists')) ? ' IF NOT EXISTS' : ''} ${q(table)} (\n  ${cols.join(',\n  ')}\n)` : null);
        return 1;
      }
      case 'dropTable': {
        const o = a[1]?.kind === 'object' ? a[1].props : undefined;
        gen(table ? `DROP TABLE${bool(o?.get('ifExists')) ? ' IF EXISTS' : ''} ${q(table)}${bool(o?.get('cascade')) ? ' CASCADE' : ''}` : null);
        return 1;
      }
      case 'renameTable':
        gen(table && nameOf(a[1]) ? `ALTER TABLE ${q(table)} RENAME TO ${q(nameOf(a[1])!)}` : null);
        return 1;
      case 'addConstraint':
      case 'createConstraint': {
        const name = str(a[1]);
        const o = a[2];
        const head = table ? `ALTER TABLE ${q(table)}\n  ADD${name ? ` CONSTRAINT ${q(name)}` : ''} ` : null;
        if (!head) return gen(null), 1;
        if (o?.kind === 'str') return gen(`${head}${o.value}`), 1;
        if (o?.kind !== 'object') return gen(null), 1;
        const unique = names(o.props.get('unique'));
        const check = str(o.props.get('check'));
        const pk = names(o.props.get('primaryKey'));
        const fk = o.props.get('foreignKeys');
        if (unique) gen(`${head}UNIQUE (${unique.map(q).join(', ')})`);
        else if (check) gen(`${head}CHECK (${check})`);
        else if (pk) gen(`${head}PRIMARY KEY (${pk.map(q).join(', ')})`);
        else if (fk?.kind === 'object') {
          const cols = names(fk.props.get('columns'));
          const ref = nameOf(fk.props.get('references'));
          gen(cols && ref ? `${head}FOREIGN KEY (${cols.map(q).join(', ')}) REFERENCES ${q(ref)}` : null);
        } else gen(null);
        return 1;
      }
      case 'dropConstraint':
        gen(table && str(a[1]) ? `ALTER TABLE ${q(table)} DROP CONSTRAINT ${q(str(a[1])!)}` : null);
        return 1;
      case 'addTypeValue':
        gen(nameOf(a[0]) && str(a[1]) ? `ALTER TYPE ${q(nameOf(a[0])!)} ADD VALUE $pga$${str(a[1])}$pga$` : null);
        return 1;
      case 'refreshMaterializedView': {
        const o = a[1]?.kind === 'object' ? a[1].props : undefined;
        gen(table ? `REFRESH MATERIALIZED VIEW${bool(o?.get('concurrently')) ? ' CONCURRENTLY' : ''} ${q(table)}` : null);
        return 1;
      }
      default:
        return 0;
    }
  },
};
