/**
 * The framework-neutral model: the centre of migrate-lint. Front ends (src/frameworks/<name>/) lower each
 * framework's files into these types; rules (rules/) read only these types. A rule that would need to know
 * one framework's syntax is a sign that a fact is missing here.
 */

import type { DataEffects, Statement } from './statement.js';
export type { Statement, StatementKind, ColumnFacts, DataEffects, DataTarget, RowLoop, CodeImport } from './statement.js';

/**
 * The tool that runs a set. SQL-file tools are named one by one (not `sql` plus a sub-field) because each
 * decides different facts — identity, order, transaction, where the reverse lives — and rules that care
 * name the tool in one place: `golang-migrate` (`N_x.up.sql` / `.down.sql` pairs), `flyway` (`V1_2__x.sql`,
 * `U…`, `R__…`), `dbmate` (`-- migrate:up` / `-- migrate:down` sections), `goose` (`-- +goose Up` /
 * `Down`). `sql` is a plain directory of numbered `.sql` files whose runner is not known.
 */
export type Framework =
  | 'django'
  | 'alembic'
  | 'prisma'
  | 'knex'
  | 'typeorm'
  | 'sequelize'
  | 'node-pg-migrate'
  | 'golang-migrate'
  | 'flyway'
  | 'dbmate'
  | 'goose'
  | 'sql';

/** How a set orders its migrations: by declared parents (a DAG) or by a sortable key (name, version). */
export type Ordering = 'graph' | 'sequence';

export type Dialect = 'postgresql' | 'mysql' | 'sqlite' | 'unknown';

/**
 * What transaction the framework wraps a migration in (reference/frameworks.md §1):
 * - `per-migration`: each migration in its own transaction (Django, Flyway, dbmate, goose), unless it opts out;
 * - `per-run`: every pending migration in one transaction (Alembic default, Knex, node-pg-migrate);
 * - `implicit-per-file`: the file is sent as one multi-statement query (Prisma, golang-migrate);
 * - `none`: no transaction (Sequelize; a plain SQL directory, whose runner is not known).
 */
export type TransactionPolicy = 'per-migration' | 'per-run' | 'implicit-per-file' | 'none';

/**
 * Whether the tool has down migrations at all, which decides what a missing reverse means:
 * - `per-migration`: each migration may come with its own down (golang-migrate `.down.sql`, dbmate
 *   `-- migrate:down`, goose `-- +goose Down`, Flyway `U` scripts when the set has any): one missing is
 *   a gap;
 * - `derived`: the framework derives the reverse of each operation (Django): see `Statement.reverse`;
 * - `none`: the tool has no down migrations (Prisma, a plain SQL directory): `reverse` is `missing`
 *   everywhere and says nothing about this migration.
 */
export type DownPolicy = 'per-migration' | 'derived' | 'none';

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
  /** Identity as the framework records it: Django module name, Alembic revision, Prisma folder name,
   *  golang-migrate/goose/Flyway version (`1.2`; a Flyway repeatable: `R__<desc>`), dbmate version digits. */
  name: string;
  /** Repository-relative POSIX path of the file. */
  file: string;
  /**
   * The version key a sequence-ordered set's tool identifies and orders migrations by, written so that
   * equal versions are equal strings: golang-migrate and goose the integer (`000005` → `5`), Flyway the
   * normalised version (`V1_2`, `V1.2.0` → `1.2`), dbmate the digits as written (it keeps them as a
   * string), a plain numbered directory the integer prefix, Prisma the 14-digit timestamp that starts the
   * folder name. Absent where there is none: Flyway repeatables, a Prisma folder without a timestamp,
   * graph-ordered sets (a Django number prefix is cosmetic, reference/frameworks.md §3.4).
   * `model/order.ts` `compareInSet` orders migrations by it.
   */
  version?: string;
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
  /**
   * Alembic `depends_on`: revisions (or branch labels) that must be applied first, as written. Unlike
   * `parents` they do not make their target stop being a head (alembic/script/revision.py `is_head` reads
   * only `down_revision`); the graph keeps them as ordering edges that `History.leaves` does not count.
   */
  dependsOn?: MigrationRef[];
  /**
   * Alembic `branch_labels` as declared on this revision. Alembic gives a label to every descendant too
   * (`RevisionMap._add_branches`); `History.branchLabels` computes that. Heads on different labelled
   * branches (expand/contract) are independent, not a conflict.
   */
  branchLabels?: string[];
  /** Whether the framework runs this migration inside a transaction. */
  atomic: boolean;
  /** The file could not be read well enough to know its parents (syntax error before them, conflict
   *  markers, bad bytes). Graph rules do not judge a set that holds such a migration. */
  incomplete?: boolean;
  /** The span of the migration's declaration (the `Migration` class; a dbmate or goose up marker), for
   *  history findings. */
  span?: Span;
  statements: Statement[];
  reverse: ReverseStatus;
  /**
   * Where the down migration is, for tools that keep it apart from the forward step: a separate file
   * (golang-migrate `.down.sql`, Flyway `U` script), a section of `file` (dbmate, goose) with the span of
   * its marker, or a function of `file` (Alembic `downgrade()`, the `down` of Knex, TypeORM, Sequelize and
   * node-pg-migrate) with the span of its name. Absent when there is none.
   *
   * `effects` is what the down step does to data, read statically where the front end can read it: the
   * SQL of the down file or section, the `op.*` calls of `downgrade()`, the calls on a JavaScript `down`'s
   * database parameter. `destroys` is set when it empties (`TRUNCATE`, `DELETE` without `WHERE`) or drops
   * a table the forward step of the same migration did not create, and `destroyed` names those tables
   * (`model/migration-facts.ts` `reverseEffects`). Absent when the down step was not read (SQL in a
   * database the PostgreSQL parser does not speak).
   *
   * `suppressions` are the suppression comments of a separate down file (its findings are reported there),
   * read as the forward file's are; a down step inside `file` shares the migration's `suppressions`.
   */
  down?: { file: string; span?: Span; effects?: DataEffects; suppressions?: Suppression[] };
  /** Flyway `R__` scripts: no version, re-run whenever their checksum changes, after every versioned
   *  migration. Order and reverse rules do not apply to them. */
  repeatable?: boolean;
  /** Other files that belong to this migration and move with it when it is renamed: a Flyway script's
   *  `<script>.conf`. (A separate down file is `down.file`.) */
  companions?: string[];
  /** Places in the file that end in the migration's version and must change with it when it is
   *  renumbered: a TypeORM class name and its `name` property (the 13-digit timestamp ends both). */
  keySpans?: Span[];
  suppressions: Suppression[];
  diagnostics: Diagnostic[];
}

export interface MigrationSet {
  /** Unique within one run: framework plus directory. */
  id: string;
  framework: Framework;
  /** The name migrations use to reference this set (a Django app label); for sets nothing refers to
   *  (SQL-file tools), the directory. */
  name: string;
  /** Sets that may reference each other share a namespace (one Django project). */
  namespace: string;
  /** Repository-relative POSIX path of the migrations directory. */
  dir: string;
  ordering: Ordering;
  dialect: Dialect;
  transaction: TransactionPolicy;
  downs: DownPolicy;
  migrations: Migration[];
  /**
   * How the tool names and writes a new migration in this set, for fixes that create one (Alembic's merge
   * revision): `fileTemplate` is the config's `file_template` (default `%(rev)s_%(slug)s`),
   * `truncateSlugLength` its `truncate_slug_length` (40), `template` the text of the script directory's
   * `script.py.mako` when there is one.
   */
  scaffold?: { fileTemplate: string; truncateSlugLength: number; template?: string };
  /** The framework version the repository pins for this set's project (Django from its requirements or
   *  lock file), where it can be read: generated migrations name it in their header. */
  frameworkVersion?: string;
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

/**
 * One change to the repository a fix makes. Paths are repository-relative and POSIX. A fix never
 * overwrites a file: `create` refuses a path that exists with other content.
 */
export type FileEdit =
  | { kind: 'create'; path: string; content: string }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'replace'; path: string; offset: number; endOffset: number; text: string };

/** What `--fix` does for a finding: one description, the edits that carry it out. */
export interface Fix {
  description: string;
  edits: FileEdit[];
}

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
  /** The edits `--fix` applies, for rules that can fix what they report. */
  fix?: Fix;
}

/**
 * A migration set the configuration names (`sets:` in `migrate-lint.config.*`) instead of leaving it to
 * detection. Under `scope`, the sets found are exactly the declared ones (`ParseContext.detects`); each is
 * loaded as `framework` from `path` whatever detection would say of the directory, and a directory with
 * nothing the framework runs is a set of no migrations. What `path` names is the front end's business:
 * the directory holding the migration files (Django: the migrations package; Alembic: the script
 * directory or a version location; Prisma: the folder holding the migration folders). A configuration
 * nearer to a directory that declares no sets brings detection back there (`discover`'s `openScopes`).
 */
export interface DeclaredSet {
  framework: Framework;
  /** Repository-relative POSIX directory ('' = the root). */
  path: string;
  /** Overrides the database the front end would assume or read from the tool's own configuration. */
  dialect?: Dialect;
  /** Repository-relative directory of the configuration file that declared it ('' = the root). */
  scope: string;
}
