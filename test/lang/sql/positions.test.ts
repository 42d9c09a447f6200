/**
 * Where statements, errors and suppressions land in the file: 1-based lines and UTF-16 columns, for LF,
 * CRLF, non-ASCII and astral text, and for SQL that sits inside a larger file (embedded in code).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql, sqlFileContext, type SqlContext } from '../../../src/lang/sql/index.js';
import { LineIndex } from '../../../src/model/text.js';

beforeAll(async () => {
  await loadSqlParser();
});

describe('statement spans in a .sql file', () => {
  it('covers each statement from its first token to its last, without comments or the semicolon', () => {
    const text = '-- header\nCREATE TABLE t (id int);\n\n  /* note */ ALTER TABLE t\n    ADD COLUMN c text;\nSELECT 1';
    const r = parseSql(text, sqlFileContext(text));
    expect(r.statements.map((s) => text.slice(s.span.offset, s.span.endOffset))).toEqual([
      'CREATE TABLE t (id int)',
      'ALTER TABLE t\n    ADD COLUMN c text',
      'SELECT 1',
    ]);
    expect(r.statements.map((s) => [s.span.start, s.span.end])).toEqual([
      [{ line: 2, column: 1 }, { line: 2, column: 24 }],
      [{ line: 4, column: 14 }, { line: 5, column: 22 }],
      [{ line: 6, column: 1 }, { line: 6, column: 9 }],
    ]);
  });

  it('is right for CRLF line endings and non-ASCII text (UTF-8 byte offsets converted)', () => {
    const text = '-- créé\r\nCREATE TABLE "café" (ñame text);\r\nALTER TABLE "café" ADD COLUMN "größe" int;\r\n';
    const r = parseSql(text, sqlFileContext(text));
    expect(r.statements).toHaveLength(2);
    const [create, alter] = r.statements;
    expect(create).toMatchObject({ kind: 'create_table', table: 'café', columns: [{ name: 'ñame', type: 'text' }] });
    expect(alter).toMatchObject({ kind: 'add_column', table: 'café', column: { name: 'größe', type: 'integer' } });
    expect(text.slice(alter!.span.offset, alter!.span.endOffset)).toBe('ALTER TABLE "café" ADD COLUMN "größe" int');
    expect(create!.span.start).toEqual({ line: 2, column: 1 });
    expect(create!.span.end).toEqual({ line: 2, column: 32 });
    expect(alter!.span.start).toEqual({ line: 3, column: 1 });
    expect(alter!.span.end).toEqual({ line: 3, column: 42 });
  });

  it('counts columns in UTF-16 units after astral characters', () => {
    const text = "SELECT '😀'; CREATE INDEX i ON t (a);";
    const r = parseSql(text, sqlFileContext(text));
    const idx = r.statements[1]!;
    expect(idx.kind).toBe('create_index');
    // "SELECT '😀'; " is 13 UTF-16 units (the emoji is two), so CREATE starts in column 14.
    expect(idx.span.start).toEqual({ line: 1, column: 14 });
    expect(text.slice(idx.span.offset, idx.span.endOffset)).toBe('CREATE INDEX i ON t (a)');
  });

  it('handles a lone CR as a line break', () => {
    const text = 'SELECT 1;\rDROP TABLE t;';
    const r = parseSql(text, sqlFileContext(text));
    expect(r.statements[1]!.span.start).toEqual({ line: 2, column: 1 });
  });
});

describe('SQL inside a larger file', () => {
  it('places statements through mapOffset (identity plus a base)', () => {
    const file = [
      'from django.db import migrations',
      '',
      'class Migration(migrations.Migration):',
      '    operations = [',
      '        migrations.RunSQL("CREATE INDEX orders_a ON orders (a); DROP INDEX orders_b"),',
      '    ]',
      '',
    ].join('\n');
    const sql = 'CREATE INDEX orders_a ON orders (a); DROP INDEX orders_b';
    const base = file.indexOf(sql);
    const ctx: SqlContext = {
      index: new LineIndex(file),
      mapOffset: (o) => base + o,
      construct: 'migrations.RunSQL',
      operationIndex: 3,
      shareOperationIndex: true,
    };
    const r = parseSql(sql, ctx);
    expect(r.statements.map((s) => [s.kind, s.construct, s.operationIndex, s.span.start, s.span.end])).toEqual([
      ['create_index', 'migrations.RunSQL', 3, { line: 5, column: 28 }, { line: 5, column: 63 }],
      ['drop_index', 'migrations.RunSQL', 3, { line: 5, column: 65 }, { line: 5, column: 84 }],
    ]);
  });

  it('follows a non-linear mapping through string escapes', () => {
    // The file holds the SQL as a string literal with a \n escape (two characters in the file, one in
    // the SQL): offsets after the escape are shifted by one.
    const file = 'op.execute("ALTER TABLE t\\nADD COLUMN c int; SELEC 1")\n';
    const literalStart = file.indexOf('"') + 1;
    const sql = 'ALTER TABLE t\nADD COLUMN c int; SELEC 1';
    const escapeAt = sql.indexOf('\n');
    const mapOffset = (o: number) => literalStart + o + (o > escapeAt ? 1 : 0);
    const r = parseSql(sql, { index: new LineIndex(file), mapOffset });
    const st = r.statements[0]!;
    expect(file.slice(st.span.offset, st.span.endOffset)).toBe('ALTER TABLE t\\nADD COLUMN c int');
    expect(st.span.start).toEqual({ line: 1, column: 13 });
    // The syntax error is reported where SELEC is in the file.
    expect(r.diagnostics).toEqual([
      {
        code: 'syntax',
        message: 'syntax error at or near "SELEC"',
        span: expect.objectContaining({ start: { line: 1, column: file.indexOf('SELEC') + 1 } }),
      },
    ]);
  });
});

describe('syntax errors', () => {
  it('are reported at the error and keep the statements before (and after) it', () => {
    const text = 'CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b int;\nALTER TABLE a ADD COLUMN c int DEFALT 0;\nDROP TABLE a;\n';
    const r = parseSql(text, sqlFileContext(text));
    expect(r.statements.map((s) => s.kind)).toEqual(['create_table', 'add_column', 'drop_table']);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.code).toBe('syntax');
    expect(d.message).toBe('syntax error at or near "DEFALT"');
    expect(d.span?.start).toEqual({ line: 3, column: 32 });
    expect(text.slice(d.span!.offset, d.span!.endOffset)).toBe('DEFALT');
  });

  it('are placed correctly after non-ASCII text (the parser counts code points)', () => {
    const text = "INSERT INTO t VALUES ('ünïcødé 😀');\nSELEC 1;";
    const r = parseSql(text, sqlFileContext(text));
    expect(r.statements.map((s) => s.kind)).toEqual(['insert']);
    expect(r.diagnostics[0]!.span?.start).toEqual({ line: 2, column: 1 });
  });

  it('report every failing statement', () => {
    const text = 'SELEC 1;\nSELECT 2;\nCREATE TABEL x ();\nSELECT 3;';
    const r = parseSql(text, sqlFileContext(text));
    expect(r.diagnostics.map((d) => d.span?.start)).toEqual([
      { line: 1, column: 1 },
      { line: 3, column: 8 },
    ]);
    expect(r.statements.map((s) => text.slice(s.span.offset, s.span.endOffset))).toEqual(['SELECT 2', 'SELECT 3']);
  });

  it('stop at an unterminated string, which swallows the rest of the text', () => {
    const text = "CREATE TABLE a (id int);\nINSERT INTO a VALUES ('oops);\nDROP TABLE a;";
    const r = parseSql(text, sqlFileContext(text));
    expect(r.statements.map((s) => s.kind)).toEqual(['create_table']);
    expect(r.diagnostics.map((d) => [d.message, d.span?.start])).toEqual([['unterminated quoted string at or near "\'oops);\nDROP TABLE a;"', { line: 2, column: 23 }]]);
  });

  it('do not split inside strings, dollar quotes or BEGIN ATOMIC bodies', () => {
    const text = [
      "INSERT INTO notes VALUES ('a; b');",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;',
      'SELEC 4;',
    ].join('\n');
    const r = parseSql(text, sqlFileContext(text));
    expect(r.statements.map((s) => s.span.start.line)).toEqual([1, 2, 3]);
    expect(r.diagnostics.map((d) => d.span?.start.line)).toEqual([4]);
  });
});
