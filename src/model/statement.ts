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
}

export interface ColumnFacts {
  name: string;
  /** The type as the framework names it (`CharField`, `varchar(20)`), and a neutral family when known. */
  type?: string;
  nullable?: boolean;
  /** The column's default, if any: a constant, a value computed by the application once (Django
   *  callables such as `uuid.uuid4`: every existing row gets the same value), or a database expression. */
  default?: { kind: 'constant' | 'app-callable' | 'db-expression'; text: string; volatile?: boolean };
  unique?: boolean;
  primaryKey?: boolean;
  indexed?: boolean;
  references?: { table: string; column?: string };
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
  /** Statement-level reverse, where the framework derives reverses per operation. */
  reverse?: { status: ReverseStatus; span?: Span };
  /** The statement changes only the framework's model state, not the database (Django
   *  `SeparateDatabaseAndState.state_operations`). Such statements take no locks. */
  stateOnly?: boolean;
}

export type Statement = StatementBase &
  (
    | { kind: 'create_table'; table: string; columns: ColumnFacts[] }
    | { kind: 'drop_table'; table: string }
    | { kind: 'rename_table'; table: string; newName: string }
    | { kind: 'add_column'; table: string; column: ColumnFacts }
    | { kind: 'drop_column'; table: string; column: string }
    | { kind: 'rename_column'; table: string; column: string; newName: string }
    | { kind: 'alter_column_type'; table: string; column: string; fromType?: string; toType: string; using?: string }
    | { kind: 'set_not_null'; table: string; column: string }
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
      }
    | { kind: 'drop_index'; table?: string; index?: string; concurrently: boolean }
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
        };
      }
    | { kind: 'drop_constraint'; table: string; constraint?: string }
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

