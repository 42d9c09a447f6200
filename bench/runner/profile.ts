/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) into self time per function and per area of the
 * code. The format is Chrome DevTools' `Profiler.Profile`: a call tree of nodes with their call frame,
 * `samples` (the node on top of the stack at each tick) and `timeDeltas` (µs since the previous tick).
 * A tick's duration is the delta to the next one, as DevTools attributes it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: SelfTime[];
  areas: SelfTime[];
  phases: SelfTime[];
}

/** Areas grouped into the phases of a run; what matches none is "other". */
const PHASES: readonly [string, RegExp][] = [
  ['parsers (Lezer, libpg-query and its WASM, TypeScript)', /^(@lezer\/|libpg-query$|wasm$|typescript$)/],
  ['reading and front ends (src/snapshot, src/discover, src/lang, src/frameworks)', /^src\/(snapshot|discover|lang|frameworks)(\/|$)/],
  ['model, engine and rules', /^(rules|src\/(engine|postgres|model))$/],
  ['graphlib', /^@dagrejs\/graphlib$/],
  ['garbage collection', /^\(garbage collector\)$/],
  ['Node: module loading, file I/O, native calls', /^(node internals|\(native\)|\(program\))$/],
];

export function summariseProfile(file: string, top = 15, repo = ''): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const maps = new SourceMaps();
  // A frame in the bundle is named by the module it was bundled from (the bundle's source maps).
  const byId = new Map(p.nodes.map((n) => [n.id, maps.original(n.callFrame)]));
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const us = p.timeDeltas[i + 1] ?? 0;
    const frame = byId.get(p.samples[i]!)!;
    if (frame.functionName === '(idle)') continue;
    const where = shortUrl(frame.url, repo);
    const fn = `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${frame.lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const area = areaOf(frame, where);
    areas.set(area, (areas.get(area) ?? 0) + us);
    total += us;
  }
  const rank = (m: Map<string, number>, n: number): SelfTime[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }));
  const phases = new Map<string, number>();
  for (const [area, us] of areas) {
    const phase = PHASES.find(([, re]) => re.test(area))?.[0] ?? 'other';
    phases.set(phase, (phases.get(phase) ?? 0) + us);
  }
  return { totalMs: total / 1000, functions: rank(fns, top), areas: rank(areas, 10), phases: rank(phases, PHASES.length + 1) };
}

/**
 * The bundle's source maps (scripts/bundle.ts writes one beside each `.mjs`): without them every frame of
 * ours and of the bundled packages (Lezer, commander, graphlib) is in dist/migrate-lint.cjs or a chunk.
 */
class SourceMaps {
  private maps = new Map<string, { map: SourceMap; dir: string } | null>();

  original(frame: ProfileNode['callFrame']): ProfileNode['callFrame'] {
    // A script compiled by bin/migrate-lint.js (vm.Script) is named by its path, a module by its URL.
    const url = frame.url.startsWith('/') ? pathToFileURL(frame.url).href : frame.url;
    if (!url.startsWith('file://') || !/\.[cm]js$/.test(url)) return frame;
    const m = this.load(url);
    if (!m) return frame;
    const entry = m.map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry.originalSource) return frame;
    const source = entry.originalSource.startsWith('file://') ? entry.originalSource : pathToFileURL(path.resolve(m.dir, entry.originalSource)).href;
    return { ...frame, url: source, lineNumber: entry.originalLine ?? 0, columnNumber: entry.originalColumn ?? 0 };
  }

  private load(url: string): { map: SourceMap; dir: string } | null {
    if (this.maps.has(url)) return this.maps.get(url)!;
    const file = fileURLToPath(url);
    let m: { map: SourceMap; dir: string } | null = null;
    try {
      if (existsSync(`${file}.map`)) m = { map: new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))), dir: path.dirname(file) };
    } catch {
      m = null;
    }
    this.maps.set(url, m);
    return m;
  }
}

/** The one profile `node --cpu-prof --cpu-prof-dir=<dir>` wrote. */
export function profileIn(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one .cpuprofile in ${dir}, found ${files.length}`);
  return path.join(dir, files[0]!);
}

function shortUrl(url: string, repo: string): string {
  const file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) return file.slice(nm + 1);
  return repo && file.startsWith(`${repo}/`) ? file.slice(repo.length + 1) : file;
}

/** A package, a folder of ours (`src/frameworks/django`), Node's internals, WASM, or V8's own buckets. */
function areaOf(frame: ProfileNode['callFrame'], where: string): string {
  if (!where) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (where.startsWith('node:')) return 'node internals';
  if (where.startsWith('wasm://')) return 'wasm';
  const nm = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (nm) return nm[1]!;
  const ours = /^dist\/((?:src\/(?:frameworks|lang)\/[^/]+)|src\/[^/]+|rules|bench)/.exec(where);
  if (ours) return ours[1]!.replace(/\.js$/, '');
  return where;
}
