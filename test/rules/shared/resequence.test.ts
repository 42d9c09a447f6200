import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import rule from '../../../rules/out-of-order-migration.js';
import { nextKey } from '../../../rules/shared/resequence.js';
import { applyFixes, planFixes } from '../../../src/fix/apply.js';
import type { Framework, MigrationSet } from '../../../src/model/types.js';
import { findingsFor, TEST_FIX_ENV } from '../../helpers/rule-tester.js';

const set = (framework: Framework): MigrationSet => ({
  id: `${framework}:db`,
  framework,
  name: 'db',
  namespace: 'db',
  dir: 'db',
  ordering: 'sequence',
  dialect: 'postgresql',
  transaction: 'per-migration',
  downs: 'none',
  migrations: [],
});
const NOON = new Date(Date.UTC(2024, 5, 1, 12, 0, 0, 500));

describe('nextKey', () => {
  it('steps a sequence number, keeping the zero-padded width of the file', () => {
    expect(nextKey(set('golang-migrate'), '000009', '000002', NOON)).toBe('000010');
    expect(nextKey(set('sql'), '0099', '0002', NOON)).toBe('0100');
    expect(nextKey(set('goose'), '00007', '3', NOON)).toBe('00008');
    expect(nextKey(set('sql'), '12', '10', NOON)).toBe('13');
  });

  it('names a timestamp key with the current UTC time when that is later, as migrate dev and dbmate new would', () => {
    expect(nextKey(set('prisma'), '20240105000000', '20240103000000', NOON)).toBe('20240601120000');
    expect(nextKey(set('dbmate'), '20240105000000', '20240103000000', NOON)).toBe('20240601120000');
  });

  it('steps a timestamp by one second when the previous key is not in the past', () => {
    expect(nextKey(set('prisma'), '20250101235959', '20240103000000', NOON)).toBe('20250102000000');
    expect(nextKey(set('goose'), '20241231235959', '20240103000000', NOON)).toBe('20250101000000');
  });

  it('treats 14 digits that are no real time as a number', () => {
    expect(nextKey(set('golang-migrate'), '20241399000000', '20240103000000', NOON)).toBe('20241399000001');
  });

  it('steps the last part of a Flyway version, keeping its separators', () => {
    expect(nextKey(set('flyway'), '1.3', '1.2', NOON)).toBe('1.4');
    expect(nextKey(set('flyway'), '2_09', '2_01', NOON)).toBe('2_10');
    expect(nextKey(set('flyway'), '3', '1.2', NOON)).toBe('4');
    expect(nextKey(set('flyway'), '7', '2', NOON)).toBe('8');
  });
});

describe('renumbering a TypeORM migration', () => {
  const migration = (stamp: string, cls: string, extra = '') =>
    `import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class ${cls}${stamp} implements MigrationInterface {\n${extra}    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(\`CREATE TABLE "${cls.toLowerCase()}" (id int)\`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(\`DROP TABLE "${cls.toLowerCase()}"\`);\n    }\n}\n`;

  it('edits the class name and the name property, and renames the file, when the fix is applied', async () => {
    const items = migration('1750000000000', 'Items', "    name = 'Items1750000000000';\n\n");
    const branch = {
      base: { 'src/migrations/1700000000000-Users.ts': migration('1700000000000', 'Users') },
      target: { 'src/migrations/1800000000000-Orders.ts': migration('1800000000000', 'Orders') },
      head: { 'src/migrations/1750000000000-Items.ts': items },
    };
    const findings = await findingsFor(rule, { name: 'typeorm', branch, options: { fixEnv: TEST_FIX_ENV } });
    expect(findings.map((f) => f.fix?.description)).toEqual(["renumber the branch's migration after Orders1800000000000: Items1750000000000 → Items1800000000001"]);
    const root = mkdtempSync(path.join(tmpdir(), 'ml-typeorm-'));
    try {
      mkdirSync(path.join(root, 'src/migrations'), { recursive: true });
      writeFileSync(path.join(root, 'src/migrations/1750000000000-Items.ts'), items);
      await applyFixes(root, planFixes(root, findings));
      expect(readdirSync(path.join(root, 'src/migrations'))).toEqual(['1800000000001-Items.ts']);
      expect(readFileSync(path.join(root, 'src/migrations/1800000000001-Items.ts'), 'utf8')).toBe(items.replaceAll('Items1750000000000', 'Items1800000000001'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
