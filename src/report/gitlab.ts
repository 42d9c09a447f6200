/**
 * GitLab Code Quality report (GitLab docs, "Code Quality": "Code Quality report format"; a subset of the
 * Code Climate issue format): a JSON array of `{ description, check_name, fingerprint, severity,
 * location: { path, lines: { begin, end } } }`, read from a job's `artifacts:reports:codequality`.
 *
 * - severity is one of info, minor, major, critical, blocker. An error is `critical`: it fails the
 *   migration or blocks production traffic, graver than the style errors other linters report as `major`
 *   (eslint-formatter-gitlab's choice); a warning is `minor`, info is `info`.
 * - GitLab tells issues apart, and across pipelines matches them, by `fingerprint`, so it must be unique
 *   in the report: it is the MD5 of our own fingerprint (rule, set, migration, statement index: never line
 *   numbers, so an issue keeps its identity when code above it moves). Two findings that share ours (one
 *   rule reporting twice on one statement) get the second a suffix, in report order.
 * - `path` is repository-relative, as GitLab requires.
 */
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../model/types.js';
import type { Formatter } from './types.js';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number; end: number } };
}

const SEVERITIES: Record<Severity, CodeQualitySeverity> = { error: 'critical', warning: 'minor', info: 'info' };

export function codeQualitySeverity(severity: Severity): CodeQualitySeverity {
  return SEVERITIES[severity];
}

export function toCodeQuality(findings: readonly Finding[]): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const n = (seen.get(f.fingerprint) ?? 0) + 1;
    seen.set(f.fingerprint, n);
    const key = n === 1 ? f.fingerprint : `${f.fingerprint}\u0000${n}`;
    return {
      description: f.message,
      check_name: f.ruleId,
      fingerprint: createHash('md5').update(key).digest('hex'),
      severity: SEVERITIES[f.severity],
      location: { path: f.file, lines: { begin: f.line, end: f.endLine } },
    };
  });
}

export const gitlab: Formatter = (findings) => JSON.stringify(toCodeQuality(findings), null, 2) + '\n';
