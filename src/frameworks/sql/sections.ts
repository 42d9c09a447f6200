/**
 * The up and down sections of a dbmate or goose file. Both tools find their markers line by line, and so
 * does this module, with the tools' own rules (cited below); the SQL between the markers is then parsed
 * by the SQL front end at its place in the file. A marker line is an SQL comment, so nothing here ever
 * decides what the SQL means.
 */

/** A region of the file text: UTF-16 offsets, `end` exclusive. */
export interface Region {
  start: number;
  end: number;
}

export interface Sections {
  /** The forward SQL: one region per up section (dbmate allows several; goose has one). */
  up: Region[];
  /** The down SQL, one region per down section; null when a down marker is missing. */
  down: Region[] | null;
  /** Text outside both (before the first marker): comments only, read for file-level suppressions. */
  rest: Region[];
  /** The tool runs the migration outside a transaction (dbmate `transaction:false`, goose `NO TRANSACTION`). */
  noTransaction: boolean;
  /** The first up and down marker lines. */
  upMarker?: Region;
  downMarker?: Region;
  /** What the tool refuses to run, in its own words, at the line concerned. */
  refused: { message: string; at: Region }[];
}

interface Line extends Region {
  /** The line without its line break. */
  text: string;
}

/** Lines as Go's `bufio.ScanLines` gives them (both tools read files this way): split at LF, CR dropped. */
function lines(text: string): Line[] {
  const out: Line[] = [];
  for (let start = 0; ; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    out.push({ start, end, text: text.slice(start, end).replace(/\r$/, '') });
    if (nl < 0) return out;
    start = nl + 1;
  }
}

const FILE_START: Region = { start: 0, end: 0 };

// dbmate pkg/dbmate/migration.go `upRegExp`, `downRegExp`, `blockDirectiveRegExp` (per line: Go's `(?m)`).
const DBMATE_UP = /^--\s*migrate:up(?:\s*$|\s+\S)/;
const DBMATE_DOWN = /^--\s*migrate:down(?:\s*$|\s+\S)/;
const DBMATE_DIRECTIVE = /^--\s*migrate:(?:up|down)/;

/** goose internal/sqlparser/parser.go: a line starting with `--` whose rest, trimmed, is a command. */
function gooseCommand(line: Line): string | null {
  return line.text.startsWith('--') ? line.text.slice(2).trim() : null;
}

/** Which tool's up marker the file has, for telling a goose or dbmate directory from a plain one. */
export function markerOf(text: string): 'goose' | 'dbmate' | null {
  const ls = lines(text);
  if (ls.some((l) => gooseCommand(l) === '+goose Up')) return 'goose';
  if (ls.some((l) => DBMATE_UP.test(l.text))) return 'dbmate';
  return null;
}

/**
 * dbmate (pkg/dbmate/migration.go `parseMigrationContents`): a section runs from one `-- migrate:up` to
 * the next; inside it, `-- migrate:down` splits up from down and must be there. Options follow the
 * marker (`-- migrate:up transaction:false`); each section's up runs in its own transaction unless it
 * says `transaction:false`. Only comments may come before the first up marker.
 */
export function dbmateSections(text: string): Sections {
  const ls = lines(text);
  const ups = ls.filter((l) => DBMATE_UP.test(l.text));
  const first = ups[0];
  if (!first) {
    return { up: [], down: null, rest: [{ start: 0, end: text.length }], noTransaction: false, refused: [{ message: "dbmate requires each migration to define an up block with '-- migrate:up'", at: FILE_START }] };
  }
  const refused: Sections['refused'] = [];
  const stray = ls.find((l) => l.end <= first.start && !/^\s*$/.test(l.text) && !/^\s*--/.test(l.text));
  if (stray) refused.push({ message: "dbmate does not support statements preceding the '-- migrate:up' block", at: stray });
  const up: Region[] = [];
  let down: Region[] | null = [];
  let downMarker: Region | undefined;
  let noTransaction = false;
  ups.forEach((marker, i) => {
    const end = ups[i + 1]?.start ?? text.length;
    const downs = ls.filter((l) => l.start > marker.start && l.start < end && DBMATE_DOWN.test(l.text));
    if (dbmateOptions(marker.text).get('transaction') === 'false') noTransaction = true;
    const split = downs[0];
    if (!split) {
      refused.push({ message: "dbmate requires each migration to define a down block with '-- migrate:down'", at: marker });
      up.push({ start: marker.end, end });
      down = null;
      return;
    }
    if (downs[1]) refused.push({ message: "dbmate requires each migration to define an up block with '-- migrate:up' (this section has a second '-- migrate:down')", at: downs[1] });
    downMarker ??= split;
    up.push({ start: marker.end, end: split.start });
    down?.push({ start: split.end, end });
  });
  return { up, down, rest: [{ start: 0, end: first.start }], noTransaction, upMarker: first, ...(downMarker ? { downMarker } : {}), refused };
}

/** `parseMigrationOptions`: `key:value` words after the marker; anything else is ignored. */
function dbmateOptions(markerLine: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const word of markerLine.replace(DBMATE_DIRECTIVE, '').trim().split(/\s+/)) {
    const pair = word.split(':');
    if (pair.length === 2) options.set(pair[0]!, pair[1]!);
  }
  return options;
}

/**
 * goose (internal/sqlparser/parser.go `ParseSQLMigration`): `-- +goose Up` must come first (blank lines
 * and comments aside), `-- +goose Down` may follow once; `-- +goose NO TRANSACTION` anywhere turns the
 * transaction off. StatementBegin/End only tell goose's own splitter where a statement with inner `;`
 * ends: the PostgreSQL parser does not need them.
 */
export function gooseSections(text: string): Sections {
  let upMarker: Line | undefined;
  let downMarker: Line | undefined;
  let noTransaction = false;
  const refused: Sections['refused'] = [];
  const seeGoose = 'see https://github.com/pressly/goose#sql-migrations';
  for (const l of lines(text)) {
    const cmd = gooseCommand(l);
    if (cmd === '+goose Up') {
      if (upMarker) refused.push({ message: `duplicate '-- +goose Up' annotations, ${seeGoose}`, at: l });
      upMarker ??= l;
    } else if (cmd === '+goose Down') {
      if (!upMarker || downMarker) refused.push({ message: `must start with '-- +goose Up' annotation, ${seeGoose}`, at: l });
      else downMarker = l;
    } else if (cmd === '+goose NO TRANSACTION') {
      noTransaction = true;
    } else if (!upMarker && l.text.trim() !== '' && !l.text.trim().startsWith('--') && refused.length === 0) {
      refused.push({ message: `failed to parse migration: SQL before the '-- +goose Up' annotation, ${seeGoose}`, at: l });
    }
  }
  if (!upMarker) {
    return { up: [], down: null, rest: [{ start: 0, end: text.length }], noTransaction, refused: [...refused, { message: `failed to parse migration: must start with '-- +goose Up' annotation, ${seeGoose}`, at: FILE_START }] };
  }
  return {
    up: [{ start: upMarker.end, end: downMarker?.start ?? text.length }],
    down: downMarker ? [{ start: downMarker.end, end: text.length }] : null,
    rest: [{ start: 0, end: upMarker.start }],
    noTransaction,
    upMarker,
    ...(downMarker ? { downMarker } : {}),
    refused,
  };
}
