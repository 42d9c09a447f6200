/**
 * Real temporary git repositories for tests: `git init`, files, commits, branches and merges, run with
 * the git on PATH and an environment of their own (no user config, no hook variables leaking in).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: '/nonexistent',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  LANG: 'C.UTF-8',
};

export class TempRepo {
  private constructor(readonly dir: string) {}

  /** A new repository with `main` as its first branch (no commits yet). */
  static create(prefix = 'ml-git-'): TempRepo {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    const repo = new TempRepo(dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'core.quotepath', 'false');
    return repo;
  }

  /** A repository at `dir` that already exists (a clone). */
  static at(dir: string): TempRepo {
    return new TempRepo(dir);
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  write(files: Record<string, string | Buffer>): this {
    for (const [p, content] of Object.entries(files)) {
      const abs = path.join(this.dir, p);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    return this;
  }

  remove(...paths: string[]): this {
    for (const p of paths) rmSync(path.join(this.dir, p), { force: true });
    return this;
  }

  /** Stages everything and commits; returns the new commit id. */
  commit(message: string, files?: Record<string, string | Buffer>): string {
    if (files) this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  checkout(branch: string, opts: { create?: boolean; from?: string } = {}): this {
    this.git('checkout', '-q', ...(opts.create ? ['-b', branch] : [branch]), ...(opts.from ? [opts.from] : []));
    return this;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function gitEnv(): NodeJS.ProcessEnv {
  return { ...ENV };
}
