/**
 * TypeORM's QueryRunner lowered into the PostgreSQL it runs (typeorm src/driver/postgres/
 * PostgresQueryRunner.ts: `createIndexSql`, `addColumn`, `changeColumn`, `createForeignKeySql`, …;
 * reference/frameworks.md §7.5). Generated migrations only call `queryRunner.query(sql)`, whose SQL goes
 * through the SQL front end at its place in the file.
 */
import { evaluate, type JsValue } from '../../lang/typescript/index.js';
import { spanOf } from '../../lang/typescript/index.js';
import { lit, q, type ChainLowering, type Lowerer } from './lower.js';
import type { ts } from '../../lang/typescript/index.js';

type Props = Map<string, JsValue>;

const str = (v: JsValue | undefined): string | undefined => (v?.kind === 'str' ? v.value : undefined);
const bool = (v: JsValue | undefined): boolean | undefined => (v?.kind === 'bool' ? v.value : undefined);
const strs = (v: JsValue | undefined): string[] | null => (v?.kind === 'array' && v.items.every((i) => i.kind === 'str') ? v.items.map((i) => (i as { value: string }).value) : v?.kind === 'str' ? [v.value] : null);

/** The options object of `new TableIndex({...})` / `new TableColumn({...})`, or a plain object literal. */
function optionsOf(v: JsValue | undefined, ctor: string): Props | null {
  if (v?.kind === 'new' && v.ctor.endsWith(ctor) && v.args[0]?.kind === 'object') return v.args[0].props;
  if (v?.kind === 'object') return v.props;
  return null;
}

/** A table argument: a name, or `new Table({ name })`. */
function tableOf(v: JsValue | undefined): string | undefined {
  return str(v) ?? str(optionsOf(v, 'Table')?.get('name'));
}

/** `PostgresQueryRunner.buildCreateColumnSql`, for the options it commonly gets. */
function columnSql(c: Props): string | null {
  const name = str(c.get('name'));
  let type = str(c.get('type'));
  if (!name || !type) return null;
  const generated = bool(c.get('isGenerated')) && (str(c.get('generationStrategy')) ?? 'increment') === 'increment';
  if (generated) type = type === 'bigint' || type === 'int8' ? 'bigserial' : type === 'smallint' || type === 'int2' ? 'smallserial' : 'serial';
  const length = c.get('length');
  if (length && (length.kind === 'str' || length.kind === 'num') && !generated) type += `(${length.kind === 'str' ? length.value : length.value})`;
  if (bool(c.get('isArray'))) type += ' array';
  let sql = `${q(name)} ${type}`;
  // TableColumn.isNullable defaults to false: a column added without it is NOT NULL.
  if (!bool(c.get('isNullable'))) sql += ' NOT NULL';
  const d = c.get('default');
  // TypeORM writes `default` into the SQL as given: a string is an SQL expression (`"'draft'"`, `'now()'`).
  if (d && d.kind === 'str') sql += ` DEFAULT ${d.value}`;
  else if (d && (d.kind === 'num' || d.kind === 'bool')) sql += ` DEFAULT ${String(d.value)}`;
  if (bool(c.get('isUnique'))) sql += ' UNIQUE';
  return sql;
}

function indexSql(table: string, o: Props): string | null {
  const cols = strs(o.get('columnNames'));
  if (!cols) return null;
  const name = str(o.get('name'));
  const where = str(o.get('where'));
  return `CREATE ${bool(o.get('isUnique')) ? 'UNIQUE ' : ''}INDEX ${bool(o.get('isConcurrent')) ? 'CONCURRENTLY ' : ''}${name ? `${q(name)} ` : ''}ON ${q(table)} ${str(o.get('using')) ? `USING ${str(o.get('using'))} ` : ''}(${cols.map(q).join(', ')})${where ? ` WHERE ${where}` : ''}`;
}

function foreignKeySql(table: string, o: Props): string | null {
  const cols = strs(o.get('columnNames'));
  const ref = str(o.get('referencedTableName'));
  const refCols = strs(o.get('referencedColumnNames'));
  if (!cols || !ref || !refCols) return null;
  const name = str(o.get('name'));
  const onDelete = str(o.get('onDelete'));
  const onUpdate = str(o.get('onUpdate'));
  return `ALTER TABLE ${q(table)} ADD ${name ? `CONSTRAINT ${q(name)} ` : ''}FOREIGN KEY (${cols.map(q).join(', ')}) REFERENCES ${q(ref)}(${refCols.map(q).join(', ')})${onDelete ? ` ON DELETE ${onDelete}` : ''}${onUpdate ? ` ON UPDATE ${onUpdate}` : ''}`;
}

export const typeormLowering: ChainLowering = {
  lower(links, call, lx) {
    let l = links[0]!;
    let used = 1;
    // `queryRunner.manager.query(…)` / `queryRunner.connection.query(…)` run SQL the same way.
    if ((l.name === 'manager' || l.name === 'connection') && links[1]?.name === 'query') {
      l = links[1];
      used = 2;
    }
    if (!l.args) return 0;
    const a = l.args.map((x) => evaluate(x));
    const construct = `queryRunner.${l.name}`;
    const table = tableOf(a[0]);
    const gen = (sql: string | null | (string | null)[]) => {
      const list = (Array.isArray(sql) ? sql : [sql]).filter((s): s is string => s !== null);
      if (list.length === 0 || (Array.isArray(sql) && list.length !== sql.length) || sql === null) lx.opaque(l.node, construct);
      else lx.generated(list, l.node, construct);
    };
    switch (l.name) {
      case 'query':
        lx.raw(l.args[0], l.node, construct);
        return used;
      case 'createIndex': {
        const o = optionsOf(a[1], 'TableIndex');
        gen(table && o ? indexSql(table, o) : null);
        return used;
      }
      case 'createIndices': {
        const items = a[1]?.kind === 'array' ? a[1].items.map((i) => optionsOf(i, 'TableIndex')) : null;
        gen(table && items ? items.map((o) => (o ? indexSql(table, o) : null)) : null);
        return used;
      }
      case 'dropIndex': {
        const o = optionsOf(a[1], 'TableIndex');
        const name = str(a[1]) ?? str(o?.get('name'));
        gen(name ? `DROP INDEX ${o && bool(o.get('isConcurrent')) ? 'CONCURRENTLY ' : ''}${q(name)}` : null);
        return used;
      }
      case 'addColumn':
      case 'addColumns': {
        const items = l.name === 'addColumn' ? [a[1]] : a[1]?.kind === 'array' ? a[1].items : null;
        const cols = items?.map((i) => optionsOf(i, 'TableColumn')).map((o) => (o ? columnSql(o) : null));
        gen(table && cols ? cols.map((c) => (c ? `ALTER TABLE ${q(table)} ADD ${c}` : null)) : null);
        return used;
      }
      case 'dropColumn':
      case 'dropColumns': {
        const items = l.name === 'dropColumn' ? [a[1]] : a[1]?.kind === 'array' ? a[1].items : null;
        const names = items?.map((i) => str(i) ?? str(optionsOf(i, 'TableColumn')?.get('name')) ?? null);
        gen(table && names ? names.map((n) => (n ? `ALTER TABLE ${q(table)} DROP COLUMN ${q(n)}` : null)) : null);
        return used;
      }
      case 'renameColumn': {
        const from = str(a[1]) ?? str(optionsOf(a[1], 'TableColumn')?.get('name'));
        const to = str(a[2]) ?? str(optionsOf(a[2], 'TableColumn')?.get('name'));
        gen(table && from && to ? `ALTER TABLE ${q(table)} RENAME COLUMN ${q(from)} TO ${q(to)}` : null);
        return used;
      }
      case 'changeColumn':
        changeColumn(table, a[1], a[2], l.node, lx);
        return used;
      case 'createForeignKey':
      case 'createForeignKeys': {
        const items = l.name === 'createForeignKey' ? [a[1]] : a[1]?.kind === 'array' ? a[1].items : null;
        gen(table && items ? items.map((i) => optionsOf(i, 'TableForeignKey')).map((o) => (o ? foreignKeySql(table, o) : null)) : null);
        return used;
      }
      case 'createUniqueConstraint': {
        const o = optionsOf(a[1], 'TableUnique');
        const cols = strs(o?.get('columnNames'));
        const name = str(o?.get('name'));
        gen(table && cols ? `ALTER TABLE ${q(table)} ADD ${name ? `CONSTRAINT ${q(name)} ` : ''}UNIQUE (${cols.map(q).join(', ')})` : null);
        return used;
      }
      case 'createCheckConstraint': {
        const o = optionsOf(a[1], 'TableCheck');
        const expr = str(o?.get('expression'));
        const name = str(o?.get('name'));
        gen(table && expr ? `ALTER TABLE ${q(table)} ADD ${name ? `CONSTRAINT ${q(name)} ` : ''}CHECK (${expr})` : null);
        return used;
      }
      case 'createPrimaryKey': {
        const cols = strs(a[1]);
        gen(table && cols ? `ALTER TABLE ${q(table)} ADD PRIMARY KEY (${cols.map(q).join(', ')})` : null);
        return used;
      }
      case 'createTable': {
        const o = optionsOf(a[0], 'Table');
        const name = str(o?.get('name'));
        const cols = o?.get('columns');
        const defs = cols?.kind === 'array' ? cols.items.map((c) => optionsOf(c, 'TableColumn')).map((c) => (c ? columnSql(c) : null)) : null;
        if (!name || !defs || defs.some((d) => d === null)) {
          lx.opaque(l.node, construct);
          return used;
        }
        const pk = cols?.kind === 'array' ? cols.items.map((c) => optionsOf(c, 'TableColumn')).filter((c) => c && bool(c.get('isPrimary'))).map((c) => str(c!.get('name'))!) : [];
        const idx = o?.get('indices');
        const fks = o?.get('foreignKeys');
        gen([
          `CREATE TABLE ${bool(a[1]) ? 'IF NOT EXISTS ' : ''}${q(name)} (${[...defs, ...(pk.length ? [`PRIMARY KEY (${pk.map(q).join(', ')})`] : [])].join(', ')})`,
          ...(idx?.kind === 'array' ? idx.items.map((i) => optionsOf(i, 'TableIndex')).map((i) => (i ? indexSql(name, i) : null)) : []),
          ...(fks?.kind === 'array' ? fks.items.map((i) => optionsOf(i, 'TableForeignKey')).map((i) => (i ? foreignKeySql(name, i) : null)) : []),
        ]);
        return used;
      }
      case 'dropTable':
        gen(table ? `DROP TABLE ${bool(a[1]) ? 'IF EXISTS ' : ''}${q(table)}` : null);
        return used;
      case 'renameTable': {
        const to = tableOf(a[1]);
        gen(table && to ? `ALTER TABLE ${q(table)} RENAME TO ${q(to)}` : null);
        return used;
      }
      case 'hasTable':
      case 'hasColumn':
      case 'getTable':
        return used;
      default:
        return 0;
    }
  },
};

/**
 * `changeColumn(table, old, new)`: when the type, length or name differ, PostgresQueryRunner drops the
 * old column and adds the new one ("To avoid data conversion, we just recreate column"): the data in it
 * is lost. With the old column given only by name, its definition is in the database: the change is
 * recorded as a generic column alteration.
 */
function changeColumn(table: string | undefined, oldV: JsValue | undefined, newV: JsValue | undefined, node: ts.Node, lx: Lowerer): void {
  const construct = 'queryRunner.changeColumn';
  const n = optionsOf(newV, 'TableColumn');
  const o = optionsOf(oldV, 'TableColumn');
  const newName = str(n?.get('name'));
  const oldName = str(oldV) ?? str(o?.get('name'));
  if (!table || !n || !newName || !oldName) return lx.opaque(node, construct);
  if (o) {
    const differs = ['name', 'type', 'length', 'isArray'].some((k) => JSON.stringify(valueOf(o.get(k))) !== JSON.stringify(valueOf(n.get(k))));
    const add = columnSql(n);
    if (differs && add) {
      lx.generated([`ALTER TABLE ${q(table)} DROP COLUMN ${q(oldName)}`, `ALTER TABLE ${q(table)} ADD ${add}`], node, construct);
      return;
    }
    const stmts: string[] = [];
    if (bool(o.get('isNullable')) !== bool(n.get('isNullable'))) stmts.push(`ALTER TABLE ${q(table)} ALTER COLUMN ${q(newName)} ${bool(n.get('isNullable')) ? 'DROP' : 'SET'} NOT NULL`);
    const d = n.get('default');
    if (JSON.stringify(valueOf(o.get('default'))) !== JSON.stringify(valueOf(d))) {
      stmts.push(d && (d.kind === 'str' || d.kind === 'num') ? `ALTER TABLE ${q(table)} ALTER COLUMN ${q(newName)} SET DEFAULT ${d.kind === 'str' ? d.value : d.value}` : `ALTER TABLE ${q(table)} ALTER COLUMN ${q(newName)} DROP DEFAULT`);
    }
    if (stmts.length) lx.generated(stmts, node, construct);
    return;
  }
  const type = str(n.get('type'));
  lx.statements.push({
    span: spanOf(lx.mod, node),
    construct,
    operationIndex: lx.nextOperation(),
    kind: 'alter_column',
    table,
    column: oldName,
    to: { name: newName, ...(type ? { type } : {}), nullable: bool(n.get('isNullable')) ?? false },
  });
  void lit;
}

function valueOf(v: JsValue | undefined): unknown {
  if (!v) return undefined;
  return 'value' in v ? v.value : v.kind;
}
