/**
 * The front end for tools whose migrations are `.sql` files: Prisma, golang-migrate, Flyway, dbmate,
 * goose, and plain numbered directories. `layout.ts` finds the sets and lists each tool's migrations in
 * its order, `read.ts` reads every file through the SQL front end, `policy.ts` applies what the tool does
 * at run time (database, transaction). All of these sets are `sequence`-ordered and stand alone: no set
 * refers to another, so each is its own namespace.
 */
import { loadSqlParser } from '../../lang/sql/index.js';
import type { Dialect, Framework, Migration, MigrationSet } from '../../model/types.js';
import type { FrameworkAdapter, ParseContext, SourceFile } from '../types.js';
import { declaredLayout, layoutFromMarkers, layoutsFromNames, type Entry, type Layout, type SqlTool } from './layout.js';
import { atomicOf, prismaDialect, readFlywayConf, transactionOf } from './policy.js';
import { reverseEffects } from '../../model/migration-facts.js';
import { parseDownFile, parseFile, type DownFileParse, type FileFormat, type FileParse } from './read.js';
import { markerOf } from './sections.js';

export const sqlAdapter: FrameworkAdapter = {
  framework: 'sql',
  async load(ctx: ParseContext) {
    const { layouts, unsorted } = layoutsFromNames(ctx.files);
    const join = (dir: string, name: string) => (dir ? `${dir}/${name}` : name);
    // Only sets with a file in scope are read: they stand alone, so nothing outside them is needed.
    // Where configuration declares the sets, what detection found gives way to them.
    const named = layouts.filter((l) => ctx.detects(l.dir) && filesOf(l).some((f) => ctx.inScope(f)));
    const declared = ctx.declared.flatMap((d) => (isSqlTool(d.framework) ? [{ layout: declaredLayout(d.framework, d.path, ctx.files), dialect: d.dialect }] : []));
    const sniffed = await Promise.all(
      unsorted
        .filter((u) => ctx.detects(u.dir) && u.names.some((n) => ctx.inScope(join(u.dir, n))))
        .map(async (u) => {
          const markers = await Promise.all(u.names.map(async (n) => [n, await ctx.read(join(u.dir, n))] as const));
          return layoutFromMarkers(u.dir, u.names, new Map(markers.map(([n, src]) => [n, src.ok ? markerOf(src.text) : null])));
        }),
    );
    const found = [
      ...[...named, ...sniffed.flatMap((l) => (l ? [l] : []))].map((layout) => ({ layout, dialect: undefined })),
      // A declared set with no files yet is still a set (0 migrations), in scope by its directory.
      ...declared.filter((d) => ctx.inScope(d.layout.dir) || filesOf(d.layout).some((f) => ctx.inScope(f))),
    ].sort((a, b) => (a.layout.dir < b.layout.dir ? -1 : a.layout.dir > b.layout.dir ? 1 : 0));
    if (found.length === 0) return { sets: [], namespaces: [] };
    await loadSqlParser();
    return { sets: await Promise.all(found.map((f) => loadSet(ctx, f.layout, f.dialect))), namespaces: [] };
  },
};

const SQL_TOOLS: readonly Framework[] = ['prisma', 'golang-migrate', 'flyway', 'dbmate', 'goose', 'sql'] satisfies readonly SqlTool[];
const isSqlTool = (f: Framework): f is SqlTool => SQL_TOOLS.includes(f);

function filesOf(l: Layout): string[] {
  return [...(l.lockFile ? [l.lockFile] : []), ...l.entries.flatMap((e) => [e.file, ...(e.down ? [e.down] : []), ...(e.conf ? [e.conf] : [])])];
}

interface SetContext {
  layout: Layout;
  setId: string;
  dialect: Dialect;
  format: FileFormat;
}

/** `declared`: the database the configuration says, which decides before any file is read whether its
 *  SQL is parsed as PostgreSQL. */
async function loadSet(ctx: ParseContext, layout: Layout, declared: Dialect | undefined): Promise<MigrationSet> {
  const lock = layout.lockFile && !declared ? await ctx.read(layout.lockFile) : null;
  // An unreadable lock file names no provider: the database is not known.
  const dialect: Dialect = declared ?? (layout.tool === 'prisma' ? prismaDialect(lock ? (lock.ok ? lock.text : '') : null) : 'postgresql');
  const setId = `${layout.tool}:${layout.dir || '.'}`;
  const format: FileFormat = layout.tool === 'dbmate' || layout.tool === 'goose' ? layout.tool : 'whole';
  const sc: SetContext = { layout, setId, dialect, format };
  const parse = dialect === 'postgresql';
  const forward = layout.entries.filter((e) => !e.noForward);
  const sources = await Promise.all(forward.map((e) => ctx.read(e.file)));
  const downs = await Promise.all(layout.entries.flatMap((e) => (e.down ? [ctx.read(e.down)] : [])));
  await ctx.prefill([
    ...sources.map((src) => ({ key: fileKey(sc, src), parser: 'sql' as const, src, args: [format, parse] as [FileFormat, boolean] })),
    ...downs.map((src) => ({ key: downKey(sc, src), parser: 'sqlDown' as const, src, args: [parse] as [boolean] })),
  ]);
  return {
    id: setId,
    framework: layout.tool,
    name: layout.dir || '.',
    namespace: setId,
    dir: layout.dir,
    ordering: 'sequence',
    dialect,
    transaction: transactionOf(layout.tool, dialect),
    downs: layout.hasDowns ? 'per-migration' : 'none',
    migrations: await Promise.all(layout.entries.map((e) => loadMigration(ctx, sc, e))),
  };
}

async function loadMigration(ctx: ParseContext, sc: SetContext, e: Entry): Promise<Migration> {
  const base: Migration = {
    setId: sc.setId,
    name: e.name,
    file: e.file,
    ...(e.version !== undefined ? { version: e.version } : {}),
    contentId: '',
    parents: [],
    runBefore: [],
    replaces: [],
    initial: false,
    atomic: false,
    statements: [],
    reverse: 'missing',
    suppressions: [],
    diagnostics: [],
    ...(e.repeatable ? { repeatable: true } : {}),
    ...(e.conf ? { companions: [e.conf] } : {}),
  };
  const down = e.down ? { file: e.down } : undefined;
  if (e.noForward && down) {
    // A down with no up: the tool runs nothing going up and this file going down.
    const src = await ctx.read(down.file);
    const d = downOf(ctx, sc, src);
    return { ...base, contentId: src.contentId, reverse: d.status, down: { ...down, ...(d.statements ? { effects: reverseEffects(d.statements, [], d.effects) } : {}), ...(d.suppressions ? { suppressions: d.suppressions } : {}) } };
  }
  if (e.noForward) {
    const diagnostic = {
      code: 'syntax' as const,
      message: 'there is no such file: `prisma migrate deploy` stops with P3015 "Could not find the migration file at migration.sql. Please delete the directory or restore the migration file."',
    };
    return { ...base, incomplete: true, diagnostics: [diagnostic] };
  }
  const src = await ctx.read(e.file);
  // Keyed by content: the same blob in base, target and head is read once. Identity is the entry's.
  const p: FileParse = cached(ctx, fileKey(sc, src), () => parseFile(src, sc.format, sc.dialect === 'postgresql'));
  const conf = e.conf ? await ctx.read(e.conf) : null;
  const m: Migration = {
    ...base,
    contentId: src.contentId,
    atomic: atomicOf(sc.layout.tool, sc.dialect, p, conf?.ok ? readFlywayConf(conf.text) : null),
    statements: p.statements,
    suppressions: p.suppressions,
    diagnostics: p.diagnostics,
    ...(p.incomplete ? { incomplete: true } : {}),
    ...(p.span ? { span: p.span } : {}),
  };
  if (p.down) {
    const section = { file: e.file, ...(p.down.span ? { span: p.down.span } : {}), ...(p.down.effects ? { effects: p.down.effects } : {}) };
    return { ...m, reverse: p.down.status, ...(p.down.status !== 'missing' ? { down: section } : {}) };
  }
  if (down) {
    const d = downOf(ctx, sc, await ctx.read(down.file));
    // What the down file destroys depends on what this forward file created: measured here, not cached.
    const effects = d.statements ? reverseEffects(d.statements, p.statements, d.effects) : undefined;
    return { ...m, reverse: d.status, down: { ...down, ...(effects ? { effects } : {}), ...(d.suppressions ? { suppressions: d.suppressions } : {}) } };
  }
  return m;
}

/** A separate down file, read once per content (and per whether its SQL is parsed). */
function downOf(ctx: ParseContext, sc: SetContext, src: SourceFile): DownFileParse {
  return cached(ctx, downKey(sc, src), () => parseDownFile(src, sc.dialect === 'postgresql'));
}

function downKey(sc: SetContext, src: SourceFile): string {
  return `sql:down:${sc.dialect === 'postgresql'}:${src.contentId}`;
}

/** Where a migration file's parse is cached: its content, and how it is read (format, whether as PostgreSQL). */
function fileKey(sc: SetContext, src: SourceFile): string {
  return `sql:${sc.format}:${sc.dialect === 'postgresql'}:${src.contentId}`;
}

function cached<T>(ctx: ParseContext, key: string, compute: () => T): T {
  if (ctx.cache.has(key)) return ctx.cache.get(key) as T;
  const value = compute();
  ctx.cache.set(key, value);
  return value;
}
