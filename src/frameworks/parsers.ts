/**
 * The front ends' per-file parse functions by name: what a parse worker (src/discover/parallel.ts) runs.
 * Each is pure: it takes one file and plain arguments and returns the value the front end caches for that
 * file's content (the same values the persistent cache stores), so the value is the same whichever thread
 * computed it, and it survives the structured clone that carries it back.
 *
 * The JavaScript front end is imported only when a job needs it (`loadParsers`), as frameworks/js/index.ts
 * does: it loads the TypeScript compiler.
 */
import { loadSqlParser } from '../lang/sql/index.js';
import { parseRevisionFile, type AlembicFileContext } from './alembic/parse.js';
import { parseMigrationFile, type DjangoFileContext } from './django/parse.js';
import type { JsFramework } from './js/module.js';
import { parseDownFile, parseFile as parseSqlFile, type FileFormat } from './sql/read.js';
import type { SourceFile } from './types.js';

let parseJsFile: typeof import('./js/front-end.js').parseJsFile | undefined;

const PARSERS = {
  django: (src: SourceFile, ctx: DjangoFileContext): unknown => parseMigrationFile(src, ctx),
  alembic: (src: SourceFile, ctx: AlembicFileContext): unknown => parseRevisionFile(src, ctx),
  js: (src: SourceFile, framework: JsFramework): unknown => {
    if (!parseJsFile) throw new Error('the JavaScript front end is not loaded: await loadParsers(["js"]) first');
    return parseJsFile(src, framework);
  },
  sql: (src: SourceFile, format: FileFormat, parse: boolean): unknown => parseSqlFile(src, format, parse),
  sqlDown: (src: SourceFile, parse: boolean): unknown => parseDownFile(src, parse),
};

export type ParserName = keyof typeof PARSERS;

type ArgsOf<P extends ParserName> = (typeof PARSERS)[P] extends (src: SourceFile, ...args: infer A) => unknown ? A : never;

/** One file to parse: `key` is where the front end caches the result (`ParseContext.cache`). */
export type ParseJob = { [P in ParserName]: { key: string; parser: P; src: SourceFile; args: ArgsOf<P> } }[ParserName];

/** Runs one job here, in this thread (after `loadParsers` for its parser). */
export function runParseJob(job: ParseJob): unknown {
  const parse = PARSERS[job.parser] as (src: SourceFile, ...args: unknown[]) => unknown;
  return parse(job.src, ...job.args);
}

/** Loads what the named parsers need in this thread: the SQL parser's WASM (every front end may meet
 *  SQL) and, for `js`, the JavaScript front end. */
export async function loadParsers(names: Iterable<ParserName>): Promise<void> {
  await loadSqlParser();
  if ([...names].includes('js') && !parseJsFile) ({ parseJsFile } = await import('./js/front-end.js'));
}
