import { alembicRevision, djangoModule, fileTree } from '../src/engine/examples.js';
import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  id: 'missing-dependency',
  category: 'conflict',
  severity: 'error',
  fix: 'none',
  since: '0.1.0',
  description: 'A migration depends on a migration or app that does not exist.',
  messages: {
    noSuchMigration: 'Migration {migration} dependencies reference nonexistent parent node {node}',
    noSuchRunBefore: 'Migration {migration} run_before references nonexistent node {node}',
    noSuchSet: "Migration {migration} depends on {node}, but app '{app}' is neither in the repository nor in INSTALLED_APPS ({settings})",
    setHasNoMigrations: "Migration {migration} depends on {node}, but app '{app}' has no migrations",
    noSuchRevision: "Revision {node} referenced from {revision} ({file}) is not present: Alembic warns so, then every command fails with KeyError: '{node}'",
  },
  docs: {
    what:
      'Reports a dependency (or `run_before`) that names a migration that does not exist, after squashed migrations have been taken into account, and a dependency on an app that is not in the repository and not in `INSTALLED_APPS`.',
    why:
      "Django refuses to build the graph (Alembic warns `Revision X referenced from Y is not present` and then fails with `KeyError`): `NodeNotFoundError: Migration shop.0002_x dependencies reference nonexistent parent node ('shop', '0001_initial')`. Every `migrate`, `makemigrations` and test run fails. It happens when a migration is deleted or renamed while another still depends on it, and when an app is removed while other apps' migrations still depend on its migrations.",
    knownProblems:
      "A dependency on an app outside the repository (`('auth', '0012_…')`, a third-party package) cannot be checked statically and is not reported. When `INSTALLED_APPS` cannot be read statically, references to apps that are not in the repository are not judged.",
    example: {
      django: fileTree({ 'shop/migrations/0002_add_price.py': djangoModule(["('shop', '0001_initial')"]) }),
      alembic: fileTree({ 'alembic/versions/bbb222_add_email.py': alembicRevision('bbb222', 'aaa111') }),
    },
    instead: {
      alembic: fileTree({ 'alembic/versions/aaa111_create_account.py': alembicRevision('aaa111', null), 'alembic/versions/bbb222_add_email.py': alembicRevision('bbb222', 'aaa111') }),
      django: fileTree({
        'shop/migrations/0001_initial.py': djangoModule([], { initial: true }),
        'shop/migrations/0002_add_price.py': djangoModule(["('shop', '0001_initial')"]),
      }),
    },
    references: [
      'django/db/migrations/graph.py `MigrationGraph.validate_consistency`, `DummyNode.raise_error`',
      'django/db/migrations/loader.py `MigrationLoader.check_key`',
      'alembic/script/revision.py `RevisionMap._revision_map` ("Revision %s referenced from %s is not present")',
    ],
  },
  check({ project, report }) {
    for (const history of project.histories) {
      for (const d of history.dangling) {
        // After a syntax error the references read may be fragments; parse-error reports the file.
        if (d.from.incomplete) continue;
        const set = project.setOf(d.from);
        if (set.framework === 'alembic') {
          // Alembic's own words (script/revision.py `_revision_map`); its revisions are named by id.
          const facts = { revision: d.from.name, missing: d.ref.name, via: d.via, reason: d.reason };
          report({ migration: d.from, ...(d.ref.span ? { span: d.ref.span } : {}) }, 'noSuchRevision', { node: d.ref.name, revision: d.from.name, file: d.from.file }, {
            facts,
            hint: 'point down_revision (or depends_on) at a revision that exists (alembic history lists them), or restore the deleted revision',
          });
          continue;
        }
        const migration = `${set.name}.${d.from.name}`;
        const node = `('${d.ref.set}', '${d.ref.name}')`;
        const target = { migration: d.from, ...(d.ref.span ? { span: d.ref.span } : {}) };
        const facts = { migration, missing: { app: d.ref.set, name: d.ref.name }, via: d.via, reason: d.reason };
        if (d.reason === 'no-such-set') {
          report(target, 'noSuchSet', { migration, node, app: d.ref.set, settings: history.external?.externalSource ?? 'settings' }, { facts, hint: `remove the dependency, or restore app '${d.ref.set}'` });
        } else if (d.reason === 'set-has-no-migrations') {
          report(target, 'setHasNoMigrations', { migration, node, app: d.ref.set }, { facts });
        } else if (d.via === 'run_before') {
          report(target, 'noSuchRunBefore', { migration, node }, { facts });
        } else {
          report(target, 'noSuchMigration', { migration, node }, { facts, hint: 'point the dependency at a migration that exists, or restore the deleted one' });
        }
      }
    }
  },
});
