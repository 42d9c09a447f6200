/**
 * One Alembic revision file → `Migration` (alembic/script/base.py `Script._from_filename`,
 * script/revision.py `Revision.__init__`; reference/frameworks.md §4.2, §4.3). Module-level
 * `revision`, `down_revision`, `branch_labels` and `depends_on` are read with the Python grammar (plain or
 * annotated assignments; `None`, a string, or a tuple/list of strings); `upgrade()` is walked for `op.*`
 * calls, which ops.ts lowers; `downgrade()` gives the reverse, its calls lowered the same way for what it
 * does to data (`Migration.down.effects`). Never imports or runs the module.
 */
import type { SyntaxNode } from '@lezer/common';
import { PyEvaluator, assignment, bodyStatements, children, parsePython, type PyValue } from '../../lang/python/index.js';
import { reverseEffects } from '../../model/migration-facts.js';
import type { Diagnostic, Migration, MigrationRef, ReverseStatus, Span, Statement } from '../../model/types.js';
import { readSuppressions } from '../django/parse.js';
import { startMigration, type SourceFile } from '../types.js';
import { basename } from './layout.js';
import { lowerOp, type OpCall } from './ops.js';

export interface AlembicFileContext {
  setId: string;
  /** The set's name, which references in the same script directory carry. */
  set: string;
}

/**
 * Reads one file: its identity and references, its statements, its reverse. Content only apart from the
 * context: the caller takes `file` from the path (equal bytes in two files share a cache entry).
 */
export function parseRevisionFile(src: SourceFile, ctx: AlembicFileContext): Migration {
  const { base, unreadable } = startMigration(src, { setId: ctx.setId, name: legacyRevision(src.path) ?? basename(src.path).replace(/\.py$/, '') }, 'missing');
  if (unreadable || !src.ok) return unreadable ?? base;

  const mod = parsePython(src.text);
  const ev = new PyEvaluator(mod);
  const diagnostics: Diagnostic[] = mod.errors.slice(0, 1);
  const top = bodyStatements(mod.tree.topNode);
  const attrs = new Map<string, { value: PyValue; span: Span }>();
  const functions = new Map<string, SyntaxNode>();
  for (const s of top) {
    const a = assignment(s, ev);
    if (a) attrs.set(a.name, { value: ev.eval(a.value), span: ev.span(s) });
    if (s.name === 'FunctionDefinition') {
      const n = s.getChild('VariableName');
      if (n) functions.set(ev.text(n), s);
    }
  }
  const m: Migration = { ...base, diagnostics, suppressions: readSuppressions(mod) };

  const revision = attrs.get('revision');
  if (revision?.value.kind === 'str') {
    m.name = revision.value.value;
    m.span = revision.span;
  } else if (revision || !legacyRevision(src.path)) {
    diagnostics.push(unsupported(revision ? '`revision` is not a string literal; Alembic cannot be followed statically' : `Could not determine revision id from filename ${basename(src.path)}: the file assigns no \`revision\``, revision?.span));
    m.incomplete = true;
  }

  const ids = (attr: string): { ids: { value: string; span: Span }[]; span?: Span } | null => {
    const a = attrs.get(attr);
    if (!a) return { ids: [] };
    const v = a.value;
    if (v.kind === 'none') return { ids: [], span: a.span };
    if (v.kind === 'str') return { ids: [{ value: v.value, span: v.span }], span: a.span };
    if ((v.kind === 'tuple' || v.kind === 'list') && v.items.every((i) => i.kind === 'str')) {
      return { ids: v.items.map((i) => ({ value: i.kind === 'str' ? i.value : '', span: i.span })), span: a.span };
    }
    diagnostics.push(unsupported(`\`${attr}\` is not None, a string or a tuple of strings; it cannot be read statically`, a.span));
    return null;
  };
  const down = ids('down_revision');
  if (!attrs.has('down_revision')) {
    // Alembic reads `module.down_revision` and fails with AttributeError.
    diagnostics.push(unsupported('the file assigns no `down_revision`: Alembic cannot load it', m.span));
    m.incomplete = true;
  }
  if (down === null) m.incomplete = true;
  // `down_revision = ''` is not a base to Alembic 1.20: it looks up revision '' and fails (KeyError).
  m.parents = (down?.ids ?? []).map((d): MigrationRef => ({ set: ctx.set, name: d.value, span: d.span }));
  const deps = ids('depends_on');
  if (deps && deps.ids.length) m.dependsOn = deps.ids.map((d) => ({ set: ctx.set, name: d.value, span: d.span }));
  const labels = ids('branch_labels');
  if (labels && labels.ids.length) m.branchLabels = labels.ids.map((l) => l.value);

  const upgrade = functions.get('upgrade');
  const downgrade = functions.get('downgrade');
  if (upgrade) m.statements = opStatements(upgrade, ev, diagnostics);
  m.reverse = reverseOf(downgrade, upgrade, ev);
  if (downgrade) {
    const name = downgrade.getChild('VariableName');
    // What `downgrade()` does to data, lowered like `upgrade()`. Its SQL's syntax errors are not this
    // revision's forward diagnostics (they break only a downgrade), so they are not reported.
    const effects = m.reverse === 'present' ? reverseEffects(opStatements(downgrade, ev, []), m.statements) : undefined;
    m.down = { file: src.path, span: ev.span(name ?? downgrade), ...(effects ? { effects } : {}) };
  }
  if (mod.errors.length > 0) {
    m.diagnostics = diagnostics.filter((d) => d.code !== 'unsupported');
    m.incomplete = true;
  }
  return m;
}

function unsupported(message: string, span?: Span): Diagnostic {
  return { code: 'unsupported', message, ...(span ? { span } : {}) };
}

/** Alembic's fallback for a file without `revision`: a file named `<hex>.py` (`_legacy_rev`). */
function legacyRevision(path: string): string | null {
  const stem = basename(path).replace(/\.py$/, '');
  return stem.length > 0 && [...stem].every((c) => '0123456789abcdef'.includes(c)) ? stem : null;
}

/** The statements of a function body that do something: not docstrings, `pass` or `...`. */
function effective(fn: SyntaxNode, ev: PyEvaluator): SyntaxNode[] {
  return bodyStatements(fn).filter((s) => {
    if (s.name === 'PassStatement' || s.name === 'Comment' || s.name === ':' || s.name === 'newline') return false;
    if (s.name === 'ExpressionStatement') {
      const e = s.firstChild;
      if (e && (e.name === 'String' || e.name === 'ContinuedString' || ev.text(e) === '...')) return false;
    }
    return !s.type.isError && ev.text(s).trim() !== '';
  });
}

/**
 * The reverse: no `downgrade()`, or one that only raises → `missing`; one with only `pass` / a docstring →
 * `empty`, unless `upgrade()` does nothing either (a merge revision), which makes it `noop`.
 */
function reverseOf(downgrade: SyntaxNode | undefined, upgrade: SyntaxNode | undefined, ev: PyEvaluator): ReverseStatus {
  if (!downgrade) return 'missing';
  const body = effective(downgrade, ev);
  if (body.length === 0) return upgrade && effective(upgrade, ev).length > 0 ? 'empty' : 'noop';
  if (body.every((s) => s.name === 'RaiseStatement')) return 'missing';
  return 'present';
}

/** Every `op.*` (and batch) call of `upgrade()` or `downgrade()`, in order, lowered. */
function opStatements(fn: SyntaxNode, ev: PyEvaluator, diagnostics: Diagnostic[]): Statement[] {
  const calls: OpCall[] = [];
  walk(fn, { autocommit: false, batch: new Map() }, ev, calls);
  const out: Statement[] = [];
  calls.forEach((c, i) => out.push(...lowerOp(c, i, { index: ev.mod.index, diagnostics })));
  return out;
}

interface Scope {
  autocommit: boolean;
  /** `batch_alter_table` context variables → their table. */
  batch: Map<string, { table: string; schema: string | null }>;
}

function walk(block: SyntaxNode, scope: Scope, ev: PyEvaluator, out: OpCall[]): void {
  for (const s of bodyStatements(block)) {
    if (s.name === 'ExpressionStatement') {
      const e = s.firstChild;
      if (e?.name === 'CallExpression') collect(e, scope, ev, out);
      continue;
    }
    if (s.name === 'AssignStatement') {
      // `result = op.execute(...)`
      const value = children(s).at(-1);
      if (value?.name === 'CallExpression') collect(value, scope, ev, out);
      continue;
    }
    if (s.name === 'WithStatement') {
      const inner: Scope = { autocommit: scope.autocommit, batch: new Map(scope.batch) };
      const kids = children(s);
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i]!;
        if (k.name !== 'CallExpression') continue;
        const callee = k.firstChild;
        const prop = callee?.name === 'MemberExpression' ? callee.lastChild : null;
        if (prop && ev.text(prop) === 'autocommit_block') inner.autocommit = true;
        const v = ev.eval(k);
        if (v.kind === 'call' && v.callee && v.callee.endsWith('.batch_alter_table') && kids[i + 1]?.name === 'as' && kids[i + 2]?.name === 'VariableName') {
          const t = v.args[0] ?? v.kwargs.get('table_name');
          const schema = v.kwargs.get('schema');
          if (t?.kind === 'str') inner.batch.set(ev.text(kids[i + 2]!), { table: t.value, schema: schema?.kind === 'str' ? schema.value : null });
        }
      }
      const body = s.getChild('Body');
      if (body) walk(s, inner, ev, out);
      continue;
    }
    if (s.name === 'FunctionDefinition' || s.name === 'ClassDefinition') continue;
    // if / for / while / try: their bodies run (maybe); each is walked in turn.
    for (const c of children(s)) if (c.name === 'Body') walkBody(c, scope, ev, out);
  }
}

function walkBody(body: SyntaxNode, scope: Scope, ev: PyEvaluator, out: OpCall[]): void {
  // `walk` takes a node whose `Body` child holds the statements; a bare Body is walked through a shim.
  const holder = { getChild: (n: string) => (n === 'Body' ? body : null), name: 'Block' } as unknown as SyntaxNode;
  walk(holder, scope, ev, out);
}

function collect(node: SyntaxNode, scope: Scope, ev: PyEvaluator, out: OpCall[]): void {
  const v = ev.eval(node);
  if (v.kind !== 'call' || !v.callee) return;
  const dot = v.callee.lastIndexOf('.');
  if (dot < 0) return;
  const target = v.callee.slice(0, dot);
  const fn = v.callee.slice(dot + 1);
  if (target === 'op') out.push({ fn, construct: `op.${fn}`, call: v, autocommit: scope.autocommit });
  const batch = scope.batch.get(target);
  if (batch) out.push({ fn, construct: `${target}.${fn}`, call: v, batch, autocommit: scope.autocommit });
}
