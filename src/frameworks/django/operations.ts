/**
 * Django operations, read statically into plain data (`DjangoOp`) that model-state replay (state.ts,
 * schema.ts) lowers into neutral statements. What each operation emits on PostgreSQL depends on the model
 * state before it, so only the operations that do not (RunSQL, RunPython) are lowered here: RunSQL's SQL
 * goes through the SQL front end, RunPython bodies are scanned for what they do to rows.
 *
 * The result is content-only (no syntax nodes, no state), so it is cached with the parsed file.
 */
import type { SyntaxNode } from '@lezer/common';
import { children, type PyEvaluator, type PyValue } from '../../lang/python/index.js';
import { parseSql, sqlParserReady } from '../../lang/sql/index.js';
import { codeEffects, type ModuleImport } from './code.js';
import type { DataEffects, Diagnostic, ReverseStatus, Span, Statement } from '../../model/types.js';
import { reverseEffects } from '../../model/migration-facts.js';
import { defaultDbIndex, modelKey, unknownDecl, type ConstraintDecl, type FieldDecl, type IndexDecl, type ModelOptions } from './state.js';

export interface LowerContext {
  app: string;
  ev: PyEvaluator;
  /** Module-level function definitions, for looking inside RunPython code. */
  functions: Map<string, SyntaxNode>;
  resolve: (v: PyValue) => PyValue;
  /** Problems found while lowering (SQL syntax errors inside RunSQL). */
  diagnostics: Diagnostic[];
  /** `AUTH_USER_MODEL` from settings (`app.Model`), for `to=settings.AUTH_USER_MODEL`; null when unknown. */
  authUserModel: string | null;
  /** The module's top-level imports, for model classes RunPython code uses directly. */
  imports: ModuleImport[];
}

/** What every statement of one operation shares. */
export interface OpBase {
  construct: string;
  span: Span;
  operationIndex: number;
}

/** One operation as replay needs it. Model names are as written; replay lowercases them. */
export type DjangoOp = { base: OpBase } & (
  | { op: 'CreateModel'; name: string; fields: [string, FieldDecl][]; options: ModelOptions; fieldsKnown: boolean }
  | { op: 'DeleteModel'; name: string }
  | { op: 'RenameModel'; oldName: string; newName: string }
  | { op: 'AlterModelTable'; name: string; table: string | null }
  /** `preserve_default=False`: the database gets `field`'s default, the state does not keep it. */
  | { op: 'AddField' | 'AlterField'; model: string; name: string; field: FieldDecl; preserveDefault: boolean }
  | { op: 'RemoveField'; model: string; name: string }
  | { op: 'RenameField'; model: string; oldName: string; newName: string }
  /** null groups: the value could not be read. */
  | { op: 'AlterUniqueTogether' | 'AlterIndexTogether'; name: string; groups: string[][] | null }
  | { op: 'AddIndex'; model: string; index: IndexDecl; concurrently: boolean }
  | { op: 'RemoveIndex'; model: string; name: string; concurrently: boolean }
  | { op: 'RenameIndex'; model: string; newName: string; oldName?: string }
  | { op: 'AddConstraint'; model: string; constraint: ConstraintDecl; notValid: boolean }
  | { op: 'RemoveConstraint'; model: string; name: string }
  | { op: 'ValidateConstraint'; model: string; name: string }
  /** SeparateDatabaseAndState: the database runs one list, the state follows the other. */
  | { op: 'Separate'; database: DjangoOp[]; state: DjangoOp[] }
  /**
   * Lowered already (RunSQL, RunPython, operations with no database effect or that cannot be read).
   * `opaque`: its effect on the app's models is unknown (a custom operation, an unreadable one).
   * `state`: RunSQL's `state_operations`.
   */
  | { op: 'Fixed'; statements: Statement[]; opaque: boolean; state?: DjangoOp[] }
);

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

function items(v: PyValue | undefined): PyValue[] | null {
  return v?.kind === 'list' || v?.kind === 'tuple' ? v.items : null;
}

/** Operations that change neither the database nor the columns replay tracks. */
const NO_SCHEMA_EFFECT = new Set([
  'AlterModelOptions',
  'AlterModelManagers',
  'AlterModelTableComment',
  // django.contrib.postgres.operations: extensions and collations change no table.
  'CreateExtension',
  'BloomExtension',
  'BtreeGinExtension',
  'BtreeGistExtension',
  'CITextExtension',
  'CryptoExtension',
  'HStoreExtension',
  'TrigramExtension',
  'UnaccentExtension',
  'CreateCollation',
  'RemoveCollation',
]);

export function readOperations(list: PyValue[], ctx: LowerContext): DjangoOp[] {
  return list.map((item, i) => readOne(ctx.resolve(item), i, ctx));
}

function readOne(item: PyValue, index: number, ctx: LowerContext): DjangoOp {
  if (item.kind !== 'call') {
    const base = { construct: ctx.ev.text(item.node).slice(0, 40), span: item.span, operationIndex: index };
    return { base, op: 'Fixed', opaque: true, statements: [{ ...base, kind: 'other', description: 'an operation that cannot be read statically' }] };
  }
  const name = opName(item);
  const base: OpBase = { construct: `migrations.${name}`, span: item.span, operationIndex: index };
  const s = (k: string, pos: number) => str(arg(item, k, pos)) ?? '';
  const field = (pos: number, model: string) => {
    const f = arg(item, 'field', pos);
    return f ? readField(f, ctx, model) : unknownDecl('?');
  };
  switch (name) {
    case 'CreateModel': {
      const model = s('name', 0);
      const fields = items(arg(item, 'fields', 1));
      const decls: [string, FieldDecl][] = [];
      for (const f of fields ?? []) {
        const pair = items(f);
        if (pair?.length === 2 && pair[0]?.kind === 'str') decls.push([pair[0].value, readField(pair[1]!, ctx, model)]);
      }
      return { base, op: 'CreateModel', name: model, fields: decls, options: readOptions(arg(item, 'options', 2), ctx), fieldsKnown: fields !== null && decls.length === fields.length };
    }
    case 'DeleteModel':
      return { base, op: 'DeleteModel', name: s('name', 0) };
    case 'RenameModel':
      return { base, op: 'RenameModel', oldName: s('old_name', 0), newName: s('new_name', 1) };
    case 'AlterModelTable': {
      const t = arg(item, 'table', 1);
      return { base, op: 'AlterModelTable', name: s('name', 0), table: t?.kind === 'none' || !t ? null : (str(t) ?? '?') };
    }
    case 'AddField':
    case 'AlterField': {
      const model = s('model_name', 0);
      const keep = arg(item, 'preserve_default', 3);
      return { base, op: name, model, name: s('name', 1), field: field(2, model), preserveDefault: !(keep?.kind === 'bool' && !keep.value) };
    }
    case 'RemoveField':
      return { base, op: 'RemoveField', model: s('model_name', 0), name: s('name', 1) };
    case 'RenameField':
      return { base, op: 'RenameField', model: s('model_name', 0), oldName: s('old_name', 1), newName: s('new_name', 2) };
    case 'AlterUniqueTogether':
    case 'AlterIndexTogether': {
      const v = arg(item, name === 'AlterUniqueTogether' ? 'unique_together' : 'index_together', 1);
      // `set()` and None both mean none (makemigrations writes `set()` when the last group goes).
      const none = v?.kind === 'none' || (v?.kind === 'call' && v.callee === 'set' && v.args.length === 0);
      return { base, op: name, name: s('name', 0), groups: none ? [] : togetherGroups(v) };
    }
    case 'AddIndex':
    case 'AddIndexConcurrently':
      return { base, op: 'AddIndex', model: s('model_name', 0), index: readIndex(arg(item, 'index', 1), ctx), concurrently: name === 'AddIndexConcurrently' };
    case 'RemoveIndex':
    case 'RemoveIndexConcurrently':
      return { base, op: 'RemoveIndex', model: s('model_name', 0), name: s('name', 1), concurrently: name === 'RemoveIndexConcurrently' };
    case 'RenameIndex': {
      const old = str(item.kwargs.get('old_name') ?? item.args[2]);
      return { base, op: 'RenameIndex', model: s('model_name', 0), newName: s('new_name', 1), ...(old ? { oldName: old } : {}) };
    }
    case 'AddConstraint':
    case 'AddConstraintNotValid':
      return { base, op: 'AddConstraint', model: s('model_name', 0), constraint: readConstraint(arg(item, 'constraint', 1), ctx), notValid: name === 'AddConstraintNotValid' };
    case 'RemoveConstraint':
      return { base, op: 'RemoveConstraint', model: s('model_name', 0), name: s('name', 1) };
    case 'ValidateConstraint':
      return { base, op: 'ValidateConstraint', model: s('model_name', 0), name: s('name', 1) };
    case 'RunPython': {
      const code = arg(item, 'code', 0);
      const reverseCode = arg(item, 'reverse_code', 1);
      const st: Statement = {
        ...base,
        kind: 'run_code',
        language: 'python',
        ...(code?.kind === 'name' ? { forward: code.path } : {}),
        effects: codeEffects(code, ctx),
        reverse: withReverseEffects(reverseOf(reverseCode, 'RunPython'), reverseCode, ctx),
      };
      return { base, op: 'Fixed', opaque: false, statements: [st] };
    }
    case 'RunSQL': {
      const sql = arg(item, 'sql', 0);
      const lowered = lowerSql(sql, index, ctx);
      const raw: Statement = {
        ...base,
        kind: 'raw_sql',
        sql: sqlText(sql),
        effects: lowered?.effects ?? { deletes: false, updates: false, inserts: false, dropsData: false, opaque: true },
        reverse: withReverseSqlEffects(reverseOf(arg(item, 'reverse_sql', 1), 'RunSQL'), arg(item, 'reverse_sql', 1), lowered?.statements ?? [], index, ctx),
      };
      // The SQL's own statements follow the RunSQL that carries them: lock rules read these.
      const stateOps = arg(item, 'state_operations', 2);
      const state = items(stateOps);
      return {
        base,
        op: 'Fixed',
        opaque: stateOps !== undefined && stateOps.kind !== 'none' && state === null,
        statements: [raw, ...(lowered?.statements ?? [])],
        ...(state ? { state: readOperations(state, ctx).map((o) => ({ ...o, base: { ...o.base, operationIndex: index } })) } : {}),
      };
    }
    case 'SeparateDatabaseAndState': {
      // Only database_operations touch the database (django/db/migrations/operations/special.py).
      const db = items(arg(item, 'database_operations', 0));
      const state = items(arg(item, 'state_operations', 1));
      const nested = (list: PyValue[] | null) => (list ?? []).map((v) => ({ ...readOne(ctx.resolve(v), index, ctx) }));
      const known = (v: PyValue | undefined) => v === undefined || items(v) !== null;
      const sep: DjangoOp = { base, op: 'Separate', database: nested(db), state: nested(state) };
      if (known(arg(item, 'database_operations', 0)) && known(arg(item, 'state_operations', 1))) return sep;
      return { base, op: 'Fixed', opaque: true, statements: [{ ...base, kind: 'other', description: name }] };
    }
    default:
      return { base, op: 'Fixed', opaque: !NO_SCHEMA_EFFECT.has(name), statements: [{ ...base, kind: 'other', description: name || 'unknown operation' }] };
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
 * What a RunPython reverse does to data (rules judge a reverse that empties tables). A function whose
 * body is only `pass` (or a docstring) runs nothing: `empty`, like `RunPython.noop`.
 */
function withReverseEffects(rev: { status: ReverseStatus; span?: Span }, v: PyValue | undefined, ctx: LowerContext): { status: ReverseStatus; span?: Span; effects?: DataEffects } {
  if (rev.status !== 'present' || !v) return rev;
  const fn = v.kind === 'name' && !v.path.includes('.') ? ctx.functions.get(v.path) : undefined;
  if (fn && onlyPass(fn)) return { ...rev, status: 'empty' };
  return { ...rev, effects: codeEffects(v, ctx) };
}

/** A function whose body is only `pass`, `...` or a docstring. */
function onlyPass(fn: SyntaxNode): boolean {
  const body = fn.getChild('Body');
  if (!body) return false;
  return children(body).every((c) => c.name === ':' || c.name === 'Comment' || c.name === 'PassStatement' || (c.name === 'ExpressionStatement' && (c.firstChild?.name === 'String' || c.firstChild?.name === 'Ellipsis')));
}

/**
 * What RunSQL's `reverse_sql` does to data. Dropping or emptying a table the forward SQL created is the
 * ordinary reverse; emptying or dropping any other table destroys rows written since (`destroys`,
 * model/migration-facts.ts `reverseEffects`, which the down steps of the other front ends share).
 */
function withReverseSqlEffects(rev: { status: ReverseStatus; span?: Span }, v: PyValue | undefined, forward: Statement[], index: number, ctx: LowerContext): { status: ReverseStatus; span?: Span; effects?: DataEffects } {
  if (rev.status !== 'present') return rev;
  // Syntax errors in the reverse are not this operation's forward diagnostics.
  const lowered = lowerSql(v, index, { ...ctx, diagnostics: [] });
  if (!lowered) return rev;
  return { ...rev, effects: reverseEffects(lowered.statements, forward, lowered.effects) };
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

/** Keyword arguments that never reach the database (django/db/models/fields/__init__.py
 *  `Field.non_db_attrs`): changing only these alters nothing. */
const NON_DB_ATTRS = new Set(['blank', 'choices', 'db_column', 'editable', 'error_messages', 'help_text', 'limit_choices_to', 'on_delete', 'related_name', 'related_query_name', 'validators', 'verbose_name']);
/** Keyword arguments `readField` interprets; every other one goes into the signature as written. */
const READ_ATTRS = new Set(['null', 'unique', 'primary_key', 'db_index', 'max_length', 'max_digits', 'decimal_places', 'default', 'db_default', 'auto_now', 'auto_now_add', 'db_comment', 'db_collation', 'to', 'to_field', 'db_constraint', 'through', 'db_table', 'base_field', 'size', 'expression', 'output_field', 'db_persist']);
/** `max_length` defaults of the CharField family (EmailField 254, URLField 200, SlugField 50, ...). */
const DEFAULT_MAX_LENGTH: Record<string, number> = { EmailField: 254, URLField: 200, SlugField: 50, FileField: 100, ImageField: 100, FilePathField: 100, GenericIPAddressField: 39 };
const RELATIONS = new Set(['ForeignKey', 'OneToOneField', 'ManyToManyField']);

/**
 * Django database functions whose SQL and volatility are known, for `db_default=` (django/db/models/
 * functions: `Now()` compiles to `STATEMENT_TIMESTAMP()` on PostgreSQL, which is stable).
 */
const DB_FUNCTIONS: Record<string, { sql: string; volatile: boolean }> = {
  Now: { sql: 'STATEMENT_TIMESTAMP()', volatile: false },
  Pi: { sql: 'PI()', volatile: false },
  Random: { sql: 'RANDOM()', volatile: true },
  RandomUUID: { sql: 'GEN_RANDOM_UUID()', volatile: true },
  TransactionNow: { sql: 'CURRENT_TIMESTAMP', volatile: false },
};

function isLiteral(v: PyValue): boolean {
  return v.kind === 'str' || v.kind === 'num' || v.kind === 'bool' || v.kind === 'none';
}

/** A field from its constructor call, `models.CharField(max_length=20, null=True)`. */
export function readField(v: PyValue, ctx: LowerContext, model: string): FieldDecl {
  if (v.kind !== 'call') return unknownDecl('?', ctx.ev.text(v.node));
  const cls = (v.callee ?? '').split('.').pop() ?? '?';
  // `**kwargs` or `*args` hide what the field is.
  const argList = v.node.getChild('ArgList');
  if (argList && children(argList).some((c) => c.name === '*' || c.name === '**')) return unknownDecl(cls, ctx.ev.text(v.node));
  const relation = RELATIONS.has(cls);
  // Positional forms Django's own signatures allow and people write: ForeignKey(to, on_delete),
  // ArrayField(base_field, size), DecimalField(verbose_name, name, max_digits, decimal_places).
  const pos: Record<string, number> = relation ? { to: 0 } : cls === 'ArrayField' ? { base_field: 0, size: 1 } : cls === 'DecimalField' ? { max_digits: 2, decimal_places: 3 } : {};
  const kw = (k: string) => v.kwargs.get(k) ?? (pos[k] !== undefined ? v.args[pos[k]!] : undefined);
  const bool = (k: string, dflt: boolean) => {
    const x = kw(k);
    return x?.kind === 'bool' ? x.value : dflt;
  };
  const num = (k: string) => {
    const x = kw(k);
    return x?.kind === 'num' ? x.value : undefined;
  };
  const primaryKey = bool('primary_key', false);
  const f: FieldDecl = {
    cls,
    known: true,
    null: bool('null', false),
    blank: bool('blank', false),
    // Field.unique is `_unique or primary_key`; a OneToOneField is unique.
    unique: bool('unique', false) || primaryKey || cls === 'OneToOneField',
    primaryKey,
    dbIndex: bool('db_index', defaultDbIndex(cls)),
    autoNow: bool('auto_now', false) || bool('auto_now_add', false),
    // What deconstruct() keeps besides the facts read below: every other keyword that reaches the
    // database, as written (serialize, db_tablespace, ...).
    extra: [...v.kwargs].filter(([k]) => !READ_ATTRS.has(k) && !NON_DB_ATTRS.has(k)).map(([k, x]) => `${k}=${ctx.ev.text(x.node)}`).sort(),
  };
  const maxLength = num('max_length') ?? DEFAULT_MAX_LENGTH[cls];
  if (maxLength !== undefined) f.maxLength = maxLength;
  const digits = num('max_digits');
  const places = num('decimal_places');
  if (digits !== undefined) f.maxDigits = digits;
  if (places !== undefined) f.decimalPlaces = places;
  const dbColumn = str(kw('db_column'));
  if (dbColumn) f.dbColumn = dbColumn;
  const comment = str(kw('db_comment'));
  if (comment) f.dbComment = comment;
  const collation = str(kw('db_collation'));
  if (collation) f.dbCollation = collation;

  const def = kw('default');
  if (def && !(def.kind === 'name' && def.path.endsWith('NOT_PROVIDED'))) {
    // A callable default is evaluated once by Django when the column is added, so every existing row
    // gets the same value (e.g. uuid.uuid4): reference/frameworks.md §3.9.
    const callable = def.kind === 'name' || def.kind === 'lambda';
    f.default = { kind: callable ? 'app-callable' : 'constant', text: ctx.ev.text(def.node), isNone: def.kind === 'none' };
  }
  const dbDefault = kw('db_default');
  if (dbDefault && !(dbDefault.kind === 'name' && dbDefault.path.endsWith('NOT_PROVIDED'))) f.dbDefault = readDbDefault(dbDefault, ctx);

  if (relation) {
    const to = kw('to');
    const through = kw('through');
    f.relation = {
      to: relationTarget(to, ctx, model),
      dbConstraint: bool('db_constraint', true),
      many: cls === 'ManyToManyField',
      ...(through && through.kind !== 'none' ? { through: true } : {}),
    };
    const toField = str(kw('to_field'));
    if (toField) f.relation.toField = toField;
    const dbTable = str(kw('db_table'));
    if (dbTable) f.relation.dbTable = dbTable;
  }
  const base = kw('base_field');
  if (base) f.base = readField(base, ctx, model);
  const size = num('size');
  if (size !== undefined) f.size = size;
  const expression = kw('expression');
  if (cls === 'GeneratedField' && expression) {
    const output = kw('output_field');
    f.generated = { expression: ctx.ev.text(expression.node), persisted: bool('db_persist', true), ...(output ? { output: readField(output, ctx, model) } : {}) };
  }
  return f;
}

/** `db_default=`: a literal is a `Value` (a constant); a known function compiles to known SQL. */
function readDbDefault(v: PyValue, ctx: LowerContext): NonNullable<FieldDecl['dbDefault']> {
  if (isLiteral(v)) return { kind: 'constant', text: ctx.ev.text(v.node), volatile: false };
  if (v.kind === 'call') {
    const fn = (v.callee ?? '').split('.').pop() ?? '';
    if (fn === 'Value' && v.args[0] && isLiteral(v.args[0])) return { kind: 'constant', text: ctx.ev.text(v.args[0].node), volatile: false };
    const known = DB_FUNCTIONS[fn];
    if (known && v.args.length === 0) return { kind: 'db-expression', text: known.sql, volatile: known.volatile };
  }
  return { kind: 'db-expression', text: ctx.ev.text(v.node) };
}

/** `to=`: `'shop.Item'`, `'Item'` (same app), `'self'`, `settings.AUTH_USER_MODEL` → `app.model`. */
function relationTarget(to: PyValue | undefined, ctx: LowerContext, model: string): string | null {
  let target: string | null = null;
  if (to?.kind === 'str') target = to.value;
  else if (to?.kind === 'name' && to.path.endsWith('AUTH_USER_MODEL')) target = ctx.authUserModel;
  if (target === null) return null;
  if (target === 'self') return modelKey(ctx.app, model);
  return target.includes('.') ? target.toLowerCase() : modelKey(ctx.app, target);
}

/** CreateModel's `options`: db_table, managed, proxy, the *_together sets, indexes, constraints. */
function readOptions(v: PyValue | undefined, ctx: LowerContext): ModelOptions {
  const o: ModelOptions = { managed: true, proxy: false, uniqueTogether: [], indexTogether: [], indexes: [], constraints: [], known: v === undefined || v.kind === 'dict' };
  if (v?.kind !== 'dict') return o;
  for (const [k, x] of v.entries) {
    switch (str(k)) {
      case 'db_table':
        if (x.kind === 'str') o.dbTable = x.value;
        else o.known = false;
        break;
      case 'managed':
        o.managed = !(x.kind === 'bool' && !x.value);
        break;
      case 'proxy':
        o.proxy = x.kind === 'bool' && x.value;
        break;
      case 'unique_together':
        o.uniqueTogether = togetherGroups(x) ?? [];
        break;
      case 'index_together':
        o.indexTogether = togetherGroups(x) ?? [];
        break;
      case 'indexes':
        o.indexes = (items(x) ?? []).map((i) => readIndex(i, ctx));
        break;
      case 'constraints':
        o.constraints = (items(x) ?? []).map((c) => readConstraint(c, ctx));
        break;
      default:
        break;
    }
  }
  return o;
}

function strings(v: PyValue | undefined): string[] | undefined {
  const list = items(v ?? undefined);
  return list ? list.flatMap((f) => (f.kind === 'str' ? [f.value] : [])) : undefined;
}

/** `models.Index(...)`, `GinIndex(...)`: contrib.postgres index classes name their access method. */
function readIndex(idx: PyValue | undefined, ctx: LowerContext): IndexDecl {
  if (idx?.kind !== 'call') return { fields: [], expressions: true, opclasses: false };
  const cls = (idx.callee ?? '').split('.').pop() ?? '';
  const method = /^(Gin|Gist|Brin|Hash|SpGist|Bloom)Index$/.exec(cls)?.[1]?.toLowerCase();
  const name = str(idx.kwargs.get('name'));
  const condition = idx.kwargs.get('condition');
  const include = strings(idx.kwargs.get('include'));
  const opclasses = strings(idx.kwargs.get('opclasses'));
  return {
    fields: strings(idx.kwargs.get('fields')) ?? [],
    ...(name ? { name } : {}),
    ...(method ? { method } : {}),
    ...(condition ? { condition: ctx.ev.text(condition.node) } : {}),
    ...(include?.length ? { include } : {}),
    expressions: idx.args.length > 0,
    opclasses: (opclasses?.length ?? 0) > 0,
  };
}

function readConstraint(c: PyValue | undefined, ctx: LowerContext): ConstraintDecl {
  if (c?.kind !== 'call') return { type: 'unknown', asIndex: false };
  const cls = (c.callee ?? '').split('.').pop();
  const name = str(c.kwargs.get('name'));
  const fields = strings(c.kwargs.get('fields'));
  const type = cls === 'CheckConstraint' ? 'check' : cls === 'UniqueConstraint' ? 'unique' : cls === 'ExclusionConstraint' ? 'exclusion' : 'unknown';
  const check = c.kwargs.get('condition') ?? c.kwargs.get('check');
  const condition = c.kwargs.get('condition');
  const notNull = check ? /^(?:models\.)?Q\(\s*(\w+)__isnull\s*=\s*False\s*,?\s*\)$/.exec(ctx.ev.text(check.node))?.[1] : undefined;
  const include = strings(c.kwargs.get('include'));
  const deferrable = c.kwargs.get('deferrable');
  // django/db/backends/base/schema.py `_unique_sql`: these forms are unique indexes on PostgreSQL.
  const asIndex = type === 'unique' && (c.kwargs.has('condition') || (include?.length ?? 0) > 0 || c.kwargs.has('opclasses') || c.args.length > 0 || c.kwargs.has('nulls_distinct'));
  return {
    type,
    asIndex,
    ...(name ? { name } : {}),
    ...(fields ? { fields } : {}),
    // Conditions are Python (Q objects), written as the migration has them; Django compiles them to SQL.
    ...(type === 'check' && check ? { expression: ctx.ev.text(check.node) } : {}),
    ...(type === 'check' && notNull ? { notNullField: notNull } : {}),
    ...(type === 'unique' && condition ? { condition: ctx.ev.text(condition.node) } : {}),
    ...(include?.length ? { include } : {}),
    ...(deferrable && deferrable.kind !== 'none' ? { deferrable: true } : {}),
  };
}

/** unique_together / index_together: a set of tuples, `{('a', 'b')}`, or one flat tuple. */
function togetherGroups(v: PyValue | undefined): string[][] | null {
  const list = items(v);
  if (!list) return null;
  if (list.every((i) => i.kind === 'str')) return list.length ? [list.map((i) => (i.kind === 'str' ? i.value : ''))] : [];
  return list.map((g) => strings(g) ?? []);
}
