import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  id: 'parse-error',
  category: 'parse',
  severity: 'error',
  fix: 'none',
  since: '0.1.0',
  description: 'A migration file cannot be read: a syntax error, merge-conflict markers, invalid bytes, or a construct that cannot be read statically.',
  messages: {
    syntax: 'Cannot parse {file}: {detail}',
    conflictMarkers: '{file} contains git merge-conflict markers: resolve the conflict before migrating',
    encoding: 'Cannot read {file}: {detail}',
    tooLarge: 'Cannot read {file}: {detail}',
    unsupported: '{detail}',
  },
  docs: {
    what:
      'Reports a migration file that migrate-lint cannot read: a syntax error, merge-conflict markers left in the file, bytes that are not UTF-8, a file too large to be a migration. Everything else in the repository is still checked. A value that cannot be read without running code (a dependency computed by a function) is reported as a warning.',
    why:
      'The framework cannot load a migration it cannot import: `migrate` fails for every app, not only this one. A file with conflict markers has no single meaning, so its dependencies cannot be known and the graph checks for its set are skipped until it is fixed.',
    example: {
      django: ['from django.db import migrations', '', 'class Migration(migrations.Migration):', "    dependencies = [('shop', '0001_initial')", '    operations = []'].join('\n'),
    },
    instead: {
      django: ['from django.db import migrations', '', 'class Migration(migrations.Migration):', "    dependencies = [('shop', '0001_initial')]", '    operations = []'].join('\n'),
    },
    references: ['https://docs.python.org/3/reference/grammar.html', 'https://git-scm.com/docs/git-merge#_how_conflicts_are_presented'],
  },
  check({ project, report }) {
    for (const set of project.sets) {
      for (const migration of set.migrations) {
        for (const d of migration.diagnostics) {
          const target = { migration, ...(d.span ? { span: d.span } : {}) };
          switch (d.code) {
            case 'conflict-markers':
              report(target, 'conflictMarkers', { file: migration.file });
              break;
            case 'encoding':
              report(target, 'encoding', { file: migration.file, detail: d.message });
              break;
            case 'too-large':
              report(target, 'tooLarge', { file: migration.file, detail: d.message });
              break;
            case 'unsupported':
              report(target, 'unsupported', { detail: d.message }, { severity: 'warning' });
              break;
            default:
              report(target, 'syntax', { file: migration.file, detail: d.message });
          }
        }
      }
    }
  },
});
