/**
 * The WASM parser loads lazily and once; parsing before it has loaded is an internal error, not a crash
 * inside libpg-query. (Its own file: module state is per test file.)
 */
import { describe, expect, it } from 'vitest';
import { loadSqlParser, parseSql, sqlFileContext, sqlParserReady } from '../../../src/lang/sql/index.js';
import { InternalError } from '../../../src/errors.js';

describe('loading the SQL parser', () => {
  it('refuses to parse before loadSqlParser() resolves', () => {
    expect(sqlParserReady()).toBe(false);
    expect(() => parseSql('SELECT 1', sqlFileContext('SELECT 1'))).toThrow(InternalError);
  });

  it('loads once: every call returns the same promise', async () => {
    const a = loadSqlParser();
    const b = loadSqlParser();
    expect(a).toBe(b);
    await a;
    expect(sqlParserReady()).toBe(true);
    expect(loadSqlParser()).toBe(a);
    expect(parseSql('SELECT 1', sqlFileContext('SELECT 1')).statements).toHaveLength(1);
  });

  it('parses empty and comment-only text to nothing', () => {
    for (const sql of ['', '   \n', '-- nothing here\n/* or here */']) {
      expect(parseSql(sql, sqlFileContext(sql))).toEqual({
        statements: [],
        diagnostics: [],
        suppressions: [],
        effects: { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false },
      });
    }
  });
});
