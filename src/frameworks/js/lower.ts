/**
 * What the four JavaScript front ends share when they lower an `up` function: a walk over its body in
 * source order that hands every call chain rooted at the migration's parameter (`knex`, `queryRunner`,
 * `queryInterface`, `pgm`) to the framework's lowering, SQL through the SQL front end (generated SQL at
 * the call that produced it; SQL in string and template literals at its place in the file), and an
 * opaque statement for whatever cannot be read, so nothing is silently dropped.
 */
import { parseSql } from '../../lang/sql/index.js';
import { chainOf, pathOf, skipParens, spanOf, stringOf, ts, type ChainLink, type StrValue, type TsModule } from '../../lang/typescript/index.js';
import type { DataEffects, Diagnostic, Statement } from '../../model/types.js';

export const OPAQUE: DataEffects = { deletes: false, updates: false, inserts: false, dropsData: false, opaque: true };

/** One framework's lowering of a call chain rooted at the migration's parameter. */
export interface ChainLowering {
  /**
   * Lowers `links` (the chain after the root). Returns how many links it consumed; the walker then walks
   * the arguments of the rest (`.then(() => …)`). Returns 0 when it does not know the call: the walker
   * records it as opaque.
   */
  lower(links: ChainLink[], call: ts.Expression, lx: Lowerer): number;
  /** `knex('users').update(…)`: the root itself is a call of the parameter. */
  lowerRootCall?(root: ts.CallExpression, links: ChainLink[], lx: Lowerer): void;
}

export class Lowerer {
  readonly statements: Statement[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** Every SQL text the framework would generate, in order (tests compare it with the real tool's). */
  readonly generatedSql: string[] = [];
  private op = 0;

  constructor(
    readonly mod: TsModule,
    /** The names the migration's database object goes by (`knex`, `queryRunner`, `this` for TypeORM's
     *  helpers is not followed). */
    readonly roots: ReadonlySet<string>,
    private readonly lowering: ChainLowering,
  ) {}

  /** Walks statements or expressions in source order. */
  walk(nodes: readonly ts.Node[]): void {
    for (const n of nodes) this.visit(n);
  }

  private visit(node: ts.Node): void {
    if (ts.isCallExpression(node) || (ts.isPropertyAccessExpression(node) && !ts.isCallExpression(node.parent))) {
      if (ts.isCallExpression(node) && this.chainCall(node)) return;
    }
    // Nested functions declared inside `up` are walked where they are written: most are callbacks that
    // run right there (`.then(() => …)`, `Promise.all([...].map(…))`).
    ts.forEachChild(node, (c) => this.visit(c));
  }

  /** Handles a call whose chain is rooted at the parameter; false when it is not. */
  private chainCall(call: ts.CallExpression): boolean {
    // Only the outermost call of a chain: `a.b().c()` is visited at `c`.
    const { root, links } = chainOf(call);
    const r = skipParens(root);
    if (ts.isCallExpression(r) && ts.isIdentifier(skipParens(r.expression)) && this.roots.has((skipParens(r.expression) as ts.Identifier).text)) {
      if (this.lowering.lowerRootCall) this.lowering.lowerRootCall(r, links, this);
      else this.opaque(call, `${call.getText().slice(0, 60)}`);
      return true;
    }
    if (!ts.isIdentifier(r) || !this.roots.has(r.text)) {
      // The database object handed to a function the linter does not follow.
      const passes = call.arguments.some((a) => {
        const e = skipParens(a);
        return ts.isIdentifier(e) && this.roots.has(e.text);
      });
      if (passes) {
        this.opaque(call, `${pathOf(call.expression) ?? 'a function'}(…), which is given the migration's database object and is not followed`);
        for (const a of call.arguments) this.visit(a);
        return true;
      }
      return false;
    }
    if (links.length === 0) return false;
    const used = this.lowering.lower(links, call, this);
    if (used === 0) {
      this.opaque(call, `${pathOf(ts.isCallExpression(call) ? call.expression : call) ?? call.getText().slice(0, 60)}(…)`);
      for (const l of links) for (const a of l.args ?? []) this.visit(a);
      return true;
    }
    for (const l of links.slice(used)) for (const a of l.args ?? []) this.visit(a);
    return true;
  }

  nextOperation(): number {
    return this.op++;
  }

  /**
   * SQL the framework generates for `node` (a builder call): lowered by the SQL front end, every
   * statement placed at the call. `construct` names the call for messages.
   */
  generated(sql: string | string[], node: ts.Node, construct: string, operationIndex = this.nextOperation()): Statement[] {
    const text = Array.isArray(sql) ? sql.map((s) => `${s};`).join('\n') : sql;
    this.generatedSql.push(...(Array.isArray(sql) ? sql : [sql]));
    const span = spanOf(this.mod, node);
    const r = parseSql(text, { index: this.mod.index, mapOffset: () => span.offset, construct, operationIndex, shareOperationIndex: true });
    const out = r.statements.map((st) => ({ ...st, span }));
    this.statements.push(...out);
    // SQL the linter wrote itself should always parse; if it does not, say so at the call rather than
    // dropping the operation.
    for (const d of r.diagnostics) this.diagnostics.push({ code: 'unsupported', message: `could not read ${construct} (generated SQL: ${d.message})`, span });
    if (r.statements.length === 0 && r.diagnostics.length > 0) this.opaque(node, construct, operationIndex);
    return out;
  }

  /** SQL written in the file (`knex.raw('…')`, `queryRunner.query(\`…\`)`), at its place in the file. */
  raw(arg: ts.Expression | undefined, node: ts.Node, construct: string, rewrite?: (s: StrValue) => StrValue): void {
    const operationIndex = this.nextOperation();
    const s = arg ? stringOf(arg) : null;
    if (!s) {
      this.statements.push({ span: spanOf(this.mod, node), construct, operationIndex, kind: 'raw_sql', sql: null, effects: OPAQUE });
      return;
    }
    const str = rewrite ? rewrite(s) : s;
    const label = str.placeholders > 0 ? `${construct} (a template: ${str.placeholders} \${…} read as placeholders)` : construct;
    const r = parseSql(str.value, {
      index: this.mod.index,
      mapOffset: (o) => str.offsets[Math.max(0, Math.min(o, str.offsets.length - 1))]!,
      construct: label,
      operationIndex,
      shareOperationIndex: true,
    });
    this.statements.push(...(str.placeholders > 0 ? r.statements.map((st) => ({ ...st, placeholders: str.placeholders })) : r.statements));
    this.diagnostics.push(...r.diagnostics);
  }

  /** A call the linter cannot lower: an `other` statement, so rules know something unknown ran here. */
  opaque(node: ts.Node, description: string, operationIndex = this.nextOperation()): void {
    this.statements.push({ span: spanOf(this.mod, node), construct: description, operationIndex, kind: 'other', description: `${description}: cannot be read statically` });
  }

  /** A data change the framework makes through its query builder (`knex('t').update(…)`). */
  data(kind: 'update' | 'delete' | 'insert', table: string, where: boolean, node: ts.Node, construct: string): void {
    const base = { span: spanOf(this.mod, node), construct, operationIndex: this.nextOperation() };
    this.statements.push(kind === 'insert' ? { ...base, kind, table, fromQuery: false } : { ...base, kind, table, where });
  }
}

/** `"name"` as PostgreSQL quotes an identifier; a dotted name is quoted part by part. */
export function q(name: string): string {
  return name
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');
}

/** A SQL string literal. */
export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
