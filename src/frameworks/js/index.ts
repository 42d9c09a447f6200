/**
 * The Knex, TypeORM, Sequelize and node-pg-migrate adapters, loaded on demand: the TypeScript compiler and
 * the front end (front-end.ts) are imported only when the snapshot has a file that may be a JavaScript
 * migration or its configuration (names.ts), so a repository without any does not pay for loading them.
 */
import type { FrameworkAdapter, ParseContext } from '../types.js';
import type { JsFramework } from './module.js';
import { isConfig, isJsFramework, mayBeJsMigration } from './names.js';

function lazyAdapter(framework: JsFramework): FrameworkAdapter {
  return {
    framework,
    async load(ctx: ParseContext) {
      // A configuration file anywhere may point into the paths checked; a module must be in them. A
      // directory declared by configuration may be called anything.
      if (!ctx.declared.some((d) => isJsFramework(d.framework)) && !ctx.files.some((f) => mayBeJsMigration(f) && (isConfig(f) || ctx.inScope(f)))) return { sets: [], namespaces: [] };
      const { adapterFor } = await import('./front-end.js');
      return adapterFor(framework).load(ctx);
    },
  };
}

export const knexAdapter = lazyAdapter('knex');
export const typeormAdapter = lazyAdapter('typeorm');
export const sequelizeAdapter = lazyAdapter('sequelize');
export const nodePgMigrateAdapter = lazyAdapter('node-pg-migrate');
