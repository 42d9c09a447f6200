/**
 * GitHub workflow commands. `parse` reads a line back the way the runner does (actions/runner
 * ActionCommandManager.cs `ActionCommand.TryParseV2`: the command up to the first space, properties up to
 * the next `::`, split at `,` and at the first `=`, then `UnescapeProperty` / `UnescapeData`), so every
 * test checks what GitHub will show, not only the bytes written.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/api.js';
import type { Finding } from '../../src/model/types.js';
import { annotation, escapeData, escapeProperty, github, workflowCommand } from '../../src/report/github.js';
import type { ReportContext } from '../../src/report/types.js';
import { finding as baseFinding } from '../helpers/report.js';

const REPO = path.resolve(import.meta.dirname, '../..');

function parse(line: string): { command: string; properties: Record<string, string>; data: string } {
  expect(line.startsWith('::')).toBe(true);
  const end = line.indexOf('::', 2);
  const info = line.slice(2, end);
  const space = info.indexOf(' ');
  const command = space === -1 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space !== -1) {
    for (const pair of info.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { command, properties, data: unescapeData(line.slice(end + 2)) };
}
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

const finding = baseFinding;

const ctx: ReportContext = { root: '/repo', cwd: '/repo', color: false, version: '0.1.0', sets: [], histories: [] };

describe('github', () => {
  it('escapes data as @actions/core does: %, CR, LF', () => {
    expect(escapeData('100% done\r\nnext\rthen\n')).toBe('100%25 done%0D%0Anext%0Dthen%0A');
    // Text that already looks escaped stays literal: `%0A` must not become a line break.
    expect(escapeData('literal %0A and %25')).toBe('literal %250A and %2525');
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  it('escapes properties as @actions/core does: also : and ,', () => {
    expect(escapeProperty('db/mig,rations/1:x%.sql\n')).toBe('db/mig%2Crations/1%3Ax%25.sql%0A');
  });

  it('one command per finding: severity to command, position, rule id as title, hint after a line break', () => {
    const out = github(
      [
        finding({ hint: 'use CREATE INDEX CONCURRENTLY' }),
        finding({ severity: 'warning', ruleId: 'missing-down', message: 'no down', line: 1, column: 1, endLine: 1, endColumn: 1 }),
        finding({ severity: 'info', ruleId: 'unused-suppression', message: 'unused' }),
      ],
      ctx,
    );
    expect(out).toBe(
      [
        '::error file=db/migrations/0002_idx.sql,line=3,col=1,endLine=3,endColumn=40,title=index-not-concurrent::CREATE INDEX takes SHARE on "orders"%0Ause CREATE INDEX CONCURRENTLY',
        '::warning file=db/migrations/0002_idx.sql,line=1,col=1,endLine=1,endColumn=1,title=missing-down::no down',
        '::notice file=db/migrations/0002_idx.sql,line=3,col=1,endLine=3,endColumn=40,title=unused-suppression::unused',
        '',
      ].join('\n'),
    );
  });

  it('a finding over several lines gives lines only (the runner drops columns then)', () => {
    const line = annotation(finding({ line: 15, column: 9, endLine: 19, endColumn: 10 }));
    expect(parse(line).properties).toEqual({ file: 'db/migrations/0002_idx.sql', line: '15', endLine: '19', title: 'index-not-concurrent' });
  });

  it('nasty messages and paths survive the round trip through the runner', () => {
    const nasty = finding({
      file: 'db/mig,rations/v1:2 %41/0001_a,b.sql',
      ruleId: 'weird:rule,id',
      message: 'line one\nline two\r\nthree: 100% ::error:: %0A, done',
      hint: 'fix, then: retry 50%',
    });
    const out = github([nasty], ctx);
    expect(out.split('\n')).toHaveLength(2); // one line and the final newline: nothing leaks a raw line break
    const cmd = parse(out.trimEnd());
    expect(cmd).toEqual({
      command: 'error',
      properties: { file: nasty.file, line: '3', col: '1', endLine: '3', endColumn: '40', title: nasty.ruleId },
      data: `${nasty.message}\n${nasty.hint}`,
    });
  });

  it('workflowCommand without properties', () => {
    expect(workflowCommand('notice', {}, 'hi')).toBe('::notice::hi');
  });

  it('no findings, no output', () => {
    expect(github([], ctx)).toBe('');
  });

  it('a real run: every finding of the unsafe Django fixture, readable back as the runner reads it', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/django-unsafe'] });
    expect(r.findings.length).toBeGreaterThan(3);
    const lines = github(r.findings, { ...ctx, root: r.root, sets: r.sets, histories: r.histories }).trimEnd().split('\n');
    expect(lines).toHaveLength(r.findings.length);
    lines.forEach((line, i) => {
      const f = r.findings[i]!;
      const cmd = parse(line);
      expect(cmd.command).toBe({ error: 'error', warning: 'warning', info: 'notice' }[f.severity]);
      expect(cmd.properties.file).toBe(f.file);
      expect(cmd.properties.file).toMatch(/^fixtures\/django-unsafe\/shop\/migrations\//);
      expect(cmd.properties.line).toBe(String(f.line));
      expect(cmd.properties.endLine).toBe(String(f.endLine));
      expect(cmd.properties.title).toBe(f.ruleId);
      expect(cmd.data).toBe(f.hint ? `${f.message}\n${f.hint}` : f.message);
    });
    expect(lines[0]).toMatch(/^::error file=fixtures\/django-unsafe\/shop\/migrations\/0005_item_code\.py,line=15,endLine=19,title=callable-default-single-value::the default uuid\.uuid4 is computed once/);
  });
});
