/**
 * The GitHub Action (action.yml) end to end: a real git repository cloned from a bare "origin", a pull
 * request whose branch added `0003_b` while main added `0003_a`, the action run step by step as the
 * runner runs a composite action (test/helpers/composite-action.ts) with this repository as
 * `github.action_path`, against a fake GitHub API on 127.0.0.1 (test/helpers/fake-github.ts).
 * Needs dist/ built (`npx tsc -p tsconfig.json`), as the action finds it already built and skips npm ci.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER } from '../../src/github/comment.js';
import { runCompositeAction, type ActionRun } from '../helpers/composite-action.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { DJANGO_INITIAL, addTextField } from '../helpers/files.js';
import { gitEnv, TempRepo } from '../helpers/git-repo.js';

const ACTION_PATH = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'ghs_e2eS3cretT0kenThatMustNeverBePrinted42';
const REPOSITORY = 'acme/shop';
const PR = 7;

const field = addTextField;

const PROJECT: Record<string, string> = {
  'manage.py': 'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n',
  'mysite/__init__.py': '',
  'mysite/settings.py': "SECRET_KEY = 'test'\nINSTALLED_APPS = [\n    'django.contrib.auth',\n    'django.contrib.contenttypes',\n    'shop',\n]\n",
  'shop/__init__.py': '',
  'shop/apps.py': 'from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = "shop"\n',
  'shop/migrations/__init__.py': '',
  'shop/migrations/0001_initial.py': DJANGO_INITIAL,
  'shop/migrations/0002_add_price.py': field('price', '0001_initial'),
};

const cleanup: string[] = [];
let fake: FakeGitHub;
let work: TempRepo;
let mainSha: string;

/**
 * main: 0001, 0002, then 0003_a; feature: branched at 0002, adds 0003_b. Pushed to a bare origin and
 * cloned with full history, as actions/checkout with fetch-depth: 0 leaves it; feature checked out.
 */
function pullRequestRepo(): TempRepo {
  const seed = TempRepo.create('ml-action-seed-');
  cleanup.push(seed.dir);
  seed.commit('Initial', PROJECT);
  seed.checkout('feature', { create: true });
  seed.commit('Add field b', { 'shop/migrations/0003_b.py': field('field_b', '0002_add_price') });
  seed.checkout('main');
  mainSha = seed.commit('Add field a', { 'shop/migrations/0003_a.py': field('field_a', '0002_add_price') });
  const bare = mkdtempSync(path.join(tmpdir(), 'ml-action-origin-'));
  const clone = mkdtempSync(path.join(tmpdir(), 'ml-action-work-'));
  cleanup.push(bare, clone);
  seed.git('clone', '-q', '--bare', seed.dir, bare);
  seed.git('clone', '-q', bare, clone);
  const repo = TempRepo.at(clone);
  repo.checkout('feature');
  return repo;
}

function pullRequestEvent(repo: TempRepo) {
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number: PR,
      pull_request: { number: PR, base: { ref: 'main', sha: mainSha }, head: { ref: 'feature', sha: repo.git('rev-parse', 'HEAD').trim() } },
      repository: { full_name: REPOSITORY },
    },
  };
}

function run(inputs: Record<string, string>, event: { name: string; payload: Record<string, unknown> } = pullRequestEvent(work)): Promise<ActionRun> {
  return runCompositeAction({
    actionPath: ACTION_PATH,
    workspace: work.dir,
    inputs,
    event,
    repository: REPOSITORY,
    token: TOKEN,
    apiUrl: fake.url,
    serverUrl: 'https://github.example',
    runId: '987654',
    env: gitEnv(),
  }).then((r) => {
    cleanup.push(r.runnerTemp);
    return r;
  });
}

function step(r: ActionRun, id: string) {
  const s = r.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
}

/** Everything a person could read in the job's log and summary. */
function everythingPrinted(r: ActionRun): string {
  return r.stdout + r.stderr + r.summary + r.steps.map((s) => Object.values(s.outputs).join('\n')).join('\n');
}

function ourComments() {
  return (fake.comments.get(PR) ?? []).filter((c) => c.body.startsWith(MARKER));
}

beforeAll(async () => {
  if (!existsSync(path.join(ACTION_PATH, 'dist/src/cli/main.js')) || !existsSync(path.join(ACTION_PATH, 'dist/src/github/comment.js'))) {
    throw new Error('dist/ is not built: run npx tsc -p tsconfig.json');
  }
  fake = await new FakeGitHub({ token: TOKEN, repository: REPOSITORY }).start();
  work = pullRequestRepo();
});

afterAll(async () => {
  await fake?.stop();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

describe('action.yml', () => {
  it('passes inputs to the shell only through env: no ${{ }} inside a run: script', () => {
    const action = parseYaml(readFileSync(path.join(ACTION_PATH, 'action.yml'), 'utf8')) as { runs: { steps: { run?: string; shell?: string }[] } };
    for (const s of action.runs.steps) {
      expect(s.shell).toBe('bash');
      expect(s.run ?? '').not.toContain('${{');
    }
  });
});

describe('the action on a pull request that conflicts with main', () => {
  // The scenario is one story: the first push creates the comment, the next one edits it.
  let first: ActionRun;
  let commentId: number;

  it('first run: annotations, a step summary with the graph, one new comment, and a failing result (fail-on: error)', async () => {
    fake.seed(PR, 'Looks good to me, but did you run makemigrations?', 'octocat');
    const t0 = Date.now();
    first = await run({ 'fail-on': 'error' });
    console.log(`action run (first): ${Date.now() - t0} ms`);

    expect(first.steps.map((s) => [s.name, s.outcome])).toEqual([
      ['Build migrate-lint', 'success'],
      ['Check migrations', 'success'],
      ['Comment on the pull request', 'success'],
      ['Result', 'failure'],
    ]);
    const check = step(first, 'check');
    // --base defaulted to origin/<the pull request's base branch>.
    expect(check.stdout).toMatch(/^::error file=shop\/migrations\/0003_b\.py,line=\d+[^\n]*0003_a/m);
    expect(first.summary).toContain('```mermaid');
    expect(first.outputs['exit-code']).toBe('1');
    expect(first.exitCode).toBe(1);
    expect(first.success).toBe(false);
    expect(readFileSync(first.outputs['summary-file']!, 'utf8')).toContain('0003_b');

    expect(fake.writes()).toEqual([`POST /repos/${REPOSITORY}/issues/${PR}/comments`]);
    const ours = ourComments();
    expect(ours).toHaveLength(1);
    commentId = ours[0]!.id;
    expect(ours[0]!.body).toContain('0003_b');
    expect(first.outputs['comment-url']).toBe(ours[0]!.html_url);
    // The reviewer's comment is untouched.
    expect(fake.comments.get(PR)!.map((c) => c.user.login)).toEqual(['octocat', 'github-actions[bot]']);
    expect(fake.comments.get(PR)![0]!.body).toBe('Looks good to me, but did you run makemigrations?');

    for (const req of fake.requests) {
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(req.headers.accept).toBe('application/vnd.github+json');
      expect(req.headers['x-github-api-version']).toBe('2022-11-28');
      expect(req.headers['user-agent']).toMatch(/^migrate-lint\//);
    }
    expect(everythingPrinted(first)).not.toContain(TOKEN);
  });

  it('second run after another push: the same comment is edited, no new one; fail-on: never passes', async () => {
    expect(first, 'the first run ran').toBeDefined();
    work.commit('Add field b2', { 'shop/migrations/0004_b2.py': field('field_b2', '0003_b') });
    const before = fake.requests.length;
    const t0 = Date.now();
    const second = await run({ 'fail-on': 'never' });
    console.log(`action run (second): ${Date.now() - t0} ms`);

    expect(step(second, 'check').stdout).toMatch(/^::error file=shop\/migrations\/0004_b2\.py,line=\d+/m);
    expect(second.outputs['exit-code']).toBe('0');
    expect(second.exitCode).toBe(0);
    expect(second.success).toBe(true);
    const writes = fake.requests.slice(before).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([`PATCH /repos/${REPOSITORY}/issues/comments/${commentId}`]);
    expect(fake.writes().filter((w) => w.startsWith('POST'))).toHaveLength(1);
    expect(ourComments().map((c) => c.id)).toEqual([commentId]);
    expect(fake.comments.get(PR)).toHaveLength(2);
    expect(ourComments()[0]!.body).toContain('0004_b2');
    expect(everythingPrinted(second)).not.toContain(TOKEN);
  });

  it("a fork's read-only token: the comment fails with a warning, and the result is still the check's", async () => {
    fake.readOnly = true;
    try {
      const before = fake.requests.length;
      const r = await run({});
      const comment = step(r, 'comment');
      expect(comment.outcome).toBe('success');
      expect(comment.stdout).toContain('::warning title=migrate-lint::Could not create or update the pull-request comment');
      expect(comment.stderr).toMatch(/PATCH \/repos\/acme\/shop\/issues\/comments\/\d+ failed: 403 Resource not accessible by integration/);
      expect(r.outputs['exit-code']).toBe('1');
      expect(r.exitCode).toBe(1);
      expect(fake.requests.slice(before).map((q) => q.method)).toEqual(['GET', 'PATCH']);
      expect(everythingPrinted(r)).not.toContain(TOKEN);
    } finally {
      fake.readOnly = false;
    }
  });

  it('comment: false writes no comment', async () => {
    const before = fake.requests.length;
    const r = await run({ comment: 'false' });
    expect(step(r, 'comment').outcome).toBe('skipped');
    expect(r.exitCode).toBe(1);
    expect(fake.requests.length).toBe(before);
  });

  it('outside a pull request (a push): no --base, no comment, no API request', async () => {
    const before = fake.requests.length;
    const r = await run({}, { name: 'push', payload: { ref: 'refs/heads/feature', repository: { full_name: REPOSITORY } } });
    expect(step(r, 'comment').outcome).toBe('skipped');
    // The branch alone (0003_b, 0004_b2 on 0002) is one valid history: only the merge would conflict.
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.exitCode).toBe(0);
    expect(fake.requests.length).toBe(before);
  });
});

describe('the action on pull_request_target (a fork\'s files, a write token)', () => {
  it('refuses a JavaScript configuration file instead of running it', async () => {
    const marker = path.join(tmpdir(), `ml-action-js-config-ran-${process.pid}`);
    writeFileSync(path.join(work.dir, 'migrate-lint.config.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport default {};\n`);
    try {
      const event = pullRequestEvent(work);
      const r = await run({ comment: 'false' }, { ...event, name: 'pull_request_target' });
      expect(r.outputs['exit-code']).toBe('2');
      expect(r.stderr + r.stdout).toContain('migrate-lint.config.mjs: JavaScript configuration files are not loaded with --no-js-config');
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(path.join(work.dir, 'migrate-lint.config.mjs'));
      rmSync(marker, { force: true });
    }
  });
});

describe('the action when the check cannot run', () => {
  it('a shallow clone without the merge-base: exit code 2 whatever fail-on says, and no comment', async () => {
    const shallow = mkdtempSync(path.join(tmpdir(), 'ml-action-shallow-'));
    cleanup.push(shallow);
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${work.dir}`, shallow], { env: gitEnv(), stdio: 'ignore' });
    const repo = TempRepo.at(shallow);
    repo.checkout('feature');
    const before = fake.requests.length;
    const r = await runCompositeAction({
      actionPath: ACTION_PATH,
      workspace: shallow,
      inputs: { 'fail-on': 'never' },
      event: pullRequestEvent(repo),
      repository: REPOSITORY,
      token: TOKEN,
      apiUrl: fake.url,
      env: gitEnv(),
    });
    cleanup.push(r.runnerTemp);
    expect(step(r, 'check').stderr).toContain('fetch-depth: 0');
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.exitCode).toBe(2);
    expect(step(r, 'comment').stdout).toContain('no comment');
    expect(fake.requests.length).toBe(before);
  });
});
