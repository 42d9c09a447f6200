/**
 * History: the graph of migrations for a namespace of sets that may reference each other (one Django
 * project's apps; one Alembic script directory), with leaves per set, cycles and dangling references.
 *
 * The semantics are Django's `MigrationLoader.build_graph` for a database where nothing is applied
 * (what `makemigrations` sees), step by step (django/db/migrations/loader.py, graph.py; reference/
 * frameworks.md §3.4, §3.5), and the interop test compares the result with Django's own loader:
 *  1. every migration is a node;
 *  2. same-set parents are edges (a same-set `__first__` is ignored; anything else missing becomes a
 *     placeholder node, Django's DummyNode);
 *  3. other-set parents and `run_before` are resolved like `check_key`: `__first__`/`__latest__` become
 *     the set's first root / first leaf; references into sets outside the repository are not judged;
 *  4. squashes: the nodes a migration `replaces` (real or placeholder) are removed and their edges moved
 *     to the squash (`remove_replaced_nodes`), so dependencies on replaced names resolve to the squash;
 *  5. placeholders left over are dangling references (`validate_consistency`: NodeNotFoundError);
 *  6. strongly connected components are cycles (`ensure_not_cyclic`: CircularDependencyError).
 * Leaves of a set are its nodes with no child in the same set: children in other sets do not count
 * (`MigrationGraph.leaf_nodes`).
 *
 * Alembic (one script directory is one set and its own namespace; alembic/script/revision.py
 * `RevisionMap._revision_map`): `down_revision` entries are `parents`, so step 2 builds its graph and a
 * missing one is dangling (Alembic warns, then fails with KeyError). `depends_on` entries
 * (`Migration.dependsOn`, a revision id or a branch label, resolved like `_add_depends_on`) are edges
 * marked `dependsOn`: they order and can close cycles, but `leaves` ignores them, as `is_head` reads only
 * `nextrev` from versioned down revisions. `branchLabels` propagates declared labels to descendants
 * (`_add_branches`) and `leafGroups` splits the leaves into those the framework would refuse together.
 */
import { Graph, alg } from '@dagrejs/graphlib';
import type { Migration, MigrationRef, MigrationSet, Namespace } from './types.js';

export interface Dangling {
  /** The migration whose reference points nowhere. */
  from: Migration;
  ref: MigrationRef;
  via: 'dependency' | 'run_before' | 'depends_on';
  /** `no-such-migration`: the set exists but has no such migration. `no-such-set`: no set by that name
   *  exists in the repository or among installed apps. `set-has-no-migrations`: `__first__`/`__latest__`
   *  of a set that has no migrations. */
  reason: 'no-such-migration' | 'no-such-set' | 'set-has-no-migrations';
}

interface NodeLabel {
  set: string;
  name: string;
  migration?: Migration;
  /** Placeholder for a referenced migration that does not exist (yet): Django's DummyNode. */
  dummy?: { origin: Migration; ref: MigrationRef; via: Dangling['via'] }[];
}

/** An edge from an Alembic `depends_on`: it orders, but does not stop its parent being a head. */
interface EdgeLabel {
  dependsOn?: true;
}

const SEP = '\u0000';
export const nodeKey = (set: string, name: string): string => `${set}${SEP}${name}`;

export class History {
  readonly graph = new Graph({ directed: true });
  readonly dangling: Dangling[] = [];
  readonly cycles: Migration[][] = [];
  /** Replaced migration key → the squash that stands in for it. */
  readonly replacedBy = new Map<string, Migration>();
  private readonly setsByName = new Map<string, MigrationSet>();

  constructor(
    readonly namespace: string,
    readonly sets: MigrationSet[],
    readonly external: Namespace | undefined,
  ) {
    for (const s of sets) this.setsByName.set(s.name, s);
    this.build();
  }

  setByName(name: string): MigrationSet | undefined {
    return this.setsByName.get(name);
  }

  label(key: string): NodeLabel {
    return this.graph.node(key) as NodeLabel;
  }

  migration(key: string): Migration | undefined {
    return this.graph.hasNode(key) ? this.label(key).migration : undefined;
  }

  /** Real (non-placeholder) nodes of a set, sorted by name. */
  nodesOf(set: MigrationSet): Migration[] {
    if (!this.bySet) {
      // The graph is complete once built: every set's nodes are found in one pass, not one pass per set.
      this.bySet = new Map();
      for (const k of this.graph.nodes()) {
        const l = this.label(k);
        if (!l.migration) continue;
        let list = this.bySet.get(l.set);
        if (!list) this.bySet.set(l.set, (list = []));
        list.push(l.migration);
      }
      for (const list of this.bySet.values()) list.sort(byName);
    }
    return [...(this.bySet.get(set.name) ?? [])];
  }

  private bySet: Map<string, Migration[]> | undefined;
  private leavesBySet = new Map<string, Migration[]>();

  /** Nodes of the set with no child in the same set (Django `leaf_nodes(app)`; Alembic heads: a
   *  `depends_on` child does not count), sorted by name. */
  leaves(set: MigrationSet): Migration[] {
    let leaves = this.leavesBySet.get(set.name);
    if (!leaves) {
      leaves = this.nodesOf(set).filter((m) => {
        const key = nodeKey(set.name, m.name);
        return !(this.graph.successors(key) ?? []).some((c) => this.label(c).set === set.name && !this.isDependsOn(key, c));
      });
      this.leavesBySet.set(set.name, leaves);
    }
    return [...leaves];
  }

  /** Nodes of the set with no parent in the same set (Django `root_nodes(app)`; Alembic bases), sorted by
   *  name. */
  roots(set: MigrationSet): Migration[] {
    return this.nodesOf(set).filter((m) => {
      const key = nodeKey(set.name, m.name);
      return !(this.graph.predecessors(key) ?? []).some((p) => this.label(p).set === set.name && !this.isDependsOn(p, key));
    });
  }

  /** Whether the edge parent → child comes only from an Alembic `depends_on`. */
  isDependsOn(parent: string, child: string): boolean {
    return (this.graph.edge(parent, child) as EdgeLabel | undefined)?.dependsOn === true;
  }

  /**
   * The branch labels a migration carries: its own and those of every ancestor through parents (not
   * `depends_on`), as Alembic's `_add_branches` gives a label to the labelled revision's descendants.
   * (Alembic also labels the ancestors down to the nearest branch point; those are never heads, so the
   * leaves' labels, which is what this is for, do not depend on it.) Sorted.
   */
  branchLabels(set: MigrationSet, migration: Migration): string[] {
    const labels = new Set(migration.branchLabels ?? []);
    const seen = new Set<string>();
    const stack = [nodeKey(set.name, migration.name)];
    while (stack.length) {
      const k = stack.pop()!;
      for (const p of this.graph.predecessors(k) ?? []) {
        if (seen.has(p) || this.isDependsOn(p, k)) continue;
        seen.add(p);
        stack.push(p);
        for (const l of this.label(p).migration?.branchLabels ?? []) labels.add(l);
      }
    }
    return [...labels].sort();
  }

  /**
   * The set's leaves in groups the framework refuses together: two leaves conflict when they share a
   * branch label or neither has one (Alembic's `upgrade head` and `upgrade <label>@head` then find
   * several heads; independent labelled branches such as expand/contract are meant to have a head each).
   * Without labels (Django) all leaves are one group. Groups in order of their first leaf, each sorted by
   * name; singletons included.
   */
  leafGroups(set: MigrationSet): { leaves: Migration[]; labels: string[] }[] {
    const leaves = this.leaves(set).map((m) => ({ m, labels: this.branchLabels(set, m) }));
    const group = leaves.map((_, i) => i);
    const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i]!)));
    for (let i = 0; i < leaves.length; i++) {
      for (let j = i + 1; j < leaves.length; j++) {
        const a = leaves[i]!.labels;
        const b = leaves[j]!.labels;
        if ((a.length === 0 && b.length === 0) || a.some((l) => b.includes(l))) group[find(j)] = find(i);
      }
    }
    const out = new Map<number, { leaves: Migration[]; labels: string[] }>();
    leaves.forEach((l, i) => {
      const root = find(i);
      let g = out.get(root);
      if (!g) out.set(root, (g = { leaves: [], labels: [] }));
      g.leaves.push(l.m);
      // The labels every leaf of the group shares: what `<label>@head` would name.
      g.labels = g.leaves.length === 1 ? [...l.labels] : g.labels.filter((x) => l.labels.includes(x));
    });
    return [...out.values()];
  }

  /** Edges as [parent, child] keys. */
  edges(): [string, string][] {
    return this.graph.edges().map((e) => [e.v, e.w]);
  }

  /** All ancestors of a node (not including itself). */
  ancestors(key: string): Set<string> {
    const seen = new Set<string>();
    const stack = [key];
    while (stack.length) {
      for (const p of this.graph.predecessors(stack.pop()!) ?? []) {
        if (!seen.has(p)) {
          seen.add(p);
          stack.push(p);
        }
      }
    }
    return seen;
  }

  private addNode(set: string, name: string, migration?: Migration): string {
    const key = nodeKey(set, name);
    if (!this.graph.hasNode(key)) this.graph.setNode(key, { set, name, ...(migration ? { migration } : {}) } satisfies NodeLabel);
    return key;
  }

  /** A reference to a node that may not exist: creates a placeholder remembering who asked. */
  private refNode(ref: MigrationRef, origin: Migration, via: Dangling['via']): string {
    const key = nodeKey(ref.set, ref.name);
    if (!this.graph.hasNode(key)) this.graph.setNode(key, { set: ref.set, name: ref.name, dummy: [] } satisfies NodeLabel);
    this.label(key).dummy?.push({ origin, ref, via });
    return key;
  }

  private build(): void {
    const all = this.sets.flatMap((s) => s.migrations.map((m) => [s, m] as const));
    for (const [s, m] of all) this.addNode(s.name, m.name, m);

    // Internal dependencies first (loader.add_internal_dependencies).
    for (const [s, m] of all) {
      const child = nodeKey(s.name, m.name);
      for (const p of m.parents) {
        if (p.set === s.name && p.name !== '__first__' && p.special !== 'setting') {
          this.graph.setEdge(this.refNode(p, m, 'dependency'), child);
        }
      }
    }
    // Alembic depends_on: a revision id of the set, else a branch label some revision declares
    // (`_add_depends_on` looks both up in one map); ordering edges that do not change the heads.
    for (const [s, m] of all) {
      const child = nodeKey(s.name, m.name);
      for (const d of m.dependsOn ?? []) {
        const labelled = this.graph.hasNode(nodeKey(s.name, d.name)) ? undefined : s.migrations.find((o) => o.branchLabels?.includes(d.name));
        const parent = labelled ? nodeKey(s.name, labelled.name) : this.refNode({ ...d, set: s.name }, m, 'depends_on');
        if (!this.graph.hasEdge(parent, child)) this.graph.setEdge(parent, child, { dependsOn: true } satisfies EdgeLabel);
      }
    }
    // Then external ones and run_before (loader.add_external_dependencies, check_key).
    for (const [s, m] of all) {
      const me = nodeKey(s.name, m.name);
      for (const p of m.parents) {
        if (p.set === s.name || p.special === 'setting') continue;
        const parent = this.resolve(p, s, m, 'dependency');
        if (parent) this.graph.setEdge(parent, me);
      }
      for (const c of m.runBefore) {
        const child = this.resolve(c, s, m, 'run_before');
        if (child) this.graph.setEdge(me, child);
      }
    }
    // Squashes (graph.remove_replaced_nodes), with nothing applied.
    for (const [s, m] of all) {
      if (m.replaces.length === 0) continue;
      const squash = nodeKey(s.name, m.name);
      const replaced = new Set(m.replaces.map((r) => nodeKey(r.set, r.name)));
      for (const r of replaced) {
        if (!this.graph.hasNode(r)) continue;
        const label = this.label(r);
        if (label.migration) this.replacedBy.set(r, m);
        for (const child of this.graph.successors(r) ?? []) {
          if (!replaced.has(child)) this.graph.setEdge(squash, child);
        }
        for (const parent of this.graph.predecessors(r) ?? []) {
          if (!replaced.has(parent)) this.graph.setEdge(parent, squash);
        }
        this.graph.removeNode(r);
      }
    }
    for (const k of this.graph.nodes()) {
      const l = this.label(k);
      for (const d of l.dummy ?? []) {
        this.dangling.push({ from: d.origin, ref: d.ref, via: d.via, reason: this.setsByName.has(l.set) ? 'no-such-migration' : 'no-such-set' });
      }
    }
    for (const cycle of alg.findCycles(this.graph)) {
      // Ordered by set, then name: the first one is where the finding points.
      this.cycles.push([...cycle].sort().map((k) => this.label(k).migration).filter((m): m is Migration => !!m));
    }
  }

  /**
   * Django's `check_key`: the node a cross-set reference means, or null when it is not judged
   * (a same-set `__first__`, or a set outside the repository).
   */
  private resolve(ref: MigrationRef, own: MigrationSet, origin: Migration, via: Dangling['via']): string | null {
    const special = ref.name === '__first__' || ref.name === '__latest__';
    if (!special || this.graph.hasNode(nodeKey(ref.set, ref.name))) {
      const target = this.setsByName.get(ref.set);
      if (!target && this.isExternal(ref.set)) return null;
      if (!target) {
        this.dangling.push({ from: origin, ref, via, reason: 'no-such-set' });
        return null;
      }
      return this.refNode(ref, origin, via);
    }
    if (ref.set === own.name) return null;
    const target = this.setsByName.get(ref.set);
    if (!target) {
      if (this.isExternal(ref.set)) return null;
      this.dangling.push({ from: origin, ref, via, reason: 'no-such-set' });
      return null;
    }
    const pick = ref.name === '__first__' ? this.roots(target)[0] : this.leaves(target)[0];
    if (!pick) {
      this.dangling.push({ from: origin, ref, via, reason: 'set-has-no-migrations' });
      return null;
    }
    return nodeKey(target.name, pick.name);
  }

  /** A set outside the repository: an installed app we cannot see, or anything when the installed apps
   *  are not known statically. */
  private isExternal(set: string): boolean {
    const ext = this.external?.externalSets;
    return ext === null || ext === undefined || ext.includes(set);
  }
}

function byName(a: Migration, b: Migration): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** One History per namespace of graph-ordered sets. */
export function buildHistories(sets: MigrationSet[], namespaces: Namespace[], built: readonly History[] = []): History[] {
  const groups = new Map<string, MigrationSet[]>();
  for (const s of sets) {
    if (s.ordering !== 'graph') continue;
    let g = groups.get(s.namespace);
    if (!g) groups.set(s.namespace, (g = []));
    g.push(s);
  }
  // A graph a front end already built over exactly these sets is reused, not built again.
  const reuse = (group: MigrationSet[]) => built.find((h) => h.sets.length === group.length && h.sets.every((s, i) => s === group[i]));
  return [...groups].map(([ns, group]) => reuse(group) ?? new History(ns, group, namespaces.find((n) => n.id === ns)));
}
