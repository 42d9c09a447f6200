/**
 * The front ends for migrations written in JavaScript or TypeScript: Knex, TypeORM, Sequelize
 * (sequelize-cli / umzug) and node-pg-migrate. `detect.ts` finds the migration directories once per run
 * and says which tool each belongs to; each adapter here reads its own sets. Every directory is one
 * `sequence`-ordered set standing alone (its own namespace), ordered by the tool's key
 * (model/order.ts `compareInSet`), with the tool's transaction model (reference/frameworks.md §1):
 *
 * - Knex: every pending migration in one transaction, unless one exports `config = { transaction: false }`;
 *   with the knexfile's `disableTransactions: true`, none unless it exports `config = { transaction: true }`;
 * - TypeORM: `migrationsTransactionMode: "all"` by default; a migration's own `transaction` property is
 *   refused in that mode (`ForbiddenTransactionModeOverrideError`), which is reported;
 * - node-pg-migrate: one transaction for the run (`singleTransaction`) unless `pgm.noTransaction()`;
 * - Sequelize: none (umzug opens no transaction).
 */
import { readSuppressions } from '../../lang/sql/suppressions.js';
import { loadSqlParser } from '../../lang/sql/index.js';
import { bodyStatements, chainOf, commentsOf, paramName, parseTypeScript, skipParens, spanOf, ts, type TsModule } from '../../lang/typescript/index.js';
import { reverseEffects } from '../../model/migration-facts.js';
import { compareInSet } from '../../model/order.js';
import type { DataEffects, Diagnostic, Migration, MigrationSet, Span, Suppression } from '../../model/types.js';
import type { FrameworkAdapter, ParseContext, SourceFile } from '../types.js';
import { detectSets, type JsSet } from './detect.js';
import { knexLowering } from './knex.js';
import { Lowerer, type ChainLowering } from './lower.js';
import { downStatus, readModule, type JsFramework, type MigrationModule } from './module.js';
import { pgmLowering } from './node-pg-migrate.js';
import { sequelizeLowering } from './sequelize.js';
import { typeormLowering } from './typeorm.js';

const LOWERING: Record<JsFramework, ChainLowering> = {
  knex: knexLowering,
  typeorm: typeormLowering,
  sequelize: sequelizeLowering,
  'node-pg-migrate': pgmLowering,
};

export function adapterFor(framework: JsFramework): FrameworkAdapter {
  return {
    framework,
    async load(ctx: ParseContext) {
      // A declared set may have no files yet: its directory puts it in scope.
      const sets = (await detectSets(ctx)).filter((s) => s.framework === framework && (s.files.some((f) => ctx.inScope(f)) || ctx.inScope(s.dir)));
      if (sets.length === 0) return { sets: [], namespaces: [] };
      await loadSqlParser();
      return { sets: await Promise.all(sets.map((s) => loadSet(ctx, s))), namespaces: [] };
    },
  };
}


async function loadSet(ctx: ParseContext, s: JsSet): Promise<MigrationSet> {
  const setId = `${s.framework}:${s.dir || '.'}`;
  const migrations: Migration[] = [];
  const keyOf = (file: string, src: SourceFile) => `js:${s.framework}:${src.contentId}:${file.slice(file.lastIndexOf('.'))}`;
  const sources = await Promise.all(s.files.map((f) => ctx.read(f)));
  await ctx.prefill(s.files.map((file, i) => ({ key: keyOf(file, sources[i]!), parser: 'js', src: sources[i]!, args: [s.framework] })));
  for (const [i, file] of s.files.entries()) {
    const src = sources[i]!;
    const key = keyOf(file, src);
    let parsed = ctx.cache.get(key) as FileParse | undefined;
    if (!parsed) ctx.cache.set(key, (parsed = parseJsFile(src, s.framework)));
    const m = identify(s.framework, file, parsed, setId, src.contentId);
    // With `disableTransactions`, only a migration that asks for a transaction gets one.
    if (m && s.disableTransactions) m.atomic = parsed.ownTransaction === true;
    if (m) migrations.push(m);
  }
  const set: MigrationSet = {
    id: setId,
    framework: s.framework,
    name: s.dir || '.',
    namespace: setId,
    dir: s.dir,
    ordering: 'sequence',
    dialect: s.dialect,
    transaction: s.framework === 'sequelize' ? 'none' : s.disableTransactions ? 'per-migration' : 'per-run',
    downs: 'per-migration',
    migrations,
  };
  // Migrations without a version (a TypeORM class name without its timestamp) keep the file order.
  if (migrations.every((m) => m.version !== undefined)) set.migrations = [...migrations].sort((a, b) => compareInSet(set, a, b));
  return set;
}

/** What a file says, independent of its path (cached by content id). */
export interface FileParse {
  module: MigrationModule | null;
  statements: Migration['statements'];
  diagnostics: Diagnostic[];
  suppressions: Suppression[];
  atomic: boolean;
  /** Knex: the migration's own `config.transaction`, when it says true or false. */
  ownTransaction?: boolean;
  reverse: Migration['reverse'];
  span?: Migration['span'];
  downSpan?: Migration['span'];
  /** What `down` does to data (`Migration.down.effects`). */
  downEffects?: DataEffects;
  /** TypeORM: the class name and `name` string that end in the timestamp (`Migration.keySpans`). */
  keySpans?: Span[];
  incomplete: boolean;
}

export function parseJsFile(src: SourceFile, framework: JsFramework): FileParse {
  const empty: FileParse = { module: null, statements: [], diagnostics: [], suppressions: [], atomic: false, reverse: 'missing', incomplete: true };
  if (!src.ok) return { ...empty, diagnostics: [src.diagnostic] };
  const mod = parseTypeScript(src.text, src.path);
  const m = readModule(mod);
  const diagnostics: Diagnostic[] = [...mod.errors];
  const out: FileParse = { ...empty, module: m, diagnostics, suppressions: suppressionsOf(mod, diagnostics), incomplete: mod.errors.length > 0 };
  const up = m.up;
  if (!up) {
    out.diagnostics.push({ code: 'syntax', message: `${describe(framework)} finds no \`up\` function in this migration`, span: mod.index.span(0, 0) });
    return { ...out, incomplete: true };
  }
  out.span = spanOf(mod, up.at);
  const param = paramName(up.fn, 0);
  if (param) {
    const lx = new Lowerer(mod, new Set([param]), LOWERING[framework]);
    lx.walk(bodyStatements(up.fn));
    out.statements = lx.statements;
    out.diagnostics.push(...lx.diagnostics);
  }
  out.diagnostics.sort((a, b) => (a.span?.offset ?? 0) - (b.span?.offset ?? 0));
  out.atomic = atomicOf(framework, m, mod, param);
  const own = framework === 'knex' ? knexOwnTransaction(m) : undefined;
  if (own !== undefined) out.ownTransaction = own;
  if (framework === 'typeorm' && m.typeormClass?.transaction && m.typeormClass.transactionAt) {
    // src/migration/MigrationExecutor.ts: in the default "all" mode any pending migration that defines
    // `transaction` makes the run throw before anything is applied.
    out.diagnostics.push({
      code: 'unsupported',
      message:
        'this migration sets `transaction`, which TypeORM refuses under its default migrationsTransactionMode "all" (ForbiddenTransactionModeOverrideError: the run stops before migrating); it works only with migrationsTransactionMode "each" or "none"',
      span: spanOf(mod, m.typeormClass.transactionAt),
    });
  }
  // node-pg-migrate derives the down from `up` when there is none (`pgm.enableReverseMode()`);
  // `down = false` marks the migration irreversible on purpose.
  out.reverse = framework === 'node-pg-migrate' && m.down === null ? 'derived' : downStatus(m.down);
  if (m.down) out.downSpan = spanOf(mod, m.down.at);
  // What `down` does to data, lowered like `up` (its diagnostics are not the migration's: they break only
  // a rollback), measured against what `up` created.
  const downParam = m.down && out.reverse === 'present' ? paramName(m.down.fn, 0) : null;
  if (m.down && downParam) {
    const lx = new Lowerer(mod, new Set([downParam]), LOWERING[framework]);
    lx.walk(bodyStatements(m.down.fn));
    out.downEffects = reverseEffects(lx.statements, out.statements);
  }
  if (framework === 'typeorm' && m.typeormClass) out.keySpans = typeormKeySpans(mod, m.typeormClass);
  return out;
}

/** The class name and the `name` property's text (inside its quotes) where they end in 13 digits. */
function typeormKeySpans(mod: TsModule, cls: NonNullable<MigrationModule['typeormClass']>): Span[] {
  const endsInStamp = (s: string) => s.length > 13 && /^\d{13}$/.test(s.slice(-13));
  const spans: Span[] = [];
  const id = cls.node.name;
  if (id && endsInStamp(id.text)) spans.push(spanOf(mod, id));
  const lit = cls.nameAt;
  // Only a plain string literal: its text between the quotes is the value, character for character.
  if (lit && (ts.isStringLiteral(lit) || ts.isNoSubstitutionTemplateLiteral(lit)) && endsInStamp(lit.text) && lit.getText(mod.sf).length === lit.text.length + 2) {
    spans.push(mod.index.span(lit.getStart(mod.sf) + 1, lit.getEnd() - 1));
  }
  return spans;
}

function describe(f: JsFramework): string {
  return f === 'knex' ? 'Knex' : f === 'typeorm' ? 'TypeORM' : f === 'sequelize' ? 'Sequelize' : 'node-pg-migrate';
}

/** A Knex migration's own `export const config = { transaction: … }`, when it is a literal boolean. */
function knexOwnTransaction(m: MigrationModule): boolean | undefined {
  const t = m.config?.kind === 'object' ? m.config.props.get('transaction') : undefined;
  return t?.kind === 'bool' ? t.value : undefined;
}

function atomicOf(framework: JsFramework, m: MigrationModule, mod: TsModule, param: string | null): boolean {
  switch (framework) {
    case 'knex':
      // Migrator.js `_useTransaction`: `config.transaction === false` opts out.
      return knexOwnTransaction(m) !== false;
    case 'typeorm': {
      const t = m.typeormClass?.transaction;
      return !(t?.kind === 'bool' && !t.value);
    }
    case 'node-pg-migrate':
      return !(param && m.up && callsNoTransaction(m.up.fn, param, mod));
    case 'sequelize':
      return false;
  }
}

function callsNoTransaction(fn: ts.FunctionLikeDeclaration, param: string, mod: TsModule): boolean {
  let found = false;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const { root, links } = chainOf(n);
      const r = skipParens(root);
      if (ts.isIdentifier(r) && r.text === param && links[0]?.name === 'noTransaction') found = true;
    }
    ts.forEachChild(n, visit);
  };
  for (const s of bodyStatements(fn)) visit(s);
  void mod;
  return found;
}

/** Identity and ordering key as each tool records them; null for a file that is not a migration. */
function identify(framework: JsFramework, file: string, p: FileParse, setId: string, contentId: string): Migration | null {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const stem = base.replace(/\.[^.]+$/, '');
  let name = base;
  let version: string | undefined = base;
  const diagnostics = [...p.diagnostics];
  let incomplete = p.incomplete;
  switch (framework) {
    case 'knex':
    case 'sequelize':
      // Knex: the file name with its extension (`getMigrationName`); sequelize-cli: the file name.
      break;
    case 'typeorm': {
      // MigrationExecutor.getMigrations: `migration.name || migration.constructor.name`, timestamp =
      // the last 13 characters as an integer.
      const cls = p.module?.typeormClass;
      name = cls?.nameProperty ?? cls?.name ?? stem;
      const ts13 = name.slice(-13);
      version = /^\d{13}$/.test(ts13) ? String(Number(ts13)) : undefined;
      if (version === undefined && cls) {
        diagnostics.push({ code: 'syntax', message: `${name} migration name is wrong. Migration class name should have a JavaScript timestamp appended.`, ...(p.span ? { span: p.span } : {}) });
        incomplete = true;
      }
      break;
    }
    case 'node-pg-migrate': {
      // migration.ts: the name is the file name without its extension; order by the numeric prefix
      // (utils/fileNameUtils.ts getNumericPrefix: 17 digits are a UTC time, read as milliseconds).
      name = stem;
      const digits = /^\d+/.exec(base)?.[0];
      version = digits === undefined ? undefined : digits.length === 17 ? String(Date.UTC(+digits.slice(0, 4), +digits.slice(4, 6) - 1, +digits.slice(6, 8), +digits.slice(8, 10), +digits.slice(10, 12), +digits.slice(12, 14), +digits.slice(14, 17))) : String(Number(digits));
      if (version === undefined) diagnostics.push({ code: 'syntax', message: `node-pg-migrate cannot determine the numeric prefix of "${base}"` });
      break;
    }
  }
  return {
    setId,
    name,
    file,
    ...(version !== undefined ? { version } : {}),
    contentId,
    parents: [],
    runBefore: [],
    replaces: [],
    initial: false,
    atomic: p.atomic,
    statements: p.statements,
    reverse: p.reverse,
    ...(p.downSpan ? { down: { file, span: p.downSpan, ...(p.downEffects ? { effects: p.downEffects } : {}) } } : {}),
    ...(p.span ? { span: p.span } : {}),
    ...(p.keySpans?.length ? { keySpans: p.keySpans } : {}),
    ...(incomplete ? { incomplete: true } : {}),
    suppressions: p.suppressions,
    diagnostics,
  };
}

/**
 * `// migrate-lint-ignore <rule>: <reason>` (the next line of code; at the end of a line, that line) and
 * `// migrate-lint-ignore-file <rule>: <reason>`, read from the compiler's comments with the same grammar
 * as the SQL forms.
 */
function suppressionsOf(mod: TsModule, diagnostics: Diagnostic[]): Suppression[] {
  if (!mod.text.includes('migrate-lint-ignore')) return [];
  const comments = commentsOf(mod);
  const tokens = comments.map((c) => ({ kind: 'comment' as const, text: `--${c.text}`, upper: `--${c.text}`, start: c.from, end: c.to }));
  const { found, malformed } = readSuppressions(tokens);
  for (const t of malformed) diagnostics.push({ code: 'syntax', message: 'malformed suppression comment: write `// migrate-lint-ignore <rule>[, <rule>]: <reason>`', span: mod.index.span(t.start, t.end) });
  return found.map((r) => {
    const span = mod.index.span(r.start, r.end);
    if (r.file) return { rules: r.rules, reason: r.reason, line: null, span };
    const c = comments.find((x) => x.from === r.start)!;
    return { rules: r.rules, reason: r.reason, line: c.ownLine ? mod.index.position(nextCode(mod.text, r.end)).line : span.start.line, span };
  });
}

/** The offset of the first character after `from` that is neither whitespace nor a comment. */
function nextCode(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else return i;
  }
}
