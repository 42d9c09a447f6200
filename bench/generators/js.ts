/**
 * Knex and TypeORM projects of one shape each, from one simulated schema history (tables, columns,
 * indexes, foreign keys), rendered the way each tool's users write them:
 *
 * - **knex**: `knexfile.js` (`client: 'postgresql'`, `migrations.directory: './migrations'`) and
 *   `migrations/<YYYYMMDDHHMMSS>_<name>.js` with `exports.up = async (knex) => { await
 *   knex.schema.createTable(…)/alterTable(…); }` and `exports.down`, now and then a `knex.raw` backfill,
 *   and an index built CONCURRENTLY in a migration with `exports.config = { transaction: false }`.
 * - **typeorm**: `src/data-source.ts` (`type: 'postgres'`) and `src/migrations/<13-digit ms>-<Name>.ts`
 *   classes `implements MigrationInterface` with `name = '<Name><timestamp>'` and the
 *   `queryRunner.query(…)` calls `typeorm migration:generate` writes for PostgreSQL (its quoting, its
 *   `character varying` types, `PK_`/`FK_`/`IDX_`/`UQ_` names with hashes, the trailing space of its
 *   CREATE INDEX), plus hand-written backfills.
 *
 * Some statements are ones the rules exist for: indexes built on a table an earlier migration created,
 * NOT NULL columns without a default added to such a table. `expected` counts them.
 */
import path from 'node:path';
import { FileTree, DEFAULT_SEED, EPOCH_MS, camel, positiveInt, stamp14, type GenerateOptions, type GeneratedTree } from './tree.js';
import { Random } from './random.js';
import { ENTITIES, TEXT_ATTRIBUTES, TIME_ATTRIBUTES } from './words.js';

export const JS_DEFAULT_SIZE = 2000;

export interface JsExpected {
  framework: 'knex' | 'typeorm';
  /** The migrations directory, relative to the root. */
  migrationsDir: string;
  /** Plain index builds on a table an earlier migration created, none of them concurrent. */
  indexesOnExistingTables: number;
  /** UNIQUE constraints added to such a table (both tools write `ADD CONSTRAINT … UNIQUE`, which builds an index). */
  uniqueConstraintsOnExistingTables: number;
  /** NOT NULL columns without a default added to a table an earlier migration created. */
  requiredColumnsWithoutDefault: number;
  /** Migrations that opt out of the transaction to build an index CONCURRENTLY (Knex only). */
  nonTransactional: number;
  operations: Record<string, number>;
}

type ColType =
  | { t: 'string'; len: number }
  | { t: 'text' | 'integer' | 'bigInteger' | 'boolean' | 'timestamp' | 'date' | 'jsonb' | 'uuid' }
  | { t: 'decimal'; p: number; s: number };

interface Col {
  name: string;
  type: ColType;
  notNull: boolean;
  /** A default as a JS/SQL literal: number, boolean, string, or `now`. */
  def?: number | boolean | string | { now: true };
}

interface Table {
  name: string;
  cols: Map<string, Col>;
  indexed: Set<string>;
}

type Op =
  | { k: 'createTable'; table: string; cols: Col[]; fks: { col: string; ref: string }[]; index?: string }
  | { k: 'addColumns'; table: string; cols: Col[] }
  | { k: 'createIndex'; table: string; col: string; unique: boolean; name: string }
  | { k: 'widen'; table: string; col: Col; from: ColType }
  | { k: 'setNotNull' | 'dropNotNull'; table: string; col: Col }
  | { k: 'addForeignKey'; table: string; col: Col; ref: string; name: string }
  | { k: 'dropColumn'; table: string; col: Col }
  | { k: 'backfill'; table: string; col: Col; value: string }
  | { k: 'concurrentIndex'; table: string; col: string; name: string };

interface JsMigration {
  name: string;
  time: number;
  ops: Op[];
  nonTransactional: boolean;
}

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The schema history both renderers share. `style` decides how names look (knex: snake_case plural; TypeORM: singular, camelCase columns). */
class JsSim {
  readonly tables = new Map<string, Table>();
  readonly ops: Record<string, number> = {};
  indexesOnExisting = 0;
  uniqueOnExisting = 0;
  requiredNoDefault = 0;
  private taken = new Set<string>();

  constructor(readonly rng: Random, readonly style: 'knex' | 'typeorm', readonly concurrent: boolean) {}

  private tableName(): string {
    const e = this.rng.pick(ENTITIES);
    let base = this.style === 'knex' ? (e.endsWith('s') ? `${e}es` : e.endsWith('y') ? `${e.slice(0, -1)}ies` : `${e}s`) : e;
    if (this.tables.has(base)) base = this.style === 'knex' ? `${this.rng.pick(ENTITIES)}_${base}` : `${this.rng.pick(ENTITIES)}_${e}`;
    let n = base;
    for (let i = 2; this.tables.has(n); i++) n = `${base}_${i}`;
    return n;
  }

  private colName(t: Table, base: string): string {
    const b = this.style === 'knex' ? snake(base) : base;
    let n = b;
    for (let i = 2; t.cols.has(n); i++) n = `${b}${this.style === 'knex' ? '_' : ''}${i}`;
    return n;
  }

  private uniqueName(base: string): string {
    let n = base;
    for (let i = 2; this.taken.has(n); i++) n = `${base}_${i}`;
    this.taken.add(n);
    return n;
  }

  private newCol(t: Table, existing: boolean): Col {
    const rng = this.rng;
    const kind = rng.weighted({ string: 26, text: 8, integer: 14, bigInteger: 3, boolean: 10, timestamp: 10, date: 3, decimal: 8, jsonb: 5, uuid: 3 });
    let type: ColType;
    let base: string;
    let def: Col['def'];
    switch (kind) {
      case 'string':
        type = { t: 'string', len: rng.pick([32, 64, 100, 255]) };
        base = rng.pick(TEXT_ATTRIBUTES);
        if (rng.chance(0.2)) def = '';
        break;
      case 'integer':
      case 'bigInteger':
        type = { t: kind };
        base = rng.pick(['quantity', 'position', 'priority', 'rank', 'score', 'version', 'retries', 'count']);
        if (rng.chance(0.5)) def = rng.pick([0, 1, 10]);
        break;
      case 'boolean':
        type = { t: 'boolean' };
        base = rng.pick(['isActive', 'isPublic', 'isArchived', 'enabled', 'verified', 'locked']);
        def = rng.chance(0.8) ? rng.chance(0.5) : undefined;
        break;
      case 'timestamp':
        type = { t: 'timestamp' };
        base = `${rng.pick(TIME_ATTRIBUTES)}At`;
        if (rng.chance(0.3)) def = { now: true };
        break;
      case 'date':
        type = { t: 'date' };
        base = `${rng.pick(TIME_ATTRIBUTES)}On`;
        break;
      case 'decimal':
        type = { t: 'decimal', p: rng.pick([10, 12]), s: 2 };
        base = rng.pick(['amount', 'total', 'price', 'balance', 'discount', 'tax']);
        if (rng.chance(0.4)) def = 0;
        break;
      case 'jsonb':
        type = { t: 'jsonb' };
        base = rng.pick(['metadata', 'settings', 'payload']);
        break;
      case 'uuid':
        type = { t: 'uuid' };
        base = rng.pick(['publicId', 'externalUuid']);
        break;
      default:
        type = { t: 'text' };
        base = rng.pick(['description', 'note', 'summary', 'body']);
    }
    const notNull = existing ? (def !== undefined ? rng.chance(0.7) : rng.chance(0.1)) : rng.chance(0.6) || def !== undefined;
    if (existing && notNull && def === undefined) this.requiredNoDefault++;
    return { name: this.colName(t, base), type, notNull, ...(def !== undefined ? { def } : {}) };
  }

  private count(k: string): void {
    this.ops[k] = (this.ops[k] ?? 0) + 1;
  }

  migration(first: boolean): JsMigration & { label: string } {
    const rng = this.rng;
    const ops: Op[] = [];
    const created = new Set<string>();
    let label = '';
    let nonTransactional = false;
    for (let n = first ? 2 : rng.pick([1, 1, 1, 2, 2, 3]); n > 0; n--) {
      const existing = [...this.tables.values()].filter((t) => !created.has(t.name));
      const kind = existing.length < 2
        ? 'createTable'
        : rng.weighted({ createTable: 16, addColumns: 30, createIndex: 14, widen: 6, setNotNull: 4, dropNotNull: 4, addForeignKey: 8, dropColumn: 3, backfill: 8, concurrentIndex: this.concurrent && ops.length === 0 && n === 1 ? 4 : 0 });
      const t = existing.length ? rng.pick(existing) : undefined;
      let op: Op | null = null;
      switch (kind) {
        case 'createTable': {
          const name = this.tableName();
          const table: Table = { name, cols: new Map(), indexed: new Set() };
          for (const c of this.style === 'knex' ? ['id', 'created_at', 'updated_at'] : ['id', 'createdAt', 'updatedAt']) table.cols.set(c, { name: c, type: { t: 'integer' }, notNull: true });
          const cols: Col[] = [];
          for (let i = rng.int(2, 6); i > 0; i--) {
            const c = this.newCol(table, false);
            table.cols.set(c.name, c);
            cols.push(c);
          }
          const fks: { col: string; ref: string }[] = [];
          const others = [...this.tables.values()];
          if (others.length && rng.chance(0.6)) {
            const ref = rng.pick(others);
            const col = this.colName(table, this.style === 'knex' ? `${ref.name.replace(/s$/, '')}_id` : `${ref.name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}Id`);
            table.cols.set(col, { name: col, type: { t: 'integer' }, notNull: true });
            table.indexed.add(col);
            fks.push({ col, ref: ref.name });
          }
          const index = rng.chance(0.4) ? cols.find((c) => c.type.t === 'string')?.name : undefined;
          if (index) table.indexed.add(index);
          this.tables.set(name, table);
          created.add(name);
          op = { k: 'createTable', table: name, cols, fks, ...(index ? { index } : {}) };
          label ||= `create_${name}`;
          break;
        }
        case 'addColumns': {
          const cols: Col[] = [];
          for (let i = rng.pick([1, 1, 2]); i > 0; i--) {
            const c = this.newCol(t!, true);
            t!.cols.set(c.name, c);
            cols.push(c);
          }
          op = { k: 'addColumns', table: t!.name, cols };
          label ||= `add_${snake(cols[0]!.name)}_to_${t!.name}`;
          break;
        }
        case 'createIndex':
        case 'concurrentIndex': {
          const cols = [...t!.cols.values()].filter((c) => c.name !== 'id' && !t!.indexed.has(c.name) && c.type.t !== 'jsonb' && c.type.t !== 'text');
          if (cols.length === 0) break;
          const c = rng.pick(cols);
          t!.indexed.add(c.name);
          if (kind === 'concurrentIndex') {
            op = { k: 'concurrentIndex', table: t!.name, col: c.name, name: this.uniqueName(`${t!.name}_${snake(c.name)}_index`) };
            nonTransactional = true;
          } else {
            const unique = rng.chance(0.15);
            op = { k: 'createIndex', table: t!.name, col: c.name, unique, name: this.uniqueName(`${t!.name}_${snake(c.name)}_${unique ? 'unique' : 'index'}`) };
            if (unique) this.uniqueOnExisting++;
            else this.indexesOnExisting++;
          }
          label ||= `index_${t!.name}_${snake(c.name)}`;
          break;
        }
        case 'widen': {
          const cols = [...t!.cols.values()].filter((c) => c.type.t === 'string');
          if (cols.length === 0) break;
          const c = rng.pick(cols);
          const from = c.type;
          c.type = { t: 'string', len: (from as { len: number }).len * 2 };
          op = { k: 'widen', table: t!.name, col: { ...c }, from };
          label ||= `widen_${t!.name}_${snake(c.name)}`;
          break;
        }
        case 'setNotNull':
        case 'dropNotNull': {
          const cols = [...t!.cols.values()].filter((c) => c.name !== 'id' && c.notNull === (kind === 'dropNotNull') && !c.name.endsWith('At') && !c.name.endsWith('_at'));
          if (cols.length === 0) break;
          const c = rng.pick(cols);
          c.notNull = kind === 'setNotNull';
          op = { k: kind, table: t!.name, col: { ...c } };
          label ||= `${kind === 'setNotNull' ? 'require' : 'relax'}_${t!.name}_${snake(c.name)}`;
          break;
        }
        case 'addForeignKey': {
          const ref = rng.pick([...this.tables.values()].filter((x) => x !== t));
          const name = this.colName(t!, this.style === 'knex' ? `${ref.name.replace(/s$/, '')}_id` : `${ref.name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}Id`);
          const col: Col = { name, type: { t: 'integer' }, notNull: false };
          t!.cols.set(name, col);
          t!.indexed.add(name);
          op = { k: 'addForeignKey', table: t!.name, col, ref: ref.name, name: this.uniqueName(`${t!.name}_${snake(name)}_foreign`) };
          label ||= `link_${t!.name}_${ref.name}`;
          break;
        }
        case 'dropColumn': {
          const cols = [...t!.cols.values()].filter((c) => !['id', 'created_at', 'updated_at', 'createdAt', 'updatedAt'].includes(c.name) && !t!.indexed.has(c.name));
          if (cols.length === 0) break;
          const c = rng.pick(cols);
          t!.cols.delete(c.name);
          op = { k: 'dropColumn', table: t!.name, col: c };
          label ||= `drop_${snake(c.name)}_from_${t!.name}`;
          break;
        }
        case 'backfill': {
          const cols = [...t!.cols.values()].filter((c) => !['id', 'created_at', 'updated_at', 'createdAt', 'updatedAt'].includes(c.name) && c.type.t !== 'jsonb' && c.type.t !== 'uuid');
          if (cols.length === 0) break;
          const c = rng.pick(cols);
          const value = c.type.t === 'boolean' ? 'false' : c.type.t === 'timestamp' ? 'now()' : c.type.t === 'date' ? 'CURRENT_DATE' : ['string', 'text'].includes(c.type.t) ? "''" : '0';
          op = { k: 'backfill', table: t!.name, col: c, value };
          label ||= `backfill_${t!.name}_${snake(c.name)}`;
          break;
        }
      }
      if (op) {
        ops.push(op);
        this.count(op.k);
      } else n++;
    }
    return { name: '', label, time: 0, ops, nonTransactional };
  }
}

// ---------------------------------------------------------------------------------------------------
// Knex

const js = (v: string | number | boolean) => (typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(v));

function knexColumn(c: Col, table = 'table'): string {
  const ty = c.type;
  const call =
    ty.t === 'string' ? `${table}.string(${js(c.name)}, ${ty.len})`
    : ty.t === 'decimal' ? `${table}.decimal(${js(c.name)}, ${ty.p}, ${ty.s})`
    : ty.t === 'timestamp' ? `${table}.timestamp(${js(c.name)}, { useTz: true })`
    : `${table}.${ty.t}(${js(c.name)})`;
  const def = c.def === undefined ? '' : typeof c.def === 'object' ? '.defaultTo(knex.fn.now())' : `.defaultTo(${js(c.def)})`;
  return `${call}${c.notNull ? '.notNullable()' : '.nullable()'}${def};`;
}

const STUB_DOC = (fn: string) => `/**\n * @param { import("knex").Knex } knex\n * @returns { Promise<void> }\n */\nexports.${fn} = async (knex) => {\n`;

function renderKnex(m: JsMigration): string {
  const up: string[] = [];
  const down: string[] = [];
  for (const op of m.ops) {
    switch (op.k) {
      case 'createTable': {
        const lines = ['    table.increments(\'id\');', ...op.cols.map((c) => `    ${knexColumn(c)}`)];
        for (const fk of op.fks) lines.push(`    table.integer(${js(fk.col)}).notNullable().references('id').inTable(${js(fk.ref)}).onDelete('CASCADE');`);
        if (op.index) lines.push(`    table.index([${js(op.index)}]);`);
        lines.push('    table.timestamps(true, true);');
        up.push(`  await knex.schema.createTable(${js(op.table)}, (table) => {\n${lines.join('\n')}\n  });`);
        down.unshift(`  await knex.schema.dropTable(${js(op.table)});`);
        break;
      }
      case 'addColumns':
        up.push(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n${op.cols.map((c) => `    ${knexColumn(c)}`).join('\n')}\n  });`);
        down.unshift(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    table.dropColumns(${op.cols.map((c) => js(c.name)).join(', ')});\n  });`);
        break;
      case 'createIndex':
        up.push(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    table.${op.unique ? 'unique' : 'index'}([${js(op.col)}]);\n  });`);
        down.unshift(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    table.${op.unique ? 'dropUnique' : 'dropIndex'}([${js(op.col)}]);\n  });`);
        break;
      case 'widen':
        up.push(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    ${knexColumn(op.col).replace(/;$/, '.alter();')}\n  });`);
        down.unshift(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    ${knexColumn({ ...op.col, type: op.from }).replace(/;$/, '.alter();')}\n  });`);
        break;
      case 'setNotNull':
      case 'dropNotNull':
        up.push(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    table.${op.k === 'setNotNull' ? 'dropNullable' : 'setNullable'}(${js(op.col.name)});\n  });`);
        down.unshift(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    table.${op.k === 'setNotNull' ? 'setNullable' : 'dropNullable'}(${js(op.col.name)});\n  });`);
        break;
      case 'addForeignKey':
        up.push(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    table.integer(${js(op.col.name)}).nullable().references('id').inTable(${js(op.ref)}).onDelete('SET NULL');\n  });`);
        down.unshift(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    table.dropForeign([${js(op.col.name)}]);\n    table.dropColumn(${js(op.col.name)});\n  });`);
        break;
      case 'dropColumn':
        up.push(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    table.dropColumn(${js(op.col.name)});\n  });`);
        down.unshift(`  await knex.schema.alterTable(${js(op.table)}, (table) => {\n    ${knexColumn({ ...op.col, notNull: false })}\n  });`);
        break;
      case 'backfill':
        up.push(`  await knex.raw(${js(`UPDATE "${op.table}" SET "${op.col.name}" = ${op.value} WHERE "${op.col.name}" IS NULL`)});`);
        break;
      case 'concurrentIndex':
        up.push(`  await knex.raw(${js(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "${op.name}" ON "${op.table}" ("${op.col}")`)});`);
        down.unshift(`  await knex.raw(${js(`DROP INDEX CONCURRENTLY IF EXISTS "${op.name}"`)});`);
        break;
    }
  }
  const config = m.nonTransactional ? '// CREATE INDEX CONCURRENTLY cannot run inside a transaction block.\nexports.config = { transaction: false };\n\n' : '';
  return `${config}${STUB_DOC('up')}${up.join('\n')}\n};\n\n${STUB_DOC('down')}${down.length ? down.join('\n') : '  // Data only: nothing to undo.'}\n};\n`;
}

const KNEXFILE = `// Update with your config settings.

/**
 * @type { Object.<string, import("knex").Knex.Config> }
 */
module.exports = {
  development: {
    client: 'postgresql',
    connection: {
      database: 'app_development',
      user: 'app',
    },
    migrations: {
      directory: './migrations',
      tableName: 'knex_migrations',
    },
  },

  production: {
    client: 'postgresql',
    connection: process.env.DATABASE_URL,
    pool: {
      min: 2,
      max: 10,
    },
    migrations: {
      directory: './migrations',
      tableName: 'knex_migrations',
    },
  },
};
`;

// ---------------------------------------------------------------------------------------------------
// TypeORM

function pgType(ty: ColType): string {
  switch (ty.t) {
    case 'string':
      return ty.len === 255 ? 'character varying' : `character varying(${ty.len})`;
    case 'decimal':
      return `numeric(${ty.p},${ty.s})`;
    case 'bigInteger':
      return 'bigint';
    case 'timestamp':
      return 'TIMESTAMP WITH TIME ZONE';
    default:
      return ty.t;
  }
}

function pgDefault(c: Col): string {
  if (c.def === undefined) return '';
  if (typeof c.def === 'object') return ' DEFAULT now()';
  if (typeof c.def === 'string') return ` DEFAULT '${c.def.replace(/'/g, "''")}'`;
  return ` DEFAULT ${String(c.def)}`;
}

const typeormCol = (c: Col) => `"${c.name}" ${pgType(c.type)}${c.notNull ? ' NOT NULL' : ''}${pgDefault(c)}`;

function renderTypeorm(m: JsMigration, cls: string, rng: Random): string {
  const up: string[] = [];
  const down: string[] = [];
  const h = (n: number) => rng.hex(n);
  const q = (sql: string) => `        await queryRunner.query(\`${sql}\`);`;
  for (const op of m.ops) {
    switch (op.k) {
      case 'createTable': {
        const cols = ['"id" SERIAL NOT NULL', ...op.cols.map(typeormCol), ...op.fks.map((f) => `"${f.col}" integer NOT NULL`), '"createdAt" TIMESTAMP NOT NULL DEFAULT now()', '"updatedAt" TIMESTAMP NOT NULL DEFAULT now()'];
        up.push(q(`CREATE TABLE "${op.table}" (${cols.join(', ')}, CONSTRAINT "PK_${h(27)}" PRIMARY KEY ("id"))`));
        const after: string[] = [];
        const undo: string[] = [];
        if (op.index) {
          const ix = `IDX_${h(26)}`;
          after.push(q(`CREATE INDEX "${ix}" ON "${op.table}" ("${op.index}") `));
          undo.unshift(q(`DROP INDEX "public"."${ix}"`));
        }
        for (const f of op.fks) {
          const fk = `FK_${h(27)}`;
          after.push(q(`ALTER TABLE "${op.table}" ADD CONSTRAINT "${fk}" FOREIGN KEY ("${f.col}") REFERENCES "${f.ref}"("id") ON DELETE CASCADE ON UPDATE NO ACTION`));
          undo.unshift(q(`ALTER TABLE "${op.table}" DROP CONSTRAINT "${fk}"`));
        }
        up.push(...after);
        down.unshift(...undo, q(`DROP TABLE "${op.table}"`));
        break;
      }
      case 'addColumns':
        for (const c of op.cols) {
          up.push(q(`ALTER TABLE "${op.table}" ADD ${typeormCol(c)}`));
          down.unshift(q(`ALTER TABLE "${op.table}" DROP COLUMN "${c.name}"`));
        }
        break;
      case 'createIndex': {
        const ix = `${op.unique ? 'UQ' : 'IDX'}_${h(op.unique ? 27 : 26)}`;
        if (op.unique) {
          up.push(q(`ALTER TABLE "${op.table}" ADD CONSTRAINT "${ix}" UNIQUE ("${op.col}")`));
          down.unshift(q(`ALTER TABLE "${op.table}" DROP CONSTRAINT "${ix}"`));
        } else {
          up.push(q(`CREATE INDEX "${ix}" ON "${op.table}" ("${op.col}") `));
          down.unshift(q(`DROP INDEX "public"."${ix}"`));
        }
        break;
      }
      case 'widen':
        up.push(q(`ALTER TABLE "${op.table}" ALTER COLUMN "${op.col.name}" TYPE ${pgType(op.col.type)}`));
        down.unshift(q(`ALTER TABLE "${op.table}" ALTER COLUMN "${op.col.name}" TYPE ${pgType(op.from)}`));
        break;
      case 'setNotNull':
      case 'dropNotNull':
        up.push(q(`ALTER TABLE "${op.table}" ALTER COLUMN "${op.col.name}" ${op.k === 'setNotNull' ? 'SET' : 'DROP'} NOT NULL`));
        down.unshift(q(`ALTER TABLE "${op.table}" ALTER COLUMN "${op.col.name}" ${op.k === 'setNotNull' ? 'DROP' : 'SET'} NOT NULL`));
        break;
      case 'addForeignKey': {
        const fk = `FK_${h(27)}`;
        up.push(q(`ALTER TABLE "${op.table}" ADD "${op.col.name}" integer`), q(`ALTER TABLE "${op.table}" ADD CONSTRAINT "${fk}" FOREIGN KEY ("${op.col.name}") REFERENCES "${op.ref}"("id") ON DELETE SET NULL ON UPDATE NO ACTION`));
        down.unshift(q(`ALTER TABLE "${op.table}" DROP CONSTRAINT "${fk}"`), q(`ALTER TABLE "${op.table}" DROP COLUMN "${op.col.name}"`));
        break;
      }
      case 'dropColumn':
        up.push(q(`ALTER TABLE "${op.table}" DROP COLUMN "${op.col.name}"`));
        down.unshift(q(`ALTER TABLE "${op.table}" ADD ${typeormCol({ ...op.col, notNull: false })}`));
        break;
      case 'backfill':
        up.push(q(`UPDATE "${op.table}" SET "${op.col.name}" = ${op.value} WHERE "${op.col.name}" IS NULL`));
        break;
      case 'concurrentIndex':
        break;
    }
  }
  return `import { MigrationInterface, QueryRunner } from "typeorm";

export class ${cls} implements MigrationInterface {
    name = '${cls}'

    public async up(queryRunner: QueryRunner): Promise<void> {
${up.join('\n')}
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
${down.join('\n')}
    }

}
`;
}

const DATA_SOURCE = `import "reflect-metadata";
import { DataSource } from "typeorm";

export const AppDataSource = new DataSource({
    type: "postgres",
    url: process.env.DATABASE_URL,
    synchronize: false,
    logging: false,
    entities: ["src/entity/**/*.ts"],
    migrations: ["src/migrations/**/*.ts"],
    subscribers: [],
});
`;

// ---------------------------------------------------------------------------------------------------

function buildJs(framework: 'knex' | 'typeorm', opts: GenerateOptions): { tree: FileTree; expected: JsExpected; size: number; seed: number } {
  const size = positiveInt(opts.size, JS_DEFAULT_SIZE, 'size');
  const seed = opts.seed ?? DEFAULT_SEED;
  const rng = new Random(seed);
  const sim = new JsSim(rng, framework, framework === 'knex');
  const tree = new FileTree();
  const dir = framework === 'knex' ? 'migrations' : 'src/migrations';
  let clock = EPOCH_MS;
  let nonTransactional = 0;
  for (let i = 0; i < size; i++) {
    clock += rng.int(10, 5 * 24 * 60) * 60_000 + rng.int(0, 59_999);
    const m = sim.migration(i === 0);
    m.time = clock;
    if (m.nonTransactional) nonTransactional++;
    if (framework === 'knex') {
      tree.add(`${dir}/${stamp14(clock)}_${m.label}.js`, renderKnex(m));
    } else {
      const cls = `${camel(m.label.split('_').filter(Boolean))}${clock}`;
      tree.add(`${dir}/${clock}-${cls.slice(0, -13)}.ts`, renderTypeorm(m, cls, rng));
    }
  }
  if (framework === 'knex') {
    tree.add('knexfile.js', KNEXFILE);
    tree.add('package.json', `${JSON.stringify({ name: 'generated-knex-app', private: true, scripts: { migrate: 'knex migrate:latest' }, dependencies: { knex: '^3.1.0', pg: '^8.13.0' } }, null, 2)}\n`);
  } else {
    tree.add('src/data-source.ts', DATA_SOURCE);
    tree.add('package.json', `${JSON.stringify({ name: 'generated-typeorm-app', private: true, scripts: { 'migration:run': 'typeorm-ts-node-commonjs migration:run -d src/data-source.ts' }, dependencies: { pg: '^8.13.0', 'reflect-metadata': '^0.2.2', typeorm: '^0.3.20' } }, null, 2)}\n`);
  }
  return {
    tree,
    size,
    seed,
    expected: { framework, migrationsDir: dir, indexesOnExistingTables: sim.indexesOnExisting, uniqueConstraintsOnExistingTables: sim.uniqueOnExisting, requiredColumnsWithoutDefault: sim.requiredNoDefault, nonTransactional, operations: sim.ops },
  };
}

export function buildKnex(opts: GenerateOptions = {}) {
  return buildJs('knex', opts);
}

export function buildTypeorm(opts: GenerateOptions = {}) {
  return buildJs('typeorm', opts);
}

async function write(kind: 'knex' | 'typeorm', dir: string, opts: GenerateOptions): Promise<GeneratedTree<JsExpected>> {
  const built = buildJs(kind, opts);
  built.tree.write(dir);
  return { kind, root: path.resolve(dir), seed: built.seed, size: built.size, files: built.tree.files.size, bytes: built.tree.bytes, migrations: built.size, expected: built.expected };
}

export const generateKnex = (dir: string, opts: GenerateOptions = {}) => write('knex', dir, opts);
export const generateTypeorm = (dir: string, opts: GenerateOptions = {}) => write('typeorm', dir, opts);
