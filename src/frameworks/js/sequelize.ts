/**
 * Sequelize's QueryInterface lowered into the PostgreSQL it runs (sequelize v6
 * src/dialects/postgres/query-generator.js: `addColumnQuery`, `changeColumnQuery`, `addIndexQuery`, …;
 * reference/frameworks.md §8). `queryInterface.sequelize.query(sql)` goes through the SQL front end, and
 * `queryInterface.sequelize.transaction(async (t) => …)` is a BEGIN … COMMIT around its callback.
 */
import { asFunction, bodyStatements, evaluate, type JsValue } from '../../lang/typescript/index.js';
import { lit, q, type ChainLowering, type Lowerer } from './lower.js';
import type { ts } from '../../lang/typescript/index.js';

const str = (v: JsValue | undefined): string | undefined => (v?.kind === 'str' ? v.value : undefined);
const bool = (v: JsValue | undefined): boolean | undefined => (v?.kind === 'bool' ? v.value : undefined);
const strs = (v: JsValue | undefined): string[] | null =>
  v?.kind === 'array' && v.items.every((i) => i.kind === 'str' || (i.kind === 'object' && str(i.props.get('name')) !== undefined))
    ? v.items.map((i) => (i.kind === 'str' ? i.value : str((i as { props: Map<string, JsValue> }).props.get('name'))!))
    : v?.kind === 'str'
      ? [v.value]
      : null;

/** DataTypes as the postgres dialect spells them (src/dialects/postgres/data-types.js). */
const TYPES: Record<string, (args: JsValue[]) => string | null> = {
  STRING: (a) => `VARCHAR(${a[0]?.kind === 'num' ? a[0].value : 255})`,
  CHAR: (a) => `CHAR(${a[0]?.kind === 'num' ? a[0].value : 255})`,
  TEXT: () => 'TEXT',
  CITEXT: () => 'CITEXT',
  INTEGER: () => 'INTEGER',
  BIGINT: () => 'BIGINT',
  SMALLINT: () => 'SMALLINT',
  FLOAT: () => 'FLOAT',
  REAL: () => 'REAL',
  DOUBLE: () => 'DOUBLE PRECISION',
  DECIMAL: (a) => (a[0]?.kind === 'num' ? `DECIMAL(${a[0].value}${a[1]?.kind === 'num' ? `,${a[1].value}` : ''})` : 'DECIMAL'),
  BOOLEAN: () => 'BOOLEAN',
  DATE: () => 'TIMESTAMP WITH TIME ZONE',
  DATEONLY: () => 'DATE',
  TIME: () => 'TIME',
  UUID: () => 'UUID',
  JSON: () => 'JSON',
  JSONB: () => 'JSONB',
  BLOB: () => 'BYTEA',
  INET: () => 'INET',
};

/** `Sequelize.STRING`, `DataTypes.STRING(100)`, `Sequelize.DataTypes.TEXT`. */
function typeOf(v: JsValue | undefined): string | null {
  if (!v) return null;
  if (v.kind === 'str') return v.value;
  const path = v.kind === 'ref' ? v.path : v.kind === 'call' ? v.path : null;
  if (!path) return null;
  const name = path.slice(path.lastIndexOf('.') + 1);
  const t = TYPES[name];
  return t ? t(v.kind === 'call' ? v.args : []) : null;
}

function defaultSql(v: JsValue): string | null {
  switch (v.kind) {
    case 'str':
      return lit(v.value);
    case 'num':
      return String(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'null':
      return 'NULL';
    case 'ref':
      return v.path.endsWith('.NOW') ? 'now()' : v.path.endsWith('.UUIDV4') ? null : null;
    case 'call':
      if (v.path.endsWith('.literal') && v.args[0]?.kind === 'str') return v.args[0].value;
      if (v.path.endsWith('.fn') && v.args[0]?.kind === 'str') return `${v.args[0].value}()`;
      return null;
    default:
      return null;
  }
}

/** An attribute: a bare type, or `{ type, allowNull, defaultValue, unique, primaryKey, references }`. */
function attribute(v: JsValue | undefined): { type: string; allowNull: boolean; dflt: string | null; unique: boolean; references: string | null } | null {
  if (!v) return null;
  if (v.kind !== 'object') {
    const type = typeOf(v);
    return type ? { type, allowNull: true, dflt: null, unique: false, references: null } : null;
  }
  const type = typeOf(v.props.get('type'));
  if (!type) return null;
  const d = v.props.get('defaultValue');
  const ref = v.props.get('references');
  const refTable = ref?.kind === 'object' ? str(ref.props.get('model')) ?? str(ref.props.get('table')) : undefined;
  const refKey = ref?.kind === 'object' ? str(ref.props.get('key')) ?? 'id' : 'id';
  return {
    type,
    allowNull: bool(v.props.get('allowNull')) ?? true,
    dflt: d ? defaultSql(d) : null,
    unique: bool(v.props.get('unique')) ?? false,
    references: refTable ? `REFERENCES ${q(refTable)} (${q(refKey)})` : null,
  };
}

function attributeSql(name: string, a: NonNullable<ReturnType<typeof attribute>>): string {
  return `${q(name)} ${a.type}${a.allowNull ? '' : ' NOT NULL'}${a.dflt !== null ? ` DEFAULT ${a.dflt}` : ''}${a.unique ? ' UNIQUE' : ''}${a.references ? ` ${a.references}` : ''}`;
}

export const sequelizeLowering: ChainLowering = {
  lower(links, call, lx) {
    const l = links[0]!;
    if (l.name === 'sequelize') {
      const m = links[1];
      if (!m?.args) return 0;
      if (m.name === 'query') {
        lx.raw(m.args[0], m.node, 'sequelize.query');
        return 2;
      }
      if (m.name === 'transaction') {
        const fn = asFunction(m.args[m.args.length - 1]);
        if (!fn) return 0;
        lx.generated('BEGIN', m.node, 'sequelize.transaction');
        lx.walk(bodyStatements(fn));
        lx.generated('COMMIT', m.node, 'sequelize.transaction');
        return 2;
      }
      return 0;
    }
    if (!l.args) return 0;
    const a = l.args.map((x) => evaluate(x));
    const construct = `queryInterface.${l.name}`;
    const table = str(a[0]) ?? (a[0]?.kind === 'object' ? str(a[0].props.get('tableName')) : undefined);
    const gen = (sql: string | null | string[]) => (sql === null ? lx.opaque(l.node, construct) : void lx.generated(sql, l.node, construct));
    switch (l.name) {
      case 'addIndex': {
        const opts = a[1]?.kind === 'object' ? a[1].props : a[2]?.kind === 'object' ? a[2].props : new Map<string, JsValue>();
        const fields = a[1]?.kind === 'array' ? strs(a[1]) : strs(opts.get('fields'));
        if (!table || !fields) return gen(null), 1;
        // Utils.nameIndex: `<table>_<fields>` with anything but letters, digits and _ as _.
        const name = str(opts.get('name')) ?? `${table}_${fields.join('_')}`.replace(/[^\w]+/g, '_').toLowerCase();
        const unique = bool(opts.get('unique')) || str(opts.get('type'))?.toUpperCase() === 'UNIQUE';
        const using = str(opts.get('using'));
        gen(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${bool(opts.get('concurrently')) ? 'CONCURRENTLY ' : ''}${q(name)} ON ${q(table)} ${using ? `USING ${using} ` : ''}(${fields.map(q).join(', ')})`);
        return 1;
      }
      case 'removeIndex': {
        const name = str(a[1]) ?? (strs(a[1]) && table ? `${table}_${strs(a[1])!.join('_')}`.replace(/[^\w]+/g, '_').toLowerCase() : undefined);
        const opts = a[2]?.kind === 'object' ? a[2].props : undefined;
        gen(name ? `DROP INDEX ${bool(opts?.get('concurrently')) ? 'CONCURRENTLY ' : ''}IF EXISTS ${q(name)}` : null);
        return 1;
      }
      case 'addColumn': {
        const col = str(a[1]);
        const attr = attribute(a[2]);
        gen(table && col && attr ? `ALTER TABLE ${q(table)} ADD COLUMN ${attributeSql(col, attr)}` : null);
        return 1;
      }
      case 'removeColumn':
        gen(table && str(a[1]) ? `ALTER TABLE ${q(table)} DROP COLUMN ${q(str(a[1])!)}` : null);
        return 1;
      case 'renameColumn':
        gen(table && str(a[1]) && str(a[2]) ? `ALTER TABLE ${q(table)} RENAME COLUMN ${q(str(a[1])!)} TO ${q(str(a[2])!)}` : null);
        return 1;
      case 'changeColumn': {
        // query-generator.js `changeColumnQuery`: NOT NULL, DEFAULT, then TYPE, each its own ALTER TABLE.
        const col = str(a[1]);
        const attr = attribute(a[2]);
        if (!table || !col || !attr) return gen(null), 1;
        const t = q(table);
        const c = q(col);
        gen([
          `ALTER TABLE ${t} ALTER COLUMN ${c} ${attr.allowNull ? 'DROP' : 'SET'} NOT NULL`,
          attr.dflt !== null ? `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${attr.dflt}` : `ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`,
          `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${attr.type}`,
        ].map((s) => `${s};`).join('\n'));
        return 1;
      }
      case 'createTable': {
        const attrs = a[1]?.kind === 'object' ? [...a[1].props].map(([k, v]) => {
          const at = attribute(v);
          const pk = v.kind === 'object' && bool(v.props.get('primaryKey'));
          const auto = v.kind === 'object' && bool(v.props.get('autoIncrement'));
          return at ? `${attributeSql(k, auto ? { ...at, type: at.type === 'BIGINT' ? 'BIGSERIAL' : 'SERIAL' } : at)}${pk ? ' PRIMARY KEY' : ''}` : null;
        }) : null;
        gen(table && attrs && attrs.every((x) => x !== null) ? `CREATE TABLE IF NOT EXISTS ${q(table)} (${attrs.join(', ')})` : null);
        return 1;
      }
      case 'dropTable':
        gen(table ? `DROP TABLE IF EXISTS ${q(table)}` : null);
        return 1;
      case 'renameTable':
        gen(table && str(a[1]) ? `ALTER TABLE ${q(table)} RENAME TO ${q(str(a[1])!)}` : null);
        return 1;
      case 'addConstraint': {
        const o = a[1]?.kind === 'object' ? a[1].props : undefined;
        const fields = strs(o?.get('fields'));
        const type = str(o?.get('type'))?.toLowerCase();
        const name = str(o?.get('name'));
        const head = table ? `ALTER TABLE ${q(table)} ADD ${name ? `CONSTRAINT ${q(name)} ` : ''}` : null;
        const ref = o?.get('references');
        const refTable = ref?.kind === 'object' ? str(ref.props.get('table')) : undefined;
        const refField = ref?.kind === 'object' ? str(ref.props.get('field')) : undefined;
        if (!head || !fields) return gen(null), 1;
        if (type === 'unique') gen(`${head}UNIQUE (${fields.map(q).join(', ')})`);
        else if (type === 'primary key') gen(`${head}PRIMARY KEY (${fields.map(q).join(', ')})`);
        else if (type === 'foreign key' && refTable && refField) gen(`${head}FOREIGN KEY (${fields.map(q).join(', ')}) REFERENCES ${q(refTable)} (${q(refField)})`);
        else gen(null);
        return 1;
      }
      case 'removeConstraint':
        gen(table && str(a[1]) ? `ALTER TABLE ${q(table)} DROP CONSTRAINT ${q(str(a[1])!)}` : null);
        return 1;
      case 'bulkInsert':
        if (table) lx.data('insert', table, false, l.node, construct);
        else gen(null);
        return 1;
      case 'bulkUpdate':
        if (table) lx.data('update', table, a[2] !== undefined && !(a[2].kind === 'object' && a[2].props.size === 0), l.node, construct);
        else gen(null);
        return 1;
      case 'bulkDelete':
        if (table) lx.data('delete', table, a[1] !== undefined && a[1].kind !== 'null' && !(a[1].kind === 'object' && a[1].props.size === 0), l.node, construct);
        else gen(null);
        return 1;
      case 'describeTable':
      case 'showAllTables':
        return 1;
      default:
        return 0;
    }
  },
};

export type { ts, Lowerer };
