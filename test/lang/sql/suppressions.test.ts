/**
 * `-- migrate-lint-ignore` comments: read from the scanner's comment tokens and placed on the line of
 * the statement they apply to.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql, sqlFileContext } from '../../../src/lang/sql/index.js';

beforeAll(async () => {
  await loadSqlParser();
});

const parse = (sql: string) => parseSql(sql, sqlFileContext(sql));

describe('suppression comments', () => {
  it('apply to the next statement, with rules and a reason', () => {
    const sql = [
      'SET lock_timeout = 1000;',
      '-- migrate-lint-ignore index-not-concurrent, lock-timeout: table has 40 rows',
      '',
      'CREATE INDEX orders_a ON orders (a);',
    ].join('\n');
    const r = parse(sql);
    expect(r.suppressions).toEqual([
      {
        rules: ['index-not-concurrent', 'lock-timeout'],
        reason: 'table has 40 rows',
        line: 4,
        span: { start: { line: 2, column: 1 }, end: { line: 2, column: 77 }, offset: 25, endOffset: 101 },
      },
    ]);
    expect(r.statements[1]!.span.start.line).toBe(4);
  });

  it('apply to the statement on whose last line they trail', () => {
    const sql = 'CREATE INDEX a ON t (a); -- migrate-lint-ignore index-not-concurrent: new table\nCREATE INDEX b ON t (b);';
    expect(parse(sql).suppressions.map((s) => s.line)).toEqual([1]);
  });

  it('apply to a multi-line statement from inside it', () => {
    const sql = 'SELECT 1;\nALTER TABLE t\n  -- migrate-lint-ignore ban-drop-column: unused since v2\n  DROP COLUMN c;';
    expect(parse(sql).suppressions.map((s) => s.line)).toEqual([2]);
  });

  it('can cover the whole file', () => {
    const sql = '-- migrate-lint-ignore-file require-lock-timeout: run by hand in a maintenance window\nDROP TABLE t;';
    expect(parse(sql).suppressions).toMatchObject([{ rules: ['require-lock-timeout'], reason: 'run by hand in a maintenance window', line: null }]);
  });

  it('may omit the reason, and may be block comments', () => {
    const sql = '/* migrate-lint-ignore ban-truncate */\nTRUNCATE t;';
    expect(parse(sql).suppressions).toMatchObject([{ rules: ['ban-truncate'], reason: '', line: 2 }]);
  });

  it('are found only in comments, not in strings or unrelated comments', () => {
    const sql = "INSERT INTO notes VALUES ('-- migrate-lint-ignore x: y');\n-- migrate-lint-ignored is another word\n-- see migrate-lint-ignore docs\nSELECT 1;";
    expect(parse(sql).suppressions).toEqual([]);
    expect(parse(sql).diagnostics).toEqual([]);
  });

  it('without rules are reported as a diagnostic at the comment', () => {
    const sql = 'SELECT 1;\n-- migrate-lint-ignore: forgot the rule\nDROP TABLE t;';
    const r = parse(sql);
    expect(r.suppressions).toEqual([]);
    expect(r.diagnostics).toMatchObject([{ code: 'syntax', span: { start: { line: 2, column: 1 } } }]);
  });

  it('at the end of the text apply to the line after them', () => {
    const sql = 'SELECT 1;\n-- migrate-lint-ignore x: nothing follows';
    expect(parse(sql).suppressions.map((s) => s.line)).toEqual([3]);
  });

  it('are placed in the file through mapOffset', () => {
    const file = 'x = 1\nop.execute("""\n-- migrate-lint-ignore ban-drop-table: archived\nDROP TABLE old\n""")\n';
    const sql = '\n-- migrate-lint-ignore ban-drop-table: archived\nDROP TABLE old\n';
    const base = file.indexOf(sql);
    const ctx = { ...sqlFileContext(file), mapOffset: (o: number) => base + o };
    const r = parseSql(sql, ctx);
    expect(r.suppressions).toMatchObject([{ rules: ['ban-drop-table'], line: 4, span: { start: { line: 3, column: 1 } } }]);
    expect(r.statements[0]!.span.start).toEqual({ line: 4, column: 1 });
  });
});
