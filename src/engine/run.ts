/**
 * Runs rules over the model and collects findings: locations come from the model's spans, computed once
 * (1-based); suppressions and configured severities are applied here, not in rules.
 */
import type { History } from '../model/history.js';
import type { Finding, Migration, MigrationSet, Severity, Span } from '../model/types.js';
import { renderMessage, type AnyRule, type ProjectModel, type ReportExtra, type ReportTarget } from './rule.js';

export type RuleSetting = Severity | 'off';

export interface EngineOptions {
  /** Per-rule severity overrides. */
  rules?: Record<string, RuleSetting>;
  ruleOptions?: Record<string, Record<string, unknown>>;
}

export function buildProjectModel(sets: MigrationSet[], histories: History[]): ProjectModel {
  const setById = new Map(sets.map((s) => [s.id, s]));
  const historyBySet = new Map<string, History>();
  for (const h of histories) for (const s of h.sets) historyBySet.set(s.id, h);
  return {
    sets,
    histories,
    historyOf: (set) => historyBySet.get(set.id),
    setOf: (m) => setById.get(m.setId)!,
  };
}

const FILE_START: Span = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 }, offset: 0, endOffset: 0 };

export function runRules(project: ProjectModel, rules: readonly AnyRule[], options: EngineOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const setting = options.rules?.[rule.id];
    if (setting === 'off') continue;
    const report = (target: ReportTarget, messageId: string, data: Record<string, string | number>, extra: ReportExtra = {}) => {
      const template = rule.messages[messageId];
      if (template === undefined) throw new Error(`rule ${rule.id} reported unknown message id '${messageId}'`);
      let file: string;
      let span: Span;
      let set: string | undefined;
      let migration: string | undefined;
      let fingerprint: string;
      if ('statement' in target) {
        file = target.migration.file;
        span = target.statement.span;
        set = target.migration.setId;
        migration = target.migration.name;
        fingerprint = `${rule.id}:${set}:${migration}:${target.statementIndex}`;
      } else if ('migration' in target && typeof target.migration === 'object') {
        file = target.migration.file;
        span = target.span ?? target.migration.span ?? FILE_START;
        set = target.migration.setId;
        migration = target.migration.name;
        fingerprint = `${rule.id}:${set}:${migration}`;
      } else {
        const t = target as Extract<ReportTarget, { file: string }>;
        file = t.file;
        span = t.span ?? FILE_START;
        set = t.set;
        migration = t.migration;
        fingerprint = `${rule.id}:${set ?? file}:${migration ?? ''}`;
      }
      const finding: Finding = {
        ruleId: rule.id,
        messageId,
        severity: extra.severity && setting === undefined ? extra.severity : (setting ?? rule.severity),
        message: renderMessage(template, data, rule.id),
        file,
        line: span.start.line,
        column: span.start.column,
        endLine: span.end.line,
        endColumn: span.end.column,
        ...(set !== undefined ? { set } : {}),
        ...(migration !== undefined ? { migration } : {}),
        data: extra.facts ?? data,
        fingerprint,
        ...(extra.hint ? { hint: extra.hint } : {}),
      };
      findings.push(finding);
    };
    rule.check({ project, options: options.ruleOptions?.[rule.id] ?? {}, report: report as never });
  }
  return applySuppressions(findings, project).sort(compareFindings);
}

/** Drops findings that a suppression comment in the same file covers. */
function applySuppressions(findings: Finding[], project: ProjectModel): Finding[] {
  const byFile = new Map<string, Migration>();
  for (const s of project.sets) for (const m of s.migrations) byFile.set(m.file, m);
  return findings.filter((f) => {
    const m = byFile.get(f.file);
    if (!m) return true;
    return !m.suppressions.some((s) => s.rules.includes(f.ruleId) && (s.line === null || (f.line <= s.line && s.line <= f.endLine) || s.line === f.line));
  });
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
