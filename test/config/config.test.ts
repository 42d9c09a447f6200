/**
 * Configuration files: where they are found, which one governs a set (the nearest), what a bad one says,
 * and that each option reaches the run (severities, rule options, pgVersion, ignore, sets, baseline),
 * with the command line's settings above the files'.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lint } from '../../src/api.js';
import { loadProjectConfig, ProjectConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { tempTree } from '../helpers/files.js';

const tree = (files: Record<string, string>) => tempTree(files, 'ml-config-');

const INDEX = 'CREATE INDEX orders_status_idx ON orders (status);\n';
const ALTER = 'ALTER TABLE orders ADD COLUMN note text;\n';
const rulesOf = async (dir: string, extra: Parameters<typeof lint>[0] = {}) => (await lint({ cwd: dir, ...extra })).findings.map((f) => `${f.file}:${f.ruleId}:${f.severity}`);

async function configError(files: Record<string, string>): Promise<ConfigError> {
  const dir = tree(files);
  try {
    await lint({ cwd: dir });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('no error');
}

describe('finding configuration files', () => {
  it.each([
    ['migrate-lint.config.json', JSON.stringify({ rules: { 'index-not-concurrent': 'warning' } })],
    ['migrate-lint.config.yaml', 'rules:\n  index-not-concurrent: warning\n'],
    ['migrate-lint.config.yml', 'rules: { index-not-concurrent: warning }\n'],
    ['migrate-lint.config.mjs', "export default { rules: { 'index-not-concurrent': 'warning' } };\n"],
    ['migrate-lint.config.js', "module.exports = { rules: { 'index-not-concurrent': 'warning' } };\n"],
    ['package.json', JSON.stringify({ name: 'x', 'migrate-lint': { rules: { 'index-not-concurrent': 'warning' } } })],
  ])('reads %s', async (name, text) => {
    const dir = tree({ [name]: text, 'db/migrations/0001_index.sql': INDEX });
    expect(await rulesOf(dir)).toEqual(['db/migrations/0001_index.sql:index-not-concurrent:warning']);
  });

  it('a package.json without the key is not a configuration', async () => {
    const dir = tree({ 'package.json': '{"name":"x"}', 'db/migrations/0001_index.sql': INDEX });
    expect(await rulesOf(dir)).toEqual(['db/migrations/0001_index.sql:index-not-concurrent:error']);
  });

  it('the nearest configuration to each set wins, whole (monorepo)', async () => {
    const dir = tree({
      'migrate-lint.config.json': JSON.stringify({ rules: { 'index-not-concurrent': 'warning', 'require-lock-timeout': 'error' } }),
      'services/billing/migrate-lint.config.yaml': 'rules:\n  index-not-concurrent: "off"\n',
      'services/billing/db/migrations/0001_index.sql': INDEX + ALTER,
      'services/orders/db/migrations/0001_index.sql': INDEX + ALTER,
    });
    expect((await rulesOf(dir)).sort()).toEqual([
      // billing's own file turns index-not-concurrent off and does not inherit require-lock-timeout.
      'services/orders/db/migrations/0001_index.sql:index-not-concurrent:warning',
      'services/orders/db/migrations/0001_index.sql:require-lock-timeout:error',
    ]);
  });

  it('--rule and --pg-version on the command line win over the file', async () => {
    const dir = tree({ 'migrate-lint.config.json': JSON.stringify({ rules: { 'index-not-concurrent': 'off' } }), 'db/migrations/0001_index.sql': INDEX });
    expect(await rulesOf(dir, { rules: { 'index-not-concurrent': 'info' } })).toEqual(['db/migrations/0001_index.sql:index-not-concurrent:info']);
  });

  it('config: false reads no file; configFile uses one file for the whole repository', async () => {
    const dir = tree({
      'migrate-lint.config.json': JSON.stringify({ rules: { 'index-not-concurrent': 'off' } }),
      'ci/strict.yaml.json': '{}',
      'ci/strict.json': JSON.stringify({ rules: { 'index-not-concurrent': 'info' } }),
      'db/migrations/0001_index.sql': INDEX,
    });
    expect(await rulesOf(dir, { config: false })).toEqual(['db/migrations/0001_index.sql:index-not-concurrent:error']);
    expect(await rulesOf(dir, { configFile: path.join(dir, 'ci/strict.json') })).toEqual(['db/migrations/0001_index.sql:index-not-concurrent:info']);
  });

  it('noJsConfig refuses a JavaScript configuration without running it; JSON is still read', async () => {
    const marker = path.join(tmpdir(), `ml-config-ran-${process.pid}`);
    const dir = tree({ 'migrate-lint.config.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default {};\n`, 'db/migrations/0001_index.sql': INDEX });
    await expect(lint({ cwd: dir, noJsConfig: true })).rejects.toThrow('migrate-lint.config.mjs: JavaScript configuration files are not loaded with --no-js-config');
    expect(existsSync(marker)).toBe(false);
    const json = tree({ 'migrate-lint.config.json': '{"rules": {"index-not-concurrent": "warning"}}', 'db/migrations/0001_index.sql': INDEX });
    expect(await rulesOf(json, { noJsConfig: true })).toEqual(['db/migrations/0001_index.sql:index-not-concurrent:warning']);
  });

  it('two configuration files in one directory are an error naming both', async () => {
    const e = await configError({ 'migrate-lint.config.json': '{}', 'migrate-lint.config.yaml': '{}\n', 'db/migrations/0001_index.sql': INDEX });
    expect(e.message).toBe('two configuration files in the repository root: migrate-lint.config.json and migrate-lint.config.yaml');
  });
});

describe('bad configuration: one line naming the file and the key', () => {
  const bad = (name: string, text: string) => configError({ [name]: text, 'db/migrations/0001_index.sql': INDEX });

  it.each([
    ['an unknown key', 'migrate-lint.config.json', '{"rulez": {}}', "migrate-lint.config.json: unknown option 'rulez'", 'known options: sets, rules, pgVersion, timeZone, ignore, baseline, djangoVersion'],
    ['a misspelt rule', 'migrate-lint.config.json', '{"rules": {"index-not-concurent": "error"}}', "migrate-lint.config.json: rules: unknown rule 'index-not-concurent'", "did you mean 'index-not-concurrent'?"],
    ['a bad severity', 'migrate-lint.config.yaml', 'rules:\n  drop-column: warn\n', 'migrate-lint.config.yaml: rules.drop-column: expected one of "error", "warning", "info", "off", or [severity, { options }]', undefined],
    ['an unknown rule option', 'migrate-lint.config.json', '{"rules": {"require-lock-timeout": ["warning", {"maxTimeout": "5s"}]}}', "migrate-lint.config.json: rules.require-lock-timeout[1]: unknown option 'maxTimeout' for this rule", undefined],
    ['options for a rule that has none', 'migrate-lint.config.json', '{"rules": {"drop-column": ["warning", {"x": 1}]}}', "migrate-lint.config.json: rules.drop-column[1]: unknown option 'x' for this rule", undefined],
    ['a malformed option value', 'migrate-lint.config.json', '{"rules": {"require-lock-timeout": ["warning", {"maxLockTimeout": "five seconds"}]}}', 'migrate-lint.config.json: rules.require-lock-timeout[1].maxLockTimeout: not in the expected form', undefined],
    ['a bad framework', 'migrate-lint.config.json', '{"sets": [{"framework": "rails", "path": "db"}]}', 'migrate-lint.config.json: sets[0].framework: expected one of "django", "alembic", "prisma", "knex", "typeorm", "sequelize", "node-pg-migrate", "golang-migrate", "flyway", "dbmate", "goose", "sql"', undefined],
    ['a set without a path', 'migrate-lint.config.json', '{"sets": [{"framework": "sql"}]}', "migrate-lint.config.json: sets[0]: missing 'path'", undefined],
    ['a set path that does not exist', 'migrate-lint.config.json', '{"sets": [{"framework": "sql", "path": "nowhere"}]}', 'migrate-lint.config.json: sets[0].path: no such directory, or no files in it: nowhere', undefined],
    ['a wrong type', 'migrate-lint.config.json', '{"ignore": "legacy"}', 'migrate-lint.config.json: ignore: expected a list', undefined],
    ['a bad pgVersion', 'migrate-lint.config.json', '{"pgVersion": "latest"}', 'migrate-lint.config.json: pgVersion: not a PostgreSQL version: "latest"', undefined],
    ['not JSON', 'migrate-lint.config.json', '{"rules": ', 'migrate-lint.config.json: not valid JSON:', undefined],
    ['not YAML', 'migrate-lint.config.yaml', 'rules:\n  a: [\n', 'migrate-lint.config.yaml:', undefined],
    ['a package.json key', 'package.json', '{"migrate-lint": {"pgversion": 16}}', 'package.json "migrate-lint": unknown option \'pgversion\'', undefined],
    ['a JS config that throws', 'migrate-lint.config.mjs', 'throw new Error("boom");\n', 'migrate-lint.config.mjs: could not be loaded: boom', undefined],
  ])('%s', async (_, name, text, message, hint) => {
    const e = await bad(name, text);
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.message).not.toContain('\n');
    if (hint !== undefined) expect(e.hint).toBe(hint);
  });

  it('the CLI prints it on one line and exits 2, changing nothing', () => {
    const dir = tree({ 'migrate-lint.config.json': '{"rules": {"nope": "error"}}', 'db/migrations/0001_index.sql': INDEX });
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [path.resolve('bin/migrate-lint.js'), 'check'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    expect(status).toBe(2);
    expect(stderr.split('\n')[0]).toBe("migrate-lint: migrate-lint.config.json: rules: unknown rule 'nope'");
  });
});

describe('options reach the run', () => {
  it('rule options: require-lock-timeout maxLockTimeout', async () => {
    const dir = tree({
      'migrate-lint.config.yaml': 'rules:\n  require-lock-timeout: [warning, { maxLockTimeout: 5s }]\n',
      'db/migrations/0001_a.sql': "SET lock_timeout = '1min';\n" + ALTER,
      'db/migrations/0002_b.sql': "SET lock_timeout = '2s';\n" + ALTER,
    });
    const r = await lint({ cwd: dir });
    expect(r.findings.map((f) => [f.file, f.messageId, f.severity])).toEqual([['db/migrations/0001_a.sql', 'timeoutTooLong', 'warning']]);
  });

  it('pgVersion: the lock facts of the configured version', async () => {
    // ADD COLUMN with a constant default rewrote the table before PostgreSQL 11.
    const files = { 'db/migrations/0001_a.sql': "ALTER TABLE orders ADD COLUMN note text DEFAULT 'x';\n" };
    const old = tree({ ...files, 'migrate-lint.config.json': '{"pgVersion": 10}' });
    const modern = tree({ ...files, 'migrate-lint.config.json': '{"pgVersion": "16.2"}' });
    expect(await rulesOf(old)).toContain('db/migrations/0001_a.sql:add-column-rewrites-table:error');
    expect(await rulesOf(modern)).not.toContain('db/migrations/0001_a.sql:add-column-rewrites-table:error');
    // The command line wins.
    expect(await rulesOf(modern, { target: { pgVersion: 10 } })).toContain('db/migrations/0001_a.sql:add-column-rewrites-table:error');
  });

  it('ignore: patterns relative to the file, from every configuration above a file', async () => {
    const dir = tree({
      'migrate-lint.config.json': JSON.stringify({ ignore: ['legacy'] }),
      'apps/migrate-lint.config.json': JSON.stringify({ ignore: ['**/0002_*.sql'] }),
      'legacy/db/migrations/0001_a.sql': INDEX,
      'apps/a/db/migrations/0001_a.sql': INDEX,
      'apps/a/db/migrations/0002_b.sql': INDEX,
      'apps/legacy/db/migrations/0001_a.sql': INDEX,
    });
    const r = await lint({ cwd: dir });
    expect([...new Set(r.findings.map((f) => f.file))].sort()).toEqual(['apps/a/db/migrations/0001_a.sql', 'apps/legacy/db/migrations/0001_a.sql']);
    // Ignored files are not read at all: the set holds only what is left.
    expect(r.sets.find((s) => s.dir === 'apps/a/db/migrations')!.migrations.map((m) => m.name)).toEqual(['0001_a']);
  });

  it('baseline: migrations already in that commit are not reported; new ones are', async () => {
    const dir = tree({ 'db/migrations/0001_a.sql': INDEX });
    rmSync(path.join(dir, '.git'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'old');
    git('tag', 'adopted');
    writeFileSync(path.join(dir, 'db/migrations/0002_b.sql'), INDEX);
    writeFileSync(path.join(dir, 'migrate-lint.config.json'), JSON.stringify({ baseline: 'adopted' }));
    expect(await rulesOf(dir)).toEqual(['db/migrations/0002_b.sql:index-not-concurrent:error']);
    writeFileSync(path.join(dir, 'migrate-lint.config.json'), JSON.stringify({ baseline: 'no-such-tag' }));
    await expect(lint({ cwd: dir })).rejects.toThrow(/^migrate-lint\.config\.json: baseline: /);
  });
});

describe('sets', () => {
  const KNEX = "exports.up = async (knex) => { await knex.raw('CREATE INDEX orders_status_idx ON orders (status)'); };\nexports.down = async (knex) => { await knex.raw('DROP INDEX orders_status_idx'); };\n";

  it('a declared set is checked as the declared framework, paths relative to the file', async () => {
    const dir = tree({
      'services/api/migrate-lint.config.yaml': 'sets:\n  - framework: knex\n    path: db/changes\n',
      'services/api/db/changes/20240101000000_index.js': KNEX,
    });
    expect(await rulesOf(dir, { config: false })).toEqual([]); // detection alone does not find it
    const r = await lint({ cwd: dir });
    expect(r.sets.map((s) => [s.framework, s.dir])).toEqual([['knex', 'services/api/db/changes']]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['index-not-concurrent']);
  });

  it('declared sets replace detection under their configuration; a nearer configuration without sets brings it back', async () => {
    const dir = tree({
      'migrate-lint.config.json': JSON.stringify({ sets: [{ framework: 'sql', path: 'db/migrations' }] }),
      'db/migrations/0001_a.sql': INDEX,
      'tools/fixtures/migrations/0001_a.sql': INDEX, // detected, but not declared: not checked
      'packages/other/migrate-lint.config.json': '{}',
      'packages/other/db/migrations/0001_a.sql': INDEX, // under a configuration that declares none: detected
    });
    const r = await lint({ cwd: dir });
    expect(r.sets.map((s) => s.dir).sort()).toEqual(['db/migrations', 'packages/other/db/migrations']);
  });

  it('dialect: a set declared mysql is not judged by the PostgreSQL lock table', async () => {
    const dir = tree({ 'migrate-lint.config.json': JSON.stringify({ sets: [{ framework: 'sql', path: 'db/migrations', dialect: 'mysql' }] }), 'db/migrations/0001_a.sql': INDEX });
    const r = await lint({ cwd: dir });
    expect(r.sets[0]!.dialect).toBe('mysql');
    expect(r.findings.map((f) => f.ruleId)).not.toContain('index-not-concurrent');
  });
});

describe('the schema', () => {
  it('is a valid draft-07 JSON Schema (loading skips this check for speed)', async () => {
    const { default: Ajv } = await import('ajv');
    const ajv = new Ajv({ strict: true, strictTuples: false, allowUnionTypes: true });
    expect(ajv.validateSchema(configSchema(allRules)), JSON.stringify(ajv.errors)).toBe(true);
    // Strict mode refuses unknown keywords and other mistakes a lenient compile lets through.
    expect(() => ajv.compile(configSchema(allRules))).not.toThrow();
  });
});

describe('ProjectConfig', () => {
  it('scopeOf: the deepest configuration containing the path', async () => {
    const root = tree({ 'migrate-lint.config.json': '{}', 'a/migrate-lint.config.json': '{"pgVersion": 14}', 'a/b/x.sql': '' });
    const config = await loadProjectConfig(root, ['migrate-lint.config.json', 'a/migrate-lint.config.json', 'a/b/x.sql'], allRules);
    expect(config.scopeOf('a/b').file).toBe('a/migrate-lint.config.json');
    expect(config.scopeOf('ab/c').file).toBe('migrate-lint.config.json');
    expect(ProjectConfig.none.scopeOf('x').file).toBeNull();
  });
});
