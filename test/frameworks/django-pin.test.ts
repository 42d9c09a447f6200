/**
 * The Django version a project pins (src/frameworks/django/pin.ts), which the merge migration's header
 * names unless --django-version says otherwise.
 */
import { describe, expect, it } from 'vitest';
import { lintSnapshot } from '../../src/api.js';
import { MemorySnapshot } from '../../src/snapshot/memory.js';
import { DJANGO_INITIAL, withPackages } from '../helpers/files.js';

async function pinned(files: Record<string, string>, app = 'shop'): Promise<string | undefined> {
  const tree = withPackages({ [`${app}/migrations/0001_initial.py`]: DJANGO_INITIAL, ...files });
  const r = await lintSnapshot(new MemorySnapshot(tree), [''], { rulesToRun: [] });
  const set = r.sets.find((s) => s.dir === `${app}/migrations`);
  if (!set) throw new Error('app not found');
  return set.frameworkVersion;
}

describe('the Django version a project pins', () => {
  it('reads an exact pin from requirements.txt, whatever the spelling of the name', async () => {
    expect(await pinned({ 'requirements.txt': '# web\npsycopg[binary]==3.2.1\nDjango==4.2.11  # LTS\n' })).toBe('4.2.11');
    expect(await pinned({ 'requirements.txt': 'django[argon2] === 5.1.4 ; python_version >= "3.10"\n' })).toBe('5.1.4');
    expect(await pinned({ 'requirements/base.txt': 'DJANGO==5.0.1\n' })).toBe('5.0.1');
  });

  it('a range pins nothing', async () => {
    expect(await pinned({ 'requirements.txt': 'Django>=4.2,<5.0\n' })).toBeUndefined();
    expect(await pinned({ 'requirements.txt': 'Django~=5.2\n' })).toBeUndefined();
    expect(await pinned({ 'requirements.txt': 'Django==5.2.*\n' })).toBeUndefined();
    expect(await pinned({ 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "^5.2"\n' })).toBeUndefined();
    expect(await pinned({})).toBeUndefined();
  });

  it('prefers a lock file, which names the version installed', async () => {
    const lock = '[[package]]\nname = "asgiref"\nversion = "3.8.1"\n\n[[package]]\nname = "django"\nversion = "5.2.17"\n';
    expect(await pinned({ 'requirements.txt': 'Django==5.2.1\n', 'poetry.lock': lock })).toBe('5.2.17');
    expect(await pinned({ 'uv.lock': 'version = 1\n' + lock })).toBe('5.2.17');
    expect(await pinned({ 'Pipfile.lock': JSON.stringify({ _meta: {}, default: { django: { version: '==4.2.16' } } }) })).toBe('4.2.16');
  });

  it('reads pyproject.toml (PEP 621 and Poetry) and Pipfile', async () => {
    expect(await pinned({ 'pyproject.toml': '[project]\nname = "site"\ndependencies = ["gunicorn", "Django==5.1.2"]\n' })).toBe('5.1.2');
    expect(await pinned({ 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\nDjango = "5.0.9"\n' })).toBe('5.0.9');
    expect(await pinned({ 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = { version = "==5.0.8", extras = ["argon2"] }\n' })).toBe('5.0.8');
    expect(await pinned({ Pipfile: '[packages]\ndjango = "==4.2.1"\n' })).toBe('4.2.1');
  });

  it('the pin nearest to the project wins, and a malformed file pins nothing', async () => {
    const files = {
      'requirements.txt': 'Django==4.2.1\n',
      'backend/manage.py': '',
      'backend/requirements.txt': 'Django==5.2.3\n',
      'backend/shop/migrations/0001_initial.py': DJANGO_INITIAL,
    };
    expect(await pinned(files, 'backend/shop')).toBe('5.2.3');
    expect(await pinned({ 'pyproject.toml': '[project\ndependencies = ["Django==5.1.2"]\n', Pipfile: '[packages]\ndjango = "==4.2.9"\n' })).toBe('4.2.9');
  });
});
