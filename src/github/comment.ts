/**
 * The pull-request comment of the GitHub Action (action.yml): one comment per pull request, created on
 * the first run and edited in place on every later one, found again by a hidden marker on its first line.
 * Run as `node dist/src/github/comment.js <summary-file>` with the environment the runner gives every step
 * (GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_SERVER_URL, GITHUB_RUN_ID) and the token
 * in GITHUB_TOKEN. Node 20's global fetch, no client library.
 *
 * The token goes into the Authorization header and nowhere else: error messages carry the method, the
 * path, the status and the API's own `message`, never a header; a pagination link that points at another
 * origin than GITHUB_API_URL is refused rather than sent the token.
 *
 * REST endpoints (https://docs.github.com/en/rest/issues/comments, API version 2022-11-28):
 *   GET   /repos/{owner}/{repo}/issues/{n}/comments?per_page=100   (Link: <…>; rel="next" pagination)
 *   POST  /repos/{owner}/{repo}/issues/{n}/comments                 { body }
 *   PATCH /repos/{owner}/{repo}/issues/comments/{id}                { body }
 */
import { readFileSync, realpathSync, appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GITHUB_COMMENT_LIMIT, trimMarkdown } from '../report/markdown.js';
import { VERSION } from '../version.js';

/** The first line of every comment this module writes; a comment starting with it is ours to edit. */
export const MARKER = '<!-- migrate-lint -->';

/** GitHub refuses a comment body longer than this ("Body is too long (maximum is 65536 characters)"). */
export const MAX_COMMENT_CHARS = GITHUB_COMMENT_LIMIT;

export interface Comment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: { login?: string } | null;
}

export interface CommentTarget {
  /** e.g. https://api.github.com, without a trailing slash. */
  apiUrl: string;
  /** owner/name */
  repository: string;
  /** The pull request's number (its issue number). */
  issue: number;
  token: string;
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
}

/** A request the API refused or that never reached it. The message names no header and no token. */
export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

type Fetch = typeof fetch;

/**
 * The comment's body: the marker, then the summary, cut at a line boundary to fit GitHub's limit with a
 * note saying where the whole report is (the job's step summary, which the CLI writes in full).
 * `trimMarkdown` never cuts inside a fenced block: a ```mermaid graph that does not fit is left out whole.
 */
export function commentBody(summary: string, runUrl?: string): string {
  const text = summary.replace(/\r\n/g, '\n').replace(/\s+$/, '');
  const withoutMarker = text.startsWith(MARKER) ? text.slice(MARKER.length).replace(/^\n/, '') : text;
  const where = runUrl ? `the [job summary](${runUrl})` : "the job's step summary";
  const note = `_The report is longer than a GitHub comment can hold and was cut here; the whole report is in ${where}._`;
  const head = `${MARKER}\n`;
  const body = trimMarkdown(`${withoutMarker}\n`, MAX_COMMENT_CHARS - head.length, note);
  return head + body;
}

/** The link to this workflow run, when the runner's variables say where it is. */
export function runUrl(env: Record<string, string | undefined>): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${run}` : undefined;
}

/** The pull request's number from the event payload the runner wrote (`pull_request.number`). */
export function pullRequestNumber(eventPath: string): number {
  let event: { pull_request?: { number?: unknown } };
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8')) as typeof event;
  } catch (e) {
    throw new Error(`cannot read the event payload ${eventPath}: ${(e as Error).message}`);
  }
  const n = event.pull_request?.number;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new Error('the workflow event is not a pull request (no pull_request.number in GITHUB_EVENT_PATH): there is no pull request to comment on');
  }
  return n;
}

function headers(token: string, withBody: boolean): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': `migrate-lint/${VERSION}`,
    ...(withBody ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
  };
}

/** The `rel="next"` target of a Link header (RFC 8288, as GitHub writes it), or null. */
export function nextLink(link: string | null): string | null {
  for (const part of (link ?? '').split(',')) {
    const [target, ...params] = part.split(';');
    const url = /^\s*<([^>]*)>\s*$/.exec(target ?? '')?.[1];
    const rel = params.map((p) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(p)?.[1]).find((r) => r !== undefined);
    if (url !== undefined && rel?.split(/\s+/).includes('next')) return url;
  }
  return null;
}

async function request(fetchFn: Fetch, target: CommentTarget, method: string, url: string, body?: unknown): Promise<{ data: unknown; link: string | null }> {
  const shown = `${method} ${new URL(url).pathname}`;
  let res: Response;
  try {
    res = await fetchFn(url, { method, headers: headers(target.token, body !== undefined), ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (e) {
    const err = e as Error & { cause?: { message?: string; code?: string } };
    const cause = err.cause?.code ?? err.cause?.message;
    throw new GitHubApiError(`${shown} failed: ${err.message}${cause ? ` (${cause})` : ''}`, null);
  }
  const text = await res.text();
  if (!res.ok) throw new GitHubApiError(`${shown} failed: ${res.status} ${apiMessage(text, res.statusText)}`, res.status);
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new GitHubApiError(`${shown}: the response is not JSON (${res.status})`, res.status);
    }
  }
  return { data, link: res.headers.get('link') };
}

/** The API's `message` (and the first validation error's), else the start of the response text. */
function apiMessage(text: string, statusText: string): string {
  try {
    const j = JSON.parse(text) as { message?: unknown; errors?: { message?: unknown; code?: unknown }[] };
    if (typeof j.message === 'string') {
      const first = j.errors?.[0];
      const detail = first && (typeof first.message === 'string' ? first.message : typeof first.code === 'string' ? first.code : null);
      return detail ? `${j.message}: ${detail}` : j.message;
    }
  } catch {
    // not JSON: fall through
  }
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line || statusText || 'no message';
}

function repoPath(target: CommentTarget): string {
  const [owner, name, ...rest] = target.repository.split('/');
  if (!owner || !name || rest.length > 0) throw new Error(`GITHUB_REPOSITORY is '${target.repository}': expected owner/name`);
  if (!/^https?:$/.test(new URL(target.apiUrl).protocol)) throw new Error(`GITHUB_API_URL is '${target.apiUrl}': expected an http(s) URL`);
  return `${target.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

/** Every issue comment of the pull request, following `rel="next"` links. */
export async function listComments(target: CommentTarget, fetchFn: Fetch = fetch): Promise<Comment[]> {
  const origin = new URL(target.apiUrl).origin;
  const out: Comment[] = [];
  let url: string | null = `${repoPath(target)}/issues/${target.issue}/comments?per_page=100`;
  // A bound on pages, so a server that links a page to itself cannot keep us here (100 × 100 comments).
  for (let page = 0; url !== null; page++) {
    if (page >= 100) throw new GitHubApiError('listing the comments: more than 100 pages', null);
    const { data, link }: { data: unknown; link: string | null } = await request(fetchFn, target, 'GET', url);
    if (!Array.isArray(data)) throw new GitHubApiError(`GET ${new URL(url).pathname}: expected a list of comments`, null);
    out.push(...(data as Comment[]));
    const next = nextLink(link);
    if (next !== null && new URL(next, url).origin !== origin) {
      throw new GitHubApiError(`the API's next-page link leaves ${origin}; not following it with the token`, null);
    }
    url = next === null ? null : new URL(next, url).href;
  }
  return out;
}

/** Ours: the first line is the marker (a comment quoting ours, or mentioning the marker, is not). */
export function isOurs(comment: Comment): boolean {
  return typeof comment.body === 'string' && comment.body.trimStart().startsWith(MARKER);
}

/**
 * Edits the pull request's migrate-lint comment, or creates it when there is none. With several (two runs
 * that raced), the oldest is edited and the others are left alone.
 */
export async function upsertComment(target: CommentTarget, body: string, fetchFn: Fetch = fetch): Promise<UpsertResult> {
  const existing = (await listComments(target, fetchFn)).find(isOurs);
  if (existing) {
    const { data } = await request(fetchFn, target, 'PATCH', `${repoPath(target)}/issues/comments/${existing.id}`, { body });
    const c = data as Comment;
    return { action: 'updated', id: existing.id, url: c?.html_url ?? existing.html_url ?? '' };
  }
  const { data } = await request(fetchFn, target, 'POST', `${repoPath(target)}/issues/${target.issue}/comments`, { body });
  const c = data as Comment;
  if (typeof c?.id !== 'number') throw new GitHubApiError('POST: the response has no comment id', null);
  return { action: 'created', id: c.id, url: c.html_url ?? '' };
}

export interface CommentIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/**
 * `comment.js <summary-file>`: 0 when the comment was written, 1 when the API refused or was unreachable,
 * 2 when the arguments or environment are wrong. Every failure is one line on stderr; the action turns it
 * into a warning and keeps the lint's own exit code.
 */
export async function commentMain(argv: readonly string[], env: Record<string, string | undefined>, io: CommentIo, fetchFn: Fetch = fetch): Promise<number> {
  const fail = (code: number, message: string): number => {
    io.stderr(`migrate-lint: pull-request comment: ${message}\n`);
    return code;
  };
  if (argv.length !== 1 || !argv[0]) return fail(2, 'usage: comment.js <summary-file>');
  const token = env.GITHUB_TOKEN;
  if (!token) return fail(2, 'GITHUB_TOKEN is not set (the action passes its github-token input)');
  if (!env.GITHUB_REPOSITORY) return fail(2, 'GITHUB_REPOSITORY is not set (run it in a GitHub Actions job)');
  if (!env.GITHUB_EVENT_PATH) return fail(2, 'GITHUB_EVENT_PATH is not set (run it in a GitHub Actions job)');
  let summary: string;
  let target: CommentTarget;
  try {
    summary = readFileSync(argv[0], 'utf8');
    target = { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', repository: env.GITHUB_REPOSITORY, issue: pullRequestNumber(env.GITHUB_EVENT_PATH), token };
    repoPath(target);
  } catch (e) {
    return fail(2, (e as Error).message);
  }
  try {
    const result = await upsertComment(target, commentBody(summary, runUrl(env)), fetchFn);
    io.stdout(`migrate-lint: ${result.action} the comment on pull request #${target.issue}${result.url ? `: ${result.url}` : ''}\n`);
    if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `comment-id=${result.id}\ncomment-url=${result.url}\n`);
    return 0;
  } catch (e) {
    // A GitHubApiError never holds the token; anything else is reduced to its message, never dumped.
    return fail(1, (e as Error).message.split('\n')[0]!);
  }
}

function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

// The action runs this file directly; like bin/migrate-lint.js, the entry point is the only place that
// sets the process exit code.
if (isMain()) {
  process.exitCode = await commentMain(process.argv.slice(2), process.env, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
