/**
 * Django operations → neutral statements. What SQL each operation emits on PostgreSQL was verified with
 * `sqlmigrate` (reference/frameworks.md §3.9); the statement kinds here follow that SQL, so the lock rules
 * that read them are the same rules that read a `.sql` file.
 *
 * Table names follow Django's default `db_table`: `<app_label>_<model name lowercased>`
 * (django/db/models/options.py `Options.contribute_to_class`), or `options={'db_table': …}` on CreateModel
 * in the same migration.
 */
import type { SyntaxNode } from '@lezer/common';
import type { PyEvaluator, PyValue } from '../../lang/python/index.js';
import { parseSql, sqlParserReady } from '../../lang/sql/index.js';
import type { ColumnFacts, DataEffects, Diagnostic, ReverseStatus, Span, Statement } from '../../model/types.js';

export interface LowerContext {
  app: string;
  ev: PyEvaluator;
  /** Module-level function definitions, for looking inside RunPython code. */
  functions: Map<string, SyntaxNode>;
  resolve: (v: PyValue) => PyValue;
  /** Problems found while lowering (SQL syntax errors inside RunSQL). */
  diagnostics: Diagnostic[];
}

type Call = Extract<PyValue, { kind: 'call' }>;

/** The operation's class name: `migrations.AddField` → `AddField`. */
function opName(call: Call): string {
  return (call.callee ?? '').split('.').pop() ?? '';
}

/** A keyword argument, or the positional one at `pos` (Django's operations accept both). */
function arg(call: Call, name: string, pos: number): PyValue | undefined {
  return call.kwargs.get(name) ?? call.args[pos];
}

function str(v: PyValue | undefined): string | undefined {
  return v?.kind === 'str' ? v.value : undefined;
}

export function lowerOperations(items: PyValue[], ctx: LowerContext): Statement[] {
  const out: Statement[] = [];
  const tables = new Map<string, string>(); // model name (lowercase) -> db_table, for models created here
  items.forEach((item, i) => lowerOne(ctx.resolve(item), i, ctx, tables, out, false));
  return out;
}

function lowerOne(item: PyValue, index: number, ctx: LowerContext, tables: Map<string, string>, out: Statement[], stateOnly: boolean): void {
  if (item.kind !== 'call') {
    out.push({ kind: 'other', description: 'an operation that cannot be read statically', construct: ctx.ev.text(item.node).slice(0, 40), span: item.span, operationIndex: index });
    return;
  }
  const name = opName(item);
  const construct = `migrations.${name}`;
  const base = { construct, span: item.span, operationIndex: index, ...(stateOnly ? { stateOnly: true } : {}) };
  const table = (model: string | undefined): string => {
    if (!model) return `${ctx.app}_?`;
    return tables.get(model.toLowerCase()) ?? `${ctx.app}_${model.toLowerCase()}`;
  };
  const model = str(arg(item, 'model_name', 0)) ?? str(arg(item, 'name', 0));

  switch (name) {
    case 'CreateModel': {
      const modelName = str(arg(item, 'name', 0));
      const options = arg(item, 'options', 2);
      const dbTable = options?.kind === 'dict' ? str(options.entries.find(([k]) => str(k) === 'db_table')?.[1]) : undefined;
      const t = dbTable ?? table(modelName);
      if (modelName) tables.set(modelName.toLowerCase(), t);
      const fields = arg(item, 'fields', 1);
      const columns: ColumnFacts[] = [];
      if (fields?.kind === 'list' || fields?.kind === 'tuple') {
        for (const f of fields.items) {
          if ((f.kind === 'tuple' || f.kind === 'list') && f.items.length === 2 && f.items[0]?.kind === 'str') {
            columns.push(fieldFacts(f.items[0].value, f.items[1]!, ctx));
          }
        }
      }
      out.push({ ...base, kind: 'create_table', table: t, columns });
      return;
    }
    case 'DeleteModel':
      out.push({ ...base, kind: 'drop_table', table: table(str(arg(item, 'name', 0))) });
      return;
    case 'RenameModel': {
      const from = str(arg(item, 'old_name', 0));
      const to = str(arg(item, 'new_name', 1));
      out.push({ ...base, kind: 'rename_table', table: table(from), newName: table(to) });
      return;
    }
    case 'AlterModelTable': {
      const m = str(arg(item, 'name', 0));
      const newName = str(arg(item, 'table', 1));
      out.push({ ...base, kind: 'rename_table', table: table(m), newName: newName ?? '?' });
      if (m && newName) tables.set(m.toLowerCase(), newName);
      return;
    }
    case 'AddField': {
      const t = table(str(arg(item, 'model_name', 0)));
      const fieldName = str(arg(item, 'name', 1)) ?? '?';
      const field = arg(item, 'field', 2);
      const col = field ? fieldFacts(fieldName, field, ctx) : { name: fieldName };
      out.push({ ...base, kind: 'add_column', table: t, column: col });
      // What Django emits besides ADD COLUMN (reference/frameworks.md §3.9): an inline UNIQUE, an inline
      // REFERENCES plus a deferred index on the FK column, a deferred index for db_index=True.
      if (col.unique && !col.primaryKey) {
        out.push({ ...base, kind: 'add_constraint', table: t, constraint: { type: 'unique', columns: [col.name] } });
      }
      if (col.references) {
        out.push({ ...base, kind: 'add_constraint', table: t, constraint: { type: 'foreign_key', columns: [col.name], references: col.references.table } });
      }
      if (col.indexed && !col.unique && !col.primaryKey) {
        out.push({ ...base, kind: 'create_index', table: t, columns: [col.name], unique: false, concurrently: false });
      }
      return;
    }
    case 'RemoveField':
      // The column of a relation field is `<name>_id`; which kind of field this was needs model state.
      out.push({ ...base, kind: 'drop_column', table: table(model), column: str(arg(item, 'name', 1)) ?? '?' });
      return;
    case 'AlterField': {
      const fieldName = str(arg(item, 'name', 1)) ?? '?';
      const field = arg(item, 'field', 2);
      const to = field ? fieldFacts(fieldName, field, ctx) : { name: fieldName };
      out.push({ ...base, kind: 'alter_column', table: table(model), column: to.name, to });
      return;
    }
    case 'RenameField':
      out.push({
        ...base,
        kind: 'rename_column',
        table: table(model),
        column: str(arg(item, 'old_name', 1)) ?? '?',
        newName: str(arg(item, 'new_name', 2)) ?? '?',
      });
      return;
    case 'AddIndex':
    case 'AddIndexConcurrently': {
      const idx = arg(item, 'index', 1);
      const facts = indexFacts(idx);
      out.push({ ...base, kind: 'create_index', table: table(model), ...facts, concurrently: name === 'AddIndexConcurrently' });
      return;
    }
    case 'RemoveIndex':
    case 'RemoveIndexConcurrently': {
      const index = str(arg(item, 'name', 1));
      out.push({ ...base, kind: 'drop_index', table: table(model), ...(index ? { index } : {}), concurrently: name === 'RemoveIndexConcurrently' });
      return;
    }
    case 'RenameIndex':
      out.push({ ...base, kind: 'rename_index', table: table(model), newName: str(arg(item, 'new_name', 1)) ?? '?', ...(str(item.kwargs.get('old_name')) ? { index: str(item.kwargs.get('old_name'))! } : {}) });
      return;
    case 'AddConstraint':
    case 'AddConstraintNotValid': {
      const c = arg(item, 'constraint', 1);
      out.push({ ...base, kind: 'add_constraint', table: table(model), constraint: { ...constraintFacts(c), ...(name === 'AddConstraintNotValid' ? { notValid: true } : {}) } });
      return;
    }
    case 'RemoveConstraint': {
      const cname = str(arg(item, 'name', 1));
      out.push({ ...base, kind: 'drop_constraint', table: table(model), ...(cname ? { constraint: cname } : {}) });
      return;
    }
    case 'AlterUniqueTogether':
    case 'AlterIndexTogether': {
      const t = table(str(arg(item, 'name', 0)));
      const together = arg(item, name === 'AlterUniqueTogether' ? 'unique_together' : 'index_together', 1);
      const groups = togetherGroups(together);
      if (groups.length === 0) {
        out.push({ ...base, kind: name === 'AlterUniqueTogether' ? 'drop_constraint' : 'drop_index', table: t, ...(name === 'AlterIndexTogether' ? { concurrently: false } : {}) } as Statement);
      }
      for (const cols of groups) {
        if (name === 'AlterUniqueTogether') out.push({ ...base, kind: 'add_constraint', table: t, constraint: { type: 'unique', columns: cols } });
        else out.push({ ...base, kind: 'create_index', table: t, columns: cols, unique: false, concurrently: false });
      }
      return;
    }
    case 'RunPython': {
      const code = arg(item, 'code', 0);
      const reverseCode = arg(item, 'reverse_code', 1);
      out.push({
        ...base,
        kind: 'run_code',
        language: 'python',
        ...(code?.kind === 'name' ? { forward: code.path } : {}),
        effects: codeEffects(code, ctx),
        reverse: reverseOf(reverseCode, 'RunPython'),
      });
      return;
    }
    case 'RunSQL': {
      const sql = arg(item, 'sql', 0);
      const reverseSql = arg(item, 'reverse_sql', 1);
      const lowered = lowerSql(sql, index, ctx);
      out.push({
        ...base,
        kind: 'raw_sql',
        sql: sqlText(sql),
        effects: lowered?.effects ?? { deletes: false, updates: false, inserts: false, dropsData: false, opaque: true },
        reverse: reverseOf(reverseSql, 'RunSQL'),
      });
      // The SQL's own statements follow the RunSQL that carries them: lock rules read these.
      for (const st of lowered?.statements ?? []) out.push(stateOnly ? { ...st, stateOnly: true } : st);
      return;
    }
    case 'SeparateDatabaseAndState': {
      // Only database_operations touch the database (django/db/migrations/operations/special.py).
      const db = arg(item, 'database_operations', 0);
      const state = arg(item, 'state_operations', 1);
      for (const v of db?.kind === 'list' || db?.kind === 'tuple' ? db.items : []) lowerOne(ctx.resolve(v), index, ctx, tables, out, stateOnly);
      for (const v of state?.kind === 'list' || state?.kind === 'tuple' ? state.items : []) lowerOne(ctx.resolve(v), index, ctx, tables, out, true);
      return;
    }
    default:
      out.push({ ...base, kind: 'other', description: name || 'unknown operation' });
  }
}

/**
 * Reverse of RunPython / RunSQL (django/db/migrations/operations/special.py): `reversible` is
 * `reverse_code is not None` / `reverse_sql is not None`; `RunPython.noop` / `RunSQL.noop` are declared
 * no-ops; an empty string or list runs nothing.
 */
function reverseOf(v: PyValue | undefined, op: 'RunPython' | 'RunSQL'): { status: ReverseStatus; span?: Span } {
  if (!v || v.kind === 'none') return { status: 'missing' };
  if (v.kind === 'name' && (v.path.endsWith(`${op}.noop`) || v.path === 'noop')) return { status: 'noop', span: v.span };
  if ((v.kind === 'str' && v.value.trim() === '') || ((v.kind === 'list' || v.kind === 'tuple') && v.items.length === 0)) {
    return { status: 'empty', span: v.span };
  }
  return { status: 'present', span: v.span };
}

/**
 * RunSQL's `sql` through the SQL front end: a string, or a list of strings or `(sql, params)` tuples
 * (django/db/migrations/operations/special.py `RunSQL._run_sql`). Positions map back through the string
 * literal's escapes. Null when the SQL cannot be seen (built at run time) or the parser is not loaded.
 */
function lowerSql(v: PyValue | undefined, operationIndex: number, ctx: LowerContext): { statements: Statement[]; effects: DataEffects } | null {
  if (!v || !sqlParserReady()) return null;
  // Only the `(sql, params)` form has parameters; Django runs plain strings with params=None, where a
  // `%` is just a `%`.
  const pieces: { value: PyValue; params: boolean }[] =
    v.kind === 'str'
      ? [{ value: v, params: false }]
      : v.kind === 'list' || v.kind === 'tuple'
        ? v.items.map((i) => ((i.kind === 'tuple' || i.kind === 'list') && i.items[0] ? { value: i.items[0], params: i.items.length === 2 } : { value: i, params: false }))
        : [{ value: v, params: false }];
  const effects: DataEffects = { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false };
  const statements: Statement[] = [];
  for (const { value: piece, params } of pieces) {
    if (piece.kind !== 'str') {
      effects.opaque = true;
      continue;
    }
    // A literal built from pieces ('a' 'b', 'a' + 'b') has no exact map: its statements point at it whole.
    const map = piece.sourceOffset ?? (() => piece.node.from);
    const r = parseSql(params ? withPgPlaceholders(piece.value) : piece.value, { index: ctx.ev.mod.index, mapOffset: map, construct: 'migrations.RunSQL', operationIndex, shareOperationIndex: true });
    statements.push(...r.statements);
    ctx.diagnostics.push(...r.diagnostics);
    effects.deletes ||= r.effects.deletes;
    effects.updates ||= r.effects.updates;
    effects.inserts ||= r.effects.inserts;
    effects.dropsData ||= r.effects.dropsData;
    effects.opaque ||= r.effects.opaque;
  }
  return { statements, effects };
}

/**
 * psycopg placeholders (`%s`, `%(name)s`, `%%`) are not SQL: replace each with a PostgreSQL parameter or
 * text of the same length, so offsets still map to the file.
 */
export function withPgPlaceholders(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] !== '%') {
      out += sql[i];
      continue;
    }
    const next = sql[i + 1];
    if (next === 's') {
      out += '$1';
      i++;
    } else if (next === '%') {
      out += '% ';
      i++;
    } else if (next === '(') {
      const close = sql.indexOf(')s', i);
      if (close < 0) {
        out += '%';
        continue;
      }
      out += '$1'.padEnd(close + 2 - i, ' ');
      i = close + 1;
    } else {
      out += '%';
    }
  }
  return out;
}

function sqlText(v: PyValue | undefined): string | null {
  if (!v) return null;
  if (v.kind === 'str') return v.value;
  if (v.kind === 'list' || v.kind === 'tuple') {
    const parts: string[] = [];
    for (const i of v.items) {
      if (i.kind === 'str') parts.push(i.value);
      else if ((i.kind === 'tuple' || i.kind === 'list') && i.items[0]?.kind === 'str') parts.push(i.items[0].value);
      else return null;
    }
    return parts.join(';\n');
  }
  return null;
}

const DELETE_METHODS = new Set(['delete']);
const UPDATE_METHODS = new Set(['update', 'save', 'bulk_update', 'update_or_create']);
const INSERT_METHODS = new Set(['create', 'bulk_create', 'get_or_create']);

/**
 * What RunPython code does to rows, from the calls in its body: `.delete()` deletes; `.update()`,
 * `.save()`, `bulk_update` change rows; `.create()`, `bulk_create` insert. Code defined outside the module
 * (imported functions) is opaque.
 */
function codeEffects(code: PyValue | undefined, ctx: LowerContext): DataEffects {
  const effects: DataEffects = { deletes: false, updates: false, inserts: false, dropsData: false, opaque: false };
  let body: SyntaxNode | undefined;
  if (code?.kind === 'name' && !code.path.includes('.')) body = ctx.functions.get(code.path);
  else if (code?.kind === 'lambda') body = code.node;
  if (!body) {
    effects.opaque = true;
    return effects;
  }
  const seen = new Set<SyntaxNode>();
  const visit = (node: SyntaxNode) => {
    const cursor = node.cursor();
    do {
      if (cursor.name === 'CallExpression') {
        const callee = cursor.node.firstChild;
        const prop = callee?.name === 'MemberExpression' ? callee.lastChild : null;
        const method = prop ? ctx.ev.text(prop) : callee ? ctx.ev.text(callee) : '';
        if (DELETE_METHODS.has(method)) effects.deletes = true;
        if (UPDATE_METHODS.has(method)) effects.updates = true;
        if (INSERT_METHODS.has(method)) effects.inserts = true;
        if (method === 'execute' || method === 'RunSQL') effects.opaque = true;
        // Helpers defined in the same module are followed once.
        if (callee?.name === 'VariableName') {
          const helper = ctx.functions.get(method);
          if (helper && !seen.has(helper)) {
            seen.add(helper);
            visit(helper);
          }
        }
      }
    } while (cursor.next() && cursor.from < node.to);
  };
  seen.add(body);
  visit(body);
  return effects;
}

/** Facts about a field from its constructor call: `models.CharField(max_length=20, null=True)`. */
function fieldFacts(name: string, field: PyValue, ctx: LowerContext): ColumnFacts {
  const facts: ColumnFacts = { name };
  if (field.kind !== 'call') return facts;
  const type = (field.callee ?? '').split('.').pop() ?? '';
  facts.type = type;
  const kw = (k: string) => field.kwargs.get(k);
  const bool = (k: string): boolean | undefined => {
    const v = kw(k);
    return v?.kind === 'bool' ? v.value : undefined;
  };
  facts.nullable = bool('null') ?? false;
  const def = kw('default');
  if (def && !(def.kind === 'name' && def.path.endsWith('NOT_PROVIDED'))) {
    if (def.kind === 'name' || def.kind === 'lambda') {
      // A callable default is evaluated once by Django when the column is added, so every existing row
      // gets the same value (e.g. uuid.uuid4): reference/frameworks.md §3.9.
      facts.default = { kind: 'app-callable', text: ctx.ev.text(def.node) };
    } else {
      facts.default = { kind: 'constant', text: ctx.ev.text(def.node) };
    }
  }
  const dbDefault = kw('db_default');
  if (dbDefault) facts.default = { kind: 'db-expression', text: ctx.ev.text(dbDefault.node) };
  facts.unique = bool('unique') ?? false;
  facts.primaryKey = bool('primary_key') ?? false;
  const isRelation = type === 'ForeignKey' || type === 'OneToOneField';
  if (type === 'OneToOneField') facts.unique = true;
  // ForeignKey gets an index unless db_index=False (django/db/models/fields/related.py).
  facts.indexed = bool('db_index') ?? isRelation;
  if (isRelation) {
    const to = field.kwargs.get('to') ?? field.args[0];
    const target = to?.kind === 'str' ? to.value : to?.kind === 'name' ? to.path : '?';
    facts.references = { table: relatedTable(target, ctx.app) };
    facts.name = columnName(name, field);
    if (bool('db_constraint') === false) delete facts.references;
  }
  return facts;
}

/** The column Django creates for a field: `<name>_id` for relations unless `db_column` says otherwise. */
function columnName(name: string, field: Extract<PyValue, { kind: 'call' }>): string {
  const dbColumn = field.kwargs.get('db_column');
  if (dbColumn?.kind === 'str') return dbColumn.value;
  const type = (field.callee ?? '').split('.').pop();
  return type === 'ForeignKey' || type === 'OneToOneField' ? `${name}_id` : name;
}

/** `'shop.item'` / `'Item'` / `settings.AUTH_USER_MODEL` → a table name, Django's default form. */
function relatedTable(target: string, app: string): string {
  if (target.startsWith('settings.')) return target;
  const [a, m] = target.includes('.') ? target.split('.', 2) : [app, target];
  return `${a}_${(m ?? '').toLowerCase()}`;
}

function indexFacts(idx: PyValue | undefined): { index?: string; columns: string[]; unique: boolean } {
  if (idx?.kind !== 'call') return { columns: [], unique: false };
  const fields = idx.kwargs.get('fields');
  const columns = fields?.kind === 'list' || fields?.kind === 'tuple' ? fields.items.flatMap((f) => (f.kind === 'str' ? [f.value.replace(/^-/, '')] : [])) : [];
  const name = str(idx.kwargs.get('name'));
  return { ...(name ? { index: name } : {}), columns, unique: false };
}

function constraintFacts(c: PyValue | undefined): Extract<Statement, { kind: 'add_constraint' }>['constraint'] {
  if (c?.kind !== 'call') return { type: 'unknown' };
  const cls = (c.callee ?? '').split('.').pop();
  const name = str(c.kwargs.get('name'));
  const fields = c.kwargs.get('fields');
  const columns = fields?.kind === 'list' || fields?.kind === 'tuple' ? fields.items.flatMap((f) => (f.kind === 'str' ? [f.value] : [])) : undefined;
  const type = cls === 'CheckConstraint' ? 'check' : cls === 'UniqueConstraint' ? 'unique' : cls === 'ExclusionConstraint' ? 'exclusion' : 'unknown';
  return { type, ...(name ? { name } : {}), ...(columns ? { columns } : {}) };
}

function togetherGroups(v: PyValue | undefined): string[][] {
  // makemigrations writes a set of tuples, {('a', 'b')}; a single flat tuple is accepted too.
  if (v?.kind !== 'list' && v?.kind !== 'tuple') return [];
  const items = v.items;
  if (items.every((i) => i.kind === 'str')) return [items.map((i) => (i.kind === 'str' ? i.value : ''))];
  return items.flatMap((g) => (g.kind === 'tuple' || g.kind === 'list' ? [g.items.flatMap((i) => (i.kind === 'str' ? [i.value] : []))] : []));
}
