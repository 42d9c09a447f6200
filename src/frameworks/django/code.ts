/**
 * What RunPython code does, read from its syntax tree without running it: which models it reads and
 * writes (through `apps.get_model(...)` or imported model classes), whether it loops over a queryset
 * row by row with a write per row, whether it batches, which application modules it imports, and its
 * parameters. Functions defined in the same module and called by name are followed once.
 *
 * Django's own semantics this mirrors (django/db/migrations/operations/special.py `RunPython`): the code
 * is called as `code(from_state.apps, schema_editor)`, so the first parameter is the historical app
 * registry and `apps.get_model('app', 'Model')` (or `'app.Model'`) is the model as the migration graph
 * left it; an imported `app.models.Model` is today's class.
 */
import type { SyntaxNode } from '@lezer/common';
import { children, type PyEvaluator, type PyValue } from '../../lang/python/index.js';
import type { CodeImport, DataEffects, DataTarget, RowLoop, Span } from '../../model/types.js';

/** One name an import statement binds. */
export interface ModuleImport {
  /** The module as written, relative dots kept (`clerk_sync.models`, `..models`). */
  module: string;
  /** The imported name (`ClerkUser`); `*` for `import a.b` (the module itself). */
  name: string;
  /** The local name it is bound to. */
  local: string;
  span: Span;
}

export interface CodeContext {
  app: string;
  ev: PyEvaluator;
  functions: Map<string, SyntaxNode>;
  /** The module's top-level imports. */
  imports: ModuleImport[];
}

const DELETE_METHODS = new Set(['delete']);
const UPDATE_METHODS = new Set(['update', 'save', 'bulk_update', 'update_or_create']);
const INSERT_METHODS = new Set(['create', 'bulk_create', 'get_or_create']);
/** Queryset and manager methods that write (django/db/models/query.py). */
const WRITE_METHODS = new Set(['create', 'bulk_create', 'get_or_create', 'update_or_create', 'update', 'bulk_update', 'delete']);
/** Writes that cost one query per call: inside a loop over rows, one per row. */
const PER_ROW_WRITES = new Set(['save', 'delete', 'create', 'get_or_create', 'update_or_create', 'update']);
/** Queryset methods that only narrow or shape what is fetched: `Model.objects.all().delete()` empties the table. */
const WHOLE_TABLE = new Set(['objects', 'all', '_default_manager', '_base_manager']);

/** The bindings an `ImportStatement` makes (`from a.b import C as D`, `import a.b as c`, `import a.b`). */
export function readImports(stmt: SyntaxNode, ev: PyEvaluator): ModuleImport[] {
  const kids = children(stmt);
  const span = ev.span(stmt);
  const out: ModuleImport[] = [];
  if (kids[0]?.name === 'from') {
    const at = kids.findIndex((k) => k.name === 'import');
    const module = kids.slice(1, at).map((k) => ev.text(k)).join('');
    for (let i = at + 1; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.name !== 'VariableName') continue;
      const alias = kids[i + 1]?.name === 'as' ? kids[i + 2] : undefined;
      out.push({ module, name: ev.text(k), local: alias ? ev.text(alias) : ev.text(k), span });
      if (alias) i += 2;
    }
    return out;
  }
  // `import a.b, c as d`: each dotted name up to a comma.
  let parts: SyntaxNode[] = [];
  const flush = (alias?: SyntaxNode) => {
    if (parts.length === 0) return;
    const module = parts.map((p) => ev.text(p)).join('');
    out.push({ module, name: '*', local: alias ? ev.text(alias) : ev.text(parts[0]!), span });
    parts = [];
  };
  for (let i = 1; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.name === 'as') {
      flush(kids[i + 1]);
      i++;
    } else if (k.name === ',') flush();
    else parts.push(k);
  }
  flush();
  return out;
}

/**
 * The app whose models module `module` is, or null when it is not one: `shop.models`,
 * `shop.models.orders`, `..models` (relative to the migrations package: its own app). Django's own
 * `django.db.models` is the field library, not an app's models.
 */
export function modelsModuleApp(module: string, app: string): string | null {
  if (module.startsWith('django.') || module === 'django') return null;
  const rel = /^\.+/.exec(module)?.[0].length ?? 0;
  const parts = module.slice(rel).split('.').filter(Boolean);
  const at = parts.indexOf('models');
  if (at < 0) return null;
  if (rel > 0) return at === 0 ? app : parts[at - 1]!;
  return at === 0 ? null : parts[at - 1]!;
}

function emptyEffects(): DataEffects {
  return { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false };
}

/** The function (or lambda) node RunPython's `code` names, when it is in this module. */
function bodyOf(code: PyValue | undefined, ctx: CodeContext): SyntaxNode | undefined {
  if (code?.kind === 'name' && !code.path.includes('.')) return ctx.functions.get(code.path);
  if (code?.kind === 'lambda') return code.node;
  return undefined;
}

/** Parameter names of a function or lambda, defaults and annotations left out. */
function params(fn: SyntaxNode, ev: PyEvaluator): { names: string[]; span: Span } | undefined {
  const list = fn.getChild('ParamList');
  if (!list) return fn.name === 'LambdaExpression' ? { names: [], span: ev.span(fn) } : undefined;
  const kids = children(list);
  const names: string[] = [];
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.name !== 'VariableName') continue;
    const prev = kids[i - 1]?.name;
    // After `=` or `:` it is a default or an annotation; after `*` / `**` it is still a parameter.
    if (prev === 'AssignOp' || prev === ':') continue;
    names.push((prev === '*' || prev === '**' ? prev : '') + ev.text(k));
  }
  return { names, span: ev.span(list) };
}

/** A member chain `root.a(...).b[...]` unwound: its root expression and the names along it. */
interface Chain {
  root: SyntaxNode;
  names: { name: string; call?: SyntaxNode }[];
  sliced: boolean;
}

function chainOf(node: SyntaxNode, ev: PyEvaluator): Chain {
  const names: Chain['names'] = [];
  let sliced = false;
  let n: SyntaxNode = node;
  let pendingCall: SyntaxNode | undefined;
  for (;;) {
    if (n.name === 'CallExpression') {
      const callee = n.firstChild;
      if (!callee || callee.name !== 'MemberExpression') break;
      // `apps.get_model(...)` is the root of the chain it starts, not a link in it.
      if (callee.lastChild?.name === 'PropertyName' && ev.text(callee.lastChild) === 'get_model') break;
      pendingCall = n;
      n = callee;
      continue;
    }
    if (n.name === 'MemberExpression') {
      const obj = n.firstChild;
      const last = n.lastChild;
      if (!obj) break;
      if (last?.name === 'PropertyName') names.unshift(pendingCall ? { name: ev.text(last), call: pendingCall } : { name: ev.text(last) });
      else sliced = true; // `qs[:1000]`
      pendingCall = undefined;
      n = obj;
      continue;
    }
    break;
  }
  return { root: n, names, sliced };
}

/** `apps.get_model('app', 'Model')` / `apps.get_model('app.Model')` / keyword forms. */
function getModelTarget(call: SyntaxNode, ev: PyEvaluator): DataTarget | undefined {
  const v = ev.eval(call);
  if (v.kind !== 'call' || !v.callee?.endsWith('.get_model')) return undefined;
  const s = (x: PyValue | undefined) => (x?.kind === 'str' ? x.value : undefined);
  const first = s(v.kwargs.get('app_label') ?? v.args[0]);
  const second = s(v.kwargs.get('model_name') ?? v.args[1]);
  if (first === undefined) return undefined;
  const [app, model] = second === undefined ? (first.includes('.') ? first.split('.', 2) : [undefined, undefined]) : [first, second];
  if (!app || !model) return undefined;
  return { model: `${app}.${model}`, set: app, span: ev.span(call) };
}

const key = (t: DataTarget) => `${t.model ?? ''}|${t.table ?? ''}`;

function addTarget(list: DataTarget[], t: DataTarget): void {
  if (!list.some((x) => key(x) === key(t))) list.push(t);
}

/**
 * What RunPython code does: `.delete()` deletes; `.update()`, `.save()`, `bulk_update` change rows;
 * `.create()`, `bulk_create` insert; plus the models it reads and writes, row loops, batching, imports of
 * application models and the parameters. Code defined outside the module (imported functions) is opaque.
 */
export function codeEffects(code: PyValue | undefined, ctx: CodeContext): DataEffects {
  const effects = emptyEffects();
  const body = bodyOf(code, ctx);
  if (!body) {
    effects.opaque = true;
    return effects;
  }
  const { ev } = ctx;
  const reads: DataTarget[] = [];
  const writes: DataTarget[] = [];
  const rowLoops: RowLoop[] = [];
  const imports = new Map<string, CodeImport>();
  let batched = false;
  let destroys = false;
  const ps = params(body, ev);
  if (ps) effects.params = ps;
  const appsName = ps?.names[0] ?? 'apps';

  // Names bound to model classes, and to model instances (loop variables, `x = Model(...)`).
  const models = new Map<string, DataTarget>();
  const instances = new Map<string, DataTarget>();
  const importedModels = new Map<string, { imp: ModuleImport; target: DataTarget }>();
  const bindImport = (imp: ModuleImport) => {
    const app = modelsModuleApp(imp.module, ctx.app);
    if (app === null || imp.name === '*') return;
    const target: DataTarget = { model: `${app}.${imp.name}`, set: app, imported: true, span: imp.span };
    importedModels.set(imp.local, { imp, target });
    models.set(imp.local, target);
  };
  for (const imp of ctx.imports) bindImport(imp);
  const useImport = (imp: ModuleImport) => {
    const k = `${imp.module}@${imp.span.offset}`;
    const known = imports.get(k);
    if (known) {
      if (!known.names.includes(imp.name)) known.names.push(imp.name);
    } else imports.set(k, { module: imp.module, names: [imp.name], span: imp.span });
  };

  /** The model a chain's root stands for: a bound name or an inline `apps.get_model(...)`. */
  const modelOfRoot = (root: SyntaxNode): DataTarget | undefined => {
    if (root.name === 'VariableName') return models.get(ev.text(root));
    if (root.name === 'CallExpression') {
      const callee = root.firstChild;
      if (callee?.name === 'MemberExpression' && callee.firstChild && ev.text(callee.firstChild) === appsName) return getModelTarget(root, ev);
    }
    return undefined;
  };

  /** A queryset chain (`Model.objects.filter(...)`): the model, when the root is one and a manager follows. */
  const querysetModel = (chain: Chain): DataTarget | undefined => {
    const t = modelOfRoot(chain.root);
    return t && chain.names.length > 0 ? t : undefined;
  };

  const perRowWrites = (node: SyntaxNode): string[] => {
    const found: string[] = [];
    const c = node.cursor();
    do {
      if (c.name !== 'CallExpression') continue;
      const callee = c.node.firstChild;
      if (callee?.name !== 'MemberExpression' || callee.lastChild?.name !== 'PropertyName') continue;
      const method = ev.text(callee.lastChild);
      if (!PER_ROW_WRITES.has(method)) continue;
      const chain = chainOf(c.node, ev);
      // `x.save()` on any object, or a manager write (`Model.objects.create(...)`); a plain `.update()`
      // on a dict is not a write.
      const onModel = querysetModel(chain) !== undefined || (chain.root.name === 'VariableName' && instances.has(ev.text(chain.root)));
      if ((method === 'save' || onModel) && !found.includes(method)) found.push(method);
    } while (c.next() && c.from < node.to);
    return found;
  };

  const seen = new Set<SyntaxNode>();
  const visit = (node: SyntaxNode) => {
    const cursor = node.cursor();
    do {
      const n = cursor.node;
      switch (cursor.name) {
        case 'ImportStatement':
          // An import inside the step is application code whether or not it is used afterwards.
          for (const imp of readImports(n, ev)) {
            bindImport(imp);
            if (modelsModuleApp(imp.module, ctx.app) !== null) useImport(imp);
          }
          break;
        case 'VariableName': {
          const imported = importedModels.get(ev.text(n));
          if (imported && n.parent?.name !== 'ImportStatement') useImport(imported.imp);
          break;
        }
        case 'AssignStatement': {
          const kids = children(n);
          const target = kids[0];
          const value = kids[kids.length - 1];
          if (target?.name === 'VariableName' && value?.name === 'CallExpression') {
            const name = ev.text(target);
            const gm = value.firstChild?.name === 'MemberExpression' && value.firstChild.firstChild && ev.text(value.firstChild.firstChild) === appsName ? getModelTarget(value, ev) : undefined;
            if (gm) models.set(name, gm);
            else if (value.firstChild?.name === 'VariableName' && models.has(ev.text(value.firstChild))) instances.set(name, models.get(ev.text(value.firstChild))!);
          }
          break;
        }
        case 'ForStatement': {
          const kids = children(n);
          const inAt = kids.findIndex((k) => k.name === 'in');
          const iterable = kids[inAt + 1];
          const loopVars = kids.slice(1, inAt).filter((k) => k.name === 'VariableName');
          const loopBody = n.getChild('Body');
          if (!iterable || !loopBody) break;
          const chain = chainOf(iterable, ev);
          const source = querysetModel(chain);
          if (!source || chain.sliced) break;
          if (loopVars.length === 1) instances.set(ev.text(loopVars[0]!), source);
          const iter = chain.names.find((x) => x.name === 'iterator');
          const iterCall = iter?.call ? ev.eval(iter.call) : undefined;
          const chunked = iterCall?.kind === 'call' && (iterCall.kwargs.has('chunk_size') || iterCall.args.length > 0);
          rowLoops.push({ span: ev.mod.index.span(n.from, loopBody.from), source, chunked, perRow: perRowWrites(loopBody) });
          break;
        }
        case 'CallExpression': {
          const callee = n.firstChild;
          const prop = callee?.name === 'MemberExpression' ? callee.lastChild : null;
          const method = prop ? ev.text(prop) : callee ? ev.text(callee) : '';
          if (DELETE_METHODS.has(method)) effects.deletes = true;
          if (UPDATE_METHODS.has(method)) effects.updates = true;
          if (INSERT_METHODS.has(method)) effects.inserts = true;
          if (method === 'execute' || method === 'RunSQL') effects.opaque = true;
          if (prop?.name === 'PropertyName') {
            const chain = chainOf(n, ev);
            const model = querysetModel(chain);
            const instance = chain.root.name === 'VariableName' && chain.names.length === 1 ? instances.get(ev.text(chain.root)) : undefined;
            if (model) {
              if (WRITE_METHODS.has(method)) addTarget(writes, model);
              else addTarget(reads, model);
              if (method === 'bulk_create' || method === 'bulk_update' || (method === 'update' && chain.names.length > 1)) batched = true;
              if (method === 'delete' && chain.names.slice(0, -1).every((x) => WHOLE_TABLE.has(x.name))) destroys = true;
            } else if (instance && (method === 'save' || method === 'delete')) addTarget(writes, instance);
          }
          // Helpers defined in the same module are followed once.
          if (callee?.name === 'VariableName') {
            const helper = ctx.functions.get(method);
            if (helper && !seen.has(helper)) {
              seen.add(helper);
              visit(helper);
            }
          }
          break;
        }
        default:
          break;
      }
    } while (cursor.next() && cursor.from < node.to);
  };
  seen.add(body);
  visit(body);
  if (reads.length) effects.reads = reads;
  if (writes.length) effects.writes = writes;
  if (rowLoops.length) effects.rowLoops = rowLoops;
  if (batched) effects.batched = true;
  if (destroys) effects.destroys = true;
  if (imports.size) effects.codeImports = [...imports.values()].sort((a, b) => a.span.offset - b.span.offset);
  return effects;
}
