/**
 * Statements: one schema or data change in neutral terms. Front ends lower framework constructs into these;
 * rules and the PostgreSQL lock table (src/postgres/) read them.
 */
import type { ReverseStatus, Span } from './types.js';

/** What a data step does to rows. Filled in by front ends that can see inside code (RunPython bodies). */
export interface DataEffects {
  /** It deletes rows (`.delete()`, `DELETE`, `TRUNCATE`). */
  deletes: boolean;
  /** It changes existing rows (`.update()`, `.save()`, `bulk_update`, `UPDATE`). */
  updates: boolean;
  /** It inserts rows (`.create()`, `bulk_create`, `INSERT`). */
  inserts: boolean;
  /** It drops or rewrites schema objects that hold data (`DROP TABLE`, `DROP COLUMN` in raw SQL). */
  dropsData: boolean;
  /** True when the code could not be inspected (a function defined elsewhere, an import). */
  opaque: boolean;
  /**
   * The models or tables the step reads and writes, where the front end can name them (Django: every
   * `apps.get_model('app', 'Model')` or imported model the code queries, writes or creates). Absent when
   * the front end does not look (SQL steps carry their table on the statement itself).
   */
  reads?: DataTarget[];
  writes?: DataTarget[];
  /** Loops that walk a query's rows one at a time (`for x in Model.objects.filter(...)`). */
  rowLoops?: RowLoop[];
  /** It empties tables it did not create: every row deleted (`Model.objects.all().delete()`, `DELETE`
   *  without `WHERE`, `TRUNCATE`) or the table dropped (`DROP TABLE`). */
  destroys?: boolean;
  /** The tables behind `destroys`, each where the step names it (the `DROP TABLE`, `TRUNCATE`, `DELETE`
   *  or the call that produces one), where the front end can name them. */
  destroyed?: DataTarget[];
  /** It writes in batches: `bulk_create`, `bulk_update`, a set-based queryset `.update()`. */
  batched?: boolean;
  /**
   * Application code the step uses directly instead of the framework's historical models: Django
   * `from shop.models import Item` inside the function, or imported by the module and used by it.
   */
  codeImports?: CodeImport[];
  /** The step function's parameters as written (`apps, schema_editor`), when it is a function of the file. */
  params?: { names: string[]; span: Span };
}

/** A model or table a data step touches. */
export interface DataTarget {
  /** The model as the ORM names it (`clerk_sync.ClerkUser`), for ORM code. */
  model?: string;
  /** The set (Django app label) the model belongs to. */
  set?: string;
  /** The table, from SQL, or from the model state where it knows the model. */
  table?: string;
  /** The model class is imported application code, not the framework's historical model. */
  imported?: boolean;
  /** Where the step names it (`apps.get_model(...)`, the import). */
  span?: Span;
}

/** A loop over a query's rows. */
export interface RowLoop {
  /** The loop statement (`for u in ClerkUser.objects.all():`). */
  span: Span;
  /** What it iterates. */
  source?: DataTarget;
  /** The rows are fetched in chunks (`.iterator(chunk_size=…)`) instead of all at once. */
  chunked: boolean;
  /** Writes issued once per row inside the loop (`save`, `create`, `delete`), as written. */
  perRow: string[];
}

/** An import of application code by a data step. */
export interface CodeImport {
  /** The module as written (`clerk_sync.models`). */
  module: string;
  /** The names the step uses from it (`ClerkUser`). */
  names: string[];
  span: Span;
}

export interface ColumnFacts {
  name: string;
  /** The database type as PostgreSQL spells it (`varchar(20)`, `bigint`, `jsonb`), when the front end
   *  knows it. ORM front ends map their field classes to it the way the framework's schema editor does. */
  type?: string;
  /** The ORM's own name for the type (`CharField`, `string`), where the migration is ORM code. */
  ormType?: string;
  nullable?: boolean;
  /** The column's default, if any: a constant, a value computed by the application once (Django
   *  callables such as `uuid.uuid4`: every existing row gets the same value), or a database expression. */
  default?: { kind: 'constant' | 'app-callable' | 'db-expression'; text: string; volatile?: boolean };
  unique?: boolean;
  primaryKey?: boolean;
  indexed?: boolean;
  references?: { table: string; column?: string };
  /** `serial`/`bigserial`/`smallserial`: an integer column whose implicit default is `nextval()` (volatile). */
  serial?: boolean;
  /** `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY` (PostgreSQL 10+): values come from a sequence. */
  identity?: 'always' | 'by default';
  /** `GENERATED ALWAYS AS (expr) STORED | VIRTUAL`. Virtual generated columns exist from PostgreSQL 18. */
  generated?: { kind: 'stored' | 'virtual'; expression: string };
  /** Inline `CHECK (...)` constraints on the column, as written. */
  checks?: string[];
}

/** A table-level constraint as a `CREATE TABLE` declares it. */
export interface ConstraintFacts {
  type: 'check' | 'unique' | 'primary_key' | 'foreign_key' | 'exclusion' | 'unknown';
  name?: string;
  columns?: string[];
  notValid?: boolean;
  /** `ADD CONSTRAINT ... USING INDEX i` (unique and primary key only): no index build. */
  usingIndex?: boolean;
  /** The index named by `USING INDEX`. */
  index?: string;
  /** Foreign key: the referenced table, as written (schema kept). */
  references?: string;
  referencedColumns?: string[];
  /** Check constraint: the expression as written. */
  expression?: string;
}

interface StatementBase {
  /** Where the construct that produced this statement is in the file. */
  span: Span;
  /** The framework construct, for messages: `migrations.AddField`, `op.create_index`, `CREATE INDEX`. */
  construct: string;
  /** Index of the framework operation that produced this statement (several statements may share one). */
  operationIndex: number;
  /** The table was created earlier in the same migration: lock rules do not apply to it. Set by the model. */
  tableIsNew?: boolean;
  /** Statement-level reverse, where the framework derives reverses per operation; `effects` is what the
   *  reverse step does to data, where the front end can read it (RunPython `reverse_code`, RunSQL
   *  `reverse_sql`). */
  reverse?: { status: ReverseStatus; span?: Span; effects?: DataEffects };
  /** The statement changes only the framework's model state, not the database (Django
   *  `SeparateDatabaseAndState.state_operations`). Such statements take no locks. */
  stateOnly?: boolean;
  /** `IF EXISTS` was given (on the statement or the action), so re-running it after the object is gone
   *  does not fail. */
  ifExists?: boolean;
  /** `IF NOT EXISTS` was given, so re-running it after the object exists does not fail. */
  ifNotExists?: boolean;
  /**
   * The framework runs this statement outside its transaction, in autocommit: Alembic's
   * `with op.get_context().autocommit_block():` commits what ran before, runs its body in autocommit and
   * then begins a new transaction (alembic/runtime/migration.py `autocommit_block`).
   */
  autocommit?: boolean;
  /**
   * The SQL this statement was read from was a template built at run time (a JavaScript template
   * literal with `${…}` that are not constants of the file): this many substitutions were read as
   * neutral stand-ins (`"${table}"`), so names and values in the statement may not be the real ones.
   */
  placeholders?: number;
}

/** Transaction control as written: `BEGIN`/`START TRANSACTION`, `COMMIT`/`END`, `ROLLBACK`, savepoints. */
export type TransactionAction =
  | 'begin'
  | 'commit'
  | 'rollback'
  | 'savepoint'
  | 'release'
  | 'rollback_to'
  | 'prepare'
  | 'commit_prepared'
  | 'rollback_prepared';

/**
 * `ALTER TABLE` actions that have no statement kind of their own. Named by what they do; the lock each
 * takes is in src/postgres/ (from `AlterTableGetLockLevel` in PostgreSQL's tablecmds.c).
 */
export type AlterTableAction =
  | 'set_statistics'
  | 'set_column_options'
  | 'set_storage'
  | 'set_compression'
  | 'set_storage_parameters'
  | 'cluster_on'
  | 'set_without_cluster'
  | 'owner'
  | 'set_tablespace'
  | 'replica_identity'
  | 'row_security'
  | 'inherit'
  | 'no_inherit'
  | 'add_identity'
  | 'set_identity'
  | 'drop_identity'
  | 'set_expression'
  | 'drop_expression'
  | 'alter_constraint'
  | 'rule'
  | 'of_type'
  | 'other';

export type Statement = StatementBase &
  (
    | {
        kind: 'create_table';
        table: string;
        columns: ColumnFacts[];
        /** Table-level constraints (`CONSTRAINT c FOREIGN KEY ...`, `PRIMARY KEY (a, b)`). */
        constraints?: ConstraintFacts[];
        /** Tables copied with `LIKE t` (read, under ACCESS SHARE). */
        like?: string[];
        /** Every table its foreign keys reference, inline or table-level (locked SHARE ROW EXCLUSIVE). */
        references?: string[];
        /** `PARTITION OF parent`: the parent is locked ACCESS EXCLUSIVE. */
        partitionOf?: string;
        /** `INHERITS (parent, ...)`. */
        inherits?: string[];
        persistence?: 'permanent' | 'unlogged' | 'temporary';
        /** `CREATE TABLE ... AS query` / `SELECT ... INTO`: columns come from the query. */
        asQuery?: boolean;
      }
    | { kind: 'drop_table'; table: string; cascade?: boolean }
    | { kind: 'rename_table'; table: string; newName: string }
    | { kind: 'add_column'; table: string; column: ColumnFacts }
    | { kind: 'drop_column'; table: string; column: string; cascade?: boolean }
    | { kind: 'rename_column'; table: string; column: string; newName: string }
    | {
        kind: 'alter_column_type';
        table: string;
        column: string;
        fromType?: string;
        toType: string;
        using?: string;
        /** The `USING` expression is only the column, optionally cast (`USING c::text`): PostgreSQL then
         *  decides the rewrite exactly as without `USING`. */
        usingIsColumn?: boolean;
      }
    | {
        kind: 'set_not_null';
        table: string;
        column: string;
        /** A validated `CHECK (column IS NOT NULL)` exists (seen earlier in the same migration): from
         *  PostgreSQL 12 `SET NOT NULL` uses it and skips the full-table scan. */
        provenByCheck?: boolean;
        /** PostgreSQL 18 `ADD CONSTRAINT c NOT NULL col NOT VALID`: recorded, not yet checked. */
        notValid?: boolean;
        /** The constraint name, for the PostgreSQL 18 `ADD CONSTRAINT c NOT NULL col` form. */
        constraint?: string;
      }
    | { kind: 'drop_not_null'; table: string; column: string }
    | { kind: 'set_default'; table: string; column: string; default: NonNullable<ColumnFacts['default']> }
    | { kind: 'drop_default'; table: string; column: string }
    | {
        /** An ORM alteration whose exact change needs the previous definition (Django `AlterField` before
         *  model state is tracked). Front ends decompose it into the kinds above where they can. */
        kind: 'alter_column';
        table: string;
        column: string;
        /** What the new definition says; `from` is known when the front end tracks model state. */
        to: ColumnFacts;
        from?: ColumnFacts;
      }
    | {
        kind: 'create_index';
        table: string;
        index?: string;
        columns: string[];
        unique: boolean;
        concurrently: boolean;
        /** Some keys are expressions (`lower(email)`); those appear in `columns` as written. */
        hasExpressions?: boolean;
        /** Partial index: the `WHERE` predicate as written. */
        where?: string;
        /** Covering index: the `INCLUDE (...)` columns. */
        include?: string[];
        /** Access method when not btree (`gin`, `gist`, `brin`, `hash`). */
        method?: string;
      }
    | { kind: 'drop_index'; table?: string; index?: string; concurrently: boolean; cascade?: boolean }
    | { kind: 'rename_index'; table: string; index?: string; newName: string }
    | {
        kind: 'add_constraint';
        table: string;
        constraint: {
          type: 'check' | 'unique' | 'primary_key' | 'foreign_key' | 'exclusion' | 'unknown';
          name?: string;
          columns?: string[];
          notValid?: boolean;
          usingIndex?: boolean;
          references?: string;
          /** The index named by `USING INDEX`. */
          index?: string;
          referencedColumns?: string[];
          /** Check constraint: the expression as written. */
          expression?: string;
          /** A check that is exactly `column IS NOT NULL`: once validated, SET NOT NULL on that column
           *  can skip its scan (PostgreSQL 12+). */
          notNullColumn?: string;
        };
      }
    | {
        kind: 'drop_constraint';
        table: string;
        constraint?: string;
        cascade?: boolean;
        /** What the constraint is, when the front end knows (created earlier in the migration, or from
         *  ORM state). Dropping a foreign key also takes ACCESS EXCLUSIVE on the referenced table. */
        constraintType?: ConstraintFacts['type'];
        references?: string;
      }
    | {
        kind: 'validate_constraint';
        table: string;
        constraint: string;
        /** As for `drop_constraint`: validating a foreign key also locks the referenced table. */
        constraintType?: ConstraintFacts['type'];
        references?: string;
      }
    | {
        kind: 'reindex';
        target: 'index' | 'table' | 'schema' | 'database' | 'system';
        /** The index, table, schema or database named (absent for `REINDEX DATABASE` of the current one). */
        name?: string;
        /** For `target: 'index'`: its table, when the migration says (index created earlier in it). */
        table?: string;
        concurrently: boolean;
      }
    | { kind: 'cluster'; table?: string; index?: string }
    | { kind: 'vacuum'; table?: string; full: boolean; analyze: boolean }
    | { kind: 'analyze'; table?: string }
    | { kind: 'set_logged'; table: string; logged: boolean }
    | { kind: 'set_access_method'; table: string; method: string }
    | { kind: 'truncate'; table: string; cascade: boolean }
    | { kind: 'create_trigger'; table: string; trigger: string; replace: boolean }
    | {
        /** `ALTER TABLE t ENABLE | DISABLE TRIGGER name | ALL | USER`. */
        kind: 'alter_trigger';
        table: string;
        trigger: string;
        enabled: boolean;
      }
    | { kind: 'attach_partition'; table: string; partition: string }
    | { kind: 'detach_partition'; table: string; partition: string; concurrently: boolean; finalize: boolean }
    | {
        /** Any other `ALTER TABLE` action; `detail` is a short description for messages. */
        kind: 'alter_table';
        table: string;
        action: AlterTableAction;
        detail: string;
        column?: string;
      }
    | {
        kind: 'create_materialized_view';
        view: string;
        withData: boolean;
        /** Tables the view's query reads (locked ACCESS SHARE while it runs). */
        reads?: string[];
      }
    | {
        kind: 'refresh_materialized_view';
        view: string;
        concurrently: boolean;
        withData: boolean;
        /** Tables the view's query reads, when the front end knows the view's definition. */
        reads?: string[];
      }
    | { kind: 'create_enum'; type: string; values: string[] }
    | {
        kind: 'add_enum_value';
        type: string;
        value: string;
        /** `BEFORE 'x'` / `AFTER 'x'`, when given. */
        position?: { before?: string; after?: string };
      }
    | {
        /** `SET [LOCAL] name = value`, `RESET name`. `value` is null for `RESET` / `SET ... TO DEFAULT`. */
        kind: 'set_setting';
        name: string;
        value: string | null;
        local: boolean;
        /** For settings measured in time (`lock_timeout`, `statement_timeout`, ...): the value in
         *  milliseconds (0 = no timeout). */
        valueMs?: number;
      }
    | { kind: 'transaction'; action: TransactionAction }
    | { kind: 'update'; table: string; where: boolean }
    | { kind: 'delete'; table: string; where: boolean }
    | { kind: 'insert'; table: string; fromQuery: boolean }
    | { kind: 'drop_schema'; schema: string; cascade: boolean }
    | { kind: 'drop_database'; database: string }
    | {
        kind: 'run_code';
        language: 'python' | 'javascript';
        /** The forward function's name as written (`forwards`, `migrate_prices`). */
        forward?: string;
        effects: DataEffects;
      }
    | {
        kind: 'raw_sql';
        /** The SQL text as written (forward). Lowered into statements by the SQL front end where present. */
        sql: string | null;
        effects: DataEffects;
      }
    | { kind: 'other'; description: string }
  );

export type StatementKind = Statement['kind'];


/** A time setting's value in milliseconds: `'1s'`, `'500ms'`, `'2min'`, `5000` (ms is the unit of the
 *  timeout settings; config-setting.html 20.1.1). */
export function durationMs(value: string): number | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1;
  return n * factor;
}
