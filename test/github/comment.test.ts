/**
 * The pull-request comment upsert (src/github/comment.ts) against the fake GitHub API: pagination, whose
 * comment is ours, trimming to GitHub's 65,536-character limit, and errors that say what the API said
 * without ever showing the token.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commentBody, commentMain, MARKER, MAX_COMMENT_CHARS, nextLink, upsertComment } from '../../src/github/comment.js';
import { FakeGitHub } from '../helpers/fake-github.js';

const TOKEN = 'ghs_unitT0kenNeverShown';
const REPOSITORY = 'acme/shop';
const dir = mkdtempSync(path.join(tmpdir(), 'ml-comment-'));
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await new FakeGitHub({ token: TOKEN, repository: REPOSITORY, pageSize: 100 }).start();
});
afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  fake.requests.length = 0;
  fake.comments.clear();
  fake.readOnly = false;
  fake.failNext = null;
});

const target = (issue: number, token = TOKEN) => ({ apiUrl: fake.url, repository: REPOSITORY, issue, token });

function env(issue: number, extra: Record<string, string> = {}): Record<string, string> {
  const eventPath = path.join(dir, `event-${issue}.json`);
  writeFileSync(eventPath, JSON.stringify({ action: 'opened', pull_request: { number: issue } }));
  return { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPOSITORY, GITHUB_EVENT_PATH: eventPath, GITHUB_TOKEN: TOKEN, ...extra };
}

async function main(args: string[], e: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await commentMain(args, e, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function summaryFile(text: string): string {
  const p = path.join(dir, `summary-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(p, text);
  return p;
}

describe('upsertComment', () => {
  it('creates the comment when there is none, with the standard headers', async () => {
    const r = await upsertComment(target(1), `${MARKER}\nhello\n`);
    expect(r).toMatchObject({ action: 'created', url: expect.stringContaining('#issuecomment-') });
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual([`GET /repos/${REPOSITORY}/issues/1/comments?per_page=100`, `POST /repos/${REPOSITORY}/issues/1/comments`]);
    expect(fake.requests[1]!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(fake.requests[1]!.headers['user-agent']).toMatch(/^migrate-lint\/\d/);
    expect(JSON.parse(fake.requests[1]!.body)).toEqual({ body: `${MARKER}\nhello\n` });
  });

  it('follows rel="next" pages and edits our comment on page 3; comments by others are left alone', async () => {
    for (let i = 0; i < 230; i++) fake.seed(2, `comment ${i}`);
    // Somebody quoting the marker in a reply is not our comment.
    fake.seed(2, `> ${MARKER}\n> the old report said…`, 'reviewer');
    const ours = fake.seed(2, `${MARKER}\nold report\n`, 'github-actions[bot]');
    const r = await upsertComment(target(2), `${MARKER}\nnew report\n`);
    expect(r).toEqual({ action: 'updated', id: ours.id, url: ours.html_url });
    expect(fake.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      `GET /repos/${REPOSITORY}/issues/2/comments?per_page=100`,
      'GET /repositories/4242/issues/2/comments?per_page=100&page=2',
      'GET /repositories/4242/issues/2/comments?per_page=100&page=3',
      `PATCH /repos/${REPOSITORY}/issues/comments/${ours.id}`,
    ]);
    const all = fake.comments.get(2)!;
    expect(all).toHaveLength(232);
    expect(all.find((c) => c.id === ours.id)!.body).toBe(`${MARKER}\nnew report\n`);
    expect(all.filter((c) => c.id !== ours.id).every((c) => !c.body.includes('new report'))).toBe(true);
    expect(all[230]!.body).toBe(`> ${MARKER}\n> the old report said…`);
  });

  it('a comment by someone else without the marker is left alone: a new one is created', async () => {
    const other = fake.seed(3, 'Please also add a test for the migration.', 'octocat');
    const r = await upsertComment(target(3), `${MARKER}\nreport\n`);
    expect(r.action).toBe('created');
    expect(fake.comments.get(3)!.map((c) => c.body)).toEqual(['Please also add a test for the migration.', `${MARKER}\nreport\n`]);
    expect(fake.comments.get(3)![0]).toEqual(other);
  });

  it('does not send the token to a next-page link on another origin', async () => {
    const fetchFn = (async (url: string | URL | Request) => {
      if (String(url).includes('evil')) throw new Error('followed the link');
      return new Response('[]', { status: 200, headers: { Link: '<https://evil.example/repos/acme/shop/issues/4/comments?page=2>; rel="next"' } });
    }) as typeof fetch;
    await expect(upsertComment(target(4), 'x', fetchFn)).rejects.toThrow(/next-page link leaves http:\/\/127\.0\.0\.1:\d+; not following it/);
  });
});

describe('nextLink', () => {
  it('reads rel="next" among other relations', () => {
    expect(nextLink('<https://api.github.com/repositories/1/issues/2/comments?page=2>; rel="next", <https://api.github.com/repositories/1/issues/2/comments?page=5>; rel="last"')).toBe(
      'https://api.github.com/repositories/1/issues/2/comments?page=2',
    );
    expect(nextLink('<https://a/?page=1>; rel="prev", <https://a/?page=1>; rel="first"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});

describe('commentBody: trimming to 65,536 characters', () => {
  const line = (i: number) => `| shop/migrations/${String(i).padStart(4, '0')}_x.py | 4:7 | error | Merging into main leaves shop with multiple leaf nodes |`;

  it('leaves a short summary whole and puts the marker on the first line once', () => {
    expect(commentBody('## migrate-lint\n\nNo problems.\n')).toBe(`${MARKER}\n## migrate-lint\n\nNo problems.\n`);
    expect(commentBody(`${MARKER}\n## migrate-lint\n`)).toBe(`${MARKER}\n## migrate-lint\n`);
  });

  it('cuts a long summary at a line boundary with a note linking the job summary', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => line(i));
    const summary = `## migrate-lint\n\n${lines.join('\n')}\n`;
    expect(summary.length).toBeGreaterThan(MAX_COMMENT_CHARS);
    const body = commentBody(summary, 'https://github.com/acme/shop/actions/runs/42');
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.length).toBeGreaterThan(MAX_COMMENT_CHARS - 200);
    expect(body.startsWith(`${MARKER}\n## migrate-lint\n`)).toBe(true);
    const [kept, note] = body.split('\n\n_The report is longer');
    // Every kept line is a whole line of the summary.
    for (const l of kept!.split('\n').slice(3)) expect(lines).toContain(l);
    expect(kept!.split('\n').length).toBeGreaterThan(400);
    expect(note).toContain('[job summary](https://github.com/acme/shop/actions/runs/42)');
  });

  it("without the run's URL, the note points at the step summary", () => {
    const body = commentBody(Array.from({ length: 1000 }, (_, i) => line(i)).join('\n'));
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toMatch(/the whole report is in the job's step summary\._\n$/);
  });

  it('never cuts inside a fenced block: a ```mermaid graph that does not fit is left out whole', () => {
    const table = Array.from({ length: 300 }, (_, i) => line(i));
    const graph = ['```mermaid', 'graph TD', ...Array.from({ length: 5000 }, (_, i) => `  m${i} --> m${i + 1}`), '```'];
    const body = commentBody([...table, '', ...graph].join('\n'));
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).not.toContain('```');
    expect(body).toContain(line(299));
    expect(body).toMatch(/\n\n_The report is longer than a GitHub comment can hold/);
  });

  it('the trimmed body is accepted by the API, the whole one is refused with 422', async () => {
    const summary = summaryFile(Array.from({ length: 1000 }, (_, i) => line(i)).join('\n'));
    const r = await main([summary], env(5, { GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '42' }));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const posted = fake.comments.get(5)![0]!.body;
    expect(posted.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(posted).toContain('[job summary](https://github.com/acme/shop/actions/runs/42)');
    await expect(upsertComment(target(6), readFileSync(summary, 'utf8'))).rejects.toThrow('POST /repos/acme/shop/issues/6/comments failed: 422 Validation Failed: body is too long (maximum is 65536 characters)');
  });
});

describe('commentMain (node dist/src/github/comment.js <summary-file>)', () => {
  it('creates, then updates, and writes comment-id and comment-url to GITHUB_OUTPUT', async () => {
    const out = path.join(dir, 'github-output');
    writeFileSync(out, '');
    const first = await main([summaryFile('first\n')], env(8, { GITHUB_OUTPUT: out }));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^migrate-lint: created the comment on pull request #8: https:\/\/github\.com\/acme\/shop\/pull\/8#issuecomment-\d+\n$/);
    const second = await main([summaryFile('second\n')], env(8, { GITHUB_OUTPUT: out }));
    expect(second.stdout).toMatch(/^migrate-lint: updated the comment/);
    expect(fake.comments.get(8)!.map((c) => c.body)).toEqual([`${MARKER}\nsecond\n`]);
    const id = fake.comments.get(8)![0]!.id;
    expect(readFileSync(out, 'utf8')).toBe(`comment-id=${id}\ncomment-url=https://github.com/acme/shop/pull/8#issuecomment-${id}\n`.repeat(2));
  });

  it('an API error: one line with the status and the API message, exit 1, never the token', async () => {
    fake.seed(9, `${MARKER}\nold\n`);
    fake.readOnly = true;
    const r = await main([summaryFile('x\n')], env(9));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^migrate-lint: pull-request comment: PATCH \/repos\/acme\/shop\/issues\/comments\/\d+ failed: 403 Resource not accessible by integration\n$/);
    expect(r.stdout).toBe('');
  });

  it('a wrong token: 401 Bad credentials, and the token it sent is not printed', async () => {
    const r = await main([summaryFile('x\n')], env(10, { GITHUB_TOKEN: 'ghs_wrongT0ken' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('migrate-lint: pull-request comment: GET /repos/acme/shop/issues/10/comments failed: 401 Bad credentials\n');
    expect(r.stderr + r.stdout).not.toContain('ghs_wrongT0ken');
    expect(r.stderr).not.toMatch(/authorization|bearer/i);
  });

  it('a server error without JSON still gives the status and text', async () => {
    fake.failNext = { status: 502, text: '<html>\n<body>  502 Bad Gateway </body>\n</html>\n' };
    const r = await main([summaryFile('x\n')], env(11));
    expect(r.stderr).toBe('migrate-lint: pull-request comment: GET /repos/acme/shop/issues/11/comments failed: 502 <html> <body> 502 Bad Gateway </body> </html>\n');
  });

  it('an unreachable API: the connection error, exit 1, no token', async () => {
    const stopped = await new FakeGitHub({ token: TOKEN, repository: REPOSITORY }).start();
    const url = stopped.url;
    await stopped.stop();
    const r = await main([summaryFile('x\n')], env(12, { GITHUB_API_URL: url }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^migrate-lint: pull-request comment: GET \/repos\/acme\/shop\/issues\/12\/comments failed: fetch failed \(ECONNREFUSED\)\n$/);
    expect(r.stderr).not.toContain(TOKEN);
  });

  it('usage and environment problems: exit 2 with what is missing', async () => {
    const file = summaryFile('x\n');
    expect(await main([], env(13))).toMatchObject({ code: 2, stderr: 'migrate-lint: pull-request comment: usage: comment.js <summary-file>\n' });
    const { GITHUB_TOKEN: _t, ...noToken } = env(13);
    expect(await main([file], noToken)).toMatchObject({ code: 2, stderr: expect.stringContaining('GITHUB_TOKEN is not set') });
    const push = path.join(dir, 'push.json');
    writeFileSync(push, JSON.stringify({ ref: 'refs/heads/main' }));
    expect(await main([file], env(13, { GITHUB_EVENT_PATH: push }))).toMatchObject({ code: 2, stderr: expect.stringContaining('not a pull request') });
    expect(await main([path.join(dir, 'missing.md')], env(13))).toMatchObject({ code: 2, stderr: expect.stringContaining('ENOENT') });
    expect(await main([file], env(13, { GITHUB_REPOSITORY: 'acme' }))).toMatchObject({ code: 2, stderr: expect.stringContaining("GITHUB_REPOSITORY is 'acme'") });
    expect(fake.requests).toEqual([]);
  });
});
