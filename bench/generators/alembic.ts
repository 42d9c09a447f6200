/**
 * An Alembic project as `alembic init alembic` leaves it (`alembic.ini`, `alembic/env.py`,
 * `alembic/script.py.mako`, `alembic/README`, `alembic/versions/`) after years of `alembic revision
 * --autogenerate`: revisions rendered from the generic template of Alembic 1.16+, with autogenerate-style
 * `op.*` calls (create_table, add_column, create_index, alter_column, create_foreign_key) and hand-written
 * `op.execute` data fixes, each with its downgrade.
 *
 * The history branches the way teams branch: now and then two (sometimes three) developers each add
 * revisions on top of the same head, and an `alembic merge heads` revision (tuple `down_revision`, empty
 * bodies) joins them. Branch sides only add (tables, columns, indexes, data fixes), so the merged schema is
 * the union of both. By default the history ends with ONE head; `heads: 2` leaves the last fork unmerged
 * (two heads from the same parent: the pending problem `alembic upgrade head` refuses).
 */
import path from 'node:path';
import { FileTree, DEFAULT_SEED, EPOCH_MS, positiveInt, utcParts, type GenerateOptions, type GeneratedTree } from './tree.js';
import { Random } from './random.js';
import { ENTITIES, TEXT_ATTRIBUTES, TIME_ATTRIBUTES } from './words.js';
import { GENERIC_TEMPLATE } from '../../rules/shared/alembic-merge.js';

export const ALEMBIC_DEFAULT_SIZE = 3000;

export interface AlembicOptions extends GenerateOptions {
  /** 1 (default): every fork merged; 2: the last fork is left with two heads. */
  heads?: 1 | 2;
}

export interface AlembicExpected {
  /** The script directory, relative to the root (alembic.ini's `script_location = %(here)s/alembic`). */
  scriptDirectory: string;
  /** Head revision ids, sorted. One unless `heads: 2`. */
  heads: string[];
  revisions: number;
  /** Revisions with a tuple down_revision. */
  merges: number;
  /** Revisions with more than one child. */
  branchPoints: number;
  operations: Record<string, number>;
}

interface Column {
  type: string;
  nullable: boolean;
}

interface Table {
  columns: Map<string, Column>;
}

/** What one line of history knows: the schema as its head has it. */
type Schema = Map<string, Table>;

interface Revision {
  rev: string;
  down: string[];
  message: string;
  upgrade: string[];
  downgrade: string[];
  time: number;
}

const plural = (w: string) => (w.endsWith('s') ? `${w}es` : w.endsWith('y') ? `${w.slice(0, -1)}ies` : `${w}s`);
const singular = (t: string) => (t.endsWith('ies') ? `${t.slice(0, -3)}y` : t.endsWith('ses') ? t.slice(0, -2) : t.replace(/s$/, ''));
const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function cloneSchema(s: Schema): Schema {
  return new Map([...s].map(([k, t]) => [k, { columns: new Map([...t.columns].map(([c, v]) => [c, { ...v }])) }]));
}

/** A column type as autogenerate renders it, and as reflection reports it back (`existing_type`). */
const TYPES = [
  { render: (r: Random) => `sa.String(length=${r.pick([20, 50, 100, 200, 255])})`, weight: 24 },
  { render: () => 'sa.Integer()', weight: 14 },
  { render: () => 'sa.BigInteger()', weight: 4 },
  { render: () => 'sa.Boolean()', weight: 8 },
  { render: () => 'sa.Text()', weight: 8 },
  { render: () => 'sa.DateTime(timezone=True)', weight: 8 },
  { render: () => 'sa.Date()', weight: 3 },
  { render: (r: Random) => `sa.Numeric(precision=${r.pick([10, 12, 14])}, scale=2)`, weight: 6 },
  { render: () => 'postgresql.JSONB(astext_type=sa.Text())', weight: 4 },
  { render: () => 'sa.Uuid()', weight: 2 },
] as const;

/** What reflection reports for a type (the `existing_type=` autogenerate writes). */
function reflected(type: string): string {
  const m = /^sa\.String\(length=(\d+)\)$/.exec(type);
  if (m) return `sa.VARCHAR(length=${m[1]})`;
  if (type === 'sa.Integer()') return 'sa.INTEGER()';
  if (type === 'sa.BigInteger()') return 'sa.BIGINT()';
  if (type === 'sa.Boolean()') return 'sa.BOOLEAN()';
  if (type === 'sa.Text()') return 'sa.TEXT()';
  if (type === 'sa.DateTime(timezone=True)') return 'postgresql.TIMESTAMP(timezone=True)';
  if (type === 'sa.Date()') return 'sa.DATE()';
  const n = /^sa\.Numeric\(precision=(\d+), scale=2\)$/.exec(type);
  if (n) return `sa.NUMERIC(precision=${n[1]}, scale=2)`;
  if (type.startsWith('postgresql.JSONB')) return 'postgresql.JSONB(astext_type=sa.Text())';
  if (type === 'sa.Uuid()') return 'sa.UUID()';
  return type;
}

class AlembicSim {
  readonly revisions: Revision[] = [];
  readonly taken = new Set<string>();
  readonly ops: Record<string, number> = {};
  clock = EPOCH_MS;

  constructor(readonly rng: Random) {}

  private revId(): string {
    let id: string;
    do id = this.rng.hex(12);
    while (this.taken.has(`rev:${id}`));
    this.taken.add(`rev:${id}`);
    return id;
  }

  private name(kind: string, base: string): string {
    let n = base;
    for (let i = 2; this.taken.has(`${kind}:${n}`); i++) n = `${base}_${i}`;
    this.taken.add(`${kind}:${n}`);
    return n;
  }

  private count(op: string): void {
    this.ops[op] = (this.ops[op] ?? 0) + 1;
  }

  /** A revision on top of `down` changing `schema` (in place). `additive`: only what a branch side does. */
  revision(down: string[], schema: Schema, additive: boolean): Revision {
    const rng = this.rng;
    this.clock += rng.int(30, 4 * 24 * 60) * 60_000;
    const up: string[] = [];
    const back: string[] = [];
    const tables = [...schema.keys()];
    const kind = tables.length === 0
      ? 'create_table'
      : rng.weighted(additive
        ? { create_table: 12, add_column: 40, create_index: 20, alter_column: 0, execute: 10, add_fk: 8, drop_column: 0 }
        : { create_table: 10, add_column: 34, create_index: 16, alter_column: 16, execute: 10, add_fk: 6, drop_column: 4 });
    let message: string;
    switch (kind) {
      case 'create_table': {
        const table = this.name('table', plural(rng.pick(ENTITIES)));
        const cols: string[] = ["    sa.Column('id', sa.Integer(), nullable=False),"];
        // created_at is rendered last, as autogenerate orders model columns, but its name is taken first.
        const t: Table = { columns: new Map([['id', { type: 'sa.Integer()', nullable: false }], ['created_at', { type: 'sa.DateTime(timezone=True)', nullable: false }]]) };
        const constraints: string[] = [];
        for (let i = rng.int(2, 6); i > 0; i--) {
          const type = this.type();
          const col = this.columnName(table, t, this.nameFor(type));
          const nullable = rng.chance(0.4);
          const def = !nullable && type === 'sa.Boolean()' ? ", server_default=sa.text('false')" : '';
          cols.push(`    sa.Column(${q(col)}, ${type}${def}, nullable=${nullable ? 'True' : 'False'}),`);
          t.columns.set(col, { type, nullable });
        }
        const refs = tables.filter((x) => x !== table);
        if (refs.length > 0 && rng.chance(0.6)) {
          const target = rng.pick(refs);
          const col = this.columnName(table, t, `${singular(target)}_id`);
          cols.push(`    sa.Column(${q(col)}, sa.Integer(), nullable=False),`);
          t.columns.set(col, { type: 'sa.Integer()', nullable: false });
          constraints.push(`    sa.ForeignKeyConstraint([${q(col)}], [${q(`${target}.id`)}], ),`);
        }
        cols.push("    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),");
        constraints.push("    sa.PrimaryKeyConstraint('id')");
        up.push(`    op.create_table(${q(table)},\n${cols.join('\n')}\n${constraints.join('\n')}\n    )`);
        back.push(`    op.drop_table(${q(table)})`);
        schema.set(table, t);
        this.count('create_table');
        if (rng.chance(0.5)) {
          const col = rng.pick([...t.columns.keys()].filter((c) => c !== 'id'));
          const ix = this.name('index', `ix_${table}_${col}`);
          up.push(`    op.create_index(op.f(${q(ix)}), ${q(table)}, [${q(col)}], unique=False)`);
          back.unshift(`    op.drop_index(op.f(${q(ix)}), table_name=${q(table)})`);
          this.count('create_index');
        }
        message = `create ${table} table`;
        break;
      }
      case 'add_column': {
        const table = rng.pick(tables);
        const t = schema.get(table)!;
        const n = rng.pick([1, 1, 1, 2, 2, 3]);
        const added: string[] = [];
        for (let i = 0; i < n; i++) {
          const type = this.type();
          const col = this.columnName(table, t, this.nameFor(type));
          // Nullable, NOT NULL with a server default, or NOT NULL alone (fails on a table with rows).
          const mode = rng.weighted({ nullable: 7, server_default: 2, required: 1 });
          const def = mode === 'server_default' ? `, server_default=${this.serverDefault(type)}` : '';
          up.push(`    op.add_column(${q(table)}, sa.Column(${q(col)}, ${type}${def}, nullable=${mode === 'nullable' ? 'True' : 'False'}))`);
          back.unshift(`    op.drop_column(${q(table)}, ${q(col)})`);
          t.columns.set(col, { type, nullable: mode === 'nullable' });
          added.push(col);
          this.count('add_column');
        }
        message = `add ${added.join(' and ')} to ${table}`;
        break;
      }
      case 'create_index': {
        const table = rng.pick(tables);
        const t = schema.get(table)!;
        const cols = [...t.columns.keys()].filter((c) => c !== 'id' && !t.columns.get(c)!.type.startsWith('postgresql.JSONB'));
        const col = rng.pick(cols);
        const unique = rng.chance(0.15);
        const ix = this.name('index', `ix_${table}_${col}`);
        up.push(`    op.create_index(op.f(${q(ix)}), ${q(table)}, [${q(col)}], unique=${unique ? 'True' : 'False'})`);
        back.push(`    op.drop_index(op.f(${q(ix)}), table_name=${q(table)})`);
        this.count('create_index');
        message = `add index on ${table}.${col}`;
        break;
      }
      case 'alter_column': {
        const table = rng.pick(tables);
        const t = schema.get(table)!;
        const cols = [...t.columns].filter(([c]) => c !== 'id' && c !== 'created_at');
        if (cols.length === 0) return this.revisionFallback(down, schema, table);
        const [col, c] = rng.pick(cols);
        const len = /^sa\.String\(length=(\d+)\)$/.exec(c.type);
        if (len && rng.chance(0.6)) {
          const to = `sa.String(length=${Number(len[1]) * 2})`;
          up.push(`    op.alter_column(${q(table)}, ${q(col)},\n               existing_type=${reflected(c.type)},\n               type_=${to},\n               existing_nullable=${c.nullable ? 'True' : 'False'})`);
          back.push(`    op.alter_column(${q(table)}, ${q(col)},\n               existing_type=${reflected(to)},\n               type_=${c.type},\n               existing_nullable=${c.nullable ? 'True' : 'False'})`);
          c.type = to;
        } else {
          up.push(`    op.alter_column(${q(table)}, ${q(col)},\n               existing_type=${reflected(c.type)},\n               nullable=${c.nullable ? 'False' : 'True'})`);
          back.push(`    op.alter_column(${q(table)}, ${q(col)},\n               existing_type=${reflected(c.type)},\n               nullable=${c.nullable ? 'True' : 'False'})`);
          c.nullable = !c.nullable;
        }
        this.count('alter_column');
        message = `alter ${table}.${col}`;
        break;
      }
      case 'drop_column': {
        const table = rng.pick(tables);
        const t = schema.get(table)!;
        const cols = [...t.columns].filter(([c]) => c !== 'id' && c !== 'created_at' && !c.endsWith('_id'));
        if (cols.length === 0) return this.revisionFallback(down, schema, table);
        const [col, c] = rng.pick(cols);
        up.push(`    op.drop_column(${q(table)}, ${q(col)})`);
        back.push(`    op.add_column(${q(table)}, sa.Column(${q(col)}, ${reflected(c.type)}, autoincrement=False, nullable=True))`);
        t.columns.delete(col);
        this.count('drop_column');
        message = `drop ${table}.${col}`;
        break;
      }
      case 'execute': {
        const table = rng.pick(tables);
        const t = schema.get(table)!;
        const [col, c] = rng.pick([...t.columns].filter(([n]) => n !== 'id'));
        const value = this.literal(c.type);
        up.push(`    op.execute("UPDATE ${table} SET ${col} = ${value} WHERE ${col} IS NULL")`);
        back.push('    pass');
        this.count('execute');
        message = `backfill ${table}.${col}`;
        break;
      }
      default: {
        // add_fk: a reference column and its constraint, as autogenerate writes them.
        const table = rng.pick(tables);
        const others = tables.filter((x) => x !== table);
        if (others.length === 0) return this.revisionFallback(down, schema, table);
        const target = rng.pick(others);
        const t = schema.get(table)!;
        const col = this.columnName(table, t, `${singular(target)}_id`);
        const fk = this.name('fk', `fk_${table}_${col}_${target}`);
        up.push(`    op.add_column(${q(table)}, sa.Column(${q(col)}, sa.Integer(), nullable=True))`);
        up.push(`    op.create_foreign_key(op.f(${q(fk)}), ${q(table)}, ${q(target)}, [${q(col)}], ['id'])`);
        back.push(`    op.drop_constraint(op.f(${q(fk)}), ${q(table)}, type_='foreignkey')`, `    op.drop_column(${q(table)}, ${q(col)})`);
        t.columns.set(col, { type: 'sa.Integer()', nullable: true });
        this.count('add_column');
        this.count('create_foreign_key');
        message = `link ${table} to ${target}`;
      }
    }
    return this.push(down, message, up, back);
  }

  /** When the chosen change does not fit the table, add a column instead. */
  private revisionFallback(down: string[], schema: Schema, table: string): Revision {
    const t = schema.get(table)!;
    const type = this.type();
    const col = this.columnName(table, t, this.nameFor(type));
    t.columns.set(col, { type, nullable: true });
    this.count('add_column');
    return this.push(down, `add ${col} to ${table}`, [`    op.add_column(${q(table)}, sa.Column(${q(col)}, ${type}, nullable=True))`], [`    op.drop_column(${q(table)}, ${q(col)})`]);
  }

  merge(down: string[]): Revision {
    this.clock += this.rng.int(5, 600) * 60_000;
    return this.push(down, 'merge heads', [], []);
  }

  private push(down: string[], message: string, upgrade: string[], downgrade: string[]): Revision {
    const r: Revision = { rev: this.revId(), down, message, upgrade, downgrade, time: this.clock };
    this.revisions.push(r);
    return r;
  }

  private columnName(table: string, t: Table, base: string): string {
    let n = base;
    for (let i = 2; t.columns.has(n) || this.taken.has(`col:${table}.${n}`); i++) n = `${base}_${i}`;
    this.taken.add(`col:${table}.${n}`);
    return n;
  }

  /** A column name that fits its type. */
  private nameFor(type: string): string {
    const rng = this.rng;
    if (/Integer|Numeric/.test(type)) return rng.pick(['count', 'quantity', 'amount', 'total', 'price', 'position', 'priority', 'score', 'balance', 'version', 'retries', 'weight']);
    if (type === 'sa.Boolean()') return rng.pick(['is_active', 'is_public', 'is_archived', 'enabled', 'verified', 'locked']);
    if (type.startsWith('sa.DateTime')) return `${rng.pick(TIME_ATTRIBUTES)}_at`;
    if (type === 'sa.Date()') return `${rng.pick(TIME_ATTRIBUTES)}_on`;
    if (type.startsWith('postgresql.JSONB')) return rng.pick(['metadata', 'settings', 'payload', 'attributes']);
    if (type === 'sa.Uuid()') return rng.pick(['public_id', 'external_uuid']);
    return rng.pick(TEXT_ATTRIBUTES);
  }

  private type(): string {
    const total = TYPES.reduce((s, t) => s + t.weight, 0);
    let r = this.rng.next() * total;
    for (const t of TYPES) if ((r -= t.weight) < 0) return t.render(this.rng);
    return 'sa.Integer()';
  }

  private serverDefault(type: string): string {
    if (type === 'sa.Boolean()') return "sa.text('false')";
    if (/Integer|Numeric/.test(type)) return "sa.text('0')";
    if (type.startsWith('sa.DateTime')) return "sa.text('now()')";
    if (type === 'sa.Date()') return "sa.text('CURRENT_DATE')";
    if (type.startsWith('postgresql.JSONB')) return "sa.text(\"'{}'::jsonb\")";
    if (type === 'sa.Uuid()') return "sa.text('gen_random_uuid()')";
    return "''";
  }

  private literal(type: string): string {
    if (type === 'sa.Boolean()') return 'false';
    if (/Integer|Numeric/.test(type)) return '0';
    if (type.startsWith('sa.DateTime')) return 'now()';
    if (type === 'sa.Date()') return 'CURRENT_DATE';
    if (type.startsWith('postgresql.JSONB')) return "'{}'::jsonb";
    if (type === 'sa.Uuid()') return 'gen_random_uuid()';
    return "''";
  }
}

/** `alembic merge`/`revision`'s slug: `_`-joined words of the message, cut to truncate_slug_length (40). */
function slug(message: string): string {
  const s = message.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return s.length > 40 ? s.slice(0, 40).replace(/_[^_]*$/, '') : s;
}

function renderRevision(r: Revision): string {
  const p = utcParts(r.time);
  const micro = String(r.time % 1000).padStart(3, '0') + '000';
  const down = r.down.length === 0 ? 'None' : r.down.length === 1 ? q(r.down[0]!) : `(${r.down.map(q).join(', ')})`;
  const jsonb = [...r.upgrade, ...r.downgrade].some((l) => l.includes('postgresql.'));
  const body = (lines: string[]) => (lines.length === 0 || lines.join() === '    pass' ? '    pass\n' : `    # ### commands auto generated by Alembic - please adjust! ###\n${lines.join('\n')}\n    # ### end Alembic commands ###\n`);
  return `"""${r.message}

Revision ID: ${r.rev}
Revises: ${r.down.join(', ')}
Create Date: ${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}.${micro}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${jsonb ? 'from sqlalchemy.dialects import postgresql\n' : ''}

# revision identifiers, used by Alembic.
revision: str = ${q(r.rev)}
down_revision: Union[str, Sequence[str], None] = ${down}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
${body(r.upgrade)}

def downgrade() -> None:
    """Downgrade schema."""
${body(r.downgrade)}`;
}

export function buildAlembic(opts: AlembicOptions = {}): { tree: FileTree; expected: AlembicExpected; size: number; seed: number } {
  const size = positiveInt(opts.size, ALEMBIC_DEFAULT_SIZE, 'size');
  const heads = opts.heads ?? 1;
  if (heads !== 1 && heads !== 2) throw new Error('heads must be 1 or 2');
  if (size < 4) throw new Error('size must be at least 4');
  const seed = opts.seed ?? DEFAULT_SEED;
  const rng = new Random(seed);
  const sim = new AlembicSim(rng);
  let schema: Schema = new Map();
  let head = sim.revision([], schema, false).rev;
  let merges = 0;
  let branchPoints = 0;
  // Two revisions are kept for the end when it leaves two heads.
  const reserve = heads === 2 ? 2 : 0;
  while (sim.revisions.length < size - reserve) {
    const left = size - reserve - sim.revisions.length;
    if (left >= 4 && rng.chance(0.08)) {
      // A fork: 2 (or 3) sides of 1–4 revisions each from the same head, then `alembic merge heads`.
      const sides = rng.chance(0.15) && left >= 6 ? 3 : 2;
      const lengths = Array.from({ length: sides }, () => rng.int(1, 4));
      while (lengths.reduce((a, b) => a + b, 0) + 1 > left) lengths[lengths.indexOf(Math.max(...lengths))]!--;
      if (lengths.some((l) => l === 0)) continue;
      const tips: string[] = [];
      const merged = cloneSchema(schema);
      for (const len of lengths) {
        const side = cloneSchema(schema);
        let tip = head;
        for (let i = 0; i < len; i++) tip = sim.revision([tip], side, true).rev;
        tips.push(tip);
        for (const [name, t] of side) {
          const m = merged.get(name);
          if (!m) merged.set(name, t);
          else for (const [c, v] of t.columns) m.columns.set(c, v);
        }
      }
      branchPoints++;
      merges++;
      head = sim.merge(tips).rev;
      schema = merged;
    } else {
      head = sim.revision([head], schema, false).rev;
    }
  }
  let headIds = [head];
  if (heads === 2) {
    // Two pull requests merged on the same day, each with a revision on the same head.
    branchPoints++;
    headIds = [sim.revision([head], cloneSchema(schema), true).rev, sim.revision([head], cloneSchema(schema), true).rev];
  }
  const tree = new FileTree();
  tree.add('alembic.ini', ALEMBIC_INI);
  tree.add('alembic/README', 'Generic single-database configuration.\n');
  tree.add('alembic/env.py', ENV_PY);
  tree.add('alembic/script.py.mako', SCRIPT_MAKO);
  for (const r of sim.revisions) tree.add(`alembic/versions/${r.rev}_${slug(r.message)}.py`, renderRevision(r));
  return {
    tree,
    size,
    seed,
    expected: { scriptDirectory: 'alembic', heads: headIds.sort(), revisions: sim.revisions.length, merges, branchPoints, operations: sim.ops },
  };
}

export async function generateAlembic(dir: string, opts: AlembicOptions = {}): Promise<GeneratedTree<AlembicExpected>> {
  const built = buildAlembic(opts);
  built.tree.write(dir);
  return { kind: 'alembic', root: path.resolve(dir), seed: built.seed, size: built.size, files: built.tree.files.size, bytes: built.tree.bytes, migrations: built.expected.revisions, expected: built.expected };
}

const ALEMBIC_INI = `# A generic, single database configuration.

[alembic]
# path to migration scripts.
script_location = %(here)s/alembic

# sys.path path, will be prepended to sys.path if present.
prepend_sys_path = .

# Use os.pathsep. Default configuration used for new projects.
path_separator = os

sqlalchemy.url = postgresql://app@localhost/app


[post_write_hooks]

# Logging configuration
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`;

const ENV_PY = `from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# add your model's MetaData object here
# for 'autogenerate' support
target_metadata = None


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode."""
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`;

/** Alembic's generic script template, the same text the merge fix renders. */
const SCRIPT_MAKO = GENERIC_TEMPLATE;
