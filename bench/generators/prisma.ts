/**
 * A Prisma project's `prisma/migrations/`: `migration_lock.toml` (`provider = "postgresql"`) and folders
 * `<YYYYMMDDHHMMSS>_<name>/migration.sql` holding the SQL `prisma migrate dev` writes for PostgreSQL:
 * `-- CreateEnum` / `-- CreateTable` / `-- CreateIndex` / `-- AddForeignKey` / `-- AlterTable` /
 * `-- AlterEnum` / `-- DropIndex` sections with quoted identifiers, Prisma's type names (`TEXT`,
 * `TIMESTAMP(3)`, `DECIMAL(65,30)`, …), its constraint names (`<Model>_pkey`, `<Model>_<field>_key`,
 * `<Model>_<field>_idx`, `<Model>_<field>_fkey`) and its warnings header for a required column added
 * without a default.
 *
 * About 10 statements a migration. Some are what the rules exist for: an index (plain or unique) built on
 * a table created by an earlier migration (Prisma never builds indexes CONCURRENTLY) and a NOT NULL column
 * without a default on an existing table; `expected` counts both.
 */
import path from 'node:path';
import { FileTree, DEFAULT_SEED, EPOCH_MS, camel, positiveInt, stamp14, type GenerateOptions, type GeneratedTree } from './tree.js';
import { Random } from './random.js';
import { ENTITIES, TIME_ATTRIBUTES } from './words.js';

export const PRISMA_DEFAULT_SIZE = 2000;

export interface PrismaExpected {
  /** The migrations folder, relative to the root. */
  migrationsDir: string;
  statements: number;
  /** CREATE [UNIQUE] INDEX on a table an earlier migration created. */
  indexesOnExistingTables: number;
  /** ADD COLUMN … NOT NULL without DEFAULT on a table an earlier migration created. */
  requiredColumnsWithoutDefault: number;
  /** Statements by Prisma's section comment (`CreateTable`, `AlterTable`, …). */
  sections: Record<string, number>;
}

interface Column {
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

interface Model {
  name: string;
  columns: Map<string, Column>;
  /** Indexed column → index name. */
  indexes: Map<string, string>;
}

const TEXT_FIELDS = ['name', 'title', 'code', 'slug', 'email', 'phone', 'note', 'description', 'reference', 'currency', 'locale', 'label', 'color', 'timezone', 'country', 'city', 'region', 'channel', 'summary', 'externalId', 'displayName', 'shortName', 'category', 'tier'];
const INT_FIELDS = ['quantity', 'position', 'priority', 'rank', 'score', 'version', 'level', 'sequence', 'duration', 'retries', 'count', 'weight'];
const MONEY_FIELDS = ['amount', 'total', 'price', 'balance', 'discount', 'margin', 'tax', 'rate'];
const BOOL_FIELDS = ['isActive', 'isPublic', 'isArchived', 'isDefault', 'enabled', 'verified', 'locked', 'featured'];
const ENUM_VALUES = ['PENDING', 'ACTIVE', 'PAUSED', 'ARCHIVED', 'DRAFT', 'PUBLISHED', 'CANCELLED', 'COMPLETED', 'FAILED', 'REFUNDED', 'EXPIRED', 'BLOCKED', 'REVIEW', 'APPROVED', 'REJECTED'];

const SECTION_ORDER = ['CreateEnum', 'AlterEnum', 'DropForeignKey', 'DropIndex', 'AlterTable', 'CreateTable', 'CreateIndex', 'AddForeignKey'];

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);

class PrismaSim {
  readonly models = new Map<string, Model>();
  readonly enums = new Map<string, string[]>();
  readonly sections: Record<string, number> = {};
  indexesOnExisting = 0;
  requiredNoDefault = 0;
  statements = 0;
  private taken = new Set<string>();

  constructor(readonly rng: Random) {}

  private section(name: string, sql: string, out: string[]): void {
    out.push(`-- ${name}\n${sql}`);
    this.sections[name] = (this.sections[name] ?? 0) + 1;
    this.statements++;
  }

  /** A field name from `choices` the model does not have yet (after a few draws, a numbered one). */
  private pickName(m: Model, choices: readonly string[]): string {
    for (let i = 0; i < 4; i++) {
      const n = this.rng.pick(choices);
      if (!m.columns.has(n)) return n;
    }
    return this.fieldName(m, this.rng.pick(choices));
  }

  private fieldName(m: Model, base: string): string {
    let n = base;
    for (let i = 2; m.columns.has(n); i++) n = `${base}${i}`;
    return n;
  }

  /** A column for a new table or an existing one: Prisma type, NOT NULL, DEFAULT as `migrate dev` writes them. */
  private column(m: Model, existing: boolean, out: string[]): { name: string; sql: string; col: Column } {
    const rng = this.rng;
    const kind = rng.weighted({ text: 30, int: 14, money: 8, bool: 10, time: 10, json: 4, enum: 6, double: 4, bigint: 3 });
    let name: string;
    let type: string;
    let def: string | null = null;
    switch (kind) {
      case 'text':
        name = this.pickName(m, TEXT_FIELDS);
        type = rng.chance(0.2) ? `VARCHAR(${rng.pick([32, 64, 191, 255])})` : 'TEXT';
        if (rng.chance(0.15)) def = "''";
        break;
      case 'int':
        name = this.pickName(m, INT_FIELDS);
        type = 'INTEGER';
        if (rng.chance(0.5)) def = String(rng.pick([0, 1, 10]));
        break;
      case 'bigint':
        name = this.pickName(m, INT_FIELDS);
        type = 'BIGINT';
        break;
      case 'money':
        name = this.pickName(m, MONEY_FIELDS);
        type = 'DECIMAL(65,30)';
        if (rng.chance(0.3)) def = '0';
        break;
      case 'double':
        name = this.pickName(m, ['latitude', 'longitude', 'ratio', 'weight']);
        type = 'DOUBLE PRECISION';
        break;
      case 'bool':
        name = this.pickName(m, BOOL_FIELDS);
        type = 'BOOLEAN';
        def = rng.pick(['false', 'true']);
        break;
      case 'time':
        name = this.pickName(m, TIME_ATTRIBUTES.map((t) => `${t}At`));
        type = 'TIMESTAMP(3)';
        if (rng.chance(0.3)) def = 'CURRENT_TIMESTAMP';
        break;
      case 'json':
        name = this.pickName(m, ['metadata', 'settings', 'payload', 'attributes']);
        type = 'JSONB';
        break;
      default: {
        // enum: a new type (CreateEnum first) or one that exists.
        const known = [...this.enums.keys()];
        let e: string;
        if (known.length > 0 && rng.chance(0.5)) {
          e = rng.pick(known);
          name = lowerFirst(e);
        } else {
          const suffix = rng.pick(['Status', 'Kind', 'State', 'Visibility', 'Priority']);
          e = this.unique(`${m.name}${suffix}`);
          const values = rng.shuffle([...ENUM_VALUES]).slice(0, rng.int(2, 5));
          this.enums.set(e, values);
          this.section('CreateEnum', `CREATE TYPE "${e}" AS ENUM (${values.map((v) => `'${v}'`).join(', ')});`, out);
          name = lowerFirst(suffix);
        }
        type = `"${e}"`;
        def = `'${this.enums.get(e)![0]}'`;
      }
    }
    name = this.fieldName(m, name);
    // New tables: mostly required. Existing tables: optional, defaulted, or now and then required without
    // a default (Prisma's warning: "not possible if the table is not empty").
    const notNull = existing ? def !== null ? rng.chance(0.7) : rng.chance(0.12) : rng.chance(0.7) || def !== null;
    if (existing && notNull && def === null) this.requiredNoDefault++;
    const col: Column = { type, notNull, hasDefault: def !== null };
    return { name, col, sql: `"${name}" ${type}${notNull ? ' NOT NULL' : ''}${def !== null ? ` DEFAULT ${def}` : ''}` };
  }

  private unique(base: string): string {
    let n = base;
    for (let i = 2; this.taken.has(n) || this.models.has(n) || this.enums.has(n); i++) n = `${base}${i}`;
    this.taken.add(n);
    return n;
  }

  /** One migration's SQL and its name. */
  migration(first: boolean): { name: string; sql: string } {
    const rng = this.rng;
    const out: string[] = [];
    const warnings: string[] = [];
    const created = new Set<string>();
    // Indexes this migration builds: Prisma drops before it creates, so it never drops one of them.
    const newIndexes = new Set<string>();
    const target = first ? rng.int(8, 14) : rng.int(5, 15);
    let name = '';
    if (first) name = 'init';
    while (out.length < target) {
      const existing = [...this.models.values()].filter((m) => !created.has(m.name));
      const kind = first || existing.length < 2
        ? 'createTable'
        : rng.weighted({ createTable: 14, addColumns: 30, createIndex: 14, createUniqueIndex: 5, addForeignKey: 10, alterColumn: 10, alterEnum: 3, dropIndex: 3 });
      switch (kind) {
        case 'createTable': {
          const m = this.createTable(out, created);
          name ||= `add_${lowerFirst(m.name)}`;
          break;
        }
        case 'addColumns': {
          const m = rng.pick(existing);
          const cols: string[] = [];
          for (let i = rng.pick([1, 1, 2, 3]); i > 0; i--) {
            const c = this.column(m, true, out);
            m.columns.set(c.name, c.col);
            cols.push(`ADD COLUMN     ${c.sql}`);
            if (c.col.notNull && !c.col.hasDefault) warnings.push(`  - Added the required column \`${c.name}\` to the \`${m.name}\` table without a default value. This is not possible if the table is not empty.`);
            name ||= `add_${c.name}_to_${lowerFirst(m.name)}`;
          }
          this.section('AlterTable', `ALTER TABLE "${m.name}" ${cols.join(',\n')};`, out);
          break;
        }
        case 'createIndex':
        case 'createUniqueIndex': {
          const m = rng.pick(existing);
          const cols = [...m.columns].filter(([c, v]) => c !== 'id' && v.type !== 'JSONB' && !m.indexes.has(c)).map(([c]) => c);
          if (cols.length === 0) break;
          const col = rng.pick(cols);
          const unique = kind === 'createUniqueIndex';
          const ix = `${m.name}_${col}_${unique ? 'key' : 'idx'}`;
          m.indexes.set(col, ix);
          newIndexes.add(ix);
          this.section('CreateIndex', `CREATE ${unique ? 'UNIQUE ' : ''}INDEX "${ix}" ON "${m.name}"("${col}");`, out);
          this.indexesOnExisting++;
          name ||= `${lowerFirst(m.name)}_${col}_${unique ? 'unique' : 'index'}`;
          break;
        }
        case 'addForeignKey': {
          const m = rng.pick(existing);
          const to = rng.pick([...this.models.values()].filter((x) => x !== m));
          const col = this.fieldName(m, `${lowerFirst(to.name)}Id`);
          m.columns.set(col, { type: to.columns.get('id')!.type === 'TEXT' ? 'TEXT' : 'INTEGER', notNull: false, hasDefault: false });
          this.section('AlterTable', `ALTER TABLE "${m.name}" ADD COLUMN     "${col}" ${m.columns.get(col)!.type};`, out);
          this.section('AddForeignKey', `ALTER TABLE "${m.name}" ADD CONSTRAINT "${m.name}_${col}_fkey" FOREIGN KEY ("${col}") REFERENCES "${to.name}"("id") ON DELETE SET NULL ON UPDATE CASCADE;`, out);
          name ||= `link_${lowerFirst(m.name)}_${lowerFirst(to.name)}`;
          break;
        }
        case 'alterColumn': {
          const m = rng.pick(existing);
          const cols = [...m.columns].filter(([c]) => c !== 'id');
          if (cols.length === 0) break;
          const [col, c] = rng.pick(cols);
          let change: string;
          if (c.type.startsWith('VARCHAR')) {
            change = 'SET DATA TYPE TEXT';
            c.type = 'TEXT';
          } else if (c.notNull) {
            change = 'DROP NOT NULL';
            c.notNull = false;
          } else if (c.hasDefault) {
            change = 'SET NOT NULL';
            c.notNull = true;
          } else {
            change = c.type === 'BOOLEAN' ? 'SET DEFAULT false' : c.type === 'INTEGER' ? 'SET DEFAULT 0' : 'DROP DEFAULT';
            c.hasDefault = change !== 'DROP DEFAULT';
          }
          this.section('AlterTable', `ALTER TABLE "${m.name}" ALTER COLUMN "${col}" ${change};`, out);
          name ||= `alter_${lowerFirst(m.name)}_${col}`;
          break;
        }
        case 'alterEnum': {
          const known = [...this.enums.keys()];
          if (known.length === 0) break;
          const e = rng.pick(known);
          const values = this.enums.get(e)!;
          const v = ENUM_VALUES.find((x) => !values.includes(x));
          if (!v) break;
          values.push(v);
          this.section('AlterEnum', `ALTER TYPE "${e}" ADD VALUE '${v}';`, out);
          name ||= `add_${v.toLowerCase()}_to_${lowerFirst(e)}`;
          break;
        }
        case 'dropIndex': {
          const withIndex = existing.filter((m) => [...m.indexes.values()].some((ix) => !newIndexes.has(ix)));
          if (withIndex.length === 0) break;
          const m = rng.pick(withIndex);
          const [col, ix] = rng.pick([...m.indexes].filter(([, ix]) => !newIndexes.has(ix)));
          m.indexes.delete(col);
          this.section('DropIndex', `DROP INDEX "${ix}";`, out);
          name ||= `drop_${lowerFirst(m.name)}_${col}_index`;
          break;
        }
      }
    }
    const header = warnings.length ? `/*\n  Warnings:\n\n${warnings.join('\n')}\n\n*/\n` : '';
    // Prisma writes the steps grouped by kind, in this order (migrate's SQL renderer); stable within a kind.
    const sorted = out.map((sql, i) => [SECTION_ORDER.indexOf(sql.slice(3, sql.indexOf('\n'))), i, sql] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , sql]) => sql);
    return { name: name.replace(/[^A-Za-z0-9]+/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().slice(0, 60), sql: `${header}${sorted.join('\n\n')}\n` };
  }

  private createTable(out: string[], created: Set<string>): Model {
    const rng = this.rng;
    const name = this.unique(camel([rng.pick(ENTITIES)]));
    const m: Model = { name, columns: new Map(), indexes: new Map() };
    const cuid = rng.chance(0.3);
    const lines = [cuid ? '"id" TEXT NOT NULL' : '"id" SERIAL NOT NULL'];
    m.columns.set('id', { type: cuid ? 'TEXT' : 'INTEGER', notNull: true, hasDefault: !cuid });
    // createdAt and updatedAt come last in the table, as Prisma orders a model's fields, but their names are taken first.
    m.columns.set('createdAt', { type: 'TIMESTAMP(3)', notNull: true, hasDefault: true });
    m.columns.set('updatedAt', { type: 'TIMESTAMP(3)', notNull: true, hasDefault: false });
    const enumsBefore: string[] = [];
    for (let i = rng.int(2, 6); i > 0; i--) {
      const c = this.column(m, false, enumsBefore);
      m.columns.set(c.name, c.col);
      lines.push(c.sql);
    }
    lines.push('"createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP', '"updatedAt" TIMESTAMP(3) NOT NULL');
    const fks: [string, Model][] = [];
    const others = [...this.models.values()];
    for (let i = others.length > 0 ? rng.pick([0, 1, 1, 2]) : 0; i > 0; i--) {
      const to = rng.pick(others);
      const col = this.fieldName(m, `${lowerFirst(to.name)}Id`);
      const type = to.columns.get('id')!.type === 'TEXT' ? 'TEXT' : 'INTEGER';
      m.columns.set(col, { type, notNull: true, hasDefault: false });
      lines.push(`"${col}" ${type} NOT NULL`);
      fks.push([col, to]);
    }
    out.push(...enumsBefore);
    this.section('CreateTable', `CREATE TABLE "${name}" (\n    ${lines.join(',\n    ')},\n\n    CONSTRAINT "${name}_pkey" PRIMARY KEY ("id")\n);`, out);
    for (const [col] of fks) {
      m.indexes.set(col, `${name}_${col}_idx`);
      this.section('CreateIndex', `CREATE INDEX "${name}_${col}_idx" ON "${name}"("${col}");`, out);
    }
    const uniq = [...m.columns.keys()].find((c) => /^(email|slug|code|externalId|reference)/.test(c));
    if (uniq) {
      m.indexes.set(uniq, `${name}_${uniq}_key`);
      this.section('CreateIndex', `CREATE UNIQUE INDEX "${name}_${uniq}_key" ON "${name}"("${uniq}");`, out);
    }
    for (const [col, to] of fks) {
      this.section('AddForeignKey', `ALTER TABLE "${name}" ADD CONSTRAINT "${name}_${col}_fkey" FOREIGN KEY ("${col}") REFERENCES "${to.name}"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`, out);
    }
    this.models.set(name, m);
    created.add(name);
    return m;
  }
}

export function buildPrisma(opts: GenerateOptions = {}): { tree: FileTree; expected: PrismaExpected; size: number; seed: number } {
  const size = positiveInt(opts.size, PRISMA_DEFAULT_SIZE, 'size');
  const seed = opts.seed ?? DEFAULT_SEED;
  const rng = new Random(seed);
  const sim = new PrismaSim(rng);
  const tree = new FileTree();
  const dir = 'prisma/migrations';
  tree.add(`${dir}/migration_lock.toml`, '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n');
  tree.add(
    'prisma/schema.prisma',
    '// The models of this generated project live in its migrations (bench/generators/prisma.ts).\n\ngenerator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
  );
  let clock = EPOCH_MS;
  for (let i = 0; i < size; i++) {
    clock += rng.int(10, 5 * 24 * 60) * 60_000 + rng.int(0, 59) * 1000;
    const m = sim.migration(i === 0);
    tree.add(`${dir}/${stamp14(clock)}_${m.name}/migration.sql`, m.sql);
  }
  return {
    tree,
    size,
    seed,
    expected: { migrationsDir: dir, statements: sim.statements, indexesOnExistingTables: sim.indexesOnExisting, requiredColumnsWithoutDefault: sim.requiredNoDefault, sections: sim.sections },
  };
}

export async function generatePrisma(dir: string, opts: GenerateOptions = {}): Promise<GeneratedTree<PrismaExpected>> {
  const built = buildPrisma(opts);
  built.tree.write(dir);
  return { kind: 'prisma', root: path.resolve(dir), seed: built.seed, size: built.size, files: built.tree.files.size, bytes: built.tree.bytes, migrations: built.size, expected: built.expected };
}
