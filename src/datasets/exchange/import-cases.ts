/**
 * Importing hand-written cases from JSONL or CSV. A JSONL line is either a full case
 * (`"schema": "evals.case/v1"`) or a simple row `{input, expected?, output?, tags?, assertions?,
 * incident?, note?, traceId?}`; CSV columns are the same names, any other column becomes a
 * template variable. Every imported case gets provenance source `import`.
 */
import { assertJsonDepth } from '../../input-limits.js';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError, UsageError, excerpt } from '../../errors.js';
import { CASE_SCHEMA, canonicalJson } from '../case.js';
import type { AssertionConfig, Case, CaseInput } from '../case.js';
import type { Json } from '../../traces/model.js';
import { TOOL_VERSION } from '../../version.js';
import { parseCsv } from './csv.js';
import { assertCase, sha256Hex } from '../format/manifest.js';
import { writeVersion } from '../storage/write-version.js';
import type { VersionChange, WriteResult } from '../storage/write-version.js';

const KNOWN = new Set(['input', 'expected', 'output', 'tags', 'assertions', 'incident', 'note', 'traceId', 'trace_id']);

/** Where a row came from, for errors and provenance. */
interface RowSource {
  file: string;
  line: number;
  capturedAt: string;
}

function fail(src: RowSource, field: string, expected: string, found: unknown): never {
  throw new InputError('cannot import row', { file: src.file, line: src.line, field, expected, found: excerpt(found, 80) });
}

function toInput(v: unknown, src: RowSource): CaseInput {
  if (typeof v === 'string' && v.trim() !== '') return { query: v, messages: [{ role: 'user', content: v }] };
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as CaseInput).messages)) return v as CaseInput;
  return fail(src, 'input', 'a non-empty string or an object with messages[]', v);
}

function toTags(v: unknown, src: RowSource): string[] {
  if (v === undefined || v === '') return [];
  if (typeof v === 'string') return v.split(/[;|,]/).map((t) => t.trim()).filter((t) => t !== '');
  if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return v as string[];
  return fail(src, 'tags', 'a list of strings (or "a;b;c" in CSV)', v);
}

function toAssertions(v: unknown, src: RowSource): AssertionConfig[] | undefined {
  if (v === undefined || v === '') return undefined;
  let parsed = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch {
      return fail(src, 'assertions', 'a JSON array of {type, …}', v);
    }
    assertJsonDepth(parsed, { file: src.file, line: src.line, field: 'assertions' });
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (!list.every((a) => a !== null && typeof a === 'object' && typeof (a as AssertionConfig).type === 'string')) return fail(src, 'assertions', 'objects with a "type"', v);
  return list as AssertionConfig[];
}

/** Builds a valid case from one simple row (pure). */
export function caseFromRow(row: Record<string, unknown>, src: RowSource, extraVariables: Record<string, Json> = {}): Omit<Case, 'id'> {
  const input = toInput(row.input, src);
  if (Object.keys(extraVariables).length > 0) input.variables = { ...input.variables, ...extraVariables };
  const expectedOutput = row.expected;
  if (expectedOutput !== undefined && typeof expectedOutput !== 'string') fail(src, 'expected', 'a string', expectedOutput);
  const assertions = toAssertions(row.assertions, src);
  const expected = { ...(expectedOutput ? { output: expectedOutput } : {}), ...(assertions ? { assertions } : {}) };
  const traceId = row.traceId ?? row.trace_id;
  const incident = typeof row.incident === 'string' && row.incident !== '' ? row.incident : undefined;
  const note = typeof row.note === 'string' && row.note !== '' ? row.note : undefined;
  const output = typeof row.output === 'string' && row.output !== '' ? row.output : null;
  const c: Omit<Case, 'id'> = {
    schema: CASE_SCHEMA,
    input,
    context: { steps: [] },
    recorded: { output, latencyMs: 0, status: 'ok' },
    ...(Object.keys(expected).length > 0 ? { expected } : {}),
    labels: { flaggedBecause: ['import'], tags: toTags(row.tags, src).sort(), diagnosis: [], ...(incident ? { incident } : {}) },
    provenance: {
      source: 'import',
      location: `${src.file}:${src.line}`,
      // Same input → same trace id → re-importing a file adds nothing.
      traceId: typeof traceId === 'string' && traceId !== '' ? traceId : `import-${sha256Hex(canonicalJson(input)).slice(0, 16)}`,
      capturedAt: src.capturedAt,
      toolVersion: TOOL_VERSION,
      ...(note ? { note } : {}),
    },
  };
  assertCase({ ...c, id: 'c_0000000000000000' }, src.file, src.line);
  return c;
}

/** Parses a JSONL or CSV file of cases (pure apart from nothing: takes the text). */
export function parseImport(text: string, file: string, capturedAt: string): Array<Omit<Case, 'id'>> {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') {
    return parseCsv(text, file).map((r) => {
      const extra = Object.fromEntries(Object.entries(r.values).filter(([k, v]) => !KNOWN.has(k) && v !== ''));
      return caseFromRow(r.values, { file, line: r.line, capturedAt }, extra);
    });
  }
  if (ext !== '.jsonl' && ext !== '.ndjson') throw new UsageError('unsupported import file type', { file, expected: '.jsonl, .ndjson or .csv', found: ext || '(none)' });
  const out: Array<Omit<Case, 'id'>> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const src = { file, line: i + 1, capturedAt };
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch (err) {
      fail(src, '(line)', 'one JSON object per line', (err as Error).message);
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) fail(src, '(line)', 'a JSON object', row);
    assertJsonDepth(row, { file, line: i + 1 });
    const obj = row as Record<string, unknown>;
    if (obj.schema === CASE_SCHEMA) {
      assertCase({ id: 'c_0000000000000000', ...obj }, file, i + 1);
      const { id: _id, ...body } = obj as unknown as Case;
      out.push({ ...body, provenance: { ...body.provenance, source: 'import' } });
    } else out.push(caseFromRow(obj, src));
  });
  return out;
}

/** Options of {@link importCases}. */
export interface ImportOptions {
  description?: string;
  note?: string;
  redact?: VersionChange['redact'];
  now?: () => Date;
}

/** Imports `file` into dataset `name` as one new version (none when every case is already there). */
export async function importCases(root: string, name: string, file: string, opts: ImportOptions = {}): Promise<WriteResult & { read: number }> {
  const now = opts.now ?? (() => new Date());
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError('cannot read import file', { file, found: (err as Error).message });
  }
  const cases = parseImport(text, file, now().toISOString());
  if (cases.length === 0) throw new InputError('no cases to import', { file, expected: 'at least one row' });
  const result = await writeVersion(root, name, {
    add: cases,
    provenance: { source: 'import', note: opts.note ?? `imported ${cases.length} case(s) from ${file}` },
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.redact !== undefined ? { redact: opts.redact } : {}),
    now,
  });
  return { ...result, read: cases.length };
}
