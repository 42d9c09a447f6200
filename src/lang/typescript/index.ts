/**
 * The TypeScript/JavaScript front end: the TypeScript compiler's own parser (`ts.createSourceFile`, no
 * Program, no type checking: the fastest way to read a file's syntax tree), plus a small evaluator that
 * turns the literal parts of a module (strings and templates, numbers, booleans, arrays, object
 * literals, `new X({...})`, references such as `Sequelize.STRING`) into `JsValue`s. Nothing is executed:
 * a value that cannot be known statically is `unknown`, and callers decide what that means.
 *
 * Strings keep, for every character, the file offset it came from (through escapes and `${…}`
 * substitutions), so a position inside embedded SQL maps back to the file. A template's `${…}` that is
 * not a constant in the same file is a placeholder: it is replaced by neutral SQL text (a quoted
 * identifier `"${expr}"`, or the bare text inside a quoted SQL string) and counted, so the SQL still
 * parses and callers can say the statement came from a template.
 *
 * Shared by the Knex, TypeORM, Sequelize and node-pg-migrate front ends (src/frameworks/js/).
 */
// Loaded with require (TypeScript compiles `import = require` in an ES module to createRequire): imported
// as an ES module, Node first scans the 9 MB CommonJS file for its named exports, which cost over a second
// on every run before anything was checked.
import ts = require('typescript');
import { LineIndex } from '../../model/text.js';
import type { Diagnostic, Span } from '../../model/types.js';

export { ts };

export interface TsModule {
  text: string;
  index: LineIndex;
  sf: ts.SourceFile;
  /** Syntax errors, first one first. */
  errors: Diagnostic[];
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.(c|m)?tsx?$/.test(fileName)) return fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return fileName.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
}

export function parseTypeScript(text: string, fileName: string): TsModule {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const index = new LineIndex(text);
  // The parser's own diagnostics (not exported in the public typings, but stable since TS 1.x): syntax
  // errors only, no type checking.
  const parseDiagnostics = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const errors: Diagnostic[] = parseDiagnostics.map((d) => ({
    code: 'syntax',
    message: `invalid ${/\.(c|m)?tsx?$/.test(fileName) ? 'TypeScript' : 'JavaScript'} syntax: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    span: index.span(d.start, d.start + d.length),
  }));
  return { text, index, sf, errors };
}

export function spanOf(mod: TsModule, node: ts.Node): Span {
  return mod.index.span(node.getStart(mod.sf), node.getEnd());
}

/** Comments in the file, found through the compiler's trivia between tokens (never by searching text,
 *  so `//` inside a string is not a comment). `text` is without the `//` or the `/* *\/`. */
export function commentsOf(mod: TsModule): { text: string; from: number; to: number; ownLine: boolean }[] {
  const seen = new Set<number>();
  const out: { text: string; from: number; to: number; ownLine: boolean }[] = [];
  const add = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      const raw = mod.text.slice(r.pos, r.end);
      const body = r.kind === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, raw.endsWith('*/') ? -2 : undefined);
      const lineStart = mod.index.lineStart(mod.index.position(r.pos).line);
      out.push({ text: body, from: r.pos, to: r.end, ownLine: mod.text.slice(lineStart, r.pos).trim() === '' });
    }
  };
  const visit = (node: ts.Node) => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = node.getChildren(mod.sf);
    if (children.length === 0) {
      add(ts.getLeadingCommentRanges(mod.text, node.pos));
      add(ts.getTrailingCommentRanges(mod.text, node.end));
      return;
    }
    for (const c of children) visit(c);
  };
  visit(mod.sf);
  return out.sort((a, b) => a.from - b.from);
}

/** A string known statically, with the file offset of each character (`offsets[value.length]` is the
 *  offset just past the last one). */
export interface StrValue {
  value: string;
  offsets: number[];
  /** `${…}` substitutions that are not constants of the file, replaced by neutral text. */
  placeholders: number;
}

export type JsValue = { node: ts.Expression } & (
  | ({ kind: 'str' } & StrValue)
  | { kind: 'num'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'undefined' }
  | { kind: 'array'; items: JsValue[] }
  | { kind: 'object'; props: Map<string, JsValue> }
  /** `new Ctor(args)`: TypeORM's `new TableIndex({...})`. */
  | { kind: 'new'; ctor: string; args: JsValue[] }
  /** A name or property path: `Sequelize.STRING`, `DataTypes.INTEGER`. */
  | { kind: 'ref'; path: string }
  /** A call of a name or property path: `Sequelize.STRING(100)`, `knex.fn.now()`, `pgm.func('now()')`. */
  | { kind: 'call'; path: string; args: JsValue[] }
  | { kind: 'function' }
  | { kind: 'unknown' }
);

/** `a.b.c` as a string, for identifiers, `this` and property accesses of them; null otherwise. */
export function pathOf(expr: ts.Expression): string | null {
  const e = skipParens(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(e)) {
    const left = pathOf(e.expression);
    return left === null ? null : `${left}.${e.name.text}`;
  }
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
    const left = pathOf(e.expression);
    return left === null ? null : `${left}.${e.argumentExpression.text}`;
  }
  return null;
}

/** Strips parentheses, `await`, `as`/`satisfies`/non-null assertions and `void`. */
export function skipParens(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isVoidExpression(e)) e = e.expression;
    else if (ts.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

/** The property name as written (`up`, `'up'`, `["up"]`), or null for a computed one. */
export function propName(name: ts.PropertyName | ts.MemberName | undefined): string | null {
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return null;
}

/**
 * The initializer of a `const` named `name` visible from `from` (its own block, the enclosing ones, the
 * module), or undefined. Only `const`: a `let` may have changed by the time it is read.
 */
export function constInitializer(name: string, from: ts.Node): ts.Expression | undefined {
  for (let n: ts.Node | undefined = from; n; n = n.parent) {
    const statements = ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) ? n.statements : undefined;
    if (!statements) continue;
    for (const st of statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return d.initializer;
    }
  }
  return undefined;
}

/** Evaluates an expression statically. `depth` bounds following constants (`const a = b`). */
export function evaluate(expr: ts.Expression, depth = 0): JsValue {
  const node = expr;
  const e = skipParens(expr);
  const str = stringOf(e, depth);
  if (str) return { node, kind: 'str', ...str };
  if (ts.isNumericLiteral(e)) return { node, kind: 'num', value: Number(e.text) };
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return { node, kind: 'num', value: -Number(e.operand.text) };
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return { node, kind: 'bool', value: e.kind === ts.SyntaxKind.TrueKeyword };
  if (e.kind === ts.SyntaxKind.NullKeyword) return { node, kind: 'null' };
  if (ts.isIdentifier(e) && e.text === 'undefined') return { node, kind: 'undefined' };
  if (ts.isArrayLiteralExpression(e)) return { node, kind: 'array', items: e.elements.map((x) => evaluate(x, depth)) };
  if (ts.isObjectLiteralExpression(e)) {
    const props = new Map<string, JsValue>();
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p)) {
        const k = propName(p.name);
        if (k !== null) props.set(k, evaluate(p.initializer, depth));
      } else if (ts.isShorthandPropertyAssignment(p)) {
        props.set(p.name.text, evaluate(p.name, depth));
      } else if (ts.isMethodDeclaration(p)) {
        const k = propName(p.name);
        if (k !== null) props.set(k, { node: e, kind: 'function' });
      }
    }
    return { node, kind: 'object', props };
  }
  if (ts.isNewExpression(e)) {
    const ctor = pathOf(e.expression);
    return ctor ? { node, kind: 'new', ctor, args: (e.arguments ?? []).map((a) => evaluate(a, depth)) } : { node, kind: 'unknown' };
  }
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return { node, kind: 'function' };
  if (ts.isCallExpression(e)) {
    const path = pathOf(e.expression);
    return path ? { node, kind: 'call', path, args: e.arguments.map((a) => evaluate(a, depth)) } : { node, kind: 'unknown' };
  }
  if (ts.isIdentifier(e) && depth < 5) {
    const init = constInitializer(e.text, e);
    if (init) return { ...evaluate(init, depth + 1), node };
  }
  const path = pathOf(e);
  if (path) return { node, kind: 'ref', path };
  return { node, kind: 'unknown' };
}

/** The string value of a literal, a template, a `+` concatenation of them, or a `const` holding one. */
export function stringOf(expr: ts.Expression, depth = 0): StrValue | null {
  const e = skipParens(expr);
  if (ts.isStringLiteral(e)) {
    const start = e.getStart();
    return cook(e.getText().slice(1, -1), start + 1, false);
  }
  if (ts.isNoSubstitutionTemplateLiteral(e)) return cook(e.getText().slice(1, -1), e.getStart() + 1, true);
  if (ts.isTemplateExpression(e)) {
    const parts: StrValue[] = [];
    const headText = e.head.getText();
    parts.push(cook(headText.slice(1, -2), e.head.getStart() + 1, true));
    let placeholders = 0;
    for (const span of e.templateSpans) {
      const sub = stringOf(span.expression, depth + 1);
      const sofar = parts.map((p) => p.value).join('');
      if (sub && depth < 5) {
        parts.push(sub);
        placeholders += sub.placeholders;
      } else {
        parts.push(placeholderText(sofar, span.expression));
        placeholders += 1;
      }
      const lit = span.literal;
      const t = lit.getText();
      parts.push(cook(ts.isTemplateTail(lit) ? t.slice(1, -1) : t.slice(1, -2), lit.getStart() + 1, true));
    }
    const joined = join(parts);
    return { ...joined, placeholders };
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = stringOf(e.left, depth);
    const r = stringOf(e.right, depth);
    if (!l || !r) return null;
    return { ...join([l, r]), placeholders: l.placeholders + r.placeholders };
  }
  if (ts.isIdentifier(e) && depth < 5) {
    const init = constInitializer(e.text, e);
    if (init) return stringOf(init, depth + 1);
  }
  return null;
}

function join(parts: StrValue[]): StrValue {
  let value = '';
  const offsets: number[] = [];
  for (const p of parts) {
    value += p.value;
    offsets.push(...p.offsets.slice(0, p.value.length));
  }
  const last = parts[parts.length - 1];
  offsets.push(last ? last.offsets[last.value.length]! : 0);
  return { value, offsets, placeholders: parts.reduce((n, p) => n + p.placeholders, 0) };
}

/**
 * Neutral SQL for a `${…}` that is not a constant: inside a quoted SQL string or identifier, the
 * expression's text (minus the quote character); elsewhere a quoted identifier `"${expr}"`, which parses
 * wherever a name or a value may stand (`ON ${table}`, `WHERE id = ${id}`) and reads well in messages.
 */
function placeholderText(sqlSoFar: string, expr: ts.Expression): StrValue {
  const written = '${' + expr.getText().replace(/\s+/g, ' ') + '}';
  const quote = openQuote(sqlSoFar);
  const value = quote ? written.split(quote).join('') : `"${written.replace(/"/g, '')}"`;
  const from = expr.getStart() - 2;
  const to = expr.getEnd() + 1;
  return { value, offsets: [...Array.from({ length: value.length }, () => from), to], placeholders: 1 };
}

/** The quote character of a SQL string or quoted identifier left open at the end of `sql`, if any. */
function openQuote(sql: string): "'" | '"' | null {
  let open: "'" | '"' | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (open) {
      if (c === open) open = null;
    } else if (c === "'" || c === '"') open = c;
    else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      if (nl < 0) return null;
      i = nl;
    }
  }
  return open;
}

/**
 * JavaScript string escapes (ECMA-262 "String Literals", "Template Literal Lexical Components"), with
 * the source offset of each cooked character. In templates a CR LF or lone CR is read as LF.
 */
export function cook(raw: string, base: number, template: boolean): StrValue {
  let value = '';
  const offsets: number[] = [];
  const emit = (s: string, from: number) => {
    value += s;
    for (let k = 0; k < s.length; k++) offsets.push(base + from);
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\r' && template) {
      emit('\n', i);
      if (raw[i + 1] === '\n') i++;
      continue;
    }
    if (c !== '\\') {
      emit(c, i);
      continue;
    }
    const from = i;
    const n = raw[++i];
    switch (n) {
      case undefined:
        break;
      case '\n':
      case '\u2028':
      case '\u2029':
        break; // line continuation
      case '\r':
        if (raw[i + 1] === '\n') i++;
        break;
      case 'n': emit('\n', from); break;
      case 't': emit('\t', from); break;
      case 'r': emit('\r', from); break;
      case 'b': emit('\b', from); break;
      case 'f': emit('\f', from); break;
      case 'v': emit('\v', from); break;
      case '0':
        emit('\0', from);
        break;
      case 'x': {
        const hex = raw.slice(i + 1, i + 3);
        emit(String.fromCharCode(parseInt(hex, 16) || 0), from);
        i += 2;
        break;
      }
      case 'u': {
        if (raw[i + 1] === '{') {
          const close = raw.indexOf('}', i);
          emit(String.fromCodePoint(parseInt(raw.slice(i + 2, close), 16) || 0), from);
          i = close;
        } else {
          emit(String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16) || 0), from);
          i += 4;
        }
        break;
      }
      default:
        emit(n, from);
    }
  }
  offsets.push(base + raw.length);
  return { value, offsets, placeholders: 0 };
}

/** One link of a call chain: `.name(args)` or `.name`. */
export interface ChainLink {
  name: string;
  /** The call's arguments; undefined for a property read. */
  args?: readonly ts.Expression[];
  /** The expression ending at this link (the call, or the property access). */
  node: ts.Expression;
}

/**
 * A call chain from its root: `knex.schema.alterTable('t', cb).then(f)` is root `knex` and links
 * `schema`, `alterTable(...)`, `then(...)`; `t.string('a').notNullable()` is root `t`, links
 * `string(...)`, `notNullable()`. The root is the innermost expression that is not a property access or
 * a call of one (an identifier, `this`, a call of a plain function).
 */
export function chainOf(expr: ts.Expression): { root: ts.Expression; links: ChainLink[] } {
  const links: ChainLink[] = [];
  let e = skipParens(expr);
  for (;;) {
    if (ts.isCallExpression(e)) {
      const callee = skipParens(e.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        links.unshift({ name: callee.name.text, args: e.arguments, node: e });
        e = skipParens(callee.expression);
        continue;
      }
      if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
        links.unshift({ name: callee.argumentExpression.text, args: e.arguments, node: e });
        e = skipParens(callee.expression);
        continue;
      }
      return { root: e, links };
    }
    if (ts.isPropertyAccessExpression(e)) {
      links.unshift({ name: e.name.text, node: e });
      e = skipParens(e.expression);
      continue;
    }
    return { root: e, links };
  }
}

/** The body of a function-like node as statements (an expression body becomes one return). */
export function bodyStatements(fn: ts.FunctionLikeDeclaration): readonly ts.Node[] {
  if (!fn.body) return [];
  if (ts.isBlock(fn.body)) return fn.body.statements;
  return [fn.body];
}

/** The name of a function's `index`-th parameter, when it is a plain identifier. */
export function paramName(fn: ts.SignatureDeclarationBase, index: number): string | null {
  const p = fn.parameters[index];
  return p && ts.isIdentifier(p.name) ? p.name.text : null;
}

/** A function expression, arrow function or method, after following a `const` name once. */
export function asFunction(expr: ts.Expression | undefined): ts.FunctionLikeDeclaration | null {
  if (!expr) return null;
  let e = skipParens(expr);
  if (ts.isIdentifier(e)) {
    const init = constInitializer(e.text, e);
    if (init) e = skipParens(init);
    else {
      // `function up(knex) {}` declared in the module.
      const decl = functionDeclaration(e.text, e.getSourceFile());
      if (decl) return decl;
    }
  }
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e) ? e : null;
}

export function functionDeclaration(name: string, sf: ts.SourceFile): ts.FunctionDeclaration | null {
  for (const st of sf.statements) if (ts.isFunctionDeclaration(st) && st.name?.text === name && st.body) return st;
  return null;
}
