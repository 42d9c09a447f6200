/** Every generator by kind: the CLI, the smoke test and the benchmark runner use this table. */
import { generateAlembic } from './alembic.js';
import { generateDjango } from './django.js';
import { generateGit } from './git.js';
import { generateKnex, generateTypeorm } from './js.js';
import { generatePrisma } from './prisma.js';
import type { GenerateOptions, GeneratedTree, Kind } from './tree.js';

export type { GenerateOptions, GeneratedTree, Kind } from './tree.js';

export const GENERATORS: Record<Kind, (dir: string, opts?: GenerateOptions) => Promise<GeneratedTree<object>>> = {
  django: generateDjango,
  alembic: generateAlembic,
  prisma: generatePrisma,
  knex: generateKnex,
  typeorm: generateTypeorm,
  git: generateGit,
};

export const isKind = (k: string): k is Kind => Object.hasOwn(GENERATORS, k);
