/**
 * Feedback kept apart from the traces, in the dumps users can export, parsed into `Feedback`
 * with the ids that join it to a trace (joining: feedback-join.ts). The shape is sniffed:
 *  - LangSmith feedback (`client.listFeedback()` dumped as JSONL or a JSON array):
 *    `{run_id, key, score, value?, comment?, trace_id?, feedback_source?:{type}}`; joined by
 *    `trace_id` when present, else by `run_id` to the trace holding that run (root or child).
 *  - Langfuse scores (`GET /api/public/v2/scores` / `/scores` pages `{data:[…], meta}`, or a
 *    plain array, or JSONL): `{traceId, observationId?, name, value, stringValue?, dataType?,
 *    comment?, source?}`; joined by `traceId` (= the OTel trace id of spans Langfuse received).
 *    Session-only scores (no `traceId`) are counted and skipped.
 * Pure: the caller reads the file. A malformed record throws an `InputError` naming the file,
 * the line (JSONL) or the field path (JSON), what was expected and what was found.
 */
import { InputError } from '../errors.js';
import type { Feedback, Json } from './model.js';

/** Which dump a file holds. */
export type FeedbackDumpFormat = 'langsmith-feedback' | 'langfuse-scores';

/** One feedback record and the ids that place it. */
export interface DumpedFeedback {
  feedback: Feedback;
  /** Trace id as the dump wrote it (LangSmith `trace_id`, Langfuse `traceId`). */
  traceId?: string;
  /** LangSmith `run_id`: the run (span) the feedback is about. */
  runId?: string;
}

/** A parsed dump. */
export interface FeedbackDump {
  file: string;
  format: FeedbackDumpFormat;
  entries: DumpedFeedback[];
  /** Records that can be placed on no trace (Langfuse session scores). */
  skipped: number;
}

type Obj = { [key: string]: Json };
/** Where a record sits, for error messages. */
interface At { file: string; line?: number; field: string }

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: Json | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const clip = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
};

function fail(at: At, message: string, expected: string, found: unknown): never {
  throw new InputError(message, { file: at.file, ...(at.line !== undefined ? { line: at.line } : {}), field: at.field.replace(/\.$/, ''), expected, found: clip(found) });
}

function formatOf(record: Obj): FeedbackDumpFormat | undefined {
  if (typeof record['run_id'] === 'string' && typeof record['key'] === 'string') return 'langsmith-feedback';
  if (typeof record['name'] === 'string' && ('traceId' in record || 'sessionId' in record || 'dataType' in record)) return 'langfuse-scores';
  return undefined;
}

function fromLangsmith(r: Obj, at: At): DumpedFeedback {
  const runId = text(r['run_id']);
  const key = text(r['key']);
  if (runId === undefined) fail({ ...at, field: `${at.field}run_id` }, 'feedback record has no run id', 'a run UUID string', r['run_id'] ?? null);
  if (key === undefined) fail({ ...at, field: `${at.field}key` }, 'feedback record has no key', 'a feedback key such as "user_score"', r['key'] ?? null);
  const f: Feedback = { name: key };
  const score = r['score'];
  if (typeof score === 'number') f.score = score;
  else if (typeof score === 'boolean') Object.assign(f, { score: score ? 1 : 0, value: score });
  else if (score !== undefined && score !== null) fail({ ...at, field: `${at.field}score` }, 'feedback score is not a number', 'a number, a boolean or null', score);
  const value = r['value'];
  if (typeof value === 'string' || typeof value === 'boolean') f.value = value;
  const comment = text(r['comment']);
  if (comment !== undefined) f.comment = comment;
  const source = isObj(r['feedback_source']) ? text(r['feedback_source']['type']) : undefined;
  f.source = source ?? 'langsmith';
  f.spanId = runId.toLowerCase();
  const traceId = text(r['trace_id']);
  return { feedback: f, runId, ...(traceId !== undefined ? { traceId } : {}) };
}

function fromLangfuse(r: Obj, at: At): DumpedFeedback | undefined {
  const name = text(r['name']);
  if (name === undefined) fail({ ...at, field: `${at.field}name` }, 'score has no name', 'a score name string', r['name'] ?? null);
  const traceId = text(r['traceId']);
  if (traceId === undefined) {
    if (text(r['sessionId']) !== undefined) return undefined;
    fail({ ...at, field: `${at.field}traceId` }, 'score has no trace id', 'a traceId string', r['traceId'] ?? null);
  }
  const dataType = text(r['dataType'])?.toUpperCase();
  const value = r['value'];
  const stringValue = text(r['stringValue']);
  const f: Feedback = { name };
  if (dataType === 'CATEGORICAL') {
    f.value = stringValue ?? (value === null || value === undefined ? '' : String(value));
  } else if (dataType === 'BOOLEAN') {
    const yes = value === 1 || value === true || stringValue?.toLowerCase() === 'true';
    Object.assign(f, { score: yes ? 1 : 0, value: yes });
  } else if (typeof value === 'number') {
    f.score = value;
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    f.value = value;
  } else {
    fail({ ...at, field: `${at.field}value` }, 'score has no value', 'a number (NUMERIC, BOOLEAN) or a string (CATEGORICAL)', value ?? null);
  }
  const comment = text(r['comment']);
  if (comment !== undefined) f.comment = comment;
  f.source = text(r['source'])?.toLowerCase() ?? 'langfuse';
  const observationId = text(r['observationId']);
  if (observationId !== undefined) f.spanId = observationId.toLowerCase();
  return { feedback: f, traceId };
}

/** The records of a whole-file JSON document, each with its field path prefix. */
function documentRecords(doc: Json): Array<{ value: Json; field: string }> | undefined {
  if (Array.isArray(doc)) return doc.map((value, i) => ({ value, field: `[${i}].` }));
  if (isObj(doc) && Array.isArray(doc['data'])) return doc['data'].map((value, i) => ({ value, field: `data[${i}].` }));
  if (isObj(doc)) return [{ value: doc, field: '' }];
  return undefined;
}

function records(content: string, file: string): Array<{ value: Json; at: At }> {
  const trimmed = content.trim();
  if (trimmed === '') fail({ file, field: '' }, 'feedback file is empty', 'LangSmith feedback JSONL or a Langfuse scores JSON', '');
  try {
    const doc = JSON.parse(trimmed) as Json;
    const list = documentRecords(doc);
    if (list) return list.map(({ value, field }) => ({ value, at: { file, field } }));
  } catch {
    // Not one JSON document: read it as JSON lines.
  }
  const out: Array<{ value: Json; at: At }> = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push({ value: JSON.parse(line) as Json, at: { file, line: i + 1, field: '' } });
    } catch {
      fail({ file, line: i + 1, field: '' }, 'malformed JSON in feedback file', 'one JSON object per line', line);
    }
  });
  return out;
}

/** Parses one feedback dump (see module doc); `file` names it in errors. */
export function parseFeedbackDump(content: string, file: string): FeedbackDump {
  const recs = records(content, file);
  let format: FeedbackDumpFormat | undefined;
  const entries: DumpedFeedback[] = [];
  let skipped = 0;
  for (const { value, at } of recs) {
    if (!isObj(value)) fail(at, 'feedback record is not an object', 'a JSON object', value);
    const own = formatOf(value);
    format ??= own;
    if (own === undefined || own !== format) {
      fail(at, 'not a feedback record', format === undefined
        ? 'LangSmith feedback {"run_id","key","score",…} or a Langfuse score {"traceId","name","value",…}'
        : `a ${format === 'langsmith-feedback' ? 'LangSmith feedback' : 'Langfuse score'} record like the first one`, value);
    }
    const entry = format === 'langsmith-feedback' ? fromLangsmith(value, at) : fromLangfuse(value, at);
    if (entry) entries.push(entry);
    else skipped++;
  }
  if (format === undefined) {
    // An empty page of the scores API is a valid (empty) Langfuse dump.
    if (recs.length === 0 && /"data"\s*:\s*\[\s*\]/.test(content)) return { file, format: 'langfuse-scores', entries: [], skipped: 0 };
    fail({ file, field: '' }, 'feedback file holds no records', 'LangSmith feedback JSONL or a Langfuse scores JSON', content.slice(0, 80));
  }
  return { file, format, entries, skipped };
}
