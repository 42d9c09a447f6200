/**
 * JSON output, schema version 1 (documented in docs/output-formats.md). It is its own type, not a dump
 * of internal structures: fields are added, never renamed or removed, within a version.
 */
import type { Finding, MigrationSet, Severity } from '../model/types.js';
import type { Formatter, ReportContext } from './types.js';

export interface JsonReportV1 {
  version: 1;
  tool: { name: 'migrate-lint'; version: string };
  findings: {
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
    set: string | null;
    migration: string | null;
    data: Record<string, unknown>;
    hint: string | null;
    fingerprint: string;
    /** What `--fix` would do: file edits (`create` with `path` and `content`, …), or null. */
    fix: { description: string; edits: unknown[] } | null;
  }[];
  sets: {
    id: string;
    framework: string;
    name: string;
    path: string;
    ordering: string;
    /** Migration names, sorted (after squash replacement where the set is graph-ordered). */
    migrations: string[];
    leaves: string[];
  }[];
  /** With `--base` / `--staged`: what was compared. `sets` then describe the merged view. */
  comparison: {
    target: string;
    targetCommit: string | null;
    baseCommit: string | null;
    head: string;
    /** Migration files the branch added or changed, and deleted, since the branch point. */
    changedFiles: string[];
    deletedFiles: string[];
  } | null;
}

export function toJsonReport(findings: readonly Finding[], ctx: ReportContext): JsonReportV1 {
  return {
    version: 1,
    tool: { name: 'migrate-lint', version: ctx.version },
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      messageId: f.messageId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      set: f.set ?? null,
      migration: f.migration ?? null,
      data: f.data,
      hint: f.hint ?? null,
      fingerprint: f.fingerprint,
      fix: f.fix ?? null,
    })),
    sets: ctx.sets.map((s) => {
      const h = ctx.histories.find((x) => x.sets.includes(s));
      return {
        id: s.id,
        framework: s.framework,
        name: s.name,
        path: s.dir,
        ordering: s.ordering,
        migrations: h ? h.nodesOf(s).map((m) => m.name) : s.migrations.map((m) => m.name).sort(),
        leaves: h ? h.leaves(s).map((m) => m.name) : [],
      };
    }),
    comparison: ctx.comparison
      ? {
          target: ctx.comparison.target.name,
          targetCommit: ctx.comparison.target.commit?.id ?? null,
          baseCommit: ctx.comparison.base.commit?.id ?? null,
          head: ctx.comparison.head,
          changedFiles: migrationFiles(ctx.sets).filter((f) => ctx.comparison!.branchFiles.has(f)),
          deletedFiles: migrationFiles(ctx.comparison.baseSets).filter((f) => ctx.comparison!.deletedFiles.has(f)),
        }
      : null,
  };
}

function migrationFiles(sets: readonly MigrationSet[]): string[] {
  return [...new Set(sets.flatMap((s) => s.migrations.flatMap((m) => (m.down ? [m.file, m.down.file] : [m.file]))))].sort();
}

export const json: Formatter = (findings, ctx) => JSON.stringify(toJsonReport(findings, ctx), null, 2) + '\n';
