/**
 * One Django migration module → `Migration`. Reads the `Migration` class's attributes statically
 * (django/db/migrations/migration.py: `operations`, `dependencies`, `run_before`, `replaces`, `initial`,
 * `atomic`) and reads `operations` through operations.ts; their statements depend on the migrations
 * before, so replay (schema.ts) lowers them once the project's graph is known. Never imports or runs
 * the module.
 */
import type { SyntaxNode } from '@lezer/common';
import {
  PyEvaluator,
  assignment,
  bodyStatements,
  parsePython,
  type PyModule,
  type PyValue,
} from '../../lang/python/index.js';
import type { Diagnostic, Migration, MigrationRef, Span, Suppression } from '../../model/types.js';
import { startMigration, type SourceFile } from '../types.js';
import { readImports, type ModuleImport } from './code.js';
import { readOperations, type DjangoOp } from './operations.js';

export interface DjangoFileContext {
  app: string;
  setId: string;
  /** `AUTH_USER_MODEL` from settings (`app.Model`), or null when unknown. */
  authUserModel: string | null;
}

/** Module name from the file name: Django identifies a migration by it. */
export function moduleName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.py$/, '');
}

/** A parsed module: the migration (statements are set later, by replay) and its operations. */
export interface ParsedModule {
  migration: Migration;
  ops: DjangoOp[];
  /** Some operations could not be read: replay treats the app's models as unknown after it. */
  opaque: boolean;
}

/**
 * Parses one module. Returns null for a module that is not a migration (no `Migration` class and no
 * syntax error): Django's loader would raise BadMigrationError for it, but helper modules in
 * `migrations/` are common and the issue asks for them to be skipped silently.
 */
export function parseMigrationFile(src: SourceFile, ctx: DjangoFileContext): ParsedModule | null {
  const m = parseModule(src, ctx);
  if (m === null || 'migration' in m) return m;
  return { migration: m, ops: [], opaque: true };
}

function parseModule(src: SourceFile, ctx: DjangoFileContext): Migration | ParsedModule | null {
  const { base, unreadable } = startMigration(src, { setId: ctx.setId, name: moduleName(src.path) }, 'derived');
  if (unreadable || !src.ok) return unreadable ?? base;

  const mod = parsePython(src.text);
  const ev = new PyEvaluator(mod);
  const top = bodyStatements(mod.tree.topNode);
  const cls = top.find((s) => s.name === 'ClassDefinition' && s.getChild('VariableName') && ev.text(s.getChild('VariableName')!) === 'Migration');
  const diagnostics: Diagnostic[] = mod.errors.slice(0, 1);
  if (!cls) {
    if (diagnostics.length === 0) return null;
    return { ...base, incomplete: true, diagnostics };
  }

  // Module-level names: `dependencies = DEPS` and RunPython functions are resolved through these.
  const moduleNames = new Map<string, SyntaxNode>();
  const functions = new Map<string, SyntaxNode>();
  const imports: ModuleImport[] = [];
  for (const s of top) {
    if (s.name === 'ImportStatement') imports.push(...readImports(s, ev));
    const a = assignment(s, ev);
    if (a) moduleNames.set(a.name, a.value);
    if (s.name === 'FunctionDefinition') {
      const n = s.getChild('VariableName');
      if (n) functions.set(ev.text(n), s);
    }
  }
  const resolve = (v: PyValue): PyValue => {
    if (v.kind === 'name' && !v.path.includes('.')) {
      const n = moduleNames.get(v.path);
      if (n) return ev.eval(n);
    }
    return v;
  };

  const attrs = new Map<string, { value: PyValue; span: Span }>();
  for (const s of bodyStatements(cls)) {
    const a = assignment(s, ev);
    if (a) attrs.set(a.name, { value: resolve(ev.eval(a.value)), span: ev.span(s) });
  }

  const className = cls.getChild('VariableName')!;
  const m: Migration = { ...base, span: ev.span(className), diagnostics };

  const refs = (attr: string): MigrationRef[] => {
    const a = attrs.get(attr);
    if (!a) return [];
    if (a.value.kind !== 'list' && a.value.kind !== 'tuple') {
      diagnostics.push(unsupported(`\`${attr}\` is not a list literal; it cannot be read statically`, a.span));
      return [];
    }
    const out: MigrationRef[] = [];
    for (const item of a.value.items) {
      const r = toRef(item, ctx, ev);
      if (r) out.push(r);
      else diagnostics.push(unsupported(`cannot read this ${attr} entry statically: ${ev.text(item.node).slice(0, 60)}`, item.span));
    }
    return out;
  };
  m.parents = refs('dependencies');
  m.runBefore = refs('run_before');
  m.replaces = refs('replaces');
  const initial = attrs.get('initial');
  if (initial?.value.kind === 'bool') m.initial = initial.value.value;
  const atomic = attrs.get('atomic');
  if (atomic?.value.kind === 'bool') m.atomic = atomic.value.value;

  const ops = attrs.get('operations');
  let read: DjangoOp[] = [];
  let opaque = false;
  if (ops) {
    if (ops.value.kind === 'list' || ops.value.kind === 'tuple') {
      read = readOperations(ops.value.items, { app: ctx.app, ev, functions, resolve, diagnostics, authUserModel: ctx.authUserModel, imports });
    } else {
      opaque = true;
      diagnostics.push(unsupported('`operations` is not a list literal; its operations cannot be read statically', ops.span));
    }
  }
  m.suppressions = readSuppressions(mod);
  // After a syntax error the parser's recovery can turn a list into something else: the syntax error is
  // the cause to report, not the follow-on "cannot be read statically".
  if (mod.errors.length > 0) {
    m.diagnostics = diagnostics.filter((d) => d.code !== 'unsupported');
    m.incomplete = true;
  }
  return { migration: m, ops: read, opaque: opaque || mod.errors.length > 0 };
}

function unsupported(message: string, span: Span): Diagnostic {
  return { code: 'unsupported', message, span };
}

/**
 * A dependency entry: `('app', 'name')`, `['app', 'name']`, or
 * `migrations.swappable_dependency(settings.X)`, which Django turns into `(<app of X>, '__first__')`
 * (django/db/migrations/migration.py `swappable_dependency`).
 */
function toRef(v: PyValue, ctx: DjangoFileContext, ev: PyEvaluator): MigrationRef | null {
  if ((v.kind === 'tuple' || v.kind === 'list') && v.items.length === 2) {
    const [a, n] = v.items;
    if (a?.kind === 'str' && n?.kind === 'str') {
      const ref: MigrationRef = { set: a.value, name: n.value, span: v.span };
      if (n.value === '__first__') ref.special = 'first';
      if (n.value === '__latest__') ref.special = 'latest';
      return ref;
    }
    return null;
  }
  if (v.kind === 'call' && v.callee && /(^|\.)swappable_dependency$/.test(v.callee)) {
    const arg = v.args[0];
    if (!arg) return null;
    const setting = arg.kind === 'name' && arg.path.startsWith('settings.') ? arg.path.slice('settings.'.length) : null;
    const literal = arg.kind === 'str' ? arg.value : null;
    const model = literal ?? (setting === 'AUTH_USER_MODEL' ? ctx.authUserModel : null);
    if (model && model.includes('.')) {
      return { set: model.split('.', 1)[0]!, name: '__first__', special: 'first', span: v.span, ...(setting ? { setting } : {}) };
    }
    return { set: '', name: '__first__', special: 'setting', setting: setting ?? ev.text(arg.node), span: v.span };
  }
  return null;
}

/**
 * `# migrate-lint: ignore <rule>[, <rule>]: <reason>` on the line before a statement (or at the end of its
 * first line), and `# migrate-lint: ignore-file <rule>: <reason>` anywhere.
 */
export function readSuppressions(mod: PyModule): Suppression[] {
  const out: Suppression[] = [];
  for (const c of mod.comments) {
    const text = c.text.trim();
    const m = /^migrate-lint:\s*(ignore-file|ignore)\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?::\s*(.*))?$/.exec(text);
    if (!m) continue;
    const span = mod.index.span(c.from, c.to);
    const lineStart = mod.index.lineStart(span.start.line);
    const ownLine = mod.text.slice(lineStart, c.from).trim() === '';
    out.push({
      rules: m[2]!.split(',').map((r) => r.trim()),
      reason: (m[3] ?? '').trim(),
      line: m[1] === 'ignore-file' ? null : ownLine ? span.start.line + 1 : span.start.line,
      span,
    });
  }
  return out;
}
