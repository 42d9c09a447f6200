/**
 * Which file names may belong to a JavaScript/TypeScript migration set, decided from the names alone
 * (detect.ts reads the files; index.ts uses this to skip loading the compiler in repositories with none).
 */
import type { Framework } from '../../model/types.js';
import type { JsFramework } from './module.js';

/** Knex's default `loadExtensions` plus `.mjs`, TypeORM's and umzug's usual `.ts`/`.js`. */
export const MIGRATION_FILE = /\.(c|m)?[jt]s$/;
export const NOT_MIGRATION = /\.d\.(c|m)?ts$|\.(test|spec)\.(c|m)?[jt]s$/;
export const MIGRATION_DIR = /(^|\/)[^/]*migrat[^/]*$/i;
export const KNEXFILE = /^knexfile\.(c|m)?[jt]s$/;

export const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
export const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** A `knexfile.*` or `.sequelizerc`: configuration that names migration directories. */
export function isConfig(file: string): boolean {
  const base = baseOf(file);
  return KNEXFILE.test(base) || base === '.sequelizerc';
}

/** A configuration file, or a module in a directory named like migrations. */
export function mayBeJsMigration(file: string): boolean {
  if (isConfig(file)) return true;
  return MIGRATION_FILE.test(file) && !NOT_MIGRATION.test(file) && MIGRATION_DIR.test(dirOf(file));
}

/** The tools this front end reads (a declared set of one of them is loaded here). */
export const isJsFramework = (f: Framework): f is JsFramework => f === 'knex' || f === 'typeorm' || f === 'sequelize' || f === 'node-pg-migrate';
