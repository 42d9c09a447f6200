/**
 * The bundle `npm run build` writes (scripts/bundle.ts): what a check answered from a stored run loads is
 * the entry module and the chunks it imports statically; the front ends and their parsers must be
 * reachable only through a dynamic `import()`, or every cached run pays for loading them
 * (ARCHITECTURE.md "Start-up"). Read with the TypeScript compiler, following the entry's static imports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/python.js';

const ENTRY = path.join(REPO, 'dist/migrate-lint.cjs');

interface ModuleImports {
  static: string[];
  dynamic: string[];
}

/**
 * The bundle is CommonJS (scripts/bundle.ts): a `require` of a relative file at the top level of the script
 * loads it with the script (static); one inside a function (`Promise.resolve().then(() => require(...))`,
 * what an `import()` becomes) or a real `import()` loads it when called (dynamic).
 */
function importsOf(file: string): ModuleImports {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const out: ModuleImports = { static: [], dynamic: [] };
  const visit = (n: ts.Node, inFunction: boolean): void => {
    if (ts.isCallExpression(n) && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      const spec = n.arguments[0].text;
      if (n.expression.kind === ts.SyntaxKind.ImportKeyword) out.dynamic.push(spec);
      else if (ts.isIdentifier(n.expression) && n.expression.text === 'require') (inFunction ? out.dynamic : out.static).push(spec);
    }
    const fn = ts.isFunctionLike(n);
    ts.forEachChild(n, (c) => visit(c, inFunction || fn));
  };
  visit(sf, false);
  return out;
}

/** The modules loaded with `from` (itself included), following static imports of relative files; and the
 *  bare packages they import statically. */
function staticClosure(from: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (f: string) => {
    if (files.has(f)) return;
    files.add(f);
    for (const spec of importsOf(f).static) {
      if (spec.startsWith('.')) walk(path.resolve(path.dirname(f), spec));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  walk(from);
  return { files: [...files], packages: [...packages] };
}

/** The source paths rolldown names in its `// <path>` comment before each module it bundled. */
function bundledModules(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const out: string[] = [];
  const text = sf.getFullText();
  for (const st of sf.statements) {
    for (const c of ts.getLeadingCommentRanges(text, st.getFullStart()) ?? []) {
      const comment = text.slice(c.pos, c.end);
      if (c.kind === ts.SyntaxKind.SingleLineCommentTrivia && /^\/\/ (dist|node_modules)\//.test(comment)) out.push(comment.slice(3));
    }
  }
  return out;
}

describe('the command-line bundle (built by npm test before the tests run)', () => {
  it('exists', () => {
    expect(existsSync(ENTRY)).toBe(true);
  });

  it('loads no front end, parser or libpg-query until something is parsed', () => {
    const { files, packages } = staticClosure(ENTRY);
    const modules = files.flatMap(bundledModules);
    expect(modules).toContain('dist/src/api.js');
    expect(modules).toContain('dist/src/discover/store.js');
    expect(modules.filter((m) => m.startsWith('dist/src/frameworks/') || m.startsWith('dist/src/lang/') || m.startsWith('node_modules/@lezer/'))).toEqual([]);
    expect(modules).not.toContain('dist/src/discover/index.js');
    expect(packages).not.toContain('libpg-query');
    expect(packages).not.toContain('typescript');
  });

  it('holds the front ends in chunks the entry imports dynamically', () => {
    const loaded = new Set(staticClosure(ENTRY).files);
    const dynamic = [...loaded].flatMap((f) => importsOf(f).dynamic.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(f), s)));
    const later = dynamic.flatMap((f) => staticClosure(f).files).filter((f) => !loaded.has(f));
    const modules = later.flatMap(bundledModules);
    expect(modules).toContain('dist/src/discover/index.js');
    expect(modules).toContain('dist/src/frameworks/django/index.js');
    expect(modules).toContain('node_modules/@lezer/python/dist/index.js');
  });
});

describe("bin/migrate-lint.js runs the bundle with V8's code cache", () => {
  const BIN = path.join(REPO, 'bin/migrate-lint.js');
  const cli = (args: string[], cacheDir: string) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cacheDir, MIGRATE_LINT_CACHE_DIR: cacheDir } });
  const codeCaches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.code.bin'));

  it('writes it after a run that works, reads it on the next, and prints the same', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ml-code-cache-'));
    try {
      expect(cli(['--version'], dir).status).toBe(0);
      // `--version` compiles too little to be worth keeping.
      expect(existsSync(dir) ? codeCaches(dir) : []).toEqual([]);
      const first = cli(['check', 'fixtures/django-conflict', '--format', 'json'], dir);
      expect(first.status).toBe(1);
      const [cache] = codeCaches(dir);
      expect(cache).toBeDefined();
      const bytes = readFileSync(path.join(dir, cache!));
      expect(bytes.length).toBeGreaterThan(100_000);
      const second = cli(['check', 'fixtures/django-conflict', '--format', 'json'], dir);
      expect(second.stdout).toBe(first.stdout);
      // Accepted: not written again.
      expect(readFileSync(path.join(dir, cache!))).toEqual(bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces a cache V8 rejects, and keeps none with --no-cache', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ml-code-cache-'));
    try {
      const clean = cli(['check', 'fixtures/django-conflict', '--format', 'json', '--no-cache'], dir);
      expect(clean.status).toBe(1);
      expect(codeCaches(dir)).toEqual([]);
      expect(cli(['check', 'fixtures/django-conflict', '--format', 'json'], dir).stdout).toBe(clean.stdout);
      const [cache] = codeCaches(dir);
      writeFileSync(path.join(dir, cache!), 'not a code cache');
      const again = cli(['check', 'fixtures/django-conflict', '--format', 'json'], dir);
      expect(again.stdout).toBe(clean.stdout);
      expect(again.stderr).toBe('');
      expect(readFileSync(path.join(dir, cache!)).length).toBeGreaterThan(100_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
