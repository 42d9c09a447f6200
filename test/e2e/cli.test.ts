/**
 * The built CLI, run as a user runs it: exit codes, output formats, errors and bad input. Requires
 * `npm run build` (the test script runs it first).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/python.js';

const BIN = path.join(REPO, 'bin/migrate-lint.js');

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];
function tempCopy(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-e2e-'));
  temps.push(dir);
  cpSync(path.join(REPO, 'fixtures', fixture), dir, { recursive: true });
  return dir;
}
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

describe('migrate-lint check', () => {
  it('reports the seed conflict naming both files, and exits 1', () => {
    const r = cli(['check', 'fixtures/django-conflict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('fixtures/django-conflict/shop/migrations/0005_add_field_a.py');
    expect(r.stdout).toContain('fixtures/django-conflict/shop/migrations/0005_add_field_b.py');
    expect(r.stdout).toContain('multiple leaf nodes in the migration graph: (0005_add_field_a, 0005_add_field_b in shop)');
    expect(r.stdout).toContain('conflicting-leaves');
    expect(r.stdout).toContain("python manage.py makemigrations --merge");
    expect(r.stdout).toMatch(/✖ 1 problem \(1 error, 0 warnings\)/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('exits 0 on a clean tree and says how much it checked', () => {
    const r = cli(['check', 'fixtures/django-clean']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✔ 6 migrations in 2 sets checked: no problems\n');
  });

  it('is the default command and checks the repository it stands in', () => {
    const dir = tempCopy('django-conflict');
    const r = cli([], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('shop/migrations/0005_add_field_b.py');
  });

  it('says so when there are no migrations at all', () => {
    const r = cli(['check', 'docs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No migrations found (looked for Django, Alembic, Prisma, Knex, TypeORM, Sequelize, node-pg-migrate, golang-migrate, Flyway, dbmate, goose and numbered .sql directories; name them under sets: in migrate-lint.config.yaml).\n');
  });

  it('a file path narrows what is reported; the graph still comes from the whole project', () => {
    const one = cli(['check', '-f', 'json', 'fixtures/django-multi-conflict/billing/migrations/0002_invoice_b.py']);
    expect(one.code).toBe(1);
    const findings = JSON.parse(one.stdout).findings as { file: string; data: { app: string } }[];
    expect(findings.map((f) => [f.file, f.data.app])).toEqual([['fixtures/django-multi-conflict/billing/migrations/0002_invoice_b.py', 'billing']]);
    const other = cli(['check', 'fixtures/django-multi-conflict/billing/migrations/0001_initial.py']);
    expect(other.code).toBe(0);
  });

  it('shows paths relative to the working directory', () => {
    const r = cli(['check', '.'], { cwd: path.join(REPO, 'fixtures/django-conflict/shop') });
    expect(r.stdout.split('\n')).toContain('migrations/0005_add_field_b.py');
  });

  it('colours only when asked by the terminal, never with NO_COLOR', () => {
    expect(cli(['check', 'fixtures/django-conflict'], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(/\u001b\[31m/);
    expect(cli(['check', 'fixtures/django-conflict'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(/\u001b\[/);
    expect(cli(['check', '--no-color', 'fixtures/django-conflict'], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(/\u001b\[/);
  });

  it('prints the documented JSON schema', () => {
    const r = cli(['check', '--format', 'json', 'fixtures/django-conflict']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.version).toBe(1);
    expect(report.findings).toEqual([
      {
        ruleId: 'conflicting-leaves',
        messageId: 'multipleLeaves',
        severity: 'error',
        message: expect.stringContaining('(0005_add_field_a, 0005_add_field_b in shop)'),
        file: 'fixtures/django-conflict/shop/migrations/0005_add_field_b.py',
        line: 6,
        column: 7,
        endLine: 6,
        endColumn: 16,
        set: 'django:fixtures/django-conflict/shop',
        migration: '0005_add_field_b',
        data: {
          app: 'shop',
          leaves: ['0005_add_field_a', '0005_add_field_b'],
          files: ['fixtures/django-conflict/shop/migrations/0005_add_field_a.py', 'fixtures/django-conflict/shop/migrations/0005_add_field_b.py'],
        },
        hint: expect.stringContaining('makemigrations --merge'),
        fingerprint: 'conflicting-leaves:django:fixtures/django-conflict/shop:0005_add_field_b',
        fix: {
          description: expect.stringContaining('0006_merge_0005_add_field_a_0005_add_field_b.py'),
          edits: [
            {
              kind: 'create',
              path: 'fixtures/django-conflict/shop/migrations/0006_merge_0005_add_field_a_0005_add_field_b.py',
              content: expect.stringContaining("    dependencies = [\n        ('shop', '0005_add_field_a'),\n        ('shop', '0005_add_field_b'),\n    ]"),
            },
          ],
        },
      },
    ]);
    expect(report.comparison).toBeNull();
    expect(report.sets).toEqual([
      { id: 'django:fixtures/django-conflict/shop', framework: 'django', name: 'shop', path: 'fixtures/django-conflict/shop/migrations', ordering: 'graph', migrations: ['0001_initial', '0002_item_price', '0003_item_sku', '0004_item_description', '0005_add_field_a', '0005_add_field_b'], leaves: ['0005_add_field_a', '0005_add_field_b'] },
    ]);
  });

  it('prints each dangerous statement of a Prisma migration with its lock, what it blocks and the safe form', () => {
    const r = cli(['check', 'fixtures/prisma-unsafe', '--no-color']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    const index = at('CREATE INDEX takes SHARE on "Order": blocks writes (not reads) until the transaction commits');
    expect(index).toBeGreaterThan(0);
    expect(lines[index]).toContain('index-not-concurrent');
    expect(lines[index + 1]).toContain('put the CONCURRENTLY statement alone in its own migration.sql');
    expect(r.stdout).toContain('ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on "Order" and "Coupon"');
    expect(r.stdout).toMatch(/REFRESH MATERIALIZED VIEW takes ACCESS EXCLUSIVE on "OrderTotals": blocks reads and writes/);
  });

  it('prints each dangerous Django operation with its lock, what it blocks and the safe form', () => {
    const r = cli(['check', 'fixtures/django-unsafe', '--no-color', '--format', 'json']);
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; line: number; data: Record<string, unknown>; hint?: string; file: string }[] }).findings;
    const byRule = (id: string) => findings.filter((f) => f.ruleId === id);
    expect(byRule('index-not-concurrent')).toEqual([
      expect.objectContaining({ file: 'fixtures/django-unsafe/shop/migrations/0005_item_code.py', line: 20, data: { lock: 'SHARE', tables: ['shop_item'], rewrite: false, blocks: ['writes'] }, hint: 'use AddIndexConcurrently in a migration with atomic = False' }),
    ]);
    expect(byRule('column-type-rewrite')).toEqual([expect.objectContaining({ line: 24, data: expect.objectContaining({ lock: 'ACCESS EXCLUSIVE', rewrite: true, from: 'varchar(100)', to: 'varchar(50)' }) })]);
    expect(byRule('callable-default-single-value')).toEqual([expect.objectContaining({ line: 15 })]);
    expect(byRule('cannot-run-in-transaction')).toEqual([
      expect.objectContaining({ file: 'fixtures/django-unsafe/shop/migrations/0006_item_sku_idx.py', hint: 'move it into a migration of its own with atomic = False' }),
    ]);
  });

  it('--pg-version changes what the lock table says, and a bad value is a usage error', () => {
    const sql = tempCopy('sql-plain');
    writeFileSync(path.join(sql, 'db/migrations/0099_status.sql'), "ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false;\n");
    const at = (v: string) => cli(['check', '.', '--no-color', '--format', 'json', '--pg-version', v], { cwd: sql });
    const ruleIds = (v: string) => (JSON.parse(at(v).stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
    expect(ruleIds('10')).toContain('add-column-rewrites-table');
    expect(ruleIds('15')).not.toContain('add-column-rewrites-table');
    const bad = cli(['check', '--pg-version', 'fifteen'], { cwd: sql });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--pg-version fifteen: not a PostgreSQL version');
  });

  it('reports each broken fixture with the right rule', () => {
    const cases: [string, string][] = [
      ['django-missing-dependency', 'missing-dependency'],
      ['django-removed-app', 'missing-dependency'],
      ['django-cycle', 'dependency-cycle'],
      ['django-syntax-error', 'parse-error'],
      ['django-irreversible', 'irreversible-operation'],
    ];
    for (const [fixture, rule] of cases) {
      const r = cli(['check', '-f', 'json', `fixtures/${fixture}`]);
      expect(r.code, fixture).toBe(1);
      expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId), fixture).toContain(rule);
    }
  });
});

describe('bad input: a clear finding or a one-line error, and nothing changed', () => {
  it('non-UTF-8 bytes, conflict markers, a huge file and odd file names', () => {
    const dir = tempCopy('django-clean');
    const mig = (deps: string) => `from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [${deps}]\n    operations = []\n`;
    writeFileSync(path.join(dir, 'shop/migrations/0006_latin1.py'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n' + mig("('shop', '0005_backfill_sku')"))]));
    writeFileSync(path.join(dir, 'billing/migrations/0002_conflicted.py'), `<<<<<<< HEAD\n${mig("('billing', '0001_initial')")}=======\n${mig("('shop', '0001_initial')")}>>>>>>> feature\n`);
    writeFileSync(path.join(dir, 'billing/migrations/0003_huge.py'), mig("('billing', '0002_conflicted')") + '#'.repeat(5 * 1024 * 1024));
    writeFileSync(path.join(dir, 'shop/migrations/0007 odd name é.py'), mig("('shop', '0006_latin1')"));
    const before = snapshotTree(dir);
    const r = cli(['check', '-f', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const findings = JSON.parse(r.stdout).findings as { ruleId: string; file: string; line: number; message: string }[];
    expect(findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['parse-error', 'billing/migrations/0002_conflicted.py', 1],
      ['parse-error', 'billing/migrations/0003_huge.py', 1],
      ['parse-error', 'shop/migrations/0006_latin1.py', 1],
    ]);
    expect(findings[1]!.message).toContain('over the 4 MiB limit');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a path that does not exist is a one-line usage error with exit 2', () => {
    const r = cli(['check', 'no/such/dir']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('migrate-lint: no such file or directory: no/such/dir\n  hint: check the path; paths are relative to the current directory\n');
  });

  it('an unknown option or format is a usage error with exit 2', () => {
    expect(cli(['check', '--frobnicate']).code).toBe(2);
    const r = cli(['check', '--format', 'xml', 'fixtures/django-clean']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'xml' is invalid");
  });
});

describe('migrate-lint graph', () => {
  it('prints the documented JSON', () => {
    const r = cli(['graph', '--format', 'json', 'fixtures/django-squashed']);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout);
    expect(g.version).toBe(1);
    expect(g.sets).toEqual([
      { id: 'django:fixtures/django-squashed/billing', framework: 'django', app: 'billing', path: 'fixtures/django-squashed/billing/migrations', nodes: ['0001_initial'], edges: [['shop.0001_squashed_0003_item_sku', '0001_initial']], leaves: ['0001_initial'] },
      {
        id: 'django:fixtures/django-squashed/shop',
        framework: 'django',
        app: 'shop',
        path: 'fixtures/django-squashed/shop/migrations',
        nodes: ['0001_squashed_0003_item_sku', '0004_item_description'],
        edges: [['0001_squashed_0003_item_sku', '0004_item_description']],
        leaves: ['0004_item_description'],
      },
    ]);
  });

  it('draws Mermaid and DOT, marking conflicting leaves', () => {
    const m = cli(['graph', '--format', 'mermaid', 'fixtures/django-conflict']).stdout;
    expect(m).toContain('n_0004_item_description --> n_0005_add_field_a');
    expect(m).toContain('class n_0005_add_field_b conflict');
    const d = cli(['graph', '--format', 'dot', 'fixtures/django-conflict']).stdout;
    expect(d).toContain('"0004_item_description" -> "0005_add_field_b";');
    expect(d).toContain('"0005_add_field_a" [color=red];');
    const t = cli(['graph', 'fixtures/django-conflict']).stdout;
    expect(t).toContain('leaves: 0005_add_field_a, 0005_add_field_b');
  });
});

describe('migrate-lint explain / --version', () => {
  it('prints a rule page', () => {
    const r = cli(['explain', 'conflicting-leaves']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(REPO, 'docs/rules/conflicting-leaves.md'), 'utf8'));
  });

  it('an unknown rule is a usage error listing the known ones', () => {
    const r = cli(['explain', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^migrate-lint: unknown rule 'nope'\n  hint: known rules: conflicting-leaves, /);
  });

  it('prints its version', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(cli(['--version']).stdout.trim()).toBe(pkg.version);
  });
});

describe('a monorepo with every kind of project', () => {
  it('finds each set without configuration and reports each framework with one rule set', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ml-mono-'));
    temps.push(root);
    for (const [fixture, dir] of [
      ['django-conflict', 'backend'],
      ['alembic-two-heads', 'services/billing'],
      ['prisma-unsafe', 'web'],
      ['knex-unsafe', 'api'],
      ['typeorm-unsafe', 'worker'],
    ] as const) {
      cpSync(path.join(REPO, 'fixtures', fixture), path.join(root, dir), { recursive: true });
    }
    const r = cli(['check', '-f', 'json'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[]; sets: { framework: string; path: string }[] };
    expect(report.sets.map((s) => `${s.framework} ${s.path}`).sort()).toEqual([
      'alembic services/billing/alembic/versions',
      'django backend/shop/migrations',
      'knex api/migrations',
      'prisma web/prisma/migrations',
      'typeorm worker/src/migrations',
    ]);
    const found = new Set(report.findings.map((f) => `${f.ruleId} ${f.file.split('/')[0]}`));
    for (const expected of [
      'conflicting-leaves backend',
      'conflicting-leaves services',
      'index-not-concurrent web',
      'missing-down api',
      'index-not-concurrent api',
      'cannot-run-in-transaction api',
      'index-not-concurrent worker',
      'missing-down worker',
    ]) {
      expect(found, expected).toContain(expected);
    }
  });
});
