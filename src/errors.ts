/**
 * Typed errors. Every failure that is not a finding is one of these: a one-line message saying what went
 * wrong and a hint saying what to do. Only `src/cli/` catches them and turns them into exit codes
 * (changesets' `packages/errors` is the model: a handful of classes in one place).
 */
export abstract class MigrateLintError extends Error {
  abstract readonly exitCode: 2;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command line was wrong: an unknown option, a path that does not exist, an unknown rule. */
export class UsageError extends MigrateLintError {
  readonly exitCode = 2 as const;
}

/** A configuration file is invalid. */
export class ConfigError extends MigrateLintError {
  readonly exitCode = 2 as const;
}

/** Git could not answer: not a repository, unknown ref, shallow clone without the merge-base. */
export class GitError extends MigrateLintError {
  readonly exitCode = 2 as const;
}

/** Reading or writing a file failed. */
export class IoError extends MigrateLintError {
  readonly exitCode = 2 as const;
}

/** A bug in migrate-lint itself. */
export class InternalError extends MigrateLintError {
  readonly exitCode = 2 as const;
}
