import { djangoMigration } from '../src/engine/examples.js';
import { defineRule, type SuppressionAt } from '../src/engine/rule.js';

export default defineRule({
  id: 'unused-suppression',
  category: 'parse',
  severity: 'warning',
  fix: 'none',
  since: '0.2.0',
  description: 'A suppression comment silences nothing, or names a rule that does not exist.',
  after: 'suppressions',
  messages: {
    unused: 'this suppression of {rule} silences nothing: it would hide a later {rule} finding here that nobody has reviewed',
    unknown: '"{rule}" is not a migrate-lint rule: this suppression does nothing',
  },
  docs: {
    what:
      'Reports a `-- migrate-lint-ignore` or `# migrate-lint: ignore` comment whose rule ran and found nothing for it to silence, and one that names a rule that does not exist (a typo, or a rule that was renamed). Suppressions of rules that are turned off are not judged.',
    why:
      'A suppression is a reviewed exception with a reason. One left behind after the statement changed, or one with a misspelt rule id, silences nothing today and either hides the next real finding on that line without review or gives the false comfort that a problem was looked at.',
    example: {
      django: djangoMigration(['# migrate-lint: ignore index-not-concurrent: the table has 40 rows', "migrations.AddField(model_name='item', name='note', field=models.TextField(null=True))"]),
      sql: ['-- migrate-lint-ignore index-not-concurent: the table has 40 rows', 'CREATE INDEX orders_status_idx ON orders (status);'].join('\n'),
    },
    instead: {
      django: djangoMigration(["migrations.AddField(model_name='item', name='note', field=models.TextField(null=True))"]),
      sql: ['-- migrate-lint-ignore index-not-concurrent: the table has 40 rows', 'CREATE INDEX orders_status_idx ON orders (status);'].join('\n'),
      prisma: ['-- migrate-lint-ignore index-not-concurrent: the table has 40 rows', 'CREATE INDEX "orders_status_idx" ON "orders"("status");'].join('\n'),
    },
    references: ['squawk `unused-ignore`; ruff RUF100 (unused noqa)'],
  },
  check({ suppressions, report }) {
    // A suppression in a separate down file is reported there.
    const at = ({ migration, suppression, file }: SuppressionAt) =>
      file !== undefined ? { file, span: suppression.span, set: migration.setId, migration: migration.name } : { migration, span: suppression.span };
    for (const use of suppressions?.unused ?? []) {
      report(at(use), 'unused', { rule: use.rule }, { hint: 'remove the suppression, or move it to the line before the statement it is for' });
    }
    for (const use of suppressions?.unknown ?? []) {
      report(at(use), 'unknown', { rule: use.rule }, { hint: 'check the rule id: `migrate-lint explain <rule>` lists what exists' });
    }
  },
});
