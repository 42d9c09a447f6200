/**
 * Our Alembic front end against the real Alembic installed in .venv:
 *  - graph: for every fixtures/alembic-* tree, the environments we find are the ones Alembic's users name
 *    (alembic.ini sections, pyproject.toml, a bare env.py), and for each one our revisions, down
 *    revisions, resolved depends_on, heads and the heads' branch labels equal Alembic's
 *    `ScriptDirectory` (test/interop/alembic_graph.py); where Alembic cannot build the map, we report why;
 *  - SQL: every revision of fixtures/alembic-ops lowers into the statements the SQL front end reads from
 *    `alembic upgrade head --sql` for it, inside or outside the transaction as Alembic runs them;
 *  - merge: after `check --fix`, the merge revision is byte-identical to the one `alembic merge heads -m
 *    "merge heads"` writes apart from the revision id and Create Date, `alembic heads` shows one head
 *    and `alembic upgrade head` applies the history to SQLite.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/api.js';
import { run } from '../../src/cli/main.js';
import { loadSqlParser, parseSql } from '../../src/lang/sql/index.js';
import { transactionPlacements } from '../../src/model/migration-facts.js';
import { nodeKey } from '../../src/model/history.js';
import { LineIndex } from '../../src/model/text.js';
import type { Statement } from '../../src/model/types.js';
import { REPO, runPython, venvPython } from '../helpers/python.js';

interface AlembicEnv {
  dir: string;
  heads?: string[];
  revisions?: Record<string, { down: string[]; dependsOn: string[]; labels: string[]; file: string }>;
  error?: string;
  message?: string;
}

const fixtures = readdirSync(path.join(REPO, 'fixtures')).filter((d) => d.startsWith('alembic-')).sort();
const alembicBin = () => path.join(path.dirname(venvPython()), 'alembic');

/** The heads each fixture must report as a conflict (all others: none). */
const CONFLICTS: Record<string, string[][]> = {
  'alembic-two-heads': [['bbb222', 'ccc333']],
  'alembic-three-heads': [['0d4e5f607182', '2b3c4d5e6f70', '3c4d5e6f7081']],
  'alembic-labelled-conflict': [['eee222', 'eee333']],
  'alembic-multi-env': [['bbb222', 'ccc333']],
};

describe('interop with the real Alembic ScriptDirectory', () => {
  it('has Alembic fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
  });

  for (const fixture of fixtures) {
    it(fixture, async () => {
      const theirs = JSON.parse(runPython('test/interop/alembic_graph.py', [path.join('fixtures', fixture)])) as AlembicEnv[];
      const ours = await lint({ cwd: REPO, paths: [`fixtures/${fixture}`] });
      const prefix = `fixtures/${fixture}/`;
      const sets = ours.sets.filter((s) => s.framework === 'alembic');
      expect(sets.map((s) => s.name.slice(prefix.length)).sort()).toEqual(theirs.map((e) => e.dir).sort());
      for (const env of theirs) {
        const set = sets.find((s) => s.name === prefix + env.dir)!;
        const history = ours.histories.find((h) => h.sets.includes(set))!;
        if (env.error) {
          // Alembic warns "Revision zzz999 referenced from … is not present", then fails with KeyError.
          expect(env.error).toBe('KeyError');
          const missing = ours.findings.filter((f) => f.ruleId === 'missing-dependency').map((f) => f.data.missing);
          expect(missing).toContain(JSON.parse(env.message!.replace(/'/g, '"')) as string);
          continue;
        }
        const revisions = env.revisions!;
        expect(set.migrations.map((m) => m.name).sort(), env.dir).toEqual(Object.keys(revisions).sort());
        for (const m of set.migrations) {
          const r = revisions[m.name]!;
          expect(prefix + r.file).toBe(m.file);
          expect(m.parents.map((p) => p.name), m.name).toEqual(r.down);
          // depends_on as Alembic resolves it (branch labels to the revision declaring them).
          const me = nodeKey(set.name, m.name);
          const deps = (history.graph.predecessors(me) ?? []).filter((p) => history.isDependsOn(p, me)).map((p) => history.label(p).name);
          expect(deps.sort(), m.name).toEqual(r.dependsOn);
        }
        const heads = history.leaves(set);
        expect(heads.map((m) => m.name).sort(), `heads of ${env.dir}`).toEqual([...env.heads!].sort());
        for (const h of heads) expect(history.branchLabels(set, h), `labels of head ${h.name}`).toEqual(revisions[h.name]!.labels);
      }
      const conflicts = ours.findings.filter((f) => f.ruleId === 'conflicting-leaves').map((f) => f.data.heads);
      expect(conflicts).toEqual(CONFLICTS[fixture] ?? []);
    });
  }
});

/** Statements as rules see them, without where they came from, and without what the `op` call says and
 *  its SQL does not (checked apart): the old column type (`existing_type=`, or the earlier revisions),
 *  the dropped constraint's kind (`type_=`), the dropped index's table (`table_name=`). */
function shape(st: Statement, inTransaction: boolean): string {
  const { span: _s, construct: _c, operationIndex: _o, tableIsNew: _n, autocommit: _a, ...rest } = st as Statement & { autocommit?: boolean };
  if (rest.kind === 'alter_column_type') delete rest.fromType;
  if (rest.kind === 'drop_constraint') delete rest.constraintType;
  if (rest.kind === 'drop_index') delete rest.table;
  return JSON.stringify({ ...rest, inTransaction });
}

describe('op.* lowered as Alembic runs it on PostgreSQL', () => {
  it('fixtures/alembic-ops: the same statements as `alembic upgrade head --sql`, in and out of the transaction', async () => {
    await loadSqlParser();
    const sql = execFileSync(alembicBin(), ['upgrade', 'head', '--sql'], { cwd: path.join(REPO, 'fixtures/alembic-ops'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    // Per revision: the statements Alembic printed, and whether a BEGIN was open around each.
    const expected = new Map<string, string[]>();
    let current: string | null = null;
    let open = false;
    for (const chunk of sql.split(/;\n/)) {
      const text = chunk.split('\n').filter((l) => !l.startsWith('-- ') || l.startsWith('-- Running upgrade')).join('\n').trim();
      const running = /^-- Running upgrade \S* -> (\S+)\n?([\s\S]*)$/.exec(text);
      const body = running ? running[2]!.trim() : text;
      if (running) current = running[1]!;
      if (body === 'BEGIN') open = true;
      else if (body === 'COMMIT') open = false;
      else if (body && current && !body.includes('alembic_version')) {
        for (const st of parseSql(body, { index: new LineIndex(body), mapOffset: (o) => o }).statements) expected.set(current, [...(expected.get(current) ?? []), shape(st, open)]);
      }
    }
    const ours = await lint({ cwd: REPO, paths: ['fixtures/alembic-ops'] });
    const set = ours.sets.find((s) => s.framework === 'alembic')!;
    expect(set.migrations).toHaveLength(4);
    for (const m of set.migrations) {
      const tx = transactionPlacements(set, m);
      const got = m.statements.map((st, i) => shape(st, tx[i]!.kind !== null));
      expect(got.sort(), m.name).toEqual([...(expected.get(m.name) ?? [])].sort());
    }
    // The old types: from existing_type=, and from the revision that created the column.
    const types = set.migrations.flatMap((m) => m.statements.flatMap((st) => (st.kind === 'alter_column_type' ? [[st.column, st.fromType]] : [])));
    expect(types).toEqual([
      ['name', 'varchar(50)'],
      ['score', 'bigint'],
    ]);
    const kinds = set.migrations.flatMap((m) => m.statements.flatMap((st) => (st.kind === 'drop_constraint' ? [[st.constraint, st.constraintType]] : st.kind === 'drop_index' ? [[st.index, st.table]] : [])));
    expect(kinds).toEqual([
      ['uq_acc_name', 'unique'],
      ['fk_acc_parent', 'foreign_key'],
      ['ix_account_name', 'account'],
      ['public.ix_item_sku', 'public.item'],
    ]);
  });
});

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copy(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-alembic-'));
  temps.push(dir);
  cpSync(path.join(REPO, 'fixtures', fixture), dir, { recursive: true });
  return dir;
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '__pycache__') walk(p);
      } else if (!e.name.endsWith('.sqlite')) out.set(path.relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { cwd, env: { MIGRATE_LINT_CACHE_DIR: process.env.MIGRATE_LINT_CACHE_DIR }, isTTY: false, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('--fix writes the merge revision `alembic merge` writes', () => {
  for (const [fixture, envDir] of [
    ['alembic-two-heads', '.'],
    ['alembic-three-heads', '.'],
    ['alembic-multi-env', 'services/users'],
  ] as const) {
    it(`${fixture}${envDir === '.' ? '' : ` (${envDir})`}`, async () => {
      const ours = copy(fixture);
      const theirs = copy(fixture);
      const before = files(ours);
      const fixed = await cli(ours, 'check', '--fix', '--format', 'json');
      expect(fixed.stderr).toMatch(/fixed: created /);
      const written = [...files(ours)].filter(([p]) => !before.has(p));
      expect(written).toHaveLength(1);
      const [ourPath, ourText] = written[0]!;

      execFileSync(alembicBin(), ['merge', 'heads', '-m', 'merge heads'], { cwd: path.join(theirs, envDir), stdio: 'ignore' });
      const made = [...files(theirs)].filter(([p]) => !before.has(p));
      expect(made).toHaveLength(1);
      const [theirPath, theirText] = made[0]!;
      const ourId = /Revision ID: (\w+)/.exec(ourText)![1]!;
      const theirId = /Revision ID: (\w+)/.exec(theirText)![1]!;
      expect(ourId).toMatch(/^[0-9a-f]{12}$/);
      const ourDate = /Create Date: (.*)/.exec(ourText)![1]!;
      expect(ourDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
      const same = (s: string) => s.split(theirId).join(ourId).replace(/Create Date: .*/, `Create Date: ${ourDate}`);
      expect(ourPath).toBe(same(theirPath));
      expect(ourText).toBe(same(theirText));

      // Alembic agrees there is one head again, and applies the history.
      const heads = execFileSync(alembicBin(), ['heads'], { cwd: path.join(ours, envDir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(heads.trim().split('\n')).toEqual([`${ourId} (head)`]);
      execFileSync(alembicBin(), ['upgrade', 'head'], { cwd: path.join(ours, envDir), stdio: 'ignore' });
      const report = JSON.parse(fixed.stdout) as { findings: { ruleId: string }[] };
      expect(report.findings.filter((f) => f.ruleId === 'conflicting-leaves')).toEqual([]);
    });
  }
});
