/**
 * What the backward-compatibility rules share. A deploy migrates the database first, and the previous
 * release keeps serving traffic against the new schema until every instance is replaced (longer if a
 * rollback brings it back). Removing or renaming something it uses breaks it however brief the lock, so
 * the safe path is expand/contract: the application stops using the old thing in one release, and the
 * schema change that removes it ships in a later one.
 */
import type { FrameworkHints, ProjectModel } from '../../src/engine/rule.js';
import type { StatementVisit } from '../../src/engine/statements.js';
import { nodeKey } from '../../src/model/history.js';
import { tableKey } from '../../src/model/migration-facts.js';
import type { Migration, Statement } from '../../src/model/types.js';

/** The migrations that run before the visited one in its set: ancestors in a graph, the earlier ones in a sequence. */
function migrationsBefore(project: ProjectModel, v: StatementVisit): Migration[] {
  const history = project.historyOf(v.set);
  if (v.set.ordering === 'graph' && history) {
    return [...history.ancestors(nodeKey(v.set.name, v.migration.name))].flatMap((k) => {
      const m = history.migration(k);
      return m && m.setId === v.set.id ? [m] : [];
    });
  }
  return v.set.migrations.slice(0, v.set.migrations.indexOf(v.migration));
}

/**
 * An earlier migration already removed this from the ORM's state alone (Django `SeparateDatabaseAndState`
 * with `state_operations`), so the release that shipped it no longer uses it: this is the contract step.
 * Only migrations before this one count: the state change has to be deployed first.
 */
export function removedFromStateBefore(project: ProjectModel, v: StatementVisit): boolean {
  return migrationsBefore(project, v).some((m) => m.statements.some((st) => st.stateOnly === true && sameRemoval(st, v.statement)));
}

/** Two statements that remove the same column, or the same table. */
function sameRemoval(a: Statement, b: Statement): boolean {
  if (a.kind === 'drop_column' && b.kind === 'drop_column') return tableKey(a.table) === tableKey(b.table) && a.column === b.column;
  if (a.kind === 'drop_table' && b.kind === 'drop_table') return tableKey(a.table) === tableKey(b.table);
  return false;
}

/** How to remove a column or a table in two releases, per framework. */
export function removalHints(kind: 'column' | 'table', name: string): FrameworkHints {
  const orm = kind === 'column' ? { django: 'field', op: 'RemoveField', prisma: '@ignore' } : { django: 'model', op: 'DeleteModel', prisma: '@@ignore' };
  return {
    default: `stop reading and writing ${name} in the application and deploy that first; drop the ${kind} in a later release, where a migrate-lint-ignore comment records why it is safe`,
    django: `remove the ${orm.django} from the migration state alone first (SeparateDatabaseAndState(state_operations=[migrations.${orm.op}(...)])) and deploy; drop the ${kind} with RunSQL in a migration of a later release`,
    prisma: `mark it ${orm.prisma} in schema.prisma and deploy (the client stops reading and writing it); delete it, which generates this DROP, in a later release`,
  };
}

/** How to rename a column or a table without breaking the previous release, per framework. */
export function renameHints(kind: 'column' | 'table', oldName: string): FrameworkHints {
  return kind === 'column'
    ? {
        default: `add the new column, have the application write both and backfill, move reads to the new one, and drop "${oldName}" in a later release`,
        django: `rename only the field and keep the column: db_column='${oldName}' (makemigrations then writes an AlterField and a RenameField that leave the database alone)`,
        prisma: `rename only the field in schema.prisma and keep the column with @map("${oldName}")`,
      }
    : {
        default: `keep the old name working: create a view "${oldName}" over the renamed table in the same migration, and drop it once no deployed code uses the old name`,
        django: `rename only the model: RenameModel plus AlterModelTable(table='${oldName}') inside SeparateDatabaseAndState(state_operations=[...]), so the table keeps its name`,
        prisma: `rename only the model in schema.prisma and keep the table with @@map("${oldName}")`,
      };
}
