/**
 * `check --base` and `check --staged` on real temporary git repositories: the seed scenario (two branches
 * each add a 0005 migration to one app) caught before the merge from either side, edits to history,
 * staged mode, and the git errors a user can run into. Runs the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { djangoMigration } from '../../src/engine/examples.js';
import { DJANGO_INITIAL, addTextField } from '../helpers/files.js';
import { gitEnv, TempRepo } from '../helpers/git-repo.js';
import { REPO } from '../helpers/python.js';

const BIN = path.join(REPO, 'bin/migrate-lint.js');

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: gitEnv() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(cwd: string, ...args: string[]) {
  const r = cli(cwd, ...args, '--format', 'json');
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as { findings: { ruleId: string; message: string; file: string; data: Record<string, unknown> }[]; comparison: Record<string, unknown> | null } };
}

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

const field = addTextField;

/** main with shop 0001..0004, as in the seed: the app every branch starts from. */
function djangoRepo(): TempRepo {
  const repo = TempRepo.create();
  repos.push(repo);
  repo.commit('Initial', {
    'shop/__init__.py': '',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': DJANGO_INITIAL,
    'shop/migrations/0002_add_price.py': field('price', '0001_initial'),
    'shop/migrations/0003_add_sku.py': field('sku', '0002_add_price'),
    'shop/migrations/0004_add_color.py': field('color', '0003_add_sku'),
  });
  return repo;
}

/** The seed scenario: feature branched off main; each then added a 0005 to shop. */
function seed(): { repo: TempRepo; mainCommit: string } {
  const repo = djangoRepo();
  repo.checkout('feature', { create: true });
  repo.commit('Add field b', { 'shop/migrations/0005_add_field_b.py': field('field_b', '0004_add_color') });
  repo.checkout('main');
  const mainCommit = repo.commit('Add field a', { 'shop/migrations/0005_add_field_a.py': field('field_a', '0004_add_color') });
  repo.checkout('feature');
  return { repo, mainCommit };
}

describe('check --base: conflicts predicted before the merge', () => {
  it('on the feature branch: exits 1 and names both migrations and the main commit', () => {
    const { repo, mainCommit } = seed();
    // Before the merge, neither branch alone has a problem.
    expect(cli(repo.dir).code).toBe(0);
    const r = cli(repo.dir, 'check', '--base', 'main');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('0005_add_field_b');
    expect(r.stdout).toContain('0005_add_field_a');
    expect(r.stdout).toContain(mainCommit.slice(0, 7));
    expect(r.stdout).toContain('"Add field a")');
    expect(r.stdout).toContain('conflicting-leaves');
    const { report } = json(repo.dir, 'check', '--base', 'main');
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'conflicting-leaves', file: 'shop/migrations/0005_add_field_b.py' });
    expect(report.findings[0]!.data).toMatchObject({ target: 'main', branchLeaves: [{ name: '0005_add_field_b' }], targetLeaves: [{ name: '0005_add_field_a', commit: mainCommit }] });
    expect(report.comparison).toMatchObject({ target: 'main', targetCommit: mainCommit, changedFiles: ['shop/migrations/0005_add_field_b.py'] });
  });

  it('from the other side: main checked against feature also exits 1', () => {
    const { repo } = seed();
    repo.checkout('main');
    const r = cli(repo.dir, 'check', '--base', 'feature');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('0005_add_field_a');
    expect(r.stdout).toContain('0005_add_field_b');
  });

  it('after rebasing onto main and renumbering: exits 0', () => {
    const { repo } = seed();
    repo.git('rebase', '-q', 'main');
    repo.remove('shop/migrations/0005_add_field_b.py');
    repo.commit('Renumber field b after main', { 'shop/migrations/0006_add_field_b.py': field('field_b', '0005_add_field_a') });
    const r = cli(repo.dir, 'check', '--base', 'main');
    expect(r.stdout).toContain('as merged into main');
    expect(r.code).toBe(0);
  });

  it('after the merge, --fix writes the merge migration and the check passes; --fix-dry-run changes nothing', () => {
    const { repo } = seed();
    repo.git('merge', '-q', '--no-edit', 'main');
    expect(cli(repo.dir).code).toBe(1);
    const dry = cli(repo.dir, 'check', '--fix-dry-run');
    expect(dry.stdout).toContain('+++ b/shop/migrations/0006_merge_0005_add_field_a_0005_add_field_b.py');
    expect(repo.git('status', '--porcelain')).toBe('');
    const fixed = cli(repo.dir, 'check', '--fix');
    expect(fixed.stderr).toContain('fixed: created shop/migrations/0006_merge_0005_add_field_a_0005_add_field_b.py');
    expect(fixed.code).toBe(0);
    expect(repo.git('status', '--porcelain')).toBe('?? shop/migrations/0006_merge_0005_add_field_a_0005_add_field_b.py\n');
    expect(cli(repo.dir).code).toBe(0);
  });

  it('uncommitted work counts: the working tree is the branch', () => {
    const repo = djangoRepo();
    repo.checkout('feature', { create: true });
    repo.checkout('main');
    repo.commit('Add field a', { 'shop/migrations/0005_add_field_a.py': field('field_a', '0004_add_color') });
    repo.checkout('feature');
    repo.write({ 'shop/migrations/0005_add_field_b.py': field('field_b', '0004_add_color') });
    expect(cli(repo.dir, 'check', '--base', 'main').code).toBe(1);
  });

  it('works from a path reached through a symbolic link', () => {
    const { repo } = seed();
    const link = path.join(mkdtempSync(path.join(tmpdir(), 'ml-link-')), 'repo');
    symlinkSync(repo.dir, link);
    try {
      expect(cli(link, 'check', '--base', 'main', 'shop').code).toBe(1);
    } finally {
      rmSync(path.dirname(link), { recursive: true, force: true });
    }
  });

  it('works on a detached HEAD', () => {
    const { repo } = seed();
    repo.git('checkout', '-q', '--detach', 'feature');
    expect(cli(repo.dir, 'check', '--base', 'main').code).toBe(1);
  });

  it('per-migration rules report only what the branch adds', () => {
    const repo = djangoRepo();
    // main already has an unsafe migration; the branch adds another.
    repo.commit('Unsafe on main', { 'shop/migrations/0005_drop_color.py': djangoMigration(["migrations.RemoveField('item', 'color')"], { dependency: "('shop', '0004_add_color')" }) });
    repo.checkout('feature', { create: true });
    repo.commit('Unsafe on the branch', { 'shop/migrations/0006_drop_sku.py': djangoMigration(["migrations.RemoveField('item', 'sku')"], { dependency: "('shop', '0005_drop_color')" }) });
    const all = json(repo.dir, 'check');
    expect(all.report.findings.map((f) => f.file)).toEqual(expect.arrayContaining(['shop/migrations/0005_drop_color.py', 'shop/migrations/0006_drop_sku.py']));
    const branch = json(repo.dir, 'check', '--base', 'main');
    expect(branch.report.findings.length).toBeGreaterThan(0);
    expect(new Set(branch.report.findings.map((f) => f.file))).toEqual(new Set(['shop/migrations/0006_drop_sku.py']));
  });
});

describe('check --base: Prisma and SQL directories', () => {
  const LOCK = '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n';

  it('an out-of-order Prisma folder is a warning naming main\'s newer migration and its commit', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    repo.commit('init', { 'prisma/migrations/migration_lock.toml': LOCK, 'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "orders" ("id" SERIAL PRIMARY KEY);\n' });
    repo.checkout('feature', { create: true });
    repo.commit('note', { 'prisma/migrations/20240103000000_note/migration.sql': 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;\n' });
    repo.checkout('main');
    const mainCommit = repo.commit('status', { 'prisma/migrations/20240105000000_status/migration.sql': 'ALTER TABLE "orders" ADD COLUMN "status" TEXT;\n' });
    repo.checkout('feature');
    const { code, report } = json(repo.dir, 'check', '--base', 'main');
    expect(code).toBe(0);
    expect(report.findings.map((f) => [f.ruleId, f.file])).toEqual([['out-of-order-migration', 'prisma/migrations/20240103000000_note/migration.sql']]);
    expect(report.findings[0]!.data).toMatchObject({ newer: '20240105000000_status', newerCommit: mainCommit });
    expect(report.findings[0]!.message).toContain(mainCommit.slice(0, 7));
    // Renamed after main's newest: nothing to report.
    repo.git('mv', 'prisma/migrations/20240103000000_note', 'prisma/migrations/20240106000000_note');
    expect(json(repo.dir, 'check', '--base', 'main').report.findings).toEqual([]);
  });

  it('golang-migrate: both sides add version 2', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    repo.commit('init', { 'db/migrations/000001_init.up.sql': 'CREATE TABLE t (id int);\n', 'db/migrations/000001_init.down.sql': 'DROP TABLE t;\n' });
    repo.checkout('feature', { create: true });
    repo.commit('a', { 'db/migrations/000002_a.up.sql': 'ALTER TABLE t ADD COLUMN a int;\n', 'db/migrations/000002_a.down.sql': 'ALTER TABLE t DROP COLUMN a;\n' });
    repo.checkout('main');
    repo.commit('b', { 'db/migrations/000002_b.up.sql': 'ALTER TABLE t ADD COLUMN b int;\n', 'db/migrations/000002_b.down.sql': 'ALTER TABLE t DROP COLUMN b;\n' });
    repo.checkout('feature');
    expect(cli(repo.dir).code).toBe(0);
    const { code, report } = json(repo.dir, 'check', '--base', 'main');
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.file])).toEqual([['duplicate-version', 'db/migrations/000002_a.up.sql']]);
  });
});

describe('check --base --fix: re-sequencing the branch\'s migrations', () => {
  const LOCK = '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n';
  const utcStamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

  /** main gained 20240105000000_status after feature branched off and added 20240103000000_note. */
  function prismaRepo(): TempRepo {
    const repo = TempRepo.create();
    repos.push(repo);
    repo.commit('init', { 'prisma/migrations/migration_lock.toml': LOCK, 'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "orders" ("id" SERIAL PRIMARY KEY);\n' });
    repo.checkout('feature', { create: true });
    repo.commit('note', { 'prisma/migrations/20240103000000_note/migration.sql': 'ALTER TABLE "orders" ADD COLUMN "note" TEXT;\n' });
    repo.checkout('main');
    repo.commit('status', { 'prisma/migrations/20240105000000_status/migration.sql': 'ALTER TABLE "orders" ADD COLUMN "status" TEXT;\n' });
    repo.checkout('feature');
    return repo;
  }

  it('an out-of-order Prisma folder is renamed past main\'s newest with git mv, and nothing main has is touched', () => {
    const repo = prismaRepo();
    const mainTree = repo.git('ls-tree', '-r', 'main');
    const dry = cli(repo.dir, 'check', '--base', 'main', '--fix-dry-run');
    expect(dry.stdout).toMatch(/^diff --git a\/prisma\/migrations\/20240103000000_note b\/prisma\/migrations\/\d{14}_note\nsimilarity index 100%\nrename from prisma\/migrations\/20240103000000_note\n/);
    expect(repo.git('status', '--porcelain')).toBe('');
    const before = utcStamp(new Date());
    const fixed = cli(repo.dir, 'check', '--base', 'main', '--fix');
    const after = utcStamp(new Date());
    expect(fixed.code).toBe(0);
    const renamed = /renamed prisma\/migrations\/20240103000000_note → prisma\/migrations\/(\d{14})_note/.exec(fixed.stderr);
    expect(renamed, fixed.stderr).not.toBeNull();
    // Named as `prisma migrate dev` would name it now (UTC), which is after main's newest.
    expect(renamed![1]! >= before && renamed![1]! <= after).toBe(true);
    expect(renamed![1]! > '20240105000000').toBe(true);
    // git mv: the index already has the rename, and the content moved with it.
    const folder = `prisma/migrations/${renamed![1]}_note`;
    expect(repo.git('status', '--porcelain', '--no-renames').split('\n').filter(Boolean).sort()).toEqual([`A  ${folder}/migration.sql`, 'D  prisma/migrations/20240103000000_note/migration.sql']);
    expect(repo.git('show', `:${folder}/migration.sql`)).toBe('ALTER TABLE "orders" ADD COLUMN "note" TEXT;\n');
    expect(repo.git('ls-tree', '-r', 'main')).toBe(mainTree);
    // Merged, main's folder and the renamed one stand side by side, in the order the branch wrote them.
    repo.commit('Renumber note after main');
    repo.git('merge', '-q', '--no-edit', 'main');
    expect(repo.git('ls-tree', '--name-only', 'HEAD', 'prisma/migrations/').split('\n').filter(Boolean)).toEqual([
      'prisma/migrations/20240101000000_init',
      'prisma/migrations/20240105000000_status',
      folder,
      'prisma/migrations/migration_lock.toml',
    ]);
    expect(cli(repo.dir).code).toBe(0);
    expect(json(repo.dir, 'check', '--base', 'main').report.findings).toEqual([]);
    // A second --fix has nothing to do.
    const again = cli(repo.dir, 'check', '--base', 'main', '--fix', '--allow-dirty');
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
  });

  it('golang-migrate: the branch\'s duplicate version 2 becomes 3, its .up.sql and .down.sql together', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    repo.commit('init', { 'db/migrations/000001_init.up.sql': 'CREATE TABLE t (id int);\n', 'db/migrations/000001_init.down.sql': 'DROP TABLE t;\n' });
    repo.checkout('feature', { create: true });
    repo.commit('a', { 'db/migrations/000002_a.up.sql': 'ALTER TABLE t ADD COLUMN a int;\n', 'db/migrations/000002_a.down.sql': 'ALTER TABLE t DROP COLUMN a;\n' });
    repo.checkout('main');
    repo.commit('b', { 'db/migrations/000002_b.up.sql': 'ALTER TABLE t ADD COLUMN b int;\n', 'db/migrations/000002_b.down.sql': 'ALTER TABLE t DROP COLUMN b;\n' });
    repo.checkout('feature');
    const fixed = cli(repo.dir, 'check', '--base', 'main', '--fix');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toContain('renamed db/migrations/000002_a.up.sql → db/migrations/000003_a.up.sql');
    expect(repo.git('status', '--porcelain', '--no-renames').split('\n').filter(Boolean).sort()).toEqual([
      'A  db/migrations/000003_a.down.sql',
      'A  db/migrations/000003_a.up.sql',
      'D  db/migrations/000002_a.down.sql',
      'D  db/migrations/000002_a.up.sql',
    ]);
    repo.commit('Renumber a after main');
    repo.git('merge', '-q', '--no-edit', 'main');
    expect(cli(repo.dir).code).toBe(0);
    expect(repo.git('ls-tree', '--name-only', 'HEAD', 'db/migrations/').split('\n').filter(Boolean)).toEqual([
      'db/migrations/000001_init.down.sql',
      'db/migrations/000001_init.up.sql',
      'db/migrations/000002_b.down.sql',
      'db/migrations/000002_b.up.sql',
      'db/migrations/000003_a.down.sql',
      'db/migrations/000003_a.up.sql',
    ]);
  });

  it('refuses to rename a migration with uncommitted changes unless --allow-dirty', () => {
    const repo = prismaRepo();
    repo.write({ 'prisma/migrations/20240103000000_note/migration.sql': 'ALTER TABLE "orders" ADD COLUMN "note" VARCHAR(200);\n' });
    const refused = cli(repo.dir, 'check', '--base', 'main', '--fix');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'migrate-lint: refusing to fix: prisma/migrations/20240103000000_note/migration.sql has uncommitted changes\n  hint: commit or stash them first so the fix can be reviewed and undone, or pass --allow-dirty\n',
    );
    expect(repo.git('status', '--porcelain')).toBe(' M prisma/migrations/20240103000000_note/migration.sql\n');
    const dry = cli(repo.dir, 'check', '--base', 'main', '--fix-dry-run');
    expect(dry.stderr).toContain('--fix would refuse: refusing to fix: prisma/migrations/20240103000000_note/migration.sql has uncommitted changes');
    const allowed = cli(repo.dir, 'check', '--base', 'main', '--fix', '--allow-dirty');
    expect(allowed.code).toBe(0);
    expect(existsSync(path.join(repo.dir, 'prisma/migrations/20240103000000_note'))).toBe(false);
  });

  it('an untracked migration is renamed on disk with --allow-dirty', () => {
    const repo = prismaRepo();
    repo.git('reset', '-q', '--soft', 'HEAD~1');
    repo.git('rm', '-q', '-r', '--cached', 'prisma/migrations/20240103000000_note');
    expect(repo.git('status', '--porcelain')).toBe('?? prisma/migrations/20240103000000_note/\n');
    expect(cli(repo.dir, 'check', '--base', 'main', '--fix').stderr).toContain('has uncommitted changes');
    const allowed = cli(repo.dir, 'check', '--base', 'main', '--fix', '--allow-dirty');
    expect(allowed.code).toBe(0);
    expect(repo.git('status', '--porcelain')).toMatch(/^\?\? prisma\/migrations\/\d{14}_note\/\n$/);
  });
});

describe('check --base: Alembic and Knex on real repositories', () => {
  const revision = (id: string, down: string, column: string) =>
    ["from alembic import op", "import sqlalchemy as sa", "", "", `revision = '${id}'`, `down_revision = '${down}'`, "branch_labels = None", "depends_on = None", "", "", "def upgrade():", `    op.add_column('account', sa.Column('${column}', sa.Text(), nullable=True))`, "", "", "def downgrade():", `    op.drop_column('account', '${column}')`, ""].join('\n');

  it('Alembic: two branches each add a revision after the same head; after the merge, --fix writes the merge revision', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    cpSync(path.join(REPO, 'fixtures/alembic-linear'), repo.dir, { recursive: true });
    repo.commit('init');
    repo.checkout('feature', { create: true });
    repo.commit('phone', { 'alembic/versions/ddd444_add_phone.py': revision('ddd444', 'ccc333', 'phone') });
    repo.checkout('main');
    repo.commit('city', { 'alembic/versions/eee555_add_city.py': revision('eee555', 'ccc333', 'city') });
    repo.checkout('feature');
    // (The fixture's own CREATE INDEX is reported too: only the heads matter here.)
    const heads = (...args: string[]) => json(repo.dir, 'check', ...args).report.findings.filter((f) => f.ruleId === 'conflicting-leaves');
    expect(heads()).toEqual([]);
    const { report } = json(repo.dir, 'check', '--base', 'main');
    expect(report.findings.map((f) => [f.ruleId, f.file])).toEqual([['conflicting-leaves', 'alembic/versions/ddd444_add_phone.py']]);
    expect(report.findings[0]!.message).toContain("Multiple head revisions are present for given argument 'head'");
    repo.git('merge', '-q', '--no-edit', 'main');
    expect(heads().map((f) => f.file)).toEqual(['alembic/versions/eee555_add_city.py']);
    const fixed = cli(repo.dir, 'check', '--fix');
    expect(fixed.stderr).toMatch(/^migrate-lint: fixed: created alembic\/versions\/[0-9a-f]{12}_merge_heads\.py\n$/);
    expect(heads()).toEqual([]);
  });

  it('Knex: an older branch migration is renamed past main\'s newest with git mv', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    const knexFile = (table: string) => `exports.up = (knex) => knex.schema.createTable('${table}', (t) => t.increments());\nexports.down = (knex) => knex.schema.dropTable('${table}');\n`;
    repo.commit('init', { 'migrations/20240101000000_users.js': knexFile('users') });
    repo.checkout('feature', { create: true });
    repo.commit('items', { 'migrations/20240201000000_items.js': knexFile('items') });
    repo.checkout('main');
    repo.commit('orders', { 'migrations/20240301000000_orders.js': knexFile('orders') });
    repo.checkout('feature');
    const { report } = json(repo.dir, 'check', '--base', 'main');
    expect(report.findings.map((f) => [f.ruleId, f.file])).toEqual([['out-of-order-migration', 'migrations/20240201000000_items.js']]);
    const fixed = cli(repo.dir, 'check', '--base', 'main', '--fix');
    expect(fixed.code, fixed.stderr).toBe(0);
    const renamed = /renamed migrations\/20240201000000_items\.js → migrations\/(\d{14})_items\.js/.exec(fixed.stderr);
    expect(renamed, fixed.stderr).not.toBeNull();
    expect(renamed![1]! > '20240301000000').toBe(true);
    expect(repo.git('status', '--porcelain')).toMatch(/^R {2}migrations\/20240201000000_items\.js -> migrations\/\d{14}_items\.js\n$/);
    expect(json(repo.dir, 'check', '--base', 'main').report.findings).toEqual([]);
  });
});

describe('check --base: edits to history', () => {
  it('reports edited, deleted and renamed migrations that main already has', () => {
    const repo = djangoRepo();
    repo.checkout('feature', { create: true });
    repo.write({ 'shop/migrations/0004_add_color.py': field('colour', '0003_add_sku') });
    repo.git('mv', 'shop/migrations/0002_add_price.py', 'shop/migrations/0002_price.py');
    repo.commit('Rewrite history');
    const { code, report } = json(repo.dir, 'check', '--base', 'main');
    expect(code).toBe(1);
    const ids = report.findings.map((f) => `${f.ruleId} ${f.file}`);
    expect(ids).toEqual(expect.arrayContaining(['edited-migration shop/migrations/0004_add_color.py', 'renamed-migration shop/migrations/0002_price.py']));
    repo.remove('shop/migrations/0004_add_color.py');
    const after = json(repo.dir, 'check', '--base', 'main');
    expect(after.report.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(expect.arrayContaining(['deleted-migration shop/migrations/0004_add_color.py']));
  });

  it('paths with spaces and non-ASCII characters', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    const dir = 'db/migrações v2';
    repo.commit('init', { [`${dir}/0001_créer table.sql`]: 'CREATE TABLE t (id int);\n', [`${dir}/0002_ajouter note.sql`]: 'ALTER TABLE t ADD COLUMN note text;\n' });
    repo.checkout('feature', { create: true });
    repo.commit('edit', { [`${dir}/0002_ajouter note.sql`]: 'ALTER TABLE t ADD COLUMN note varchar(10);\n' });
    const { code, report } = json(repo.dir, 'check', '--base', 'main');
    expect(code).toBe(1);
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`)).toContain(`edited-migration ${dir}/0002_ajouter note.sql`);
  });
});

describe('check --staged', () => {
  it('checks the index against HEAD, not the working tree', () => {
    const repo = djangoRepo();
    repo.write({ 'shop/migrations/0005_a.py': field('a', '0004_add_color') });
    repo.git('add', 'shop/migrations/0005_a.py');
    // An unstaged second leaf is not part of the commit being made.
    repo.write({ 'shop/migrations/0005_b.py': field('b', '0004_add_color') });
    expect(cli(repo.dir, 'check', '--staged').code).toBe(0);
    repo.git('add', 'shop/migrations/0005_b.py');
    const r = json(repo.dir, 'check', '--staged');
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f) => f.ruleId)).toEqual(['conflicting-leaves']);
  });

  it('reports a staged edit of a committed migration', () => {
    const repo = djangoRepo();
    repo.write({ 'shop/migrations/0004_add_color.py': field('colour', '0003_add_sku') });
    repo.git('add', '-A');
    const r = json(repo.dir, 'check', '--staged');
    expect(r.report.findings.map((f) => f.ruleId)).toEqual(['edited-migration']);
  });

  it('works before the first commit', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    repo.write({ 'shop/__init__.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': DJANGO_INITIAL });
    repo.git('add', '-A');
    expect(cli(repo.dir, 'check', '--staged').code).toBe(0);
  });
});

describe('git errors are one line with a hint, exit 2, and change nothing', () => {
  it('not a git repository', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ml-nogit-'));
    try {
      const r = cli(dir, 'check', '--base', 'main');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^migrate-lint: not a git repository: .*\n  hint: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown ref', () => {
    const repo = djangoRepo();
    const r = cli(repo.dir, 'check', '--base', 'origin/mian');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown git ref 'origin/mian'");
    expect(r.stderr).toContain('hint: fetch it first');
  });

  it('a branch with no commits yet', () => {
    const repo = TempRepo.create();
    repos.push(repo);
    const r = cli(repo.dir, 'check', '--base', 'main');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HEAD has no commits yet|unknown git ref/);
  });

  it('hostile ref names are refused or read as names, and nothing runs', () => {
    const repo = djangoRepo();
    for (const ref of ['--output=x', '-c core.pager=touch pwned', '$(touch pwned)', '`touch pwned`', 'main;touch pwned']) {
      const r = cli(repo.dir, 'check', `--base=${ref}`);
      expect(r.code, ref).toBe(2);
      expect(r.stderr, ref).toMatch(/not a git ref|unknown git ref/);
    }
    expect(existsSync(path.join(repo.dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(repo.dir, 'x'))).toBe(false);
  });

  it('a shallow clone without the merge-base says how to fetch it', () => {
    const { repo } = seed();
    repo.checkout('main');
    repo.commit('more on main', { 'README': 'x\n' });
    const clone = mkdtempSync(path.join(tmpdir(), 'ml-shallow-'));
    rmSync(clone, { recursive: true });
    const origin = TempRepo.at(repo.dir);
    origin.git('clone', '-q', '--depth', '1', '--no-single-branch', `file://${repo.dir}`, clone);
    const shallow = TempRepo.at(clone);
    repos.push(shallow);
    shallow.checkout('feature', { create: true, from: 'origin/feature' });
    const r = cli(clone, 'check', '--base', 'origin/main');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('shallow clone');
    expect(r.stderr).toContain('fetch-depth: 0');
    expect(r.stderr).toContain('git fetch --unshallow');
  });

  it('--base and --staged together is a usage error', () => {
    const repo = djangoRepo();
    const r = cli(repo.dir, 'check', '--base', 'main', '--staged');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot be used together');
  });
});

describe('branches', () => {
  /** main plus three branches: a and b each add a 0005 (they conflict with each other), c adds a 0005
   *  after main's own 0005 (it conflicts with main), d only touches a README. */
  function threeWay(): TempRepo {
    const repo = djangoRepo();
    for (const [branch, file, after] of [
      ['feature-a', '0005_a', '0004_add_color'],
      ['feature-b', '0005_b', '0004_add_color'],
      ['feature-c', '0005_c', '0004_add_color'],
    ] as const) {
      repo.checkout(branch, { create: true, from: 'main' });
      repo.commit(`add ${file}`, { [`shop/migrations/${file}.py`]: field(file.slice(5), after) });
    }
    repo.checkout('docs', { create: true, from: 'main' });
    repo.commit('docs', { 'README.md': 'hello\n' });
    repo.checkout('main');
    repo.commit('main adds 0005_main', { 'shop/migrations/0005_main.py': field('m', '0004_add_color') });
    // a and b were rebased onto main; c was not.
    for (const b of ['feature-a', 'feature-b']) {
      repo.checkout(b);
      repo.git('rebase', '-q', 'main');
      const file = `0005_${b.slice(-1)}`;
      repo.remove(`shop/migrations/${file}.py`);
      repo.commit('renumber', { [`shop/migrations/0006_${b.slice(-1)}.py`]: field(b.slice(-1), '0005_main') });
    }
    repo.checkout('main');
    return repo;
  }

  it('prints the matrix and the conflicting pairs', () => {
    const repo = threeWay();
    const r = cli(repo.dir, 'branches', '--target', 'main');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const row = (name: string) => lines.find((l) => l.startsWith(name))!.trim().split(/\s+/);
    // columns: main, docs, feature-a, feature-b, feature-c
    // feature-c conflicts with main alone: its pairs wait until it is fixed (?).
    expect(row('docs')).toEqual(['docs', '·', '-', '·', '·', '?']);
    expect(row('feature-a')).toEqual(['feature-a', '·', '·', '-', '✗', '?']);
    expect(row('feature-b')).toEqual(['feature-b', '·', '·', '✗', '-', '?']);
    expect(row('feature-c')).toEqual(['feature-c', '✗', '?', '?', '?', '-']);
    expect(r.stdout).toContain('feature-a × feature-b');
    expect(r.stdout).toContain('0006_a');
    expect(r.stdout).toContain('0006_b');
  });

  it('--format json', () => {
    const repo = threeWay();
    const r = cli(repo.dir, 'branches', '--target', 'main', '--format', 'json');
    const report = JSON.parse(r.stdout) as { target: { name: string }; branches: { name: string; conflictsWithTarget: boolean }[]; pairs: { branches: string[]; findings: { ruleId: string }[] }[] };
    expect(report.target.name).toBe('main');
    expect(Object.fromEntries(report.branches.map((b) => [b.name, b.conflictsWithTarget]))).toEqual({ docs: false, 'feature-a': false, 'feature-b': false, 'feature-c': true });
    expect(report.pairs.map((p) => [p.branches.sort(), p.findings.map((f) => f.ruleId)])).toEqual([[['feature-a', 'feature-b'], ['conflicting-leaves']]]);
  });

  it("honours the working tree's configuration (ignored directories are not read on any branch)", () => {
    const repo = threeWay();
    writeFileSync(path.join(repo.dir, 'migrate-lint.config.json'), JSON.stringify({ ignore: ['shop'] }));
    const r = cli(repo.dir, 'branches', '--target', 'main', '--format', 'json');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { branches: { conflictsWithTarget: boolean }[]; pairs: unknown[] };
    expect(report.branches.some((b) => b.conflictsWithTarget)).toBe(false);
    expect(report.pairs).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('--remote compares remote-tracking branches', () => {
    const origin = threeWay();
    const clone = mkdtempSync(path.join(tmpdir(), 'ml-clone-'));
    rmSync(clone, { recursive: true });
    origin.git('clone', '-q', `file://${origin.dir}`, clone);
    const repo = TempRepo.at(clone);
    repos.push(repo);
    const r = cli(clone, 'branches', '--remote', '--format', 'json');
    const report = JSON.parse(r.stdout) as { target: { name: string }; branches: { name: string }[]; pairs: { branches: string[] }[] };
    expect(report.target.name).toBe('origin/main');
    expect(report.branches.map((b) => b.name).sort()).toEqual(['origin/docs', 'origin/feature-a', 'origin/feature-b', 'origin/feature-c']);
    expect(report.pairs.map((p) => p.branches.sort())).toEqual([['origin/feature-a', 'origin/feature-b']]);
  });
});
