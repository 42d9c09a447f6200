/**
 * Runs rules over the model and collects findings: locations come from the model's spans, computed once
 * (1-based); suppressions and configured severities are applied here, not in rules.
 */
import { randomUUID } from 'node:crypto';
import type { Comparison } from '../model/comparison.js';
import type { History } from '../model/history.js';
import { markNewTables } from '../model/migration-facts.js';
import type { Finding, Framework, Migration, MigrationSet, Severity, Span, Suppression } from '../model/types.js';
import { DEFAULT_PG_VERSION } from '../postgres/index.js';
import { renderMessage, type AnyRule, type FixEnvironment, type ProjectModel, type ReportExtra, type ReportTarget, type SuppressionUse } from './rule.js';
import type { TargetSettings } from './statements.js';

export type RuleSetting = Severity | 'off';

/** A new Alembic revision id the way Alembic makes one: the last 12 hex digits of a random UUID
 *  (alembic/util/langhelpers.py `rev_id`). */
export function randomRevisionId(): string {
  return randomUUID().replace(/-/g, '').slice(-12);
}

/** The Django version generated migrations name when the project pins none: the current LTS. */
export const DEFAULT_DJANGO_VERSION = '5.2';

export interface EngineOptions {
  /** Per-rule severity overrides; `off` turns a rule off, any severity turns an opt-in rule on. */
  rules?: Record<string, RuleSetting>;
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** The database the migrations will run on. */
  target?: Partial<TargetSettings>;
  /** The clock and versions fixes are written with (default: now, Django 5.2). */
  fixEnv?: Partial<FixEnvironment>;
  /** Every rule id that exists (default: the rules being run), so a suppression naming anything else
   *  is reported as unknown rather than unused. */
  knownRuleIds?: readonly string[];
}

export function buildProjectModel(sets: MigrationSet[], histories: History[], comparison?: Comparison): ProjectModel {
  for (const s of sets) for (const m of s.migrations) markNewTables(m);
  const setById = new Map(sets.map((s) => [s.id, s]));
  const historyBySet = new Map<string, History>();
  for (const h of histories) for (const s of h.sets) historyBySet.set(s.id, h);
  return {
    sets,
    histories,
    historyOf: (set) => historyBySet.get(set.id),
    setOf: (m) => setById.get(m.setId)!,
    ...(comparison ? { comparison } : {}),
  };
}

const FILE_START: Span = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 }, offset: 0, endOffset: 0 };

export function runRules(project: ProjectModel, rules: readonly AnyRule[], options: EngineOptions = {}): Finding[] {
  const settings: TargetSettings = { pgVersion: options.target?.pgVersion ?? DEFAULT_PG_VERSION, ...(options.target?.timeZone !== undefined ? { timeZone: options.target.timeZone } : {}) };
  const enabled = rules.filter((r) => {
    const setting = options.rules?.[r.id];
    return setting === undefined ? !r.optIn : setting !== 'off';
  });
  const main = enabled.filter((r) => r.after !== 'suppressions');
  const raw = main.flatMap((rule) => findingsOf(rule, project, settings, options));
  const { kept, used } = applySuppressions(raw, project);
  const late = enabled.filter((r) => r.after === 'suppressions');
  if (late.length > 0) {
    const use = suppressionUse(project, used, new Set(main.map((r) => r.id)), new Set(options.knownRuleIds ?? rules.map((r) => r.id)));
    for (const rule of late) kept.push(...applySuppressions(findingsOf(rule, project, settings, options, use), project).kept);
  }
  return kept.sort(compareFindings);
}

function findingsOf(rule: AnyRule, project: ProjectModel, settings: TargetSettings, options: EngineOptions, suppressions?: SuppressionUse): Finding[] {
  const findings: Finding[] = [];
  const configured = options.rules?.[rule.id];
  const setting = configured === 'off' ? undefined : configured;
  const sets = setsById(project);
  const frameworkOf = (setId: string | undefined): Framework | 'default' => (setId !== undefined ? sets.get(setId)?.set.framework : undefined) ?? 'default';
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
      // Two migrations may share a name (a duplicate version): the file tells them apart.
      const shared = (sets.get(set)?.names.get(migration) ?? 0) > 1;
      fingerprint = `${rule.id}:${set}:${migration}${shared ? `:${file}` : ''}`;
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
      ...(extra.hint ? { hint: typeof extra.hint === 'string' ? extra.hint : (extra.hint[frameworkOf(set)] ?? extra.hint.default) } : {}),
      ...(extra.fix ? { fix: extra.fix } : {}),
    };
    // The metadata cannot lie (ESLint's linter throws the same way).
    if (extra.fix && rule.fix === 'none') throw new Error(`rule ${rule.id} reported a fix but declares fix: 'none'`);
    if (!extra.fix && rule.fix === 'always') throw new Error(`rule ${rule.id} declares fix: 'always' but reported no fix`);
    findings.push(finding);
  };
  const fixEnv: FixEnvironment = {
    now: options.fixEnv?.now ?? new Date(),
    ...(options.fixEnv?.djangoVersion !== undefined ? { djangoVersion: options.fixEnv.djangoVersion } : {}),
    newRevisionId: options.fixEnv?.newRevisionId ?? randomRevisionId,
  };
  rule.check({ project, options: options.ruleOptions?.[rule.id] ?? {}, settings, fixEnv, ...(suppressions ? { suppressions } : {}), report: report as never });
  return findings;
}

/** Each set by id, with how many of its migrations bear each name (a rule reports per finding; scanning the
 *  sets each time cost a quadratic tenth of a second on 11,000 findings). */
function setsById(project: ProjectModel): Map<string, { set: MigrationSet; names: Map<string, number> }> {
  let byId = setIndex.get(project.sets);
  if (byId) return byId;
  byId = new Map();
  for (const set of project.sets) {
    const names = new Map<string, number>();
    for (const m of set.migrations) names.set(m.name, (names.get(m.name) ?? 0) + 1);
    if (!byId.has(set.id)) byId.set(set.id, { set, names });
  }
  setIndex.set(project.sets, byId);
  return byId;
}

const setIndex = new WeakMap<readonly MigrationSet[], Map<string, { set: MigrationSet; names: Map<string, number> }>>();

/** Drops findings that a suppression comment in the same file covers, and says which suppressions did. */
function applySuppressions(findings: Finding[], project: ProjectModel): { kept: Finding[]; used: Set<string> } {
  // A migration's file, and a separate down file (golang-migrate `.down.sql`, Flyway `U`), each with the
  // suppressions written in it.
  const byFile = new Map<string, Suppression[]>();
  for (const s of project.sets) {
    for (const m of s.migrations) {
      byFile.set(m.file, m.suppressions);
      if (m.down?.suppressions && m.down.file !== m.file) byFile.set(m.down.file, m.down.suppressions);
    }
  }
  const used = new Set<string>();
  const kept = findings.filter((f) => {
    const suppressions = byFile.get(f.file);
    if (!suppressions) return true;
    const hit = suppressions.find((s) => s.rules.includes(f.ruleId) && (s.line === null || (f.line <= s.line && s.line <= f.endLine) || s.line === f.line));
    if (hit) used.add(suppressionKey(f.file, hit, f.ruleId));
    return !hit;
  });
  return { kept, used };
}

function suppressionKey(file: string, s: Suppression, rule: string): string {
  return `${file}:${s.span.offset}:${rule}`;
}

/** Suppressions for rules that ran and silenced nothing, and suppressions naming no rule at all. */
function suppressionUse(project: ProjectModel, used: Set<string>, ran: Set<string>, known: Set<string>): SuppressionUse {
  const use: SuppressionUse = { unused: [], unknown: [] };
  for (const set of project.sets) {
    for (const migration of set.migrations) {
      const down = migration.down?.suppressions && migration.down.file !== migration.file ? migration.down : undefined;
      for (const [file, suppressions] of [[migration.file, migration.suppressions], ...(down ? [[down.file, down.suppressions!] as const] : [])] as const) {
        const at = file === migration.file ? {} : { file };
        for (const suppression of suppressions) {
          for (const rule of suppression.rules) {
            if (!known.has(rule)) use.unknown.push({ migration, suppression, rule, ...at });
            else if (ran.has(rule) && !used.has(suppressionKey(file, suppression, rule))) use.unused.push({ migration, suppression, rule, ...at });
          }
        }
      }
    }
  }
  return use;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
