/** Every rule, in id order. `npm run new-rule` adds to this list. */
import type { AnyRule } from '../src/engine/rule.js';
import conflictingLeaves from './conflicting-leaves.js';
import dependencyCycle from './dependency-cycle.js';
import irreversibleOperation from './irreversible-operation.js';
import missingDependency from './missing-dependency.js';
import parseError from './parse-error.js';
// new-rule: imports

export const allRules: readonly AnyRule[] = [
  conflictingLeaves,
  dependencyCycle,
  irreversibleOperation,
  missingDependency,
  parseError,
  // new-rule: list
] as unknown as readonly AnyRule[];

export function findRule(id: string): AnyRule | undefined {
  return allRules.find((r) => r.id === id);
}
