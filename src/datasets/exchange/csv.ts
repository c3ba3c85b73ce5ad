/**
 * A small RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF, newlines inside quotes)
 * that keeps the line each record starts on, so import errors can point at it.
 */
import { InputError } from '../../errors.js';

/** One data record: values by header name, and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

/** Parses CSV text with a header row. Throws InputError (with `file`, line) on malformed input. */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const rows = splitRows(text.replace(/^\uFEFF/, ''), file);
  const header = rows.shift();
  if (header === undefined) return [];
  const names = header.cells.map((h) => h.trim());
  const out: CsvRecord[] = [];
  for (const row of rows) {
    if (row.cells.length === 1 && row.cells[0] === '') continue;
    if (row.cells.length !== names.length) {
      throw new InputError('wrong number of columns', { file, line: row.line, expected: `${names.length} (${names.join(', ')})`, found: String(row.cells.length) });
    }
    out.push({ line: row.line, values: Object.fromEntries(names.map((n, i) => [n, row.cells[i] ?? ''])) });
  }
  return out;
}

function splitRows(text: string, file: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) throw new InputError('unterminated quoted field', { file, line: rowLine, expected: 'a closing "', found: 'end of file' });
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}
