/**
 * The Python front end: a real Python grammar (@lezer/python, pure JS, no install scripts), plus a small
 * evaluator that turns the literal parts of a module (strings, numbers, lists, tuples, dicts, names,
 * calls) into `PyValue`s with spans. Nothing is executed: a value we cannot know statically is
 * `unknown` and callers decide what that means.
 *
 * Shared by the Django front end and (later) Alembic.
 */
import { parser } from '@lezer/python';
import type { SyntaxNode, Tree } from '@lezer/common';
import { LineIndex } from '../../model/text.js';
import type { Diagnostic, Span } from '../../model/types.js';

export interface PyModule {
  text: string;
  index: LineIndex;
  tree: Tree;
  /** Syntax errors, first one first. */
  errors: Diagnostic[];
  /** Comments, with their text (without the leading `#`) and offsets. */
  comments: { text: string; from: number; to: number }[];
}

export function parsePython(text: string): PyModule {
  const tree = parser.parse(text);
  const index = new LineIndex(text);
  const errors: Diagnostic[] = [];
  const comments: PyModule['comments'] = [];
  // One pass over the tree for both: walking it is a large share of a cold run's time.
  const cursor = tree.cursor();
  for (;;) {
    const type = cursor.type;
    let descend = true;
    if (type.isError) {
      errors.push({ code: 'syntax', message: syntaxMessage(text, cursor.from, cursor.to), span: index.span(cursor.from, Math.max(cursor.to, cursor.from)) });
      descend = false;
    } else if (type.name === 'Comment') {
      comments.push({ text: text.slice(cursor.from + 1, cursor.to), from: cursor.from, to: cursor.to });
    }
    if (descend && cursor.firstChild()) continue;
    while (!cursor.nextSibling()) {
      if (!cursor.parent()) return { text, index, tree, errors, comments };
    }
  }
}

function syntaxMessage(text: string, from: number, to: number): string {
  if (from >= text.length) return 'invalid Python syntax: unexpected end of file';
  // Name the whole token where the parser gave up, as Python's own messages do.
  const rest = text.slice(from, Math.max(to, from + 40));
  const near = (/^\w+|^[^\s\w]+/.exec(rest)?.[0] ?? '').slice(0, 20);
  return near ? `invalid Python syntax near '${near}'` : 'invalid Python syntax';
}

export type PyValue = { node: SyntaxNode; span: Span } & (
  | {
      kind: 'str';
      value: string;
      bytes: boolean;
      /** offset of the string's content start (after the quote); -1 when the value was built from pieces */
      contentFrom: number;
      raw: boolean;
      triple: boolean;
      quote: string;
      /** File offset of the value's i-th character (0 … value.length), through escapes; null when the
       *  value was built from several literals. */
      sourceOffset: ((i: number) => number) | null;
    }
  | { kind: 'num'; value: number; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list' | 'tuple'; items: PyValue[] }
  | { kind: 'dict'; entries: [PyValue, PyValue][] }
  /** A name or dotted attribute access: `models.CharField`, `settings.AUTH_USER_MODEL`, `forwards`. */
  | { kind: 'name'; path: string }
  | { kind: 'call'; callee: string | null; calleeNode: SyntaxNode; args: PyValue[]; kwargs: Map<string, PyValue> }
  | { kind: 'lambda' }
  | { kind: 'unknown'; text: string }
);

export class PyEvaluator {
  constructor(readonly mod: PyModule) {}

  text(node: SyntaxNode): string {
    return this.mod.text.slice(node.from, node.to);
  }

  span(node: SyntaxNode): Span {
    return this.mod.index.span(node.from, node.to);
  }

  /** Evaluates an expression node into a PyValue. Never throws. */
  eval(node: SyntaxNode): PyValue {
    const base = { node, span: this.span(node) };
    switch (node.name) {
      case 'String':
        return this.string(node);
      case 'ContinuedString': {
        // Implicit concatenation: 'a' 'b'.
        const parts = children(node).filter((c) => c.name === 'String').map((c) => this.string(c));
        if (parts.every((p) => p.kind === 'str')) {
          const first = parts[0];
          if (first && first.kind === 'str') {
            return { ...first, ...base, value: parts.map((p) => (p.kind === 'str' ? p.value : '')).join(''), contentFrom: -1, sourceOffset: null };
          }
        }
        return { ...base, kind: 'unknown', text: this.text(node) };
      }
      case 'FormatString':
        return { ...base, kind: 'unknown', text: this.text(node) };
      case 'Number': {
        const t = this.text(node).replace(/_/g, '');
        const v = Number(t);
        return { ...base, kind: 'num', value: v, text: t };
      }
      case 'Boolean':
        return { ...base, kind: 'bool', value: this.text(node) === 'True' };
      case 'None':
        return { ...base, kind: 'none' };
      case 'VariableName':
        return { ...base, kind: 'name', path: this.text(node) };
      case 'MemberExpression': {
        const path = this.dotted(node);
        return path ? { ...base, kind: 'name', path } : { ...base, kind: 'unknown', text: this.text(node) };
      }
      case 'SetExpression': // {('a', 'b')}: makemigrations writes unique_together as a set
      case 'ArrayExpression':
      case 'TupleExpression': {
        const items = exprChildren(node).map((c) => this.eval(c));
        return { ...base, kind: node.name === 'TupleExpression' ? 'tuple' : 'list', items };
      }
      case 'ParenthesizedExpression': {
        const inner = exprChildren(node)[0];
        return inner ? this.eval(inner) : { ...base, kind: 'unknown', text: this.text(node) };
      }
      case 'DictionaryExpression': {
        // `{**other}` spreads a value we cannot see: the dict is then unknown.
        if (children(node).some((c) => c.name === '**' || c.name === 'for')) {
          return { ...base, kind: 'unknown', text: this.text(node) };
        }
        const xs = exprChildren(node);
        const entries: [PyValue, PyValue][] = [];
        for (let i = 0; i + 1 < xs.length; i += 2) entries.push([this.eval(xs[i]!), this.eval(xs[i + 1]!)]);
        return { ...base, kind: 'dict', entries };
      }
      case 'BinaryExpression': {
        // 'a' + 'b': SQL is often built this way. The result has no exact offset mapping (contentFrom -1).
        const [l, op, r] = children(node);
        if (l && op && r && this.text(op) === '+') {
          const lv = this.eval(l);
          const rv = this.eval(r);
          if (lv.kind === 'str' && rv.kind === 'str') {
            return { ...lv, ...base, value: lv.value + rv.value, contentFrom: -1, sourceOffset: null };
          }
        }
        return { ...base, kind: 'unknown', text: this.text(node) };
      }
      case 'CallExpression':
        return this.call(node);
      case 'LambdaExpression':
        return { ...base, kind: 'lambda' };
      default:
        return { ...base, kind: 'unknown', text: this.text(node) };
    }
  }

  /** `a.b.c` as a dotted string, or null when any part is not a plain name. */
  dotted(node: SyntaxNode): string | null {
    if (node.name === 'VariableName') return this.text(node);
    if (node.name !== 'MemberExpression') return null;
    const obj = node.firstChild;
    const prop = node.lastChild;
    if (!obj || !prop || prop.name !== 'PropertyName') return null;
    const left = this.dotted(obj);
    return left === null ? null : `${left}.${this.text(prop)}`;
  }

  private call(node: SyntaxNode): PyValue {
    const calleeNode = node.firstChild!;
    const argList = node.getChild('ArgList');
    const args: PyValue[] = [];
    const kwargs = new Map<string, PyValue>();
    if (argList) {
      const kids = children(argList);
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i]!;
        if (k.name === '(' || k.name === ')' || k.name === ',') continue;
        const next = kids[i + 1];
        if (k.name === 'VariableName' && next?.name === 'AssignOp') {
          const valueNode = kids[i + 2];
          if (valueNode) kwargs.set(this.text(k), this.eval(valueNode));
          i += 2;
          continue;
        }
        if (k.type.isError || k.name === '*' || k.name === '**') continue;
        args.push(this.eval(k));
      }
    }
    return { node, span: this.span(node), kind: 'call', callee: this.dotted(calleeNode), calleeNode, args, kwargs };
  }

  private string(node: SyntaxNode): PyValue {
    const raw = this.text(node);
    let p = 0;
    while (p < 2 && p < raw.length && 'rRbBuU'.includes(raw[p]!)) p++;
    const q = raw[p];
    if (q !== "'" && q !== '"') return { node, span: this.span(node), kind: 'unknown', text: raw };
    const triple = raw.length >= p + 6 && raw[p + 1] === q && raw[p + 2] === q;
    const quoteLength = triple ? 3 : 1;
    const prefix = raw.slice(0, p).toLowerCase();
    const open = p + quoteLength;
    const body = raw.slice(open, raw.length - quoteLength);
    const isRaw = prefix.includes('r');
    const contentFrom = node.from + open;
    const decoded = isRaw || !body.includes('\\') ? null : unescapeWithOffsets(body);
    return {
      node,
      span: this.span(node),
      kind: 'str',
      value: decoded ? decoded.value : body,
      sourceOffset: decoded ? (i) => contentFrom + decoded.starts[Math.max(0, Math.min(i, decoded.starts.length - 1))]! : (i) => contentFrom + i,
      bytes: prefix.includes('b'),
      contentFrom,
      raw: isRaw,
      triple,
      quote: triple ? q.repeat(3) : q,
    };
  }
}

/** Python's string escapes (the Python Language Reference, "String and Bytes literals"). */
export function unescapePython(s: string): string {
  return s.includes('\\') ? unescapeWithOffsets(s).value : s;
}

/**
 * Decodes escapes and records, for each character of the value, the offset in `s` it came from
 * (`starts[value.length]` is `s.length`), so that a position inside embedded SQL maps back to the file.
 */
export function unescapeWithOffsets(s: string): { value: string; starts: number[] } {
  let out = '';
  const starts: number[] = [];
  const emit = (text: string, from: number) => {
    out += text;
    for (let k = 0; k < text.length; k++) starts.push(from);
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      emit(c, i);
      continue;
    }
    const from = i;
    const n = s[++i];
    switch (n) {
      case undefined: emit('\\', from); break;
      case '\n': break; // line continuation
      case '\r':
        if (s[i + 1] === '\n') i++;
        break;
      case 'n': emit('\n', from); break;
      case 't': emit('\t', from); break;
      case 'r': emit('\r', from); break;
      case '\\': emit('\\', from); break;
      case "'": emit("'", from); break;
      case '"': emit('"', from); break;
      case 'a': emit('\x07', from); break;
      case 'b': emit('\b', from); break;
      case 'f': emit('\f', from); break;
      case 'v': emit('\v', from); break;
      case 'x':
        emit(String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16)), from);
        i += 2;
        break;
      case 'u':
      case 'U': {
        const len = n === 'u' ? 4 : 8;
        emit(String.fromCodePoint(parseInt(s.slice(i + 1, i + 1 + len), 16)), from);
        i += len;
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          let j = i;
          while (j < i + 3 && s[j]! >= '0' && s[j]! <= '7') j++;
          emit(String.fromCharCode(parseInt(s.slice(i, j), 8)), from);
          i = j - 1;
        } else {
          emit('\\' + n, from); // unknown escapes stay as written
        }
    }
  }
  starts.push(s.length);
  return { value: out, starts };
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', 'AssignOp', 'Comment']);

/** The expression children of a list, tuple or dict node (punctuation and error nodes dropped). */
export function exprChildren(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter((c) => !PUNCTUATION.has(c.name) && !c.type.isError && c.name !== 'for');
}

/** Top-level statements of a module or a class/function body. */
export function bodyStatements(node: SyntaxNode): SyntaxNode[] {
  const body = node.name === 'Script' ? node : node.getChild('Body');
  return body ? children(body) : [];
}

/** For `name = value` (or `name: T = value`), the name and the value node. */
export function assignment(stmt: SyntaxNode, ev: PyEvaluator): { name: string; value: SyntaxNode; target: SyntaxNode } | null {
  if (stmt.name !== 'AssignStatement') return null;
  const kids = children(stmt);
  const target = kids[0];
  const op = kids.findIndex((k) => k.name === 'AssignOp');
  const value = op >= 0 ? kids[op + 1] : undefined;
  if (!target || target.name !== 'VariableName' || !value) return null;
  // A chained or annotated assignment puts more nodes between; the last value wins in Python.
  const lastOp = kids.map((k) => k.name).lastIndexOf('AssignOp');
  const last = kids[lastOp + 1] ?? value;
  return { name: ev.text(target), value: last, target };
}
