/**
 * The Django front end: finds apps with migrations, reads each app's label and the project's settings,
 * parses every migration module. The graph itself is built by src/model/history.ts with Django's
 * semantics, which the interop test checks against Django's own MigrationLoader.
 */
import { loadSqlParser } from '../../lang/sql/index.js';
import type { MigrationSet } from '../../model/types.js';
import type { FrameworkAdapter, Namespace, ParseContext } from '../types.js';
import { appLabel, findApps, readSettings, type ProjectSettings } from './project.js';
import { moduleName, parseMigrationFile } from './parse.js';

export const djangoAdapter: FrameworkAdapter = {
  framework: 'django',
  async load(ctx: ParseContext) {
    const found = findApps(ctx.files);
    // Whole projects are loaded when any part of them is in scope: an app's dependencies on other apps
    // of the project must resolve even when only that app was asked for.
    const projects = new Set(found.filter((a) => ctx.inScope(`${a.migrationsDir}/__init__.py`) || a.modules.some((m) => ctx.inScope(m))).map((a) => a.project));
    const apps = found.filter((a) => projects.has(a.project));
    const settingsByProject = new Map<string, ProjectSettings | null>();
    const sets: MigrationSet[] = [];
    // Read every module at once: the reads overlap instead of waiting on each other (one at a time,
    // most of a check's wall time was spent idle on file reads).
    const sources = new Map(await Promise.all(apps.flatMap((a) => a.modules).map(async (f) => [f, await ctx.read(f)] as const)));
    // The SQL parser (WASM) is loaded only when some migration may hold SQL: a plain substring test on
    // the text decides whether to pay its start-up, never what the file means.
    if ([...sources.values()].some((s) => s.ok && s.text.includes('RunSQL'))) await loadSqlParser();
    for (const app of apps) {
      if (!settingsByProject.has(app.project)) settingsByProject.set(app.project, await readSettings(ctx, app.project));
      const settings = settingsByProject.get(app.project) ?? null;
      const label = await appLabel(ctx, app.dir);
      const setId = `django:${app.dir || '.'}`;
      const migrations = [];
      for (const file of app.modules) {
        const src = sources.get(file)!;
        const key = `django:${src.contentId}:${label}:${setId}:${settings?.authUserModel ?? ''}`;
        let m = ctx.cache.get(key) as ReturnType<typeof parseMigrationFile> | undefined;
        if (m === undefined) {
          m = parseMigrationFile(src, { app: label, setId, authUserModel: settings?.authUserModel ?? null });
          ctx.cache.set(key, m);
        }
        // The cache is keyed by content: two files with equal bytes (two empty merge migrations) share an
        // entry, so identity (file, name) always comes from the path, never from the cached object.
        if (m) migrations.push({ ...m, file, name: moduleName(file) });
      }
      // A migrations package with no migration module in it is not a Django app's history
      // (e.g. a Node project's folder that happens to have an __init__.py).
      if (migrations.length === 0 && app.modules.length > 0) continue;
      sets.push({
        id: setId,
        framework: 'django',
        name: label,
        namespace: `django:${app.project || '.'}`,
        dir: app.migrationsDir,
        ordering: 'graph',
        // Django's dialect comes from DATABASES at run time; the lock rules assume PostgreSQL unless
        // configured otherwise.
        dialect: 'postgresql',
        transaction: 'per-migration',
        migrations,
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
    return { sets, namespaces };
  },
};
