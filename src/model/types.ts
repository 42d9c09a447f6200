/**
 * The framework-neutral model: the centre of migrate-lint. Front ends (src/frameworks/<name>/) lower each
 * framework's files into these types; rules (rules/) read only these types. A rule that would need to know
 * one framework's syntax is a sign that a fact is missing here.
 */

import type { Statement } from './statement.js';
export type { Statement, StatementKind, ColumnFacts, DataEffects } from './statement.js';

export type Framework =
  | 'django'
  | 'alembic'
  | 'prisma'
  | 'knex'
  | 'typeorm'
  | 'sequelize'
  | 'node-pg-migrate'
  | 'sql';

/** How a set orders its migrations: by declared parents (a DAG) or by a sortable key (name, version). */
export type Ordering = 'graph' | 'sequence';

export type Dialect = 'postgresql' | 'mysql' | 'sqlite' | 'unknown';

/**
 * What transaction the framework wraps a migration in (reference/frameworks.md §1):
 * - `per-migration`: each migration in its own transaction (Django, Flyway), unless it opts out;
 * - `per-run`: every pending migration in one transaction (Alembic default, Knex, node-pg-migrate);
 * - `implicit-per-file`: the file is sent as one multi-statement query (Prisma, golang-migrate);
 * - `none`: no transaction (Sequelize).
 */
export type TransactionPolicy = 'per-migration' | 'per-run' | 'implicit-per-file' | 'none';

/** 1-based line and column, the way editors and every output format show them. */
export interface Position {
  line: number;
  column: number;
}

/** A region of a file. `offset`/`endOffset` are 0-based character offsets into the decoded text. */
export interface Span {
  start: Position;
  end: Position;
  offset: number;
  endOffset: number;
}

/**
 * A reference from one migration to another, as the file wrote it. `set` is the name other migrations
 * use for the target set (a Django app label); `name` the migration's identity within it.
 * `special` marks Django's `__first__` / `__latest__`, and references that point outside the repository
 * by construction (`swappable_dependency(settings.AUTH_USER_MODEL)`).
 */
export interface MigrationRef {
  set: string;
  name: string;
  special?: 'first' | 'latest' | 'setting';
  /** For `special: 'setting'`: the setting the reference is read from, e.g. `AUTH_USER_MODEL`. */
  setting?: string;
  span?: Span;
}

/** A fact the parser could not establish, or a file it could not read. Becomes a `parse-error` finding. */
export interface Diagnostic {
  message: string;
  span?: Span;
  /** What kind of problem: the rule engine maps these to message ids. */
  code: 'syntax' | 'conflict-markers' | 'encoding' | 'too-large' | 'unsupported';
}

/** `# migrate-lint: ignore <rule>: <reason>` and its SQL forms. */
export interface Suppression {
  rules: string[];
  reason: string;
  /** The line the suppression applies to (1-based), or null for the whole file. */
  line: number | null;
  span: Span;
}

/** What running the migration backwards does. */
export type ReverseStatus =
  /** The framework derives the reverse per statement (Django operations): see each statement's `reverse`. */
  | 'derived'
  /** A down/downgrade exists and does something. */
  | 'present'
  /** There is no reverse at all: reversing raises or is impossible. */
  | 'missing'
  /** A reverse exists but its body is empty (`pass`, `{}`). */
  | 'empty'
  /** The reverse is declared to do nothing on purpose (`RunPython.noop`, `RunSQL.noop`). */
  | 'noop';


export interface Migration {
  /** The set this migration belongs to (`MigrationSet.id`). */
  setId: string;
  /** Identity as the framework records it: Django module name, Alembic revision, Prisma folder name. */
  name: string;
  /** Repository-relative POSIX path of the file. */
  file: string;
  /** The content id of the file (git blob id). */
  contentId: string;
  /** Declared parents, as written. Empty for sequence-ordered sets. */
  parents: MigrationRef[];
  /** Django `run_before`: migrations that must come after this one (reverse edges). */
  runBefore: MigrationRef[];
  /** Django `replaces`: the migrations this squash stands in for. */
  replaces: MigrationRef[];
  /** Django `initial = True`. */
  initial: boolean;
  /** Whether the framework runs this migration inside a transaction. */
  atomic: boolean;
  /** The file could not be read well enough to know its parents (syntax error before them, conflict
   *  markers, bad bytes). Graph rules do not judge a set that holds such a migration. */
  incomplete?: boolean;
  /** The span of the migration's declaration (the `Migration` class), for history findings. */
  span?: Span;
  statements: Statement[];
  reverse: ReverseStatus;
  suppressions: Suppression[];
  diagnostics: Diagnostic[];
}

export interface MigrationSet {
  /** Unique within one run: framework plus directory. */
  id: string;
  framework: Framework;
  /** The name migrations use to reference this set (a Django app label). */
  name: string;
  /** Sets that may reference each other share a namespace (one Django project). */
  namespace: string;
  /** Repository-relative POSIX path of the migrations directory. */
  dir: string;
  ordering: Ordering;
  dialect: Dialect;
  transaction: TransactionPolicy;
  migrations: Migration[];
}

/**
 * Sets that may reference each other (one Django project). `externalSets` names sets that exist outside
 * the repository (installed apps such as `auth`); null when that cannot be known statically, in which
 * case references to sets not in the repository are not judged.
 */
export interface Namespace {
  id: string;
  framework: Framework;
  externalSets: string[] | null;
  /** Where the external list came from, for messages (`mysite/settings.py`). */
  externalSource?: string;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  /** Repository-relative POSIX path. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The set id and migration name this is about, when there is one. */
  set?: string;
  migration?: string;
  /** The rule's structured facts (JSON output `data`). */
  data: Record<string, unknown>;
  /** A short line on how to fix it. */
  hint?: string;
  /** Stable identity across runs: rule, set, migration and statement index, never line numbers. */
  fingerprint: string;
}
