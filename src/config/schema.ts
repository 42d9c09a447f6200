/**
 * The configuration file's schema (JSON Schema draft-07, checked with ajv), and the one-line errors a bad
 * file gets: the file, the key, what was expected. The rule ids and each rule's options come from the
 * rules' metadata, so a misspelt rule or option is caught like a misspelt key.
 */
import type { Framework } from '../model/types.js';

/** Frameworks a set may be declared as (`sets[].framework`). */
export const FRAMEWORKS: readonly Framework[] = ['django', 'alembic', 'prisma', 'knex', 'typeorm', 'sequelize', 'node-pg-migrate', 'golang-migrate', 'flyway', 'dbmate', 'goose', 'sql'];
export const DIALECTS = ['postgresql', 'mysql', 'sqlite'] as const;
export const SETTINGS = ['error', 'warning', 'info', 'off'] as const;

export type JsonSchema = Record<string, unknown>;

export interface SchemaRule {
  id: string;
  /** JSON Schema of each of the rule's options (`RuleDefinition.options`). */
  options?: Record<string, JsonSchema>;
}

/** What each top-level key means, for the schema's descriptions and `init`'s comments. */
export const KEY_DOCS: Record<string, string> = {
  sets: 'Migration sets to check here instead of detecting them: framework, path (relative to this file) and optionally dialect.',
  rules: 'Rule severities ("error", "warning", "info", "off"), or [severity, { options }].',
  pgVersion: 'PostgreSQL major version the migrations run on (lock and rewrite facts change between versions).',
  timeZone: 'The session TimeZone the migrations run with (UTC lets timestamp -> timestamptz skip the rewrite).',
  ignore: 'Glob patterns (relative to this file) of files and directories not to read at all.',
  baseline: 'A git ref: migrations already present there are not reported (how an existing repository adopts migrate-lint).',
  djangoVersion: 'The Django version generated merge migrations name in their header.',
};

export function configSchema(rules: readonly SchemaRule[]): JsonSchema {
  const severity = { enum: [...SETTINGS] };
  const ruleProps: Record<string, JsonSchema> = {};
  for (const r of rules) {
    const options = r.options ? { type: 'object', additionalProperties: false, properties: r.options } : { type: 'object', additionalProperties: false, maxProperties: 0 };
    ruleProps[r.id] = { anyOf: [severity, { type: 'array', minItems: 1, maxItems: 2, items: [severity, options] }] };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'migrate-lint configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      sets: {
        description: KEY_DOCS.sets,
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['framework', 'path'],
          properties: {
            framework: { enum: [...FRAMEWORKS] },
            path: { type: 'string', minLength: 1 },
            dialect: { enum: [...DIALECTS] },
          },
        },
      },
      rules: { description: KEY_DOCS.rules, type: 'object', additionalProperties: false, properties: ruleProps },
      pgVersion: { description: KEY_DOCS.pgVersion, type: ['integer', 'number', 'string'] },
      timeZone: { description: KEY_DOCS.timeZone, type: 'string', minLength: 1 },
      ignore: { description: KEY_DOCS.ignore, type: 'array', items: { type: 'string', minLength: 1 } },
      baseline: { description: KEY_DOCS.baseline, type: 'string', minLength: 1 },
      djangoVersion: { description: KEY_DOCS.djangoVersion, type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+)?([a-z]+\\d*)?$' },
    },
  };
}

/** One ajv error, as much of it as the message needs. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/sets/0/framework` → `sets[0].framework`. */
export function keyPath(instancePath: string): string {
  let out = '';
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : out ? `.${key}` : key;
  }
  return out;
}

/**
 * The one error worth showing: the deepest one (an unknown option inside a rule's options says more than
 * "the rule's value matches no form"), and for a rule whose value has the wrong shape, the forms it may
 * take.
 */
export function describeSchemaError(errors: readonly SchemaError[], allowed: { keys: readonly string[]; rules: readonly string[] }): { message: string; hint?: string } {
  const depth = (e: SchemaError) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
  const relevant = errors.filter((e) => e.keyword !== 'anyOf');
  // At equal depth a failed `pattern` or `enum` says more than the `type` of another anyOf branch.
  const weight = (e: SchemaError) => depth(e) * 2 + (e.keyword === 'type' ? 0 : 1);
  const deepest = [...(relevant.length ? relevant : errors)].sort((a, b) => weight(b) - weight(a))[0]!;
  const at = keyPath(deepest.instancePath);
  const ruleValue = /^\/rules\/[^/]+$/.test(deepest.instancePath);
  if (ruleValue && deepest.keyword !== 'additionalProperties') {
    return { message: `${at}: expected one of ${SETTINGS.map((s) => `"${s}"`).join(', ')}, or [severity, { options }]` };
  }
  switch (deepest.keyword) {
    case 'additionalProperties': {
      const key = String(deepest.params.additionalProperty);
      if (deepest.instancePath === '') return { message: `unknown option '${key}'`, hint: `known options: ${allowed.keys.join(', ')}` };
      if (deepest.instancePath === '/rules') return { message: `rules: unknown rule '${key}'`, hint: closest(key, allowed.rules) ?? 'migrate-lint explain <rule> lists the known rules' };
      if (/^\/rules\/[^/]+\/1$/.test(deepest.instancePath)) return { message: `${at}: unknown option '${key}' for this rule`, hint: 'see the rule\'s page under docs/rules/ for its options' };
      return { message: `${at}: unknown key '${key}'` };
    }
    case 'pattern':
      return { message: `${at}: not in the expected form (${String(deepest.params.pattern)})` };
    case 'exclusiveMinimum':
    case 'minimum':
      return { message: `${at}: must be more than ${String(deepest.params.limit)}` };
    case 'minLength':
      return { message: `${at}: must not be empty` };
    case 'maxProperties':
      return { message: `${at}: this rule takes no options` };
    case 'enum':
      return { message: `${at}: expected one of ${(deepest.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'required':
      return { message: `${at ? at + ': ' : ''}missing '${String(deepest.params.missingProperty)}'` };
    case 'type':
      return { message: `${at || 'the configuration'}: expected ${describeType(deepest.params.type)}` };
    default:
      return { message: `${at || 'the configuration'}: ${deepest.message ?? deepest.keyword}` };
  }
}

function describeType(t: unknown): string {
  const types = Array.isArray(t) ? t : String(t).split(',');
  const names: Record<string, string> = { object: 'an object', array: 'a list', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false' };
  return [...new Set(types.map((x) => names[String(x)] ?? String(x)))].join(' or ');
}

/** `did you mean 'x'?` for a near miss (edit distance at most a third of the word). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? `did you mean '${best.c}'?` : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}
