/**
 * A throwaway PostgreSQL server for the lock-model tests: initdb into a temporary directory, start on a
 * free 127.0.0.1 port, stop and delete afterwards. Uses the binaries `.ci/postgres.sh` installs
 * (Debian: /usr/lib/postgresql/<major>/bin), or MIGRATE_LINT_PG_BINDIR. With MIGRATE_LINT_PG_URL set it
 * connects to that server instead and starts nothing.
 *
 * As root, initdb and postgres run as the `postgres` system user (initdb refuses to run as root), via
 * Node's spawn `uid`/`gid`, so no su/runuser is needed.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgServer {
  /** Connection settings for `new pg.Client(...)`. */
  config: pg.ClientConfig;
  /** `server_version_num`, e.g. 150018. */
  versionNum: number;
  /** A new connected client. */
  connect(): Promise<pg.Client>;
  stop(): Promise<void>;
}

const HINT =
  'Run `.ci/postgres.sh` (as root it installs Debian\'s postgresql package), set MIGRATE_LINT_PG_BINDIR to a ' +
  'directory with initdb and postgres, or set MIGRATE_LINT_PG_URL to a server to use.';

/** The directory holding `initdb` and `postgres`, searched like `.ci/postgres.sh bindir` does. */
export function findPgBinDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.MIGRATE_LINT_PG_BINDIR) candidates.push(process.env.MIGRATE_LINT_PG_BINDIR);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((d) => /^\d+(\.\d+)?$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
    for (const m of majors) candidates.push(join(debian, m, 'bin'));
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'postgres')));
}

/** uid/gid of the user the server runs as when we are root. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(':') ?? [];
    if (uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error(`running as root but there is no "postgres" or "nobody" user to run the server as. ${HINT}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function versionOf(config: pg.ClientConfig): Promise<number> {
  const c = new pg.Client(config);
  await c.connect();
  try {
    const r = await c.query<{ v: string }>('SELECT current_setting($1) AS v', ['server_version_num']);
    return Number(r.rows[0]!.v);
  } finally {
    await c.end();
  }
}

function handle(config: pg.ClientConfig, versionNum: number, stop: () => Promise<void>): PgServer {
  return {
    config,
    versionNum,
    async connect() {
      const c = new pg.Client(config);
      await c.connect();
      return c;
    },
    stop,
  };
}

export async function startPostgres(): Promise<PgServer> {
  const url = process.env.MIGRATE_LINT_PG_URL;
  if (url) {
    const config = { connectionString: url };
    return handle(config, await versionOf(config), async () => {});
  }
  const bin = findPgBinDir();
  if (!bin) throw new Error(`PostgreSQL server binaries (initdb, postgres) not found. ${HINT}`);
  const user = serverUser();
  const base = mkdtempSync(join(tmpdir(), 'migrate-lint-pg-'));
  if (user) chownSync(base, user.uid, user.gid);
  const data = join(base, 'data');
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C', HOME: base };
  const initdb = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '-N'], {
    encoding: 'utf8',
    env,
    ...(user ?? {}),
  });
  if (initdb.status !== 0) {
    rmSync(base, { recursive: true, force: true });
    throw new Error(`initdb failed (${bin}): ${initdb.stderr || initdb.error?.message}. ${HINT}`);
  }
  try {
    // The port is free when chosen but another process could take it before postgres binds: retry.
    for (let attempt = 1; ; attempt++) {
      try {
        return await launch(bin, data, base, env, user);
      } catch (err) {
        if (attempt >= 3 || !/could not bind|already in use|could not create any TCP\/IP sockets/i.test(String(err))) throw err;
      }
    }
  } catch (err) {
    rmSync(base, { recursive: true, force: true });
    throw err;
  }
}

async function launch(
  bin: string,
  data: string,
  base: string,
  env: NodeJS.ProcessEnv,
  user: { uid: number; gid: number } | undefined,
): Promise<PgServer> {
  const port = await freePort();
  // Durability is irrelevant for a throwaway server; autovacuum off so nothing else takes locks on the
  // fixture while the tests read pg_locks.
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    [
      '-D', data, '-p', String(port), '-k', base,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      '-c', 'autovacuum=off', '-c', 'TimeZone=UTC', '-c', 'max_connections=20',
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const config: pg.ClientConfig = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
  const shutdown = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // "fast" shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const stop = async () => {
    await shutdown();
    rmSync(base, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await shutdown();
      throw new Error(`postgres exited with code ${child.exitCode}: ${log.trim()}`);
    }
    try {
      return handle(config, await versionOf(config), stop);
    } catch (err) {
      if (Date.now() > deadline) {
        await shutdown();
        throw new Error(`postgres did not accept connections within 30 s: ${String(err)}\n${log.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
