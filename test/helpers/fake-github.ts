/**
 * An in-memory stand-in for the three GitHub REST endpoints the pull-request comment uses, on 127.0.0.1
 * at a free port. It records every request (method, path, headers, body), answers 401 unless the
 * Authorization header is `Bearer <token>`, pages comment lists like GitHub (Link: <…>; rel="next", to a
 * `/repositories/<id>/…` URL as GitHub's own next links are), refuses a body over 65,536 characters with
 * GitHub's 422, and can be told to refuse writes (a fork's read-only token) or to fail once.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface FakeGitHubOptions {
  token: string;
  /** owner/name; other repositories are 404. */
  repository: string;
  /** Comments per page when the client asks for more (GitHub: per_page up to 100). */
  pageSize?: number;
  /** The login new comments are written as. */
  login?: string;
}

const REPOSITORY_ID = 4242;

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Comments per issue number, oldest first. */
  readonly comments = new Map<number, FakeComment[]>();
  /** When set, POST and PATCH answer 403 like a fork's read-only GITHUB_TOKEN. */
  readOnly = false;
  /** The next request answers this status once, with `{ message }` as JSON or `text` as it is (a proxy's HTML page). */
  failNext: { status: number; message?: string; text?: string } | null = null;
  private nextId = 1000;
  private server: Server | null = null;
  private port = 0;

  constructor(readonly options: FakeGitHubOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        const { status, json, text, headers } = this.handle(req.method ?? '', req.url ?? '/', req.headers, body);
        res.writeHead(status, { 'Content-Type': text === undefined ? 'application/json; charset=utf-8' : 'text/html', ...headers });
        res.end(text ?? (json === undefined ? '' : JSON.stringify(json)));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** A comment somebody else already wrote. */
  seed(issue: number, body: string, login = 'octocat'): FakeComment {
    const c = this.makeComment(issue, body, login);
    this.list(issue).push(c);
    return c;
  }

  /** Requests other than GET, as `METHOD path`. */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  }

  private list(issue: number): FakeComment[] {
    let l = this.comments.get(issue);
    if (!l) this.comments.set(issue, (l = []));
    return l;
  }

  private makeComment(issue: number, body: string, login: string): FakeComment {
    const id = this.nextId++;
    const now = new Date(Date.UTC(2025, 0, 1, 0, 0, id - 1000)).toISOString();
    return { id, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }, html_url: `https://github.com/${this.options.repository}/pull/${issue}#issuecomment-${id}`, created_at: now, updated_at: now };
  }

  private handle(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: string): { status: number; json?: unknown; text?: string; headers?: Record<string, string> } {
    if (headers.authorization !== `Bearer ${this.options.token}`) {
      return { status: 401, json: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
    }
    if (this.failNext) {
      const { status, message, text } = this.failNext;
      this.failNext = null;
      return text !== undefined ? { status, text } : { status, json: { message } };
    }
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const repo = this.options.repository;
    const prefix = url.pathname.startsWith(`/repositories/${REPOSITORY_ID}/`) ? `/repositories/${REPOSITORY_ID}` : `/repos/${repo}`;
    if (!url.pathname.startsWith(prefix + '/')) return notFound();
    const rest = url.pathname.slice(prefix.length);

    let m = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (m && method === 'GET') {
      const issue = Number(m[1]);
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100, this.options.pageSize ?? 100);
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const all = this.list(issue);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const out: { status: number; json: unknown; headers?: Record<string, string> } = { status: 200, json: slice };
      if (page * perPage < all.length) {
        const next = `${this.url}/repositories/${REPOSITORY_ID}/issues/${issue}/comments?per_page=${perPage}&page=${page + 1}`;
        const last = `${this.url}/repositories/${REPOSITORY_ID}/issues/${issue}/comments?per_page=${perPage}&page=${Math.ceil(all.length / perPage)}`;
        out.headers = { Link: `<${next}>; rel="next", <${last}>; rel="last"` };
      }
      return out;
    }
    if (m && method === 'POST') {
      const parsed = parseBody(body);
      if ('error' in parsed) return parsed.error;
      if (this.readOnly) return forbidden();
      const c = this.makeComment(Number(m[1]), parsed.body, this.options.login ?? 'github-actions[bot]');
      this.list(Number(m[1])).push(c);
      return { status: 201, json: c };
    }
    m = /^\/issues\/comments\/(\d+)$/.exec(rest);
    if (m && method === 'PATCH') {
      const parsed = parseBody(body);
      if ('error' in parsed) return parsed.error;
      if (this.readOnly) return forbidden();
      const c = [...this.comments.values()].flat().find((x) => x.id === Number(m![1]));
      if (!c) return notFound();
      c.body = parsed.body;
      c.updated_at = new Date(Date.parse(c.updated_at) + 1000).toISOString();
      return { status: 200, json: c };
    }
    return notFound();
  }
}

function notFound() {
  return { status: 404, json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
}

function forbidden() {
  return { status: 403, json: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/issues/comments' } };
}

function parseBody(text: string): { body: string } | { error: { status: number; json: unknown } } {
  let j: { body?: unknown };
  try {
    j = JSON.parse(text) as typeof j;
  } catch {
    return { error: { status: 400, json: { message: 'Problems parsing JSON' } } };
  }
  if (typeof j.body !== 'string') return { error: { status: 422, json: { message: 'Invalid request.', errors: [{ message: '"body" wasn\'t supplied.' }] } } };
  if (j.body.length > 65_536) {
    return { error: { status: 422, json: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }] } } };
  }
  return { body: j.body };
}
