/**
 * A rule is metadata plus one `check` (typescript-eslint's createRule is the model). Messages are
 * templates with `{placeholders}`; `defineRule` infers the placeholder names, so `report` is type-checked:
 * a missing or misspelt placeholder, or an unknown message id, fails to compile.
 */
import type { Comparison } from '../model/comparison.js';
import type { History } from '../model/history.js';
import type { Finding, Fix, Framework, Migration, MigrationSet, Severity, Span, Statement, Suppression } from '../model/types.js';
import type { TargetSettings } from './statements.js';

export type Category = 'conflict' | 'history' | 'lock' | 'rewrite' | 'transaction' | 'backward-compat' | 'reversibility' | 'data' | 'parse';

/** Languages a rule's docs give examples in. */
export type DocLang = 'django' | 'alembic' | 'sql' | 'prisma' | 'knex' | 'typeorm' | 'sequelize' | 'node-pg-migrate';

export interface RuleDocs {
  /** What it does: one paragraph. */
  what: string;
  /** Why is this bad? */
  why: string;
  knownProblems?: string;
  /**
   * Code that triggers the rule, per language. A Django example is a migration module; for history
   * rules it may be several files, each starting with a `# file: <path>` line (see test/helpers).
   */
  example: Partial<Record<DocLang, string>>;
  /** What to write instead, per language. Must not trigger the rule. */
  instead: Partial<Record<DocLang, string>>;
  fixSafety?: string;
  /** Manual pages and source files the behaviour is taken from. */
  references: string[];
}

/** A JSON Schema for one rule option, with the sentence its docs show. */
export type RuleOptionSchema = Record<string, unknown> & { description: string };

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
export type MessageData<S extends string> = [Placeholders<S>] extends [never] ? Record<string, never> : Record<Placeholders<S>, string | number>;

/** Where a finding points: a statement, a migration (its declaration), or a file position. */
export type ReportTarget =
  | { statement: Statement; migration: Migration; statementIndex: number }
  | { migration: Migration; span?: Span }
  | { file: string; span?: Span; set?: string; migration?: string };

export type FrameworkHints = Partial<Record<Framework, string>> & { default: string };

export interface ReportExtra {
  /** Overrides the rule's default severity for this finding (a warning-level variant of an error rule). */
  severity?: Severity;
  /** How to fix it, in one line; per framework where the safe form differs (`default` for the rest). */
  hint?: string | FrameworkHints;
  /** The structured facts for JSON `data`; defaults to the message data. */
  facts?: Record<string, unknown>;
  /** The edits that fix it; only for rules whose metadata says `fix: 'sometimes' | 'always'`. */
  fix?: Fix;
}

/** What a fix may depend on besides the model: the clock (Django's merge names and headers carry the
 *  time), the framework versions headers name, and where new Alembic revision ids come from. Fixed in
 *  tests. */
export interface FixEnvironment {
  now: Date;
  /** The Django version a generated migration's header names, when the user chose it (`--django-version`);
   *  otherwise the version the project pins (`MigrationSet.frameworkVersion`), else `DEFAULT_DJANGO_VERSION`. */
  djangoVersion?: string;
  /** A new Alembic revision id: 12 lowercase hex digits, as `alembic.util.rev_id()` makes them
   *  (`uuid.uuid4().hex[-12:]`). Random by default; tests inject a fixed one. */
  newRevisionId: () => string;
}

export interface ProjectModel {
  sets: MigrationSet[];
  histories: History[];
  historyOf(set: MigrationSet): History | undefined;
  setOf(migration: Migration): MigrationSet;
  /** Present when the run compares a branch with the target it will merge into: the model is then the
   *  merged view (DESIGN.md "Git comparison"). */
  comparison?: Comparison;
}

/** How the suppression comments fared, for rules that run after suppressions are applied. */
export interface SuppressionUse {
  /** A rule that ran found nothing for this suppression to silence. */
  unused: SuppressionAt[];
  /** The suppression names a rule that does not exist. */
  unknown: SuppressionAt[];
}

/** A suppression of `rule` in a migration's file, or, with `file`, in its separate down file. */
export interface SuppressionAt {
  migration: Migration;
  suppression: Suppression;
  rule: string;
  file?: string;
}

export interface RuleContext<M extends Record<string, string>> {
  project: ProjectModel;
  /** Options from the configuration for this rule. */
  options: Record<string, unknown>;
  /** The database the migrations will run on. */
  settings: TargetSettings;
  /** The clock and versions fixes are written with. */
  fixEnv: FixEnvironment;
  /** Only for rules with `after: 'suppressions'`: which suppressions silenced nothing. */
  suppressions?: SuppressionUse;
  report<K extends keyof M & string>(target: ReportTarget, messageId: K, data: MessageData<M[K]>, extra?: ReportExtra): void;
}

export interface RuleDefinition<M extends Record<string, string>> {
  id: string;
  category: Category;
  severity: Severity;
  /** Whether findings carry fixes: the engine refuses a rule whose findings disagree. */
  fix: 'none' | 'sometimes' | 'always';
  since: string;
  /** One line, for rule lists and SARIF short descriptions. */
  description: string;
  messages: M;
  docs: RuleDocs;
  /** Off unless the configuration turns it on (squawk's opt-in rules). */
  optIn?: boolean;
  /**
   * The options the configuration may give (`rules: { <id>: [severity, { … }] }`): one JSON Schema per
   * property, each with a `description` for the rule's page. The configuration is validated against
   * them, so an unknown or mistyped option is an error, never ignored. Absent options are absent from
   * `ctx.options`: defaults live in the rule.
   */
  options?: Record<string, RuleOptionSchema>;
  /** `suppressions`: runs after every other rule, once suppression comments have been applied. */
  after?: 'suppressions';
  check(ctx: RuleContext<M>): void;
}

export type AnyRule = RuleDefinition<Record<string, string>>;

export function defineRule<const M extends Record<string, string>>(rule: RuleDefinition<M>): RuleDefinition<M> {
  return rule;
}

/** Fills `{name}` placeholders. A placeholder with no value is a bug in the rule: it throws. */
export function renderMessage(template: string, data: Record<string, unknown>, ruleId: string): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in data)) throw new Error(`rule ${ruleId}: message placeholder {${k}} has no value`);
    return String(data[k]);
  });
}

export type { Finding };
