/**
 * What `ADD COLUMN` puts into the rows a table already has, as the column rules of this folder read it
 * from `ColumnFacts`: a non-null default, or values PostgreSQL generates itself. A column without either
 * is NULL in every existing row (sql-altertable.html, ADD COLUMN).
 */
import type { ColumnFacts } from '../../src/model/statement.js';

/** The column's default, unless it has none or it is `DEFAULT NULL`, which fills nothing. */
export function valueDefault(c: ColumnFacts): ColumnFacts['default'] {
  const d = c.default;
  return d === undefined || (d.kind === 'constant' && /^null$/i.test(d.text.trim())) ? undefined : d;
}

/** Whether every existing row gets a non-null value: a default, a sequence (serial, identity), or a
 *  generated expression. */
export function fillsExistingRows(c: ColumnFacts): boolean {
  return valueDefault(c) !== undefined || c.serial === true || c.identity !== undefined || c.generated !== undefined;
}
