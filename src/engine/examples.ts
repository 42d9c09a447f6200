/**
 * Builders for the Django trees that graph rules show in their docs (and that tests build): a tree is one
 * text, each file starting with a `# file: <path>` line, the form `test/helpers/files.ts` splits.
 */

/** A Django migration module with the given dependency tuples (as Python source) and no operations. */
export function djangoModule(deps: string[], opts: { initial?: boolean } = {}): string {
  return [
    'from django.db import migrations',
    '',
    '',
    'class Migration(migrations.Migration):',
    ...(opts.initial ? ['    initial = True'] : []),
    deps.length > 1 ? `    dependencies = [\n${deps.map((d) => `        ${d},`).join('\n')}\n    ]` : `    dependencies = [${deps.join('')}]`,
    '    operations = []',
  ].join('\n');
}

/** Files as one text with `# file:` lines. */
export function fileTree(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([p, c]) => `# file: ${p}\n${c}`)
    .join('\n\n');
}
