/** The library API. */
export { lint, lintSnapshot, type LintOptions, type LintResult } from './api.js';
export { FsSnapshot } from './snapshot/fs.js';
export { MemorySnapshot } from './snapshot/memory.js';
export type { Snapshot } from './snapshot/types.js';
export type * from './model/types.js';
export { History } from './model/history.js';
export { allRules } from '../rules/index.js';
export { run } from './cli/main.js';
