/**
 * Issue 9's fixture: fixtures/django-data-migrations holds the hazards of data migrations (app `accounts`)
 * and their correct forms (app `billing`: the copy batched and non-atomic after a dependency on
 * `clerk_sync`, the column added, filled and made NOT NULL in separate migrations, the last one through a
 * NOT VALID check), both copying from `clerk_sync`. Exactly these findings, no more: `billing` has none.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/api.js';
import { REPO } from '../helpers/python.js';

describe('fixtures/django-data-migrations', () => {
  it('reports each data-migration hazard where it is, and nothing on the correct forms', async () => {
    const r = await lint({ cwd: REPO, paths: ['fixtures/django-data-migrations'] });
    const found = r.findings.map((f) => `${f.file.replace('fixtures/django-data-migrations/', '')}:${f.line} ${f.ruleId} ${f.severity}`).sort();
    expect(found).toEqual([
      'accounts/migrations/0002_copy_clerk_users.py:21 cross-app-data-copy-without-dependency error',
      'accounts/migrations/0002_copy_clerk_users.py:21 destructive-reverse warning',
      'accounts/migrations/0002_copy_clerk_users.py:21 unbatched-data-migration warning',
      'accounts/migrations/0003_member_plan.py:15 data-step-holds-schema-lock warning',
      'accounts/migrations/0003_member_plan.py:15 irreversible-operation warning',
      'accounts/migrations/0003_member_plan.py:16 backfill-and-constrain-in-one-migration warning',
      'accounts/migrations/0003_member_plan.py:16 not-null-without-check error',
      'accounts/migrations/0004_normalise_names.py:18 runpython-model-import error',
    ]);
    const by = (id: string) => r.findings.find((f) => f.ruleId === id)!;
    expect(by('cross-app-data-copy-without-dependency').data).toEqual({ model: 'clerk_sync.ClerkUser', app: 'clerk_sync' });
    expect(by('data-step-holds-schema-lock').data).toEqual({ lock: 'ACCESS EXCLUSIVE', table: 'accounts_member', blocks: ['reads', 'writes'], lockedAtLine: 14 });
    expect(by('runpython-model-import').message).toContain('uses Member imported from accounts.models instead of apps.get_model()');
  });
});
