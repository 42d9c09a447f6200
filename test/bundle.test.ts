/**
 * The bundle `npm run build` writes (scripts/bundle.ts): what a check answered from a stored run loads is
 * the entry module and the chunks it imports statically; the front ends and their parsers must be
 * reachable only through a dynamic `import()`, or every cached run pays for loading them
 * (ARCHITECTURE.md "Start-up"). Read with the TypeScript compiler, following the entry's static imports.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/python.js';

const ENTRY = path.join(REPO, 'dist/migrate-lint.mjs');

interface ModuleImports {
  static: string[];
  dynamic: string[];
}

function importsOf(file: string): ModuleImports {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const out: ModuleImports = { static: [], dynamic: [] };
  for (const st of sf.statements) {
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) out.static.push(st.moduleSpecifier.text);
  }
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) out.dynamic.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
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
