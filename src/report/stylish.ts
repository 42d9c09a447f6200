/**
 * ESLint's stylish format: findings grouped by file, `line:col  severity  message  rule-id`, then a
 * summary. A hint, where the rule gives one, goes on its own line beneath.
 */
import path from 'node:path';
import type { Finding } from '../model/types.js';
import type { Formatter } from './types.js';

const codes = { red: [31, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22], underline: [4, 24], green: [32, 39], cyan: [36, 39] } as const;

export const stylish: Formatter = (findings, ctx) => {
  const paint = (style: keyof typeof codes, s: string) => (ctx.color ? `\u001b[${codes[style][0]}m${s}\u001b[${codes[style][1]}m` : s);
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = byFile.get(f.file);
    if (!list) byFile.set(f.file, (list = []));
    list.push(f);
  }
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const [file, list] of byFile) {
    out.push('', paint('underline', path.relative(ctx.cwd, path.join(ctx.root, file)) || file));
    const pos = list.map((f) => `${f.line}:${f.column}`);
    const width = Math.max(...pos.map((p) => p.length));
    list.forEach((f, i) => {
      const sev = f.severity === 'error' ? paint('red', 'error  ') : f.severity === 'warning' ? paint('yellow', 'warning') : paint('cyan', 'info   ');
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
      out.push(`  ${paint('dim', pos[i]!.padEnd(width))}  ${sev}  ${f.message}  ${paint('dim', f.ruleId)}`);
      if (f.hint) out.push(`  ${' '.repeat(width)}  ${paint('dim', '→ ' + f.hint)}`);
    });
  }
  const total = errors + warnings + infos;
  if (total === 0) {
    // Said plainly: a hook run from the wrong directory should not look like a clean bill of health.
    if (ctx.sets.length === 0) return 'No migrations found (looked for Django, Alembic, Prisma, Knex, TypeORM, Sequelize, node-pg-migrate, golang-migrate, Flyway, dbmate, goose and numbered .sql directories; name them under sets: in migrate-lint.config.yaml).\n';
    const n = ctx.sets.reduce((a, s) => a + s.migrations.length, 0);
    return `${paint('green', '✔')} ${n} migration${n === 1 ? '' : 's'} in ${ctx.sets.length} set${ctx.sets.length === 1 ? '' : 's'} checked${against(ctx)}: no problems\n`;
  }
  const summary = `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${infos ? `, ${infos} info` : ''})`;
  out.push('', paint('bold', paint(errors ? 'red' : 'yellow', summary + against(ctx))));
  return out.join('\n') + '\n';
};

/** ` as merged into origin/main (3f2a1c9; branch point 1a2b3c4)`, when the run was a comparison. */
function against(ctx: Parameters<Formatter>[1]): string {
  const c = ctx.comparison;
  if (!c) return '';
  if (c.head === 'the index' || c.target.name === 'HEAD') return ' in the staged files';
  const tip = c.target.commit ? ` ${c.target.commit.short}` : '';
  const base = c.base.commit ? `; branch point ${c.base.commit.short}` : '';
  return ` as merged into ${c.target.name}${tip || base ? ` (${(tip + base).replace(/^[ ;]+/, '')})` : ''}`;
}
