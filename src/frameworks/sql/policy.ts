/**
 * What each SQL tool does with a migration at run time: the database its files are for, the transaction
 * it wraps them in, and when a migration escapes it. Sources per tool: reference/frameworks.md §5
 * (Prisma), §13 (golang-migrate), §14 (Flyway), and the tools' files cited below.
 */
import type { Dialect, Statement, TransactionPolicy } from '../../model/types.js';
import type { SqlTool } from './layout.js';
import type { FileParse } from './read.js';

/**
 * The database of a Prisma migrations folder, from `migration_lock.toml`. The engine reads the first line
 * starting with `provider` and strips `provider = ` and the quotes (prisma-engines
 * `migrations_directory.rs` `read_provider_from_lock_file`); so does this.
 *
 * CockroachDB is not taken as PostgreSQL: its schema changes run as online background jobs and take none
 * of PostgreSQL's table locks (`CREATE INDEX` does not block writes; `CONCURRENTLY` is accepted and does
 * nothing), so PostgreSQL's lock table would be wrong about every statement. Without a lock file the
 * provider is not known, and like every other front end this one assumes PostgreSQL.
 */
export function prismaDialect(lockText: string | null): Dialect {
  if (lockText === null) return 'postgresql';
  const line = lockText.split(/\r?\n/).find((l) => l.startsWith('provider'));
  const provider = line?.replace(/^provider\s*=\s*/, '').replace(/"/g, '').trim();
  switch (provider) {
    case 'postgresql':
    case 'postgres':
      return 'postgresql';
    case 'mysql':
      return 'mysql';
    case 'sqlite':
      return 'sqlite';
    default:
      // sqlserver, cockroachdb, anything newer.
      return 'unknown';
  }
}

/** The set's transaction policy (model/types.ts `TransactionPolicy`). */
export function transactionOf(tool: SqlTool, dialect: Dialect): TransactionPolicy {
  switch (tool) {
    case 'prisma':
      // PostgreSQL: the file is one simple-query message (§5.4). MySQL: statements one by one, each DDL
      // committing on its own. The other providers' engines were not read; their sets get no statements.
      return dialect === 'mysql' ? 'none' : 'implicit-per-file';
    case 'golang-migrate':
      // One `ExecContext` per file (database/postgres/postgres.go `runStatement`, §13).
      return 'implicit-per-file';
    case 'flyway':
    case 'dbmate':
    case 'goose':
      // Flyway `group=false` (§14); dbmate `doTransaction` per section (db.go `Migrate`); goose `useTx`
      // defaults to true (sqlparser `ParseSQLMigration`).
      return 'per-migration';
    case 'sql':
      // Whatever runs a plain directory is not known: a `BEGIN` written in the file is the only
      // transaction there is to see.
      return 'none';
  }
}

/**
 * Whether this migration's statements run inside a transaction block (`Migration.atomic`).
 *
 * - Prisma on PostgreSQL, golang-migrate: the file is sent as one query string. PostgreSQL runs a
 *   multi-statement string as one implicit transaction block, but a single statement on its own is not
 *   in a block, which is why a file holding only `CREATE INDEX CONCURRENTLY` works (§5.4, §13).
 * - Flyway: in a transaction unless `<script>.conf` says `executeInTransaction=false`, or every statement
 *   is one Flyway detects as non-transactional; a script mixing both fails unless `mixed=true` and stays
 *   atomic here, so the transaction rules report the statement that cannot run.
 * - dbmate, goose: in a transaction unless the file opts out.
 */
export function atomicOf(tool: SqlTool, dialect: Dialect, parse: FileParse, conf: ReadonlyMap<string, string> | null): boolean {
  switch (tool) {
    case 'prisma':
      return dialect !== 'mysql' && parse.sqlStatements > 1;
    case 'golang-migrate':
      return parse.sqlStatements > 1;
    case 'flyway':
    {
      if (conf?.get('executeInTransaction') === 'false') return false;
      const outside = statementGroups(parse.statements).filter((g) => g.some(flywayRunsOutsideTransaction)).length;
      return !(outside > 0 && outside === parse.sqlStatements);
    }
    case 'dbmate':
    case 'goose':
      return !parse.noTransaction;
    case 'sql':
      return false;
  }
}

/** Statements grouped by the SQL statement they came from (`operationIndex`). */
function statementGroups(statements: readonly Statement[]): Statement[][] {
  const groups = new Map<number, Statement[]>();
  for (const s of statements) groups.set(s.operationIndex, [...(groups.get(s.operationIndex) ?? []), s]);
  return [...groups.values()];
}

/**
 * Statements Flyway runs outside a transaction on PostgreSQL (flyway-database-postgresql
 * `PostgreSQLParser.detectCanExecuteInTransaction`): CREATE/DROP [UNIQUE] INDEX CONCURRENTLY, REINDEX
 * SCHEMA/DATABASE/SYSTEM, VACUUM, CREATE/DROP DATABASE, TABLESPACE and SUBSCRIPTION, ALTER SYSTEM,
 * DISCARD ALL; and ALTER TYPE … ADD VALUE only before PostgreSQL 12, which is not assumed here. Flyway
 * does not list `REINDEX … CONCURRENTLY` of a table or index, so it runs those in a transaction, where
 * they fail. DISCARD is not told apart from DISCARD ALL by the SQL front end and is left out.
 */
function flywayRunsOutsideTransaction(st: Statement): boolean {
  switch (st.kind) {
    case 'create_index':
    case 'drop_index':
      return st.concurrently;
    case 'reindex':
      return st.target === 'schema' || st.target === 'database' || st.target === 'system';
    case 'vacuum':
    case 'drop_database':
      return true;
    case 'other':
      return FLYWAY_NON_TRANSACTIONAL_COMMANDS.has(st.construct.replace(/ /g, ''));
    default:
      return false;
  }
}

/** Command tags of statements the SQL front end lowers to `other`, spaces removed (the tag of
 *  `CREATE TABLESPACE` is spelt from its parse node, `CREATE TABLE SPACE`). */
const FLYWAY_NON_TRANSACTIONAL_COMMANDS: ReadonlySet<string> = new Set([
  'ALTERSYSTEM',
  'CREATEDATABASE',
  'CREATESUBSCRIPTION',
  'CREATETABLESPACE',
  'DROPSUBSCRIPTION',
  'DROPTABLESPACE',
]);

/**
 * A Flyway script configuration file (`V2__x.sql.conf`): Java properties, `key=value` lines, `#` and `!`
 * comments (Flyway docs, "Script Configuration").
 */
export function readFlywayConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const sep = line.search(/[=:]/);
    if (sep > 0) out.set(line.slice(0, sep).trim(), line.slice(sep + 1).trim());
  }
  return out;
}
