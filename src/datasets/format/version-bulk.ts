/**
 * A version file's two blocks that grow with the dataset, read without the YAML parser:
 * `provenance.traceIds` (one `    - <id>` line per trace) and `changes.added` (one
 * `    <case id>: <file hash>` line per case). `yaml` builds a full document (nodes, ranges,
 * comments) for every entry, ≈0.1 s per 2,000-case version on a 2-core machine, so a 100,000-case
 * dataset cost seconds per read; these blocks are written by `renderVersionNode` as plain,
 * unquoted scalars and are read here line by line.
 *
 * Only lines that can mean nothing else in YAML are taken: plain scalars of word characters,
 * `.` and `-` that are not a number, boolean or null of the YAML 1.2 core schema, and
 * double-quoted scalars of the same characters (no escapes). On anything else (single quotes,
 * escapes, comments, flow style, another indentation, a key containing `: `) the block is left
 * to the YAML parser, so the result is always the one `yaml` would give. The lines taken out are replaced by empty lines, so the parser's
 * line numbers in errors stay right.
 */

/** The bulk blocks taken out of a version file's text, and the text left for the YAML parser. */
export interface VersionBulk {
  rest: string;
  traceIds?: string[];
  added?: Record<string, string>;
}

const WORD = /^[\w-][\w.-]*$/;
const QUOTED = /^"([\w.-]*)"$/;
const RESERVED = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** YAML 1.2 core schema numbers (the `yaml` default): these plain scalars are not strings. */
const NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

/** The string a plain or simply double-quoted scalar stands for, or undefined when it may be anything else. */
function scalar(s: string): string | undefined {
  const q = QUOTED.exec(s);
  const v = q ? q[1]! : WORD.test(s) && !RESERVED.test(s) && !NUMBER.test(s) ? s : undefined;
  return v === undefined ? undefined : own(v);
}

/**
 * A copy of `s` that does not point into the text it was cut from. V8 keeps a substring as a
 * slice of its parent: every case hash and trace id taken from a version file kept that file's
 * whole text alive for as long as the dataset state was (≈13 MB of version text at 100,000
 * cases, through the whole run). The scalars here are ASCII word characters: a Latin-1 round
 * trip is exact.
 */
function own(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'latin1').toString('latin1');
}

/**
 * Reads the block under `header` (a line of its own, e.g. `  traceIds:`): the following lines
 * indented by four spaces. Returns the parsed entries and the line range, or undefined when a
 * line is not of the simple form (then the parser reads the block).
 */
function block<T>(lines: string[], header: string, entry: (line: string) => T | undefined): { from: number; to: number; entries: T[] } | undefined {
  const at = lines.indexOf(header);
  if (at < 0) return undefined;
  const entries: T[] = [];
  let i = at + 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('    ')) break;
    const e = entry(line);
    if (e === undefined) return undefined;
    entries.push(e);
  }
  // An empty block is `header: []` / `{}` on one line, never this shape: leave it to the parser.
  return entries.length > 0 ? { from: at, to: i, entries } : undefined;
}

const traceEntry = (line: string): string | undefined => {
  return line.startsWith('    - ') ? scalar(line.slice(6)) : undefined;
};

const addedEntry = (line: string): [string, string] | undefined => {
  const body = line.slice(4);
  const colon = body.indexOf(': ');
  if (colon < 0) return undefined;
  const key = scalar(body.slice(0, colon));
  const value = scalar(body.slice(colon + 2));
  return key !== undefined && value !== undefined ? [key, value] : undefined;
};

/** Marks a taken line (no line of a text split on `\n` can hold one). */
const DROP = '\n';

/** True when line `at` sits in the top-level block that starts at line `parent`. */
function under(lines: string[], parent: number, at: number): boolean {
  if (parent < 0 || at <= parent) return false;
  for (let i = parent + 1; i < at; i++) if (/^\S/.test(lines[i]!)) return false;
  return true;
}

/** Takes `provenance.traceIds` and `changes.added` out of `text` when they are of the simple form. */
export function extractVersionBulk(text: string): VersionBulk {
  const lines = text.split('\n');
  const traces = block(lines, '  traceIds:', traceEntry);
  const added = block(lines, '  added:', addedEntry);
  const out: VersionBulk = { rest: text };
  if (traces && under(lines, lines.indexOf('provenance:'), traces.from)) {
    for (let i = traces.from + 1; i < traces.to; i++) lines[i] = DROP;
    lines[traces.from] = '  traceIds: []';
    out.traceIds = traces.entries;
  }
  // A duplicate case id is an error the parser reports with its line: leave that block to it.
  if (added && under(lines, lines.indexOf('changes:'), added.from) && new Set(added.entries.map(([k]) => k)).size === added.entries.length) {
    for (let i = added.from + 1; i < added.to; i++) lines[i] = DROP;
    lines[added.from] = '  added: {}';
    out.added = Object.fromEntries(added.entries);
  }
  if (out.traceIds || out.added) out.rest = lines.filter((l) => l !== DROP).join('\n');
  return out;
}
