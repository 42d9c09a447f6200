/**
 * SARIF output, validated against the OASIS SARIF 2.1.0 schema (errata01, vendored in
 * test/fixtures/schemas/, see its README) and checked field by field.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lint, lintComparison } from '../../src/api.js';
import type { Finding } from '../../src/model/types.js';
import { pascalCase, relativeUri, rootUri, sarif, sarifMarkdown, sarifText, toSarif, type SarifLog } from '../../src/report/sarif.js';
import { ruleDocsUrl, type ReportContext } from '../../src/report/types.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { finding as baseFinding, ctxFor } from '../helpers/report.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const FIX_ENV = { now: new Date(2024, 0, 2, 3, 4), djangoVersion: '5.2', newRevisionId: () => 'abc123def456' };

// The official schema is draft-04, which Ajv 8 does not take: its root names itself with `id` (draft-06
// on: `$id`) and its `$schema` is the draft-04 meta-schema, which Ajv 8 does not ship. Every other keyword
// it uses means the same in draft-07, so the root's `id` is read as `$id` and the schema is compiled
// without being checked against a meta-schema. Ajv knows no formats without ajv-formats; the three the
// schema uses are checked here.
const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => !/[\s\\%]/.test(s.replace(/%[0-9A-Fa-f]{2}/g, '')) && URL.canParse(s, 'file:///base/'));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const { id: schemaId, $schema: _draft04, ...schema } = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8'));
const validate = ajv.compile({ $id: schemaId, ...schema });

function expectValid(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  const ok = validate(log);
  expect(ok ? [] : validate.errors).toEqual([]);
  return log;
}


const finding = (over: Partial<Finding>): Finding => baseFinding({ fingerprint: 'index-not-concurrent:sql:db/migrations:2:0', ...over });

const typeorm = (stamp: string, name: string) => ({
  [`src/migrations/${stamp}-${name}.ts`]: `import { MigrationInterface, QueryRunner } from "typeorm";\n\nexport class ${name}${stamp} implements MigrationInterface {\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(\`CREATE INDEX "i_${name}" ON "orders" (id)\`);\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(\`DROP INDEX "i_${name}"\`);\n    }\n}\n`,
});
const golang = (v: string, name: string) => ({ [`db/migrations/${v}_${name}.up.sql`]: `CREATE TABLE ${name} (id int);\n`, [`db/migrations/${v}_${name}.down.sql`]: `DROP TABLE ${name};\n` });

/** A branch that adds `head` on top of `base` while the target added `target`: lintComparison over memory. */
function compare(base: Record<string, string>, target: Record<string, string>, head: Record<string, string>) {
  return lintComparison(
    { base: new MemorySnapshot(base, 'base'), target: new MemorySnapshot({ ...base, ...target }, 'main'), head: new MemorySnapshot({ ...base, ...head }, 'branch'), targetName: 'main', headName: 'the branch' },
    [''],
    { fixEnv: FIX_ENV },
  );
}

describe('sarif', () => {
  it('a real Django conflict: one run, every rule described, the result and its create fix', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/django-conflict'], fixEnv: FIX_ENV });
    const log = expectValid(sarif(r.findings, ctxFor(r)));
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(REPO).href}/` } });
    expect(run.tool.driver).toMatchObject({ name: 'migrate-lint', version: '0.1.0', informationUri: 'https://github.com/migrate-lint/migrate-lint' });
    expect(run.tool.driver.rules.map((d) => d.id)).toEqual(allRules.map((x) => x.id));

    const rule = run.tool.driver.rules.find((d) => d.id === 'conflicting-leaves')!;
    const meta = allRules.find((x) => x.id === 'conflicting-leaves')!;
    expect(rule.name).toBe('ConflictingLeaves');
    expect(rule.shortDescription.text).toBe(meta.description);
    expect(rule.fullDescription!.text).toBe(meta.docs.what);
    expect(rule.help!.text).toContain(meta.docs.why);
    expect(rule.help!.markdown).toContain(`(${ruleDocsUrl('conflicting-leaves')}#use-instead)`);
    expect(rule.helpUri).toBe('https://github.com/migrate-lint/migrate-lint/blob/main/docs/rules/conflicting-leaves.md');
    expect(rule.defaultConfiguration).toEqual({ level: 'error', enabled: true });
    expect(rule.properties).toEqual({ category: 'conflict', tags: ['conflict'] });

    expect(run.results).toHaveLength(1);
    const res = run.results[0]!;
    const f = r.findings[0]!;
    expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe('conflicting-leaves');
    expect(res).toMatchObject({
      ruleId: 'conflicting-leaves',
      level: 'error',
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'fixtures/django-conflict/shop/migrations/0005_add_field_b.py', uriBaseId: '%SRCROOT%' },
            region: { startLine: 6, startColumn: 7, endLine: 6, endColumn: 16 },
          },
        },
      ],
      partialFingerprints: { 'migrateLint/v1': 'conflicting-leaves:django:fixtures/django-conflict/shop:0005_add_field_b' },
      properties: { messageId: 'multipleLeaves', migration: '0005_add_field_b', hint: f.hint },
    });
    const create = f.fix!.edits[0]!;
    expect(create.kind).toBe('create');
    expect(res.fixes).toEqual([
      {
        description: { text: f.fix!.description },
        artifactChanges: [
          {
            artifactLocation: { uri: 'fixtures/django-conflict/shop/migrations/0006_merge_0005_add_field_a_0005_add_field_b.py', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { charOffset: 0, charLength: 0 }, insertedContent: { text: create.kind === 'create' ? create.content : '' } }],
          },
        ],
      },
    ]);
  });

  it('a real TypeORM renumbering: the class-name replace is a fix, the rename goes to its properties', async () => {
    const r = await compare(typeorm('1700000000000', 'Users'), typeorm('1800000000000', 'Orders'), typeorm('1750000000000', 'Items'));
    const log = expectValid(sarif(r.findings, ctxFor(r)));
    const res = log.runs[0].results.find((x) => x.ruleId === 'out-of-order-migration')!;
    const text = typeorm('1750000000000', 'Items')['src/migrations/1750000000000-Items.ts']!;
    const offset = text.indexOf('1750000000000 implements');
    expect(res.fixes).toEqual([
      {
        description: { text: "renumber the branch's migration after Orders1800000000000: Items1750000000000 → Items1800000000001" },
        artifactChanges: [
          {
            artifactLocation: { uri: 'src/migrations/1750000000000-Items.ts', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { charOffset: offset, charLength: 13 }, insertedContent: { text: '1800000000001' } }],
          },
        ],
        properties: { renames: [{ from: 'src/migrations/1750000000000-Items.ts', to: 'src/migrations/1800000000001-Items.ts' }] },
      },
    ]);
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%']).toEqual({ uri: 'file:///' });
    // The statement finding of the same run carries its lock facts in `properties.data`.
    const lock = log.runs[0].results.find((x) => x.ruleId === 'index-not-concurrent')!;
    expect(lock.properties.data).toEqual({ lock: 'SHARE', tables: ['orders'], rewrite: false, blocks: ['writes'] });
  });

  it('a real golang-migrate renumbering is renames only: no SARIF fix, the renames in the result properties', async () => {
    const r = await compare(golang('000001', 'users'), golang('000003', 'orders'), golang('000002', 'items'));
    const log = expectValid(sarif(r.findings, ctxFor(r)));
    const res = log.runs[0].results.find((x) => x.ruleId === 'out-of-order-migration')!;
    expect(res.fixes).toBeUndefined();
    expect(res.properties.fix).toEqual({
      description: expect.stringContaining('000002_items.up.sql → 000004_items.up.sql'),
      renames: [
        { from: 'db/migrations/000002_items.up.sql', to: 'db/migrations/000004_items.up.sql' },
        { from: 'db/migrations/000002_items.down.sql', to: 'db/migrations/000004_items.down.sql' },
      ],
    });
  });

  it('several rules and severities: levels, rule indexes, a replace fix in UTF-16 offsets', () => {
    const findings = [
      finding({ severity: 'error' }),
      finding({ ruleId: 'missing-down', messageId: 'missing', severity: 'warning', fingerprint: 'missing-down:x', line: 1, column: 1, endLine: 1, endColumn: 1 }),
      finding({ ruleId: 'unused-suppression', messageId: 'unused', severity: 'info', fingerprint: 'unused:x', line: 2, endLine: 4, column: 5, endColumn: 2 }),
      finding({
        ruleId: 'out-of-order-migration',
        messageId: 'appliedOutOfOrder',
        severity: 'warning',
        fingerprint: 'ooo:x',
        file: 'src/migrations/1-Ä.ts',
        fix: { description: 'renumber', edits: [{ kind: 'replace', path: 'src/migrations/1-Ä.ts', offset: 78, endOffset: 91, text: '1800000000001' }, { kind: 'replace', path: 'src/migrations/1-Ä.ts', offset: 120, endOffset: 120, text: 'x' }] },
      }),
    ];
    const log = expectValid(sarif(findings, ctxFor({ root: '/repo', sets: [], histories: [] })));
    const { rules } = log.runs[0].tool.driver;
    const results = log.runs[0].results;
    expect(results.map((x) => x.level)).toEqual(['error', 'warning', 'note', 'warning']);
    for (const x of results) expect(rules[x.ruleIndex]!.id).toBe(x.ruleId);
    expect(results[2]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 2, startColumn: 5, endLine: 4, endColumn: 2 });
    expect(results[3]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/migrations/1-%C3%84.ts');
    expect(results[3]!.fixes![0]!.artifactChanges).toEqual([
      {
        artifactLocation: { uri: 'src/migrations/1-%C3%84.ts', uriBaseId: '%SRCROOT%' },
        replacements: [
          { deletedRegion: { charOffset: 78, charLength: 13 }, insertedContent: { text: '1800000000001' } },
          { deletedRegion: { charOffset: 120, charLength: 0 }, insertedContent: { text: 'x' } },
        ],
      },
    ]);
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%']!.uri).toBe('file:///repo/');
  });

  it('no findings: a valid log with an empty results array (a clean run), rules still described', () => {
    const log = expectValid(sarif([], ctxFor({ root: REPO, sets: [], histories: [] })));
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toHaveLength(allRules.length);
  });

  it('without rule metadata, a rule a finding names still gets a descriptor', () => {
    const log = expectValid(sarif([finding({}), finding({ ruleId: 'conflicting-leaves', fingerprint: 'c' })], { root: '/r', cwd: '/r', color: false, version: '0.1.0', sets: [], histories: [] }));
    expect(log.runs[0].tool.driver.rules).toEqual([
      { id: 'conflicting-leaves', name: 'ConflictingLeaves', shortDescription: { text: 'conflicting-leaves' }, helpUri: ruleDocsUrl('conflicting-leaves') },
      { id: 'index-not-concurrent', name: 'IndexNotConcurrent', shortDescription: { text: 'index-not-concurrent' }, helpUri: ruleDocsUrl('index-not-concurrent') },
    ]);
    expect(log.runs[0].results.map((x) => x.ruleIndex)).toEqual([1, 0]);
  });

  it('an opt-in rule is described as disabled by default; a helpUri in the metadata wins', () => {
    const rules = [{ id: 'require-lock-timeout', description: 'd', category: 'lock', severity: 'warning' as const, docs: { what: 'w', why: 'y' }, optIn: true, helpUri: 'https://example.com/rlt' }];
    const log = expectValid(sarif([], ctxFor({ root: '/r', sets: [], histories: [] }, rules)));
    expect(log.runs[0].tool.driver.rules[0]).toMatchObject({ helpUri: 'https://example.com/rlt', defaultConfiguration: { level: 'warning', enabled: false } });
  });

  it('message text: braces doubled, link-shaped brackets escaped; paths percent-encoded', () => {
    const nasty = finding({ message: 'default {} for [x](y) in \\path', file: 'a b/c:d#e?.sql', fingerprint: 'n' });
    const log = expectValid(sarif([nasty], ctxFor({ root: '/r', sets: [], histories: [] })));
    const res = log.runs[0].results[0]!;
    expect(res.message.text).toBe('default {{}} for \\[x\\](y) in \\\\path');
    expect(res.locations[0]!.physicalLocation.artifactLocation.uri).toBe('a%20b/c%3Ad%23e%3F.sql');
    expect(sarifText('plain [brackets] and \\ stay')).toBe('plain [brackets] and \\ stay');
    expect(sarifMarkdown('`<app>` a <b> {x}')).toBe('`<app>` a \\<b\\> {{x}}');
  });

  it('the schema check rejects what SARIF forbids (so the passes above mean something)', () => {
    const base = () => JSON.parse(sarif([finding({ fix: { description: 'd', edits: [{ kind: 'replace', path: 'p', offset: 1, endOffset: 2, text: 't' }] } })], ctxFor({ root: '/r', sets: [], histories: [] })));
    expect(validate(base())).toBe(true);
    const broken: ((log: any) => void)[] = [
      (log) => (log.runs[0].results[0].level = 'info'),
      (log) => (log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0),
      (log) => (log.runs[0].results[0].fixes[0].artifactChanges = []),
      (log) => (log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'a b'),
      (log) => (log.runs[0].tool.driver.informationUri = 'migrate-lint'),
      (log) => (log.runs[0].columnKind = 'bytes'),
      (log) => (log.runs[0].results[0].renames = []),
    ];
    for (const breakIt of broken) {
      const log = base();
      breakIt(log);
      expect(validate(log)).toBe(false);
    }
  });

  it('helpers', () => {
    expect(pascalCase('not-null-without-db-default')).toBe('NotNullWithoutDbDefault');
    expect(relativeUri('shop/migrations/0001_initial.py')).toBe('shop/migrations/0001_initial.py');
    expect(rootUri('/')).toBe('file:///');
    expect(rootUri('/srv/my repo')).toBe('file:///srv/my%20repo/');
    expect(toSarif([], ctxFor({ root: '/r', sets: [], histories: [] })).runs).toHaveLength(1);
  });
});
