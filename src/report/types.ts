import type { Comparison } from '../model/comparison.js';
import type { History } from '../model/history.js';
import type { Finding, MigrationSet } from '../model/types.js';

/** Everything a formatter may use besides the findings. Formatters never import rules or the engine. */
export interface ReportContext {
  /** Absolute repository root that finding paths are relative to. */
  root: string;
  /** Directory to show paths relative to (the user's working directory). */
  cwd: string;
  color: boolean;
  version: string;
  sets: MigrationSet[];
  histories: History[];
  /** The branch comparison the findings come from (`--base`, `--staged`). */
  comparison?: Comparison;
}

export type Formatter = (findings: readonly Finding[], ctx: ReportContext) => string;
