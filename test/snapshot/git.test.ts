/**
 * The git layer on real temporary repositories: listings, the index, changes, the commit that added a
 * file, and blob reads through one `git cat-file --batch` process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { gitBlobId } from '../../src/snapshot/content.js';
import { GitRepo } from '../../src/snapshot/git.js';
import { IndexSnapshot, TreeSnapshot } from '../../src/snapshot/git-snapshots.js';
import { OverlaySnapshot } from '../../src/snapshot/overlay.js';
import { TempRepo } from '../helpers/git-repo.js';

const temps: TempRepo[] = [];
afterAll(() => temps.forEach((t) => t.cleanup()));

function repo(): TempRepo {
  const r = TempRepo.create();
  temps.push(r);
  return r;
}

describe('GitRepo', () => {
  it('lists a commit, reads every blob through one process, and matches the blob ids', async () => {
    const t = repo();
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
    const binary = Buffer.from([0, 1, 2, 255, 10, 13, 0]);
    const files: Record<string, string | Buffer> = { 'a.sql': 'SELECT 1;\n', 'dir with space/ünï.sql': 'SELECT 2;\n', 'big.sql': big, 'bin.dat': binary, 'node_modules/x/y.sql': 'skipped\n' };
    const head = t.commit('init', files);
    const g = await GitRepo.open(t.dir);
    try {
      const listing = await g.tree(head);
      expect([...listing.keys()].sort()).toEqual(['a.sql', 'big.sql', 'bin.dat', 'dir with space/ünï.sql']);
      const snap = new TreeSnapshot(g.root, listing, g.blobs, 'main');
      // Concurrent reads share the process and come back in order.
      const read = await Promise.all((await snap.list()).map(async (p) => [p, await snap.read(p)] as const));
      for (const [p, bytes] of read) {
        expect(Buffer.compare(bytes, Buffer.from(files[p]!)), p).toBe(0);
        expect(await snap.contentId(p)).toBe(gitBlobId(bytes));
      }
      expect(g.blobs.started).toBe(1);
    } finally {
      g.close();
    }
  });

  it('a missing object is an error for that read only', async () => {
    const t = repo();
    t.commit('init', { 'a.sql': 'x\n' });
    const g = await GitRepo.open(t.dir);
    try {
      await expect(g.blobs.read('0'.repeat(40))).rejects.toThrow(/missing/);
      await expect(g.blobs.read('not an id')).rejects.toThrow(/not a git object id/);
      const [oid] = [...(await g.tree((await g.requireHead()).id)).values()];
      expect((await g.blobs.read(oid!)).toString()).toBe('x\n');
    } finally {
      g.close();
    }
  });

  it('changes against the working tree, the index and another commit', async () => {
    const t = repo();
    const base = t.commit('init', { 'keep.sql': '1\n', 'edit.sql': '1\n', 'gone.sql': '1\n' });
    t.write({ 'edit.sql': '2\n', 'new.sql': 'n\n', '.gitignore': 'ignored.sql\n', 'ignored.sql': 'i\n' }).remove('gone.sql');
    const g = await GitRepo.open(t.dir);
    try {
      const work = await g.changes(base, 'worktree');
      expect([...work.changed].sort()).toEqual(['.gitignore', 'edit.sql', 'new.sql']);
      expect([...work.deleted]).toEqual(['gone.sql']);
      t.git('add', 'edit.sql');
      const staged = await g.changes(base, 'staged');
      expect([...staged.changed]).toEqual(['edit.sql']);
      expect([...staged.deleted]).toEqual([]);
      const next = t.commit('next');
      const between = await g.changes(base, { commit: next });
      expect([...between.changed].sort()).toEqual(['.gitignore', 'edit.sql', 'new.sql']);
      expect([...between.deleted]).toEqual(['gone.sql']);
      // The index snapshot holds what is staged.
      const index = new IndexSnapshot(g.root, await g.index(), g.blobs);
      expect((await index.read('edit.sql')).toString()).toBe('2\n');
    } finally {
      g.close();
    }
  });

  it('names the commit that added each file, with its subject', async () => {
    const t = repo();
    const base = t.commit('init', { 'a.sql': '1\n' });
    const c1 = t.commit('Add b; with "quotes"', { 'b c.sql': '1\n' });
    const c2 = t.commit('Add d', { 'd.sql': '1\n' });
    const g = await GitRepo.open(t.dir);
    try {
      const added = await g.addedBy(base, c2, ['b c.sql', 'd.sql', 'a.sql']);
      expect(Object.fromEntries([...added].map(([p, c]) => [p, [c.id, c.subject]]))).toEqual({ 'b c.sql': [c1, 'Add b; with "quotes"'], 'd.sql': [c2, 'Add d'] });
    } finally {
      g.close();
    }
  });

  it('an unmerged path in the index is read from the working tree, markers and all', async () => {
    const t = repo();
    t.commit('init', { 'm.sql': 'base\n' });
    t.checkout('other', { create: true });
    t.commit('other', { 'm.sql': 'other\n' });
    t.checkout('main');
    t.commit('main', { 'm.sql': 'main\n' });
    expect(() => t.git('merge', '-q', 'other')).toThrow();
    const g = await GitRepo.open(t.dir);
    try {
      const listing = await g.index();
      expect(listing.get('m.sql')).toBeNull();
      const text = (await new IndexSnapshot(g.root, listing, g.blobs).read('m.sql')).toString();
      expect(text).toContain('<<<<<<<');
    } finally {
      g.close();
    }
  });
});

describe('OverlaySnapshot', () => {
  it("is the target's files with the branch's changes laid over them", async () => {
    const t = repo();
    const base = t.commit('init', { 'a.sql': 'a\n', 'b.sql': 'b\n', 'c.sql': 'c\n' });
    t.checkout('branch', { create: true });
    const branch = t.commit('branch', { 'b.sql': 'b from branch\n', 'new.sql': 'n\n' });
    t.remove('c.sql');
    t.commit('drop c');
    const tip = t.git('rev-parse', 'HEAD').trim();
    t.checkout('main');
    const main = t.commit('main', { 'a.sql': 'a from main\n', 'm.sql': 'm\n' });
    const g = await GitRepo.open(t.dir);
    try {
      const target = new TreeSnapshot(g.root, await g.tree(main), g.blobs, 'main');
      const head = new TreeSnapshot(g.root, await g.tree(tip), g.blobs, 'branch');
      const merged = new OverlaySnapshot(target, head, await g.changes(base, { commit: tip }), 'merged');
      expect(await merged.list()).toEqual(['a.sql', 'b.sql', 'm.sql', 'new.sql']);
      expect((await merged.read('a.sql')).toString()).toBe('a from main\n');
      expect((await merged.read('b.sql')).toString()).toBe('b from branch\n');
      expect(branch).not.toBe(tip);
    } finally {
      g.close();
    }
  });
});
