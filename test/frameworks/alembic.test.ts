/**
 * The Alembic front end: where environments are (alembic.ini sections, pyproject.toml, detection), how a
 * revision file is read (identity, references, reverse), and how `op.*` calls lower into statements with
 * their spans and transaction placement. The real Alembic is compared in test/interop/alembic.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { lintSnapshot } from '../../src/api.js';
import { fromIni, fromPyproject, readIni, revisionFiles } from '../../src/frameworks/alembic/layout.js';
import { transactionOfEnv, upgradeOrder } from '../../src/frameworks/alembic/index.js';
import { transactionPlacements } from '../../src/model/migration-facts.js';
import type { Migration, MigrationSet } from '../../src/model/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { ALEMBIC_ENV } from '../helpers/files.js';

async function load(files: Record<string, string>) {
  return lintSnapshot(new MemorySnapshot(files), ['']);
}

/** One revision file in `alembic/versions` beside an env.py; returns its set and migration. */
async function revision(text: string, extra: Record<string, string> = {}): Promise<{ set: MigrationSet; m: Migration; findings: Awaited<ReturnType<typeof load>>['findings'] }> {
  const r = await load({ 'alembic/env.py': ALEMBIC_ENV, 'alembic/versions/x.py': text, ...extra });
  const set = r.sets.find((s) => s.framework === 'alembic')!;
  return { set, m: set.migrations.find((m) => m.file === 'alembic/versions/x.py')!, findings: r.findings };
}

const HEADER = "from alembic import op\nimport sqlalchemy as sa\n\nrevision = 'abc123'\ndown_revision = None\n\n\ndef upgrade():\n";

describe('layout', () => {
  it('reads every alembic.ini section with a script_location, resolving %(here)s and interpolation', () => {
    const envs = fromIni('svc/alembic.ini', '[DEFAULT]\nbase = db\n\n[alembic]\nscript_location = %(here)s/%(base)s\nfile_template = %%(year)d_%%(rev)s\n\n[other]\n# a comment\nscript_location = other_dir\nversion_locations = %(here)s/v1 %(here)s/v2\nrecursive_version_locations = true\n\n[loggers]\nkeys = root\n');
    expect(envs.map((e) => [e.scriptDir, e.versionDirs, e.recursive, e.config.section])).toEqual([
      ['svc/db', null, false, 'alembic'],
      ['svc/other_dir', ['svc/v1', 'svc/v2'], true, 'other'],
    ]);
    expect(envs[0]!.fileTemplate).toBe('%(year)d_%(rev)s');
    expect(readIni('[a]\nk: v\n  continued\n').get('a')!.get('k')).toBe('v\ncontinued');
  });

  it('reads [tool.alembic] from pyproject.toml, arrays over several lines included', () => {
    const [env] = fromPyproject('app/pyproject.toml', '[project]\nname = "x"\n\n[tool.alembic]\nscript_location = "%(here)s/migrations"\nversion_locations = [\n  "%(here)s/migrations/versions",\n  "%(here)s/more",  # extra\n]\n\n[tool.other]\nscript_location = "no"\n');
    expect(env).toMatchObject({ scriptDir: 'app/migrations', versionDirs: ['app/migrations/versions', 'app/more'] });
    expect(fromPyproject('pyproject.toml', '[tool.ruff]\nline-length = 100\n')).toEqual([]);
  });

  it('lists revision files in the order Alembic loads them: by name, subdirectories after, only when recursive', () => {
    const files = ['v/b.py', 'v/a.py', 'v/__init__.py', 'v/.#x.py', 'v/sub/0.py', 'v/notes.txt', 'v/B.py'];
    expect(revisionFiles(files, ['v'], false)).toEqual(['v/B.py', 'v/a.py', 'v/b.py']);
    expect(revisionFiles(files, ['v'], true)).toEqual(['v/B.py', 'v/a.py', 'v/b.py', 'v/sub/0.py']);
  });

  it('finds a script directory by detection, and a versions directory with revision files and no env.py', async () => {
    const r = await load({
      'one/alembic/env.py': ALEMBIC_ENV,
      'one/alembic/versions/a.py': "revision = 'a'\ndown_revision = None\n",
      'two/versions/b.py': "revision: str = 'b'\ndown_revision: str | None = None\n",
      'three/versions/helper.py': 'x = 1\n',
    });
    expect(r.sets.filter((s) => s.framework === 'alembic').map((s) => [s.name, s.dir, s.migrations.map((m) => m.name)])).toEqual([
      ['one/alembic', 'one/alembic/versions', ['a']],
      ['two', 'two/versions', ['b']],
    ]);
  });

  it('reads transaction_per_migration from env.py', () => {
    expect(transactionOfEnv('context.configure(url=url)\n')).toBe('per-run');
    expect(transactionOfEnv('def run():\n    context.configure(connection=c, transaction_per_migration=True)\n')).toBe('per-migration');
    expect(transactionOfEnv(null)).toBe('per-run');
  });
});

describe('revision files', () => {
  it('reads revision, down_revision, branch_labels and depends_on, annotated or plain', async () => {
    const { m } = await revision(
      "revision: str = 'ddd444'\ndown_revision: Union[str, Sequence[str], None] = ('bbb222', \"ccc333\")\nbranch_labels = 'expand'\ndepends_on = ['aaa111', 'networking']\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n",
    );
    expect(m.name).toBe('ddd444');
    expect(m.parents.map((p) => p.name)).toEqual(['bbb222', 'ccc333']);
    expect(m.branchLabels).toEqual(['expand']);
    expect(m.dependsOn!.map((d) => d.name)).toEqual(['aaa111', 'networking']);
    expect(m.span).toMatchObject({ start: { line: 1, column: 1 }, end: { line: 1, column: 25 } });
    expect(m.reverse).toBe('noop');
  });

  it("down_revision '' is a reference to revision '' (Alembic 1.20 fails on it), not a base", async () => {
    const { m, findings } = await revision("revision = 'a1'\ndown_revision = ''\n");
    expect(m.parents.map((p) => p.name)).toEqual(['']);
    expect(findings.filter((f) => f.ruleId === 'missing-dependency')).toHaveLength(1);
  });

  it('a file without revision or down_revision cannot be loaded by Alembic: incomplete, with a diagnostic', async () => {
    const { m, findings } = await revision("down_revision = None\n\ndef upgrade():\n    pass\n");
    expect(m.incomplete).toBe(true);
    expect(findings.find((f) => f.ruleId === 'parse-error')?.message).toMatch(/Could not determine revision id from filename x\.py/);
    const legacy = await load({ 'alembic/env.py': ALEMBIC_ENV, 'alembic/versions/abc123.py': 'down_revision = None\n' });
    expect(legacy.sets[0]!.migrations[0]).toMatchObject({ name: 'abc123' });
  });

  it('the reverse: missing, empty, raising, present', async () => {
    const add = "    op.add_column('t', sa.Column('c', sa.Text()))\n";
    expect((await revision(HEADER + add)).m.reverse).toBe('missing');
    expect((await revision(`${HEADER}${add}\ndef downgrade():\n    """Downgrade schema."""\n    pass\n`)).m.reverse).toBe('empty');
    expect((await revision(`${HEADER}${add}\ndef downgrade():\n    raise NotImplementedError()\n`)).m.reverse).toBe('missing');
    expect((await revision(`${HEADER}${add}\ndef downgrade():\n    op.drop_column('t', 'c')\n`)).m.reverse).toBe('present');
  });

  it('what downgrade() does to data: its op.* calls lowered like upgrade(), measured against what upgrade() created', async () => {
    const up = "    op.create_table('plans', sa.Column('id', sa.Integer(), primary_key=True))\n    op.add_column('t', sa.Column('c', sa.Text()))\n";
    const down = [
      'def downgrade():',
      "    op.drop_column('t', 'c')",
      "    op.drop_table('plans')",
      "    op.drop_table('t')",
      '    op.execute(sa.text("TRUNCATE u"))',
      "    op.execute('DELETE FROM v WHERE id = 1')",
      '    op.execute("DELETE FROM w")',
      '    op.execute("DELETE FROM w")',
    ];
    const { m } = await revision(`${HEADER}${up}\n${down.join('\n')}\n`);
    const at = (line: number, column: number) => expect.objectContaining({ start: { line, column } });
    expect(m.down).toEqual({
      file: 'alembic/versions/x.py',
      span: at(12, 5),
      effects: {
        deletes: true,
        updates: false,
        inserts: false,
        dropsData: true,
        opaque: false,
        destroys: true,
        // `plans` is upgrade()'s own; each other table once, where the downgrade first destroys it.
        destroyed: [
          { table: 't', span: at(15, 5) },
          { table: 'u', span: at(16, 25) },
          { table: 'w', span: at(18, 17) },
        ],
      },
    });
  });

  it('a downgrade() that runs SQL it cannot see is opaque; its syntax errors are not the revision\'s', async () => {
    const { m } = await revision(`${HEADER}    op.add_column('t', sa.Column('c', sa.Text()))\n\ndef downgrade():\n    op.execute(SQL)\n    op.execute('DROP TABLEX t')\n`);
    expect(m.down?.effects).toEqual({ deletes: false, updates: false, inserts: false, dropsData: false, opaque: true });
    expect(m.diagnostics).toEqual([]);
  });
});

describe('op.* lowering', () => {
  it('each call becomes the statements of the SQL Alembic emits, with the call as their span', async () => {
    const { m } = await revision(
      HEADER +
        "    op.add_column('orders', sa.Column('status', sa.String(10), nullable=False, server_default='new'))\n" +
        "    op.alter_column('orders', 'name', type_=sa.String(200), existing_type=sa.String(50), nullable=False)\n" +
        "    op.create_index('ix_orders_status', 'orders', ['status'])\n" +
        "    op.execute(sa.text('UPDATE orders SET status = \\'x\\''))\n",
    );
    expect(m.statements.map((s) => [s.kind, s.construct, s.operationIndex, s.span.start.line])).toEqual([
      ['add_column', 'op.add_column', 0, 9],
      ['alter_column_type', 'op.alter_column', 1, 10],
      ['set_not_null', 'op.alter_column', 1, 10],
      ['create_index', 'op.create_index', 2, 11],
      ['update', 'op.execute', 3, 12],
    ]);
    const add = m.statements[0]!;
    expect(add.kind === 'add_column' && add.column).toMatchObject({ name: 'status', type: 'varchar(10)', nullable: false, default: { kind: 'constant', text: "'new'" } });
    expect(add.span).toMatchObject({ start: { line: 9, column: 5 }, end: { line: 9, column: 102 } });
    const alter = m.statements[1]!;
    expect(alter.kind === 'alter_column_type' && [alter.fromType, alter.toType]).toEqual(['varchar(50)', 'varchar(200)']);
    // op.execute SQL is placed where it is written, inside the string literal.
    expect(m.statements[4]!.span.start).toEqual({ line: 12, column: 25 });
  });

  it('autocommit_block() statements run outside the transaction; the rest of the upgrade in one', async () => {
    const { set, m, findings } = await revision(
      HEADER +
        "    op.add_column('orders', sa.Column('note', sa.Text()))\n" +
        '    with op.get_context().autocommit_block():\n' +
        "        op.create_index('ix_a', 'orders', ['note'], postgresql_concurrently=True)\n" +
        "    op.create_index('ix_b', 'orders', ['note'], postgresql_concurrently=True)\n",
    );
    expect(m.statements.map((s) => [s.kind, s.kind === 'create_index' && s.concurrently, s.autocommit ?? false])).toEqual([
      ['add_column', false, false],
      ['create_index', true, true],
      ['create_index', true, false],
    ]);
    expect(transactionPlacements(set, m).map((p) => p.kind)).toEqual(['framework', null, 'framework']);
    // Only the one outside the block cannot run.
    const inTx = findings.filter((f) => f.ruleId === 'cannot-run-in-transaction');
    expect(inTx.map((f) => f.line)).toEqual([12]);
  });

  it('batch_alter_table operations are the plain ALTERs on their table', async () => {
    const { m } = await revision(HEADER + "    with op.batch_alter_table('orders', schema='s') as batch_op:\n        batch_op.drop_column('note')\n        batch_op.create_unique_constraint('uq', ['code'])\n");
    expect(m.statements.map((s) => [s.kind, 'table' in s ? s.table : null, s.construct])).toEqual([
      ['drop_column', 's.orders', 'batch_op.drop_column'],
      ['add_constraint', 's.orders', 'batch_op.create_unique_constraint'],
    ]);
  });

  it('what cannot be read statically is an opaque statement, not a guess', async () => {
    const { m } = await revision(HEADER + '    op.execute(SQL)\n    op.add_column(TABLE, col)\n    op.get_bind()\n');
    expect(m.statements.map((s) => [s.kind, s.kind === 'raw_sql' ? s.effects.opaque : s.kind === 'other' ? s.description : null])).toEqual([
      ['raw_sql', true],
      ['other', 'op.add_column (arguments not readable statically)'],
    ]);
  });

  it('index-not-concurrent fires for op.create_index on an existing table and not on one created in the revision', async () => {
    const r = await load({
      'alembic/env.py': ALEMBIC_ENV,
      'alembic/versions/a.py': "revision = 'a'\ndown_revision = None\n\ndef upgrade():\n    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))\n    op.create_index('ix_t', 't', ['id'])\n",
      'alembic/versions/b.py': "revision = 'b'\ndown_revision = 'a'\n\ndef upgrade():\n    op.create_index('ix_t2', 't', ['id'])\n",
    });
    expect(r.findings.filter((f) => f.ruleId === 'index-not-concurrent').map((f) => `${f.file}:${f.line}`)).toEqual(['alembic/versions/b.py:5']);
  });

  it('replays the revisions in upgrade order: parents and depends_on first', () => {
    const mig = (name: string, parents: string[], dependsOn: string[] = []) => ({ name, parents: parents.map((p) => ({ set: 's', name: p })), dependsOn: dependsOn.map((d) => ({ set: 's', name: d })) }) as unknown as Migration;
    const order = upgradeOrder([mig('c', ['b']), mig('b', ['a'], ['x']), mig('x', []), mig('a', [])]);
    expect(order.map((m) => m.name)).toEqual(['x', 'a', 'b', 'c']);
  });
});
