/**
 * What a JavaScript or TypeScript migration module exports, read from its syntax tree: the `up` and
 * `down` functions (CommonJS `exports.up =` / `module.exports = { up, down }`, ES `export function up`
 * / `export const up =`, a TypeORM class's `up` / `down` methods), Knex's `config`, TypeORM's `name`
 * and `transaction` properties, and which framework the module looks written for
 * (reference/frameworks.md §16: Knex, TypeORM, Sequelize, node-pg-migrate).
 */
import { asFunction, bodyStatements, evaluate, paramName, propName, skipParens, ts, type JsValue, type TsModule } from '../../lang/typescript/index.js';
import type { Span } from '../../model/types.js';

export type JsFramework = 'knex' | 'typeorm' | 'sequelize' | 'node-pg-migrate';

export interface ExportedFunction {
  fn: ts.FunctionLikeDeclaration;
  /** The `up`/`down` name or member as written, for spans. */
  at: ts.Node;
}

export interface MigrationModule {
  up: ExportedFunction | null;
  /** `down`; `false` when the module exports `down = false` (node-pg-migrate: irreversible on purpose). */
  down: ExportedFunction | false | null;
  /** Knex `exports.config` / `export const config`. */
  config: JsValue | null;
  /** The TypeORM migration class. */
  typeormClass: { name: string; node: ts.ClassLikeDeclaration; nameProperty: string | null; nameAt: ts.Node | null; transaction: JsValue | null; transactionAt: ts.Node | null } | null;
  /** node-pg-migrate's `exports.shorthands`. */
  shorthands: boolean;
  /** `import … from 'knex'` / `'typeorm'` / `'sequelize'` / `'node-pg-migrate'`. */
  imports: Set<string>;
}

export function readModule(mod: TsModule): MigrationModule {
  const out: MigrationModule = { up: null, down: null, config: null, typeormClass: null, shorthands: false, imports: new Set() };
  const setExport = (name: string, value: ts.Expression, at: ts.Node) => {
    if (name === 'up') out.up = fnOf(value, at);
    else if (name === 'down') {
      const v = skipParens(value);
      out.down = v.kind === ts.SyntaxKind.FalseKeyword ? false : fnOf(value, at);
    } else if (name === 'config') out.config = evaluate(value);
    else if (name === 'shorthands') out.shorthands = true;
  };
  const readObject = (obj: ts.ObjectLiteralExpression) => {
    for (const p of obj.properties) {
      const name = propName(p.name);
      if (name === null) continue;
      if (ts.isMethodDeclaration(p)) {
        if (name === 'up') out.up = { fn: p, at: p.name };
        else if (name === 'down') out.down = { fn: p, at: p.name };
      } else if (ts.isPropertyAssignment(p)) setExport(name, p.initializer, p.name);
      else if (ts.isShorthandPropertyAssignment(p)) setExport(name, p.name, p.name);
    }
  };
  for (const st of mod.sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) out.imports.add(st.moduleSpecifier.text);
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = st.expression.left;
      const right = st.expression.right;
      const target = ts.isPropertyAccessExpression(left) ? left : null;
      const owner = target ? target.expression.getText() : left.getText();
      if (target && (owner === 'exports' || owner === 'module.exports')) setExport(target.name.text, right, target.name);
      else if (left.getText() === 'module.exports') {
        const r = skipParens(right);
        if (ts.isObjectLiteralExpression(r)) readObject(r);
        else if (ts.isClassExpression(r) || ts.isIdentifier(r)) readClassExport(r, mod, out);
      }
    }
    if (ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) setExport(d.name.text, d.initializer, d.name);
    }
    if (ts.isFunctionDeclaration(st) && st.name && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && st.body) {
      if (st.name.text === 'up') out.up = { fn: st, at: st.name };
      if (st.name.text === 'down') out.down = { fn: st, at: st.name };
    }
    if (ts.isExportAssignment(st)) {
      const e = skipParens(st.expression);
      if (ts.isObjectLiteralExpression(e)) readObject(e);
    }
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      // `export { up, down }` of functions declared in the module.
      for (const el of st.exportClause.elements) setExport(el.name.text, el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName : el.name, el.name);
    }
    if (ts.isClassDeclaration(st)) readClass(st, out);
  }
  return out;
}

function fnOf(value: ts.Expression, at: ts.Node): ExportedFunction | null {
  const fn = asFunction(value);
  return fn ? { fn, at } : null;
}

function readClassExport(e: ts.Expression, mod: TsModule, out: MigrationModule): void {
  if (ts.isClassExpression(e)) readClass(e, out);
  else if (ts.isIdentifier(e)) {
    for (const st of mod.sf.statements) if (ts.isClassDeclaration(st) && st.name?.text === e.text) readClass(st, out);
  }
}

/** A class with an `up(queryRunner)` method: TypeORM's migration class (`implements MigrationInterface`). */
function readClass(cls: ts.ClassLikeDeclaration, out: MigrationModule): void {
  const up = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && propName(m.name) === 'up');
  const implementsMigration = cls.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText() === 'MigrationInterface')) ?? false;
  if (!up && !implementsMigration) return;
  if (out.typeormClass) return;
  const down = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && propName(m.name) === 'down');
  let nameProperty: string | null = null;
  let nameAt: ts.Node | null = null;
  let transaction: JsValue | null = null;
  let transactionAt: ts.Node | null = null;
  for (const m of cls.members) {
    if (!ts.isPropertyDeclaration(m) || !m.initializer) continue;
    const n = propName(m.name);
    const v = evaluate(m.initializer);
    if (n === 'name' && v.kind === 'str') {
      nameProperty = v.value;
      nameAt = m.initializer;
    }
    if (n === 'transaction') {
      transaction = v;
      transactionAt = m;
    }
  }
  out.typeormClass = { name: cls.name?.text ?? '', node: cls, nameProperty, nameAt, transaction, transactionAt };
  if (up?.body) out.up = { fn: up, at: up.name };
  if (down?.body) out.down = { fn: down, at: down.name };
}

/** Which framework the module is written for, from what it imports and how `up` is written; null when
 *  it says nothing (a plain `exports.up = async (db) => {}`). */
export function frameworkOf(m: MigrationModule): JsFramework | null {
  if (m.typeormClass) return 'typeorm';
  for (const [pkg, fw] of [['knex', 'knex'], ['typeorm', 'typeorm'], ['node-pg-migrate', 'node-pg-migrate'], ['sequelize', 'sequelize']] as const) {
    if ([...m.imports].some((i) => i === pkg || i.startsWith(`${pkg}/`))) return fw;
  }
  if (m.shorthands) return 'node-pg-migrate';
  const fn = m.up?.fn;
  if (!fn) return null;
  const p0 = paramName(fn, 0);
  const type0 = fn.parameters[0]?.type?.getText() ?? '';
  const p1 = paramName(fn, 1);
  if (p0 === 'knex' || /\bKnex\b/.test(type0)) return 'knex';
  if (p0 === 'pgm' || /\bMigrationBuilder\b/.test(type0)) return 'node-pg-migrate';
  if (p0 === 'queryInterface' || /\bQueryInterface\b/.test(type0) || p1 === 'Sequelize' || p1 === 'DataTypes') return 'sequelize';
  if (p0 === 'queryRunner' || /\bQueryRunner\b/.test(type0)) return 'typeorm';
  // How the parameter is used: `db.schema.…` is Knex's schema builder, `db.sql(…)` node-pg-migrate's.
  if (p0) {
    let found: JsFramework | null = null;
    const visit = (n: ts.Node) => {
      if (found) return;
      if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === p0) {
        if (n.name.text === 'schema') found = 'knex';
        else if (n.name.text === 'sequelize' || n.name.text === 'addIndex' || n.name.text === 'removeColumn') found = 'sequelize';
        else if (n.name.text === 'noTransaction' || n.name.text === 'addColumns' || n.name.text === 'sql') found = 'node-pg-migrate';
      }
      ts.forEachChild(n, visit);
    };
    for (const s of bodyStatements(fn)) visit(s);
    return found;
  }
  return null;
}

/** What the down function amounts to: nothing at all, an empty body, a body that only throws, or code. */
export function downStatus(down: ExportedFunction | false | null): 'missing' | 'empty' | 'present' {
  if (down === null || down === false) return 'missing';
  const body = down.fn.body;
  if (!body) return 'missing';
  if (!ts.isBlock(body)) return 'present';
  const real = body.statements.filter((s) => !ts.isEmptyStatement(s));
  if (real.length === 0) return 'empty';
  // A down that only throws cannot undo anything: rolling back past it fails.
  if (real.every((s) => ts.isThrowStatement(s))) return 'missing';
  // `return Promise.resolve()` / `return;` does nothing either.
  if (real.length === 1 && ts.isReturnStatement(real[0]!)) {
    const e = real[0].expression ? skipParens(real[0].expression) : undefined;
    if (!e || (ts.isCallExpression(e) && e.expression.getText() === 'Promise.resolve' && e.arguments.length === 0)) return 'empty';
  }
  return 'present';
}

export function spanNode(mod: TsModule, n: ts.Node): Span {
  return mod.index.span(n.getStart(mod.sf), n.getEnd());
}
