/**
 * A strict rule tester (typescript-eslint's RuleTester is the model): separate valid and invalid tables;
 * every expected error pins message id, data, and the exact span; an invalid case must expect at least one
 * error; an unknown message id, a duplicate case name or an unexpected extra finding fails the test.
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lintComparison, lintSnapshot } from '../../src/api.js';
import type { AnyRule, RuleDefinition } from '../../src/engine/rule.js';
import type { EngineOptions } from '../../src/engine/run.js';
import type { Finding, Severity } from '../../src/model/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { ALEMBIC_CASE_FILE, alembicTree, branchTrees, djangoTree, PRISMA_CASE_FILE, prismaTree, SQL_CASE_FILE, sqlTree, type BranchTrees } from './files.js';

export interface TestCase {
  name: string;
  /** A Django migration module, or a tree of files written with `# file:` lines. */
  django?: string;
  /** Alembic revisions after one creating `users` and `orders` (`alembicTree`), or `# file:` lines. */
  alembic?: string;
  /** A plain-directory SQL migration, placed after one that creates `users` and `orders`. */
  sql?: string;
  /** A Prisma `migration.sql` on PostgreSQL, placed after one that creates `users` and `orders`. */
  prisma?: string;
  /** Files as they are. */
  files?: Record<string, string>;
  /** A branch about to merge into `main`, files as they are: what the branch point had, what main gained
   *  or changed since, what the branch added or changed, and what it deleted. */
  branch?: { base?: Record<string, string>; target?: Record<string, string>; head?: Record<string, string>; deleted?: string[] };
  /** Engine options for this case (`target: { pgVersion: 11 }`, rule severities). */
  options?: EngineOptions;
}

export interface ExpectedError<Id extends string> {
  messageId: Id;
  data: Record<string, unknown>;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Repository-relative path; defaults to the case's main migration. */
  file?: string;
  severity?: Severity;
}

export interface InvalidCase<Id extends string> extends TestCase {
  errors: ExpectedError<Id>[];
  /** What the findings' fixes create, path to content (written at TEST_FIX_ENV); null asserts that no
   *  finding carries a fix. */
  output: null | Record<string, string>;
  /** What the findings' fixes rename, from to to (checked when `output` is not null; default none). */
  renames?: Record<string, string>;
}

/** A case written with `base:` / `target:` / `deleted:` sections compares a branch with `main`. */
export function caseBranches(c: TestCase): BranchTrees | null {
  if (c.branch) {
    const base = c.branch.base ?? {};
    const gone = new Set(c.branch.deleted ?? []);
    const head = Object.fromEntries(Object.entries({ ...base, ...c.branch.head }).filter(([p]) => !gone.has(p)));
    return { base, target: { ...base, ...c.branch.target }, head };
  }
  if (c.django !== undefined) return branchTrees('django', c.django);
  if (c.sql !== undefined) return branchTrees('sql', c.sql);
  if (c.prisma !== undefined) return branchTrees('prisma', c.prisma);
  return null;
}

/** The clock and Django version fixes are written with in rule tables: 2024-01-02 03:04 local time. */
export const TEST_FIX_ENV = { now: new Date(2024, 0, 2, 3, 4), djangoVersion: '5.2', newRevisionId: () => TEST_REVISION_ID };

/** The revision id Alembic merge fixes get in rule tables. */
export const TEST_REVISION_ID = 'f1e2d3c4b5a6';

export function caseFiles(c: TestCase): Record<string, string> {
  if (c.files) return c.files;
  if (c.django !== undefined) return djangoTree(c.django);
  if (c.alembic !== undefined) return alembicTree(c.alembic);
  if (c.sql !== undefined) return sqlTree(c.sql);
  if (c.prisma !== undefined) return prismaTree(c.prisma);
  throw new Error(`case '${c.name}' has no source`);
}

export async function findingsFor(rule: AnyRule, c: TestCase): Promise<Finding[]> {
  return (await lintCase(rule, c)).findings;
}

/** The case's findings from `rule`, and every migration file the front ends found. */
export async function lintCase(rule: AnyRule, c: TestCase): Promise<{ findings: Finding[]; migrationFiles: string[] }> {
  // An opt-in rule under test is on unless the case configures it.
  const rules = rule.optIn ? { [rule.id]: rule.severity, ...c.options?.rules } : { ...c.options?.rules };
  // A rule that judges the other rules' outcome (unused-suppression) needs them to run too.
  const rulesToRun = rule.after === 'suppressions' ? allRules : [rule];
  const branches = caseBranches(c);
  const options = { fixEnv: TEST_FIX_ENV, ...c.options, rules, rulesToRun };
  const result = branches
    ? await lintComparison(
        {
          base: new MemorySnapshot(branches.base, 'base'),
          target: new MemorySnapshot(branches.target, 'main'),
          head: new MemorySnapshot(branches.head, 'branch'),
          targetName: 'main',
          headName: 'the branch',
        },
        [''],
        options,
      )
    : await lintSnapshot(new MemorySnapshot(caseFiles(c)), [''], options);
  return { findings: result.findings.filter((f) => f.ruleId === rule.id), migrationFiles: result.sets.flatMap((s) => s.migrations.map((m) => m.file)) };
}

/** The file an expected error is in when the case does not say. */
function defaultFile(c: TestCase): unknown {
  if (caseBranches(c)) return expect.any(String);
  if (c.django !== undefined && !/^# file: /m.test(c.django)) return 'shop/migrations/0002_change.py';
  if (c.alembic !== undefined && !/^# file: /m.test(c.alembic)) return ALEMBIC_CASE_FILE;
  if (c.sql !== undefined && !/^-- file: /m.test(c.sql)) return SQL_CASE_FILE;
  if (c.prisma !== undefined && !/^-- file: /m.test(c.prisma)) return PRISMA_CASE_FILE;
  return expect.any(String);
}

export const ruleTester = {
  run<M extends Record<string, string>>(
    rule: RuleDefinition<M>,
    tests: { valid: TestCase[]; invalid: InvalidCase<keyof M & string>[] },
  ): void {
    const names = [...tests.valid, ...tests.invalid].map((c) => c.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    describe(rule.id, () => {
      it('has no duplicate case names and at least one case of each kind', () => {
        expect(dup, `duplicate case name '${dup}'`).toBeUndefined();
        expect(tests.valid.length).toBeGreaterThan(0);
        expect(tests.invalid.length).toBeGreaterThan(0);
      });
      describe('valid', () => {
        for (const c of tests.valid) {
          it(c.name, async () => {
            const { findings, migrationFiles } = await lintCase(rule as unknown as AnyRule, c);
            expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
            // A valid case proves nothing if its migration was never read.
            const main = defaultFile(c);
            if (typeof main === 'string') expect(migrationFiles, `${main} was not found as a migration`).toContain(main);
          });
        }
      });
      describe('invalid', () => {
        for (const c of tests.invalid) {
          it(c.name, async () => {
            expect(c.errors.length, 'an invalid case must expect at least one error').toBeGreaterThan(0);
            for (const e of c.errors) {
              expect(Object.keys(rule.messages), `unknown message id '${e.messageId}'`).toContain(e.messageId);
            }
            const findings = await findingsFor(rule as unknown as AnyRule, c);
            const actual = findings.map((f) => ({
              messageId: f.messageId,
              data: f.data,
              line: f.line,
              column: f.column,
              endLine: f.endLine,
              endColumn: f.endColumn,
              file: f.file,
              severity: f.severity,
            }));
            const expected = c.errors.map((e) => ({
              messageId: e.messageId,
              data: e.data,
              line: e.line,
              column: e.column,
              endLine: e.endLine,
              endColumn: e.endColumn,
              file: e.file ?? defaultFile(c),
              severity: e.severity ?? rule.severity,
            }));
            expect(actual).toEqual(expected);
            const created = Object.fromEntries(findings.flatMap((f) => f.fix?.edits ?? []).flatMap((e) => (e.kind === 'create' ? [[e.path, e.content]] : [])));
            if (c.output === null) expect(findings.filter((f) => f.fix).map((f) => f.fix)).toEqual([]);
            else {
              expect(created).toEqual(c.output);
              const renamed = Object.fromEntries(findings.flatMap((f) => f.fix?.edits ?? []).flatMap((e) => (e.kind === 'rename' ? [[e.from, e.to]] : [])));
              expect(renamed).toEqual(c.renames ?? {});
            }
            for (const f of findings) expect(f.message).not.toMatch(/\{\w+\}/);
          });
        }
      });
    });
  },
};
