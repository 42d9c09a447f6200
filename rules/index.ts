/** Every rule, in id order. `npm run new-rule` adds to this list. */
import type { AnyRule } from '../src/engine/rule.js';
import conflictingLeaves from './conflicting-leaves.js';
import dependencyCycle from './dependency-cycle.js';
import duplicateVersion from './duplicate-version.js';
import irreversibleOperation from './irreversible-operation.js';
import missingDependency from './missing-dependency.js';
import parseError from './parse-error.js';
import indexNotConcurrent from './index-not-concurrent.js';
import cannotRunInTransaction from './cannot-run-in-transaction.js';
import transactionNesting from './transaction-nesting.js';
import requireLockTimeout from './require-lock-timeout.js';
import unusedSuppression from './unused-suppression.js';
import lockRulesSkipped from './lock-rules-skipped.js';
import lockHeldDuringSlowStatement from './lock-held-during-slow-statement.js';
import repeatedTableRewrite from './repeated-table-rewrite.js';
import preferRobustStatements from './prefer-robust-statements.js';
import missingDown from './missing-down.js';
import dropColumn from './drop-column.js';
import dropTable from './drop-table.js';
import renameColumn from './rename-column.js';
import renameTable from './rename-table.js';
import dropNotNull from './drop-not-null.js';
import tableRewriteMaintenance from './table-rewrite-maintenance.js';
import truncateTable from './truncate-table.js';
import triggerOnExistingTable from './trigger-on-existing-table.js';
import refreshMaterializedViewNotConcurrent from './refresh-materialized-view-not-concurrent.js';
import partitionDetachNotConcurrent from './partition-detach-not-concurrent.js';
import partitionAttachScan from './partition-attach-scan.js';
import addColumnRewritesTable from './add-column-rewrites-table.js';
import requiredColumnWithoutDefault from './required-column-without-default.js';
import notNullWithoutDbDefault from './not-null-without-db-default.js';
import callableDefaultSingleValue from './callable-default-single-value.js';
import preferJsonb from './prefer-jsonb.js';
import notNullWithoutCheck from './not-null-without-check.js';
import constraintMissingNotValid from './constraint-missing-not-valid.js';
import validateInSameTransaction from './validate-in-same-transaction.js';
import constraintBuildsIndex from './constraint-builds-index.js';
import columnTypeRewrite from './column-type-rewrite.js';
import editedMigration from './edited-migration.js';
import deletedMigration from './deleted-migration.js';
import renamedMigration from './renamed-migration.js';
import outOfOrderMigration from './out-of-order-migration.js';
import runpythonModelImport from './runpython-model-import.js';
import unbatchedDataMigration from './unbatched-data-migration.js';
import crossAppDataCopyWithoutDependency from './cross-app-data-copy-without-dependency.js';
import dataStepHoldsSchemaLock from './data-step-holds-schema-lock.js';
import backfillAndConstrainInOneMigration from './backfill-and-constrain-in-one-migration.js';
import destructiveReverse from './destructive-reverse.js';
// new-rule: imports

export const allRules: readonly AnyRule[] = [
  conflictingLeaves,
  dependencyCycle,
  duplicateVersion,
  irreversibleOperation,
  missingDependency,
  parseError,
  indexNotConcurrent,
  cannotRunInTransaction,
  transactionNesting,
  requireLockTimeout,
  unusedSuppression,
  lockRulesSkipped,
  lockHeldDuringSlowStatement,
  repeatedTableRewrite,
  preferRobustStatements,
  missingDown,
  dropColumn,
  dropTable,
  renameColumn,
  renameTable,
  dropNotNull,
  tableRewriteMaintenance,
  truncateTable,
  triggerOnExistingTable,
  refreshMaterializedViewNotConcurrent,
  partitionDetachNotConcurrent,
  partitionAttachScan,
  addColumnRewritesTable,
  requiredColumnWithoutDefault,
  notNullWithoutDbDefault,
  callableDefaultSingleValue,
  preferJsonb,
  notNullWithoutCheck,
  constraintMissingNotValid,
  validateInSameTransaction,
  constraintBuildsIndex,
  columnTypeRewrite,
  editedMigration,
  deletedMigration,
  renamedMigration,
  outOfOrderMigration,
  runpythonModelImport,
  unbatchedDataMigration,
  crossAppDataCopyWithoutDependency,
  dataStepHoldsSchemaLock,
  backfillAndConstrainInOneMigration,
  destructiveReverse,
  // new-rule: list
] as unknown as readonly AnyRule[];

export function findRule(id: string): AnyRule | undefined {
  return allRules.find((r) => r.id === id);
}
