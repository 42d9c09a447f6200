/**
 * GitHub Actions workflow commands (GitHub docs, "Workflow commands for GitHub Actions": setting an
 * error, warning or notice message), one line per finding:
 *
 *   ::error file=<path>,line=<l>,col=<c>,endLine=<l>,endColumn=<c>,title=<rule id>::<message>%0A<hint>
 *
 * The runner turns each line into an annotation on the pull request's diff. `file` is the finding's
 * repository-relative path, which the runner resolves from the workspace (the checkout's root).
 * Escaping is @actions/core's (packages/core/src/command.ts `escapeData` / `escapeProperty`): the runner
 * unescapes exactly these sequences, so anything else would show up literally. The runner drops `col`
 * and `endColumn` when `line` and `endLine` differ (actions/runner ActionCommandManager.cs
 * `ValidateLinesAndColumns`), so a finding over several lines gives its lines only.
 */
import type { Finding, Severity } from '../model/types.js';
import type { Formatter } from './types.js';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** A command's message: `%`, CR and LF escaped (`escapeData`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as `escapeData`, plus `:` and `,`, which would end the value (`escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::<command> k=v,k=v::<message>`, every part escaped; properties in the order given. */
export function workflowCommand(command: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${command}${props ? ' ' + props : ''}::${escapeData(message)}`;
}

export function annotation(f: Finding): string {
  const oneLine = f.line === f.endLine;
  const props: Record<string, string | number> = {
    file: f.file,
    line: f.line,
    ...(oneLine ? { col: f.column } : {}),
    endLine: f.endLine,
    ...(oneLine ? { endColumn: f.endColumn } : {}),
    title: f.ruleId,
  };
  return workflowCommand(COMMANDS[f.severity], props, f.hint ? `${f.message}\n${f.hint}` : f.message);
}

/** One annotation per finding; nothing at all when there are none (a summary belongs in `markdown`). */
export const github: Formatter = (findings) => findings.map((f) => annotation(f) + '\n').join('');
