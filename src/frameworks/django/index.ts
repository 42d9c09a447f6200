/**
 * The Django front end: finds apps with migrations, reads each app's label and the project's settings,
 * parses every migration module, then replays each project's model state in graph order to lower the
 * operations (schema.ts). The graph itself is built by src/model/history.ts with Django's semantics,
 * which the interop test checks against Django's own MigrationLoader.
 */
import { loadSqlParser } from '../../lang/sql/index.js';
import { History } from '../../model/history.js';
import type { Migration, MigrationSet } from '../../model/types.js';
import type { FrameworkAdapter, Namespace, ParseContext, SourceFile } from '../types.js';
import { appLabel, declaredApp, findApps, readSettings, type ProjectSettings } from './project.js';
import { moduleName, parseMigrationFile, type DjangoFileContext, type ParsedModule } from './parse.js';
import { pinnedDjangoVersion } from './pin.js';
import { replayProject, type ParsedDjango } from './schema.js';

export const djangoAdapter: FrameworkAdapter = {
  framework: 'django',
  async load(ctx: ParseContext) {
    // Where configuration declares the sets, they replace the apps found there (discover/index.ts); a
    // declared app joins the project of its nearest manage.py like any other.
    const declared = ctx.declared.filter((d) => d.framework === 'django');
    const found = [...findApps(ctx.files).filter((a) => ctx.detects(a.migrationsDir)), ...declared.map((d) => declaredApp(ctx.files, d.path))].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
    const dialects = new Map(declared.map((d) => [d.path, d.dialect]));
    // Whole projects are loaded when any part of them is in scope: an app's dependencies on other apps
    // of the project must resolve even when only that app was asked for.
    const projects = new Set(found.filter((a) => ctx.inScope(a.migrationsDir) || ctx.inScope(`${a.migrationsDir}/__init__.py`) || a.modules.some((m) => ctx.inScope(m))).map((a) => a.project));
    const apps = found.filter((a) => projects.has(a.project));
    const settingsByProject = new Map<string, ProjectSettings | null>();
    const pins = new Map<string, string | null>();
    const sets: MigrationSet[] = [];
    const parsed = new Map<string, ParsedDjango[]>();
    // Read every module at once: the reads overlap instead of waiting on each other (one at a time,
    // most of a check's wall time was spent idle on file reads).
    const sources = new Map(await Promise.all(apps.flatMap((a) => a.modules).map(async (f) => [f, await ctx.read(f)] as const)));
    // The SQL parser (WASM) is loaded only when some migration may hold SQL: a plain substring test on
    // the text decides whether to pay its start-up, never what the file means.
    if ([...sources.values()].some((s) => s.ok && s.text.includes('RunSQL'))) await loadSqlParser();
    // What parsing a module depends on besides its bytes: its app's label and set, the project's user model.
    const contexts = new Map<string, DjangoFileContext>();
    for (const app of apps) {
      if (!settingsByProject.has(app.project)) settingsByProject.set(app.project, await readSettings(ctx, app.project));
      const settings = settingsByProject.get(app.project) ?? null;
      contexts.set(app.dir, { app: await appLabel(ctx, app.dir), setId: `django:${app.dir || '.'}`, authUserModel: settings?.authUserModel ?? null });
    }
    const keyOf = (src: SourceFile, c: DjangoFileContext) => `django:${src.contentId}:${c.app}:${c.setId}:${c.authUserModel ?? ''}`;
    await ctx.prefill(apps.flatMap((app) => app.modules.map((f) => ({ key: keyOf(sources.get(f)!, contexts.get(app.dir)!), parser: 'django' as const, src: sources.get(f)!, args: [contexts.get(app.dir)!] as [DjangoFileContext] }))));
    for (const app of apps) {
      if (!pins.has(app.project)) pins.set(app.project, await pinnedDjangoVersion(ctx, app.project));
      const pin = pins.get(app.project);
      const fileContext = contexts.get(app.dir)!;
      const { app: label, setId } = fileContext;
      const declaredDialect = dialects.get(app.migrationsDir);
      const migrations: Migration[] = [];
      const ofApp: ParsedDjango[] = [];
      for (const file of app.modules) {
        const src = sources.get(file)!;
        const key = keyOf(src, fileContext);
        let m = ctx.cache.get(key) as ParsedModule | null | undefined;
        if (m === undefined) {
          m = parseMigrationFile(src, fileContext);
          ctx.cache.set(key, m);
        }
        // The cache is keyed by content: two files with equal bytes (two empty merge migrations) share an
        // entry, so identity (file, name) always comes from the path, never from the cached object.
        // Statements depend on the migrations before this one: replay sets them below.
        if (!m) continue;
        const migration: Migration = { ...m.migration, file, name: moduleName(file), statements: [] };
        migrations.push(migration);
        ofApp.push({ migration, app: label, ops: m.ops, opaque: m.opaque });
      }
      // A migrations package with no migration module in it is not a Django app's history
      // (e.g. a Node project's folder that happens to have an __init__.py).
      // A declared one is kept: the configuration says it is one.
      if (migrations.length === 0 && app.modules.length > 0 && !dialects.has(app.migrationsDir)) continue;
      const ns = `django:${app.project || '.'}`;
      parsed.set(ns, [...(parsed.get(ns) ?? []), ...ofApp]);
      sets.push({
        id: setId,
        framework: 'django',
        name: label,
        namespace: `django:${app.project || '.'}`,
        dir: app.migrationsDir,
        ordering: 'graph',
        // Django's dialect comes from DATABASES at run time; the lock rules assume PostgreSQL unless
        // configured otherwise.
        dialect: declaredDialect ?? 'postgresql',
        transaction: 'per-migration',
        downs: 'derived',
        migrations,
        ...(pin ? { frameworkVersion: pin } : {}),
      });
    }
    const namespaces: Namespace[] = [...settingsByProject].map(([project, settings]) => {
      const inRepo = new Set(sets.filter((s) => s.namespace === `django:${project || '.'}`).map((s) => s.name));
      return {
        id: `django:${project || '.'}`,
        framework: 'django',
        // Installed apps that are not in the repository (django.contrib.auth, third-party packages).
        externalSets: settings?.installedLabels ? [...new Set(settings.installedLabels)].filter((l) => !inRepo.has(l)).sort() : null,
        ...(settings ? { externalSource: settings.file } : {}),
      };
    });
    const histories: History[] = [];
    for (const ns of namespaces) {
      const own = sets.filter((s) => s.namespace === ns.id);
      const project = ns.id.slice('django:'.length);
      const settings = settingsByProject.get(project === '.' ? '' : project) ?? null;
      // Replay needs the order Django applies migrations in: the same graph the history rules read, so it
      // is handed on to them (replay sets statements on the same migration objects the graph holds).
      const history = own.length ? new History(ns.id, own, ns) : undefined;
      if (history) histories.push(history);
      replayProject(history, parsed.get(ns.id) ?? [], settings ? settings.defaultAutoField : null);
    }
    return { sets, namespaces, histories };
  },
};
