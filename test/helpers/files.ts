/**
 * Test and docs trees written as one text: each file starts with a `# file: <path>` line. A Django source
 * with no such line is a single migration, placed as `shop/migrations/0002_change.py` after an initial
 * migration that creates `shop.Item`, in a project with a settings module.
 */
import { djangoModule, fileTree } from '../../src/engine/examples.js';

export const DJANGO_INITIAL = `from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name='Item',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=100)),
            ],
        ),
    ]
`;

export function splitFiles(text: string): Record<string, string> {
  const files: Record<string, string> = {};
  let current: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (current !== null) files[current] = lines.join('\n').replace(/\n+$/, '') + '\n';
  };
  for (const line of text.split('\n')) {
    const m = /^# file: (.+)$/.exec(line);
    if (m) {
      flush();
      current = m[1]!.trim();
      lines = [];
    } else {
      lines.push(line);
    }
  }
  flush();
  return files;
}

/** Adds `__init__.py` to every `migrations/` directory that has files. */
export function withPackages(files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  for (const f of Object.keys(files)) {
    const m = /^(.*\/)?migrations\//.exec(f);
    if (m) out[`${m[0]}__init__.py`] ??= '';
  }
  return out;
}

export function djangoTree(source: string): Record<string, string> {
  if (/^# file: /m.test(source)) return withPackages(splitFiles(source));
  return withPackages({
    'shop/migrations/0001_initial.py': DJANGO_INITIAL,
    'shop/migrations/0002_change.py': source,
  });
}

/** A migration module with the given dependency tuples and no operations; `class Migration` is on line 4. */
export function djangoMigration(...deps: string[]): string {
  return djangoModule(deps.length ? [deps.join(', ')] : []);
}

export { fileTree as tree };
