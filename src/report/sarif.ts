/**
 * SARIF 2.1.0 (OASIS Standard, errata01: https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/),
 * the format GitHub code scanning and editors' SARIF viewers read. One log, one run (§3.13.4), our rules
 * as `tool.driver.rules` (§3.19.23, §3.49), one result per finding (§3.27).
 *
 * - Paths are repository-relative URIs under `uriBaseId` `%SRCROOT%` (§3.4.4), which `originalUriBaseIds`
 *   (§3.14.14) maps to the repository root, so the log does not depend on where it is read.
 * - Positions are copied from the finding: 1-based lines and columns with an exclusive end column are
 *   SARIF's own convention (§3.30.5–§3.30.8), and src/model/text.ts counts columns in UTF-16 code units,
 *   hence `columnKind: utf16CodeUnits` (§3.14.17). Fix offsets (`replace`) are UTF-16 offsets too, so they
 *   are `charOffset` / `charLength` (§3.30.11, §3.30.12) in the same unit.
 * - `--fix` edits become `fixes` (§3.55): a `create` inserts the file's content at an empty region at its
 *   start, a `replace` replaces its character range. A `rename` has no artifactChange form (§3.56 changes
 *   the contents of one artifact), so it goes to the fix's `properties.renames`; a fix of renames alone
 *   cannot be a SARIF fix (`artifactChanges` needs one entry) and is the result's `properties.fix`.
 * - Message strings double `{` and `}` (§3.11.5) and escape brackets that would read as an embedded link
 *   (§3.11.6); Markdown strings carry no raw HTML (§3.11.4.2).
 */
import { pathToFileURL } from 'node:url';
import type { FileEdit, Finding, Severity } from '../model/types.js';
import { ruleHelpUri, type Formatter, type ReportContext, type RuleMeta } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/migrate-lint/migrate-lint';
/** The `uriBaseId` every artifact location is relative to: the repository root. */
export const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

/** The subset of the SARIF object model this formatter writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [SarifRun];
}

export interface SarifRun {
  tool: { driver: { name: 'migrate-lint'; version: string; informationUri: string; rules: SarifRule[] } };
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription?: { text: string; markdown: string };
  help?: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration?: { level: Level; enabled: boolean };
  properties?: { category: string; tags: string[] };
}

interface ArtifactLocation {
  uri: string;
  uriBaseId: string;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: ArtifactLocation; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  fixes?: SarifFix[];
  properties: Record<string, unknown>;
}

export interface SarifFix {
  description: { text: string };
  artifactChanges: { artifactLocation: ArtifactLocation; replacements: { deletedRegion: { charOffset: number; charLength: number }; insertedContent: { text: string } }[] }[];
  properties?: { renames: { from: string; to: string }[] };
}

/** The key our fingerprint goes under in `partialFingerprints` (§3.27.17: versioned names). */
export const FINGERPRINT_KEY = 'migrateLint/v1';

const LEVELS: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

export function sarifLevel(severity: Severity): Level {
  return LEVELS[severity];
}

export function toSarif(findings: readonly Finding[], ctx: ReportContext): SarifLog {
  const rules = (ctx.rules ?? []).map((r) => ruleDescriptor(r, ctx.rules));
  // A finding from a rule the context does not describe still needs a descriptor for `ruleIndex`.
  const unknown = [...new Set(findings.map((f) => f.ruleId))].filter((id) => !rules.some((r) => r.id === id)).sort();
  for (const id of unknown) rules.push({ id, name: pascalCase(id), shortDescription: { text: sarifText(id) }, helpUri: ruleHelpUri(id, ctx.rules) });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'migrate-lint', version: ctx.version, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(ctx.root) } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => result(f, index.get(f.ruleId)!)),
      },
    ],
  };
}

export const sarif: Formatter = (findings, ctx) => JSON.stringify(toSarif(findings, ctx), null, 2) + '\n';

function ruleDescriptor(r: RuleMeta, all: readonly RuleMeta[] | undefined): SarifRule {
  const helpUri = r.helpUri ?? ruleHelpUri(r.id, all);
  return {
    id: r.id,
    name: pascalCase(r.id),
    shortDescription: { text: sarifText(r.description) },
    fullDescription: { text: sarifText(r.docs.what), markdown: sarifMarkdown(r.docs.what) },
    help: {
      text: sarifText(`${r.docs.why}\n\nWhat to write instead, for each framework: ${helpUri}`),
      markdown: sarifMarkdown(`**Why is this bad?** ${r.docs.why}\n\nWhat to write instead, for each framework: [${r.id}](${helpUri}#use-instead).`),
    },
    helpUri,
    defaultConfiguration: { level: LEVELS[r.severity], enabled: !r.optIn },
    properties: { category: r.category, tags: [r.category] },
  };
}

function result(f: Finding, ruleIndex: number): SarifResult {
  const out: SarifResult = {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVELS[f.severity],
    message: { text: sarifText(f.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(f.file),
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: {
      messageId: f.messageId,
      ...(f.set !== undefined ? { set: f.set } : {}),
      ...(f.migration !== undefined ? { migration: f.migration } : {}),
      ...(f.hint !== undefined ? { hint: f.hint } : {}),
      data: f.data,
    },
  };
  if (f.fix) {
    const changes = artifactChanges(f.fix.edits);
    const renames = f.fix.edits.flatMap((e) => (e.kind === 'rename' ? [{ from: e.from, to: e.to }] : []));
    if (changes.length > 0) {
      out.fixes = [{ description: { text: sarifText(f.fix.description) }, artifactChanges: changes, ...(renames.length ? { properties: { renames } } : {}) }];
    } else {
      out.properties.fix = { description: f.fix.description, renames };
    }
  }
  return out;
}

/** One artifactChange per file (§3.56), its replacements in the order the fix lists them. */
function artifactChanges(edits: readonly FileEdit[]): SarifFix['artifactChanges'] {
  const byPath = new Map<string, SarifFix['artifactChanges'][number]['replacements']>();
  for (const e of edits) {
    if (e.kind === 'rename') continue;
    let list = byPath.get(e.path);
    if (!list) byPath.set(e.path, (list = []));
    if (e.kind === 'create') list.push({ deletedRegion: { charOffset: 0, charLength: 0 }, insertedContent: { text: e.content } });
    else list.push({ deletedRegion: { charOffset: e.offset, charLength: e.endOffset - e.offset }, insertedContent: { text: e.text } });
  }
  return [...byPath].map(([p, replacements]) => ({ artifactLocation: artifact(p), replacements }));
}

function artifact(file: string): ArtifactLocation {
  return { uri: relativeUri(file), uriBaseId: SRCROOT };
}

/** A repository-relative POSIX path as a relative URI reference: each segment percent-encoded, so spaces,
 *  `%`, `#`, `?` and a `:` that would read as a scheme stay part of the path. */
export function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** `file:///work/repo/`: an absolute directory URI ends in a slash (§3.14.14), so relative URIs resolve
 *  inside it. */
export function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : href + '/';
}

/** `conflicting-leaves` → `ConflictingLeaves` (§3.49.7: a name readable by people, not the id). */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/**
 * A plain-text SARIF message string: braces doubled (§3.11.5, else `{0}` is a placeholder), and when the
 * text holds something shaped like an embedded link, `[text](dest)` (§3.11.6), its brackets and
 * backslashes escaped so a viewer shows the text instead of a link.
 */
export function sarifText(s: string): string {
  const braces = s.replace(/[{}]/g, (c) => c + c);
  return /\[[^\]]*\]\(/.test(braces) ? braces.replace(/[\\[\]]/g, (c) => '\\' + c) : braces;
}

/**
 * A Markdown SARIF message string from our docs text (which is Markdown already): braces doubled
 * (§3.11.5) and `<` / `>` outside code spans backslash-escaped, so nothing reads as HTML (§3.11.4.2).
 */
export function sarifMarkdown(s: string): string {
  return s
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[<>]/g, (c) => '\\' + c)))
    .join('')
    .replace(/[{}]/g, (c) => c + c);
}
