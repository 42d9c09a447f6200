/**
 * The command tag of a parsed statement, as PostgreSQL names it (`CREATE INDEX`, `ALTER TABLE`,
 * `TRUNCATE TABLE`; src/include/tcop/cmdtaglist.h): the default `construct` of SQL statements.
 */

import type { Node } from 'libpg-query';
import { tagOf, unwrap } from './ast.js';

function objectWord(t: string | undefined): string {
  if (!t) return '';
  const special: Record<string, string> = {
    OBJECT_MATVIEW: 'MATERIALIZED VIEW',
    OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
    OBJECT_TABCONSTRAINT: 'TABLE',
    OBJECT_COLUMN: 'TABLE',
    OBJECT_FDW: 'FOREIGN DATA WRAPPER',
    OBJECT_FOREIGN_SERVER: 'SERVER',
    OBJECT_STATISTIC_EXT: 'STATISTICS',
  };
  return special[t] ?? t.replace(/^OBJECT_/, '').replace(/_/g, ' ');
}

const FIXED: Record<string, string> = {
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  ReindexStmt: 'REINDEX',
  ClusterStmt: 'CLUSTER',
  TruncateStmt: 'TRUNCATE TABLE',
  CreateTrigStmt: 'CREATE TRIGGER',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  AlterEnumStmt: 'ALTER TYPE',
  CreateEnumStmt: 'CREATE TYPE',
  CompositeTypeStmt: 'CREATE TYPE',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  InsertStmt: 'INSERT',
  MergeStmt: 'MERGE',
  SelectStmt: 'SELECT',
  DoStmt: 'DO',
  CallStmt: 'CALL',
  ViewStmt: 'CREATE VIEW',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CreateExtensionStmt: 'CREATE EXTENSION',
  CreateSeqStmt: 'CREATE SEQUENCE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  CommentStmt: 'COMMENT',
  DropdbStmt: 'DROP DATABASE',
  CreatedbStmt: 'CREATE DATABASE',
  LockStmt: 'LOCK TABLE',
  CopyStmt: 'COPY',
  CreateDomainStmt: 'CREATE DOMAIN',
  AlterDomainStmt: 'ALTER DOMAIN',
  CreatePolicyStmt: 'CREATE POLICY',
  CreateRoleStmt: 'CREATE ROLE',
  AlterRoleStmt: 'ALTER ROLE',
  RuleStmt: 'CREATE RULE',
  CreateStatsStmt: 'CREATE STATISTICS',
  ExplainStmt: 'EXPLAIN',
  VariableShowStmt: 'SHOW',
  CreateEventTrigStmt: 'CREATE EVENT TRIGGER',
  AlterObjectSchemaStmt: 'ALTER SET SCHEMA',
  AlterOwnerStmt: 'ALTER OWNER',
};

export function commandTag(n: Node): string {
  const tag = tagOf(n);
  if (FIXED[tag]) return FIXED[tag];
  switch (tag) {
    case 'AlterTableStmt':
      return `ALTER ${objectWord(unwrap(n, 'AlterTableStmt')!.objtype)}`;
    case 'DropStmt':
      return `DROP ${objectWord(unwrap(n, 'DropStmt')!.removeType)}`;
    case 'RenameStmt': {
      const r = unwrap(n, 'RenameStmt')!;
      const t = r.renameType === 'OBJECT_COLUMN' || r.renameType === 'OBJECT_TABCONSTRAINT' ? r.relationType : r.renameType;
      return `ALTER ${objectWord(t)}`;
    }
    case 'CreateTableAsStmt':
      return unwrap(n, 'CreateTableAsStmt')!.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
    case 'VacuumStmt':
      return unwrap(n, 'VacuumStmt')!.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
    case 'VariableSetStmt': {
      const k = unwrap(n, 'VariableSetStmt')!.kind;
      return k === 'VAR_RESET' || k === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
    }
    case 'TransactionStmt': {
      const k = unwrap(n, 'TransactionStmt')!.kind ?? '';
      const words: Record<string, string> = {
        TRANS_STMT_BEGIN: 'BEGIN',
        TRANS_STMT_START: 'START TRANSACTION',
        TRANS_STMT_COMMIT: 'COMMIT',
        TRANS_STMT_ROLLBACK: 'ROLLBACK',
        TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
        TRANS_STMT_RELEASE: 'RELEASE',
        TRANS_STMT_ROLLBACK_TO: 'ROLLBACK',
        TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
        TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
        TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
      };
      return words[k] ?? 'BEGIN';
    }
    case 'CreateFunctionStmt':
      return unwrap(n, 'CreateFunctionStmt')!.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
    case 'GrantStmt':
      return unwrap(n, 'GrantStmt')!.is_grant ? 'GRANT' : 'REVOKE';
    default:
      // CreateFooBarStmt -> CREATE FOO BAR
      return tag
        .replace(/Stmt$/, '')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .toUpperCase();
  }
}
