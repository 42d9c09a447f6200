import type { Comparison } from '../model/comparison.js';
import type { History } from '../model/history.js';
import type { Finding, MigrationSet } from '../model/types.js';
import type { Severity } from '../model/types.js';

/** Everything a formatter may use besides the findings. Formatters never import rules or the engine. */
export interface ReportContext {
  /** Absolute repository root that finding paths are relative to. */
  root: string;
  /** Directory to show paths relative to (the user's working directory). */
  cwd: string;
  color: boolean;
  version: string;
  sets: MigrationSet[];
  histories: History[];
  /** The branch comparison the findings come from (`--base`, `--staged`). */
  comparison?: Comparison;
  /** Rule metadata, for formats that describe rules (SARIF) or pick findings by category (Markdown). */
  rules?: readonly RuleMeta[];
}

export type Formatter = (findings: readonly Finding[], ctx: ReportContext) => string;

/**
 * What a formatter may know about a rule (SARIF rule descriptors, Markdown links and conflict
 * diagrams). A rule module (`AnyRule`) fits this shape as it is; formatters get it through
 * `ReportContext.rules` and never import `rules/`.
 */
export interface RuleMeta {
  id: string;
  /** One line: SARIF `shortDescription`. */
  description: string;
  /** `conflict`, `history`, `lock`, … (src/engine/rule.ts `Category`). */
  category: string;
  /** The default severity. */
  severity: Severity;
  /** What it flags and why that is dangerous (the doc page's first two sections). */
  docs: { what: string; why: string };
  /** Off unless configured. */
  optIn?: boolean;
  /** The rule's documentation page; `ruleDocsUrl(id)` when absent. */
  helpUri?: string;
}

/** Where rule pages live: docs/rules/<id>.md on the default branch (scripts/generate-docs.ts writes them). */
export const RULE_DOCS_BASE = 'https://github.com/migrate-lint/migrate-lint/blob/main/docs/rules/';

/** The documentation page of a rule. */
export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}${encodeURIComponent(id)}.md`;
}

/** The page for a finding's rule: the metadata's `helpUri` when the context has one, else the default. */
export function ruleHelpUri(id: string, rules: readonly RuleMeta[] | undefined): string {
  return rules?.find((r) => r.id === id)?.helpUri ?? ruleDocsUrl(id);
}
