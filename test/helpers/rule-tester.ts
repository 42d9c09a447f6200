/**
 * A strict rule tester (typescript-eslint's RuleTester is the model): separate valid and invalid tables;
 * every expected error pins message id, data, and the exact span; an invalid case must expect at least one
 * error; an unknown message id, a duplicate case name or an unexpected extra finding fails the test.
 */
import { describe, expect, it } from 'vitest';
import { lintSnapshot } from '../../src/api.js';
import type { AnyRule, RuleDefinition } from '../../src/engine/rule.js';
import type { Finding, Severity } from '../../src/model/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { djangoTree } from './files.js';

export interface TestCase {
  name: string;
  /** A Django migration module, or a tree of files written with `# file:` lines. */
  django?: string;
  /** Files as they are. */
  files?: Record<string, string>;
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
  /** The fixed output; null asserts that the finding carries no fix. */
  output: null;
}

export function caseFiles(c: TestCase): Record<string, string> {
  if (c.files) return c.files;
  if (c.django !== undefined) return djangoTree(c.django);
  throw new Error(`case '${c.name}' has no source`);
}

export async function findingsFor(rule: AnyRule, c: TestCase): Promise<Finding[]> {
  const result = await lintSnapshot(new MemorySnapshot(caseFiles(c)), [''], { rulesToRun: [rule] });
  return result.findings.filter((f) => f.ruleId === rule.id);
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
            const findings = await findingsFor(rule as unknown as AnyRule, c);
            expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
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
              file: e.file ?? (c.django !== undefined && !/^# file: /m.test(c.django) ? 'shop/migrations/0002_change.py' : expect.any(String)),
              severity: e.severity ?? rule.severity,
            }));
            expect(actual).toEqual(expected);
            // No rule has fixes yet: output null means none was attached.
            expect(c.output).toBeNull();
            for (const f of findings) expect(f.message).not.toMatch(/\{\w+\}/);
          });
        }
      });
    });
  },
};
