/**
 * Reads git objects through one long-lived `git cat-file --batch` process: a request is an object id on
 * stdin, the answer `<oid> <type> <size>\n<bytes>\n` on stdout (git-cat-file(1) "BATCH OUTPUT"). Reading
 * a hundred migrations from three revisions costs one process, not three hundred.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from '../errors.js';

interface Pending {
  oid: string;
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}

export class BlobReader {
  private proc: ChildProcessWithoutNullStreams | null = null;
  private pending: Pending[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failure: Error | null = null;
  /** How many `git cat-file` processes this reader has started (one per reader unless closed). */
  started = 0;

  constructor(private readonly root: string) {}

  /** The bytes of blob `oid`. Object ids come from git's own listings, never from the user. */
  read(oid: string): Promise<Buffer> {
    if (!/^[0-9a-f]{40,64}$/.test(oid)) return Promise.reject(new GitError(`not a git object id: ${oid}`));
    if (this.failure) return Promise.reject(this.failure);
    const proc = this.start();
    return new Promise((resolve, reject) => {
      this.pending.push({ oid, resolve, reject });
      if (this.pending.length === 1) this.hold(true);
      proc.stdin.write(`${oid}\n`);
    });
  }

  /** Ends the process. Reads after this start a new one. */
  close(): void {
    if (!this.proc) return;
    this.proc.stdin.end();
    this.proc = null;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.proc) return this.proc;
    const proc = spawn('git', ['cat-file', '--batch'], { cwd: this.root, stdio: ['pipe', 'pipe', 'pipe'] });
    this.started++;
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.buffered += d.length;
      this.drain();
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const p of this.pending.splice(0)) p.reject(e);
    };
    proc.on('error', (e) => fail(new GitError(`cannot run git cat-file: ${e.message}`, 'is git installed and on PATH?')));
    proc.on('close', (code) => {
      if (this.pending.length > 0) fail(new GitError(`git cat-file exited (${code ?? 'signal'}): ${stderr.trim() || 'no output'}`));
      if (this.proc === proc) this.proc = null;
    });
    this.proc = proc;
    this.hold(false);
    return proc;
  }

  /** Keeps the event loop alive while an answer is awaited, and only then: a finished run whose caller
   *  forgot `close()` still exits. */
  private hold(on: boolean): void {
    const proc = this.proc;
    if (!proc) return;
    for (const h of [proc, proc.stdin, proc.stdout, proc.stderr] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (on) h.ref?.();
      else h.unref?.();
    }
  }

  private drain(): void {
    while (this.pending.length > 0) {
      const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      this.chunks = [buf];
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      const header = buf.subarray(0, nl).toString('utf8');
      const want = this.pending[0]!;
      const parts = header.split(' ');
      if (parts[1] === 'missing' || parts.length < 3) {
        this.consume(nl + 1);
        this.pending.shift()!.reject(new GitError(`git object ${want.oid} is missing from the repository`, 'the clone may be partial or shallow: git fetch --unshallow'));
        continue;
      }
      const size = Number(parts[2]);
      if (buf.length < nl + 1 + size + 1) return;
      const body = Buffer.from(buf.subarray(nl + 1, nl + 1 + size));
      this.consume(nl + 1 + size + 1);
      this.pending.shift()!.resolve(body);
    }
    if (this.pending.length === 0) this.hold(false);
  }

  private consume(n: number): void {
    const buf = this.chunks[0]!;
    const rest = buf.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }
}
