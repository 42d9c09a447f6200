/**
 * Rules, their docs and their tests stay in step (typescript-eslint's docs.test, ruff's stale-docs
 * check): one name in three places; committed pages equal what `npm run docs` renders; every example
 * fires its rule and every "use instead" does not.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.js';
import { expectedDocs } from '../scripts/generate-docs.js';
import type { DocLang } from '../src/engine/rule.js';
import { findingsFor, type TestCase } from './helpers/rule-tester.js';
import { REPO } from './helpers/python.js';

/** Doc languages whose snippets the engine can run today. */
const RUNNABLE: DocLang[] = ['django', 'sql', 'prisma', 'alembic'];

/** A Knex snippet whose first line names its file (`// migrations/20240102120000_plans.js`) is a whole
 *  migration: it runs as that one file. */
const KNEX_FILE = /^\/\/ ((?:[\w.-]+\/)+\d+_[\w-]+\.(?:js|cjs|mjs|ts))\n/;

function runnable(lang: DocLang, code: string): boolean {
  return RUNNABLE.includes(lang) || (lang === 'knex' && KNEX_FILE.test(code));
}

function docCase(lang: DocLang, code: string): TestCase {
  const file = lang === 'knex' ? KNEX_FILE.exec(code)?.[1] : undefined;
  return file ? { name: `${lang} doc`, files: { [file]: code } } : { name: `${lang} doc`, [lang]: code };
}

describe('rule docs', () => {
  it('every rule file is registered, and every registered rule has a file named by its id', () => {
    const files = readdirSync(path.join(REPO, 'rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, '')).sort();
    expect(allRules.map((r) => r.id).sort()).toEqual(files);
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      it('has a test table and complete metadata', () => {
        expect(existsSync(path.join(REPO, 'test/rules', `${rule.id}.test.ts`))).toBe(true);
        expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
        expect(rule.docs.what.length).toBeGreaterThan(40);
        expect(rule.docs.why.length).toBeGreaterThan(40);
        expect(Object.keys(rule.docs.example).length).toBeGreaterThan(0);
        expect(Object.keys(rule.docs.instead)).toEqual(expect.arrayContaining(Object.keys(rule.docs.example)));
        expect(rule.docs.references.length).toBeGreaterThan(0);
      });

      // Examples must be runnable; Knex and TypeORM "use instead" snippets that are fragments of a
      // migration (no case kind wraps them yet) stay documentation (docs/ARCHITECTURE.md says so).
      // A Knex snippet headed by its file name is a whole migration and runs.
      for (const [lang, code] of Object.entries(rule.docs.example) as [DocLang, string][]) {
        it(`the ${lang} example fires the rule`, async () => {
          expect(runnable(lang, code), `${lang} examples cannot be run yet`).toBe(true);
          expect((await findingsFor(rule, docCase(lang, code))).length).toBeGreaterThan(0);
        });
      }
      for (const [lang, code] of Object.entries(rule.docs.instead) as [DocLang, string][]) {
        if (!runnable(lang, code)) continue;
        it(`the ${lang} "use instead" does not fire the rule`, async () => {
          expect(await findingsFor(rule, docCase(lang, code))).toEqual([]);
        });
      }
    });
  }

  it('committed pages match the rules (run `npm run docs` to update)', () => {
    const dir = path.join(REPO, 'docs/rules');
    const expected = expectedDocs();
    const committed = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) {
      expect(readFileSync(path.join(dir, name), 'utf8'), `docs/rules/${name} is stale: run 'npm run docs'`).toBe(text);
    }
  });
});
