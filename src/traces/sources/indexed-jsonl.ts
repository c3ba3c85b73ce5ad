/**
 * A two-pass reader for record files where one trace may be spread over many lines (OTLP file
 * exporter, LangSmith run dumps). Pass 1 streams every file, validates each line and keeps only
 * an index: trace id → line byte ranges + start time. Pass 2 re-reads just the lines of a batch
 * of traces and assembles them. Memory is bounded by the index and one batch, not the files.
 * Files that are one JSON document (pretty-printed object, or an array of records) are read whole.
 */
import { readFile, stat } from 'node:fs/promises';
import { InputError, excerpt } from '../../errors.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../../input-limits.js';
import type { TraceOrigin } from '../model.js';
import { readLines, readRanges, type LineRef } from './line-reader.js';
import { inWindow, missingTracesError, wantedIds } from './query.js';
import { emptyStats, type RawTrace, type SourceStats, type TraceQuery } from './source.js';

/** How a file format maps records to traces. */
export interface RecordCodec {
  /** What one record should be, for error messages. */
  readonly expected: string;
  /**
   * The traces a record touches with the start time of its earliest span there (undefined
   * when the record only adds to a trace, like a log record). Throws on a bad shape;
   * an error with `field`/`expected` properties is reported with them.
   */
  index(value: unknown): Map<string, number | undefined>;
  /** Builds the traces `ids` from every record that touches them. */
  assemble(ids: Set<string>, values: unknown[], origin: TraceOrigin): RawTrace[];
}

interface Ref extends LineRef {
  file: number;
}

interface Entry {
  startMs: number;
  refs: Ref[];
}

/** Above this size a file whose first line is not JSON is not tried as one document. */
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;
/** Pass 2 assembles up to this many traces, or this many bytes of lines, at a time. */
const BATCH_TRACES = 200;
const BATCH_BYTES = 32 * 1024 * 1024;

function shapeDetails(err: unknown): { field?: string; expected?: string } {
  if (typeof err !== 'object' || err === null) return {};
  const e = err as { field?: unknown; expected?: unknown };
  return {
    ...(typeof e.field === 'string' && e.field !== '' ? { field: e.field } : {}),
    ...(typeof e.expected === 'string' ? { expected: e.expected } : {}),
  };
}

/** Reads traces from record files with a two-pass index. One instance per `traces()` call. */
export class IndexedRecordReader {
  readonly stats: SourceStats = emptyStats();
  private readonly index = new Map<string, Entry>();
  /** Parsed records of files read whole (document mode), by file index. */
  private readonly documents = new Map<number, unknown[]>();

  constructor(
    private readonly files: string[],
    private readonly codec: RecordCodec,
    private readonly format: string,
    private readonly skipInvalid: boolean,
  ) {}

  /** Yields the traces matching `query`, ordered by start time. */
  async *traces(query: TraceQuery): AsyncGenerator<RawTrace> {
    for (let f = 0; f < this.files.length; f++) await this.indexFile(f);
    const ids = wantedIds(query);
    if (ids) {
      const missing = [...ids].filter((id) => !this.hasSpans(id));
      if (missing.length > 0) throw missingTracesError(missing, this.files);
    }
    const selected = [...this.index.entries()]
      .filter(([id, e]) => Number.isFinite(e.startMs) && (!ids || ids.has(id)) && inWindow(e.startMs, query))
      .sort((a, b) => a[1].startMs - b[1].startMs || (a[0] < b[0] ? -1 : 1));
    const chosen = query.limit !== undefined ? selected.slice(0, query.limit) : selected;
    let batch: Array<[string, Entry]> = [];
    let bytes = 0;
    for (const item of chosen) {
      batch.push(item);
      bytes += item[1].refs.reduce((n, r) => n + r.length, 0);
      if (batch.length >= BATCH_TRACES || bytes >= BATCH_BYTES) {
        yield* await this.assembleBatch(batch);
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0) yield* await this.assembleBatch(batch);
  }

  private hasSpans(id: string): boolean {
    const e = this.index.get(id);
    return e !== undefined && Number.isFinite(e.startMs);
  }

  private async indexFile(f: number): Promise<void> {
    const path = this.files[f] as string;
    for await (const l of readLines(path)) {
      if (l.text.trim() === '') continue;
      if (!this.seenFirst.has(f) && (await this.tryDocument(f, path, l.text))) return;
      this.stats.records++;
      let value: unknown;
      try {
        value = JSON.parse(l.text);
      } catch {
        this.fail(path, l.line, 'malformed JSON', this.codec.expected, l.text);
        continue;
      }
      if (jsonDepth(value) > MAX_JSON_DEPTH) {
        this.fail(path, l.line, 'JSON nested too deeply', `at most ${MAX_JSON_DEPTH} levels of nesting`, l.text.slice(0, 60));
        continue;
      }
      this.indexValue(value, { file: f, offset: l.offset, length: l.length, line: l.line }, path);
    }
  }

  /** Files whose first non-empty line was seen: only that line decides document mode. */
  private readonly seenFirst = new Set<number>();

  /**
   * Document mode: the first non-empty line starts an array, or is not JSON by itself (a
   * pretty-printed object). Returns true when the file was handled whole.
   */
  private async tryDocument(f: number, path: string, firstLine: string): Promise<boolean> {
    this.seenFirst.add(f);
    const trimmed = firstLine.trim();
    if (!trimmed.startsWith('[')) {
      try {
        JSON.parse(trimmed);
        return false;
      } catch {
        if (!trimmed.startsWith('{') || (await stat(path)).size > MAX_DOCUMENT_BYTES) return false;
      }
    }
    const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      // A JSONL file whose first line is broken: report it as a line error, not a document error.
      if (!trimmed.startsWith('[')) return false;
      this.fail(path, 1, `malformed JSON document (${(err as Error).message})`, `a JSON array of records: ${this.codec.expected}`, trimmed);
      return true;
    }
    if (jsonDepth(doc, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH + 1) {
      this.fail(path, 1, 'JSON nested too deeply', `at most ${MAX_JSON_DEPTH} levels of nesting`, trimmed.slice(0, 60));
      return true;
    }
    const values = Array.isArray(doc) ? doc : [doc];
    this.documents.set(f, values);
    values.forEach((v, i) => {
      this.stats.records++;
      // Document records are addressed by their position (`offset` = index); errors name the element.
      this.indexValue(v, { file: f, offset: i, length: 0, line: i + 1 }, path, Array.isArray(doc) ? `[${i}]` : '');
    });
    return true;
  }

  /** `element` is set for records of a document file: errors then name `[i].field`, not a line. */
  private indexValue(value: unknown, ref: Ref, file: string, element?: string): void {
    let keys: Map<string, number | undefined>;
    try {
      keys = this.codec.index(value);
    } catch (err) {
      const d = shapeDetails(err);
      const field = element !== undefined ? [element, d.field].filter(Boolean).join('.') || undefined : d.field;
      const line = element !== undefined ? undefined : ref.line;
      this.fail(file, line, (err as Error).message, d.expected ?? this.codec.expected, excerpt(value, 200), field);
      return;
    }
    for (const [id, start] of keys) {
      const e = this.index.get(id) ?? { startMs: Infinity, refs: [] };
      e.refs.push(ref);
      if (start !== undefined && start < e.startMs) e.startMs = start;
      this.index.set(id, e);
    }
  }

  private fail(file: string, line: number | undefined, message: string, expected: string, found: string, field?: string): void {
    const err = new InputError(message, { file, expected, found: excerpt(found, 160), ...(line !== undefined ? { line } : {}), ...(field ? { field } : {}) });
    if (!this.skipInvalid) throw err;
    this.stats.skipped++;
    const where = line !== undefined ? `${file}:${line}` : `${file} ${field ?? ''}`.trim();
    if (this.stats.skipReasons.length < 10) this.stats.skipReasons.push(`${where}: ${message}`);
  }

  private async assembleBatch(batch: Array<[string, Entry]>): Promise<RawTrace[]> {
    const ids = new Set(batch.map(([id]) => id));
    const byFile = new Map<number, Map<number, Ref>>();
    for (const [, e] of batch) {
      for (const r of e.refs) {
        const m = byFile.get(r.file) ?? new Map<number, Ref>();
        m.set(r.offset, r);
        byFile.set(r.file, m);
      }
    }
    const origin: TraceOrigin = { format: this.format, location: this.files.join(', ') };
    const values: unknown[] = [];
    for (const [f, refs] of [...byFile.entries()].sort((a, b) => a[0] - b[0])) {
      const doc = this.documents.get(f);
      if (doc) {
        for (const r of [...refs.values()].sort((a, b) => a.offset - b.offset)) values.push(doc[r.offset]);
        continue;
      }
      for (const { text } of await readRanges(this.files[f] as string, [...refs.values()])) values.push(JSON.parse(text));
    }
    const traces = this.codec.assemble(ids, values, origin);
    const order = new Map(batch.map(([id], i) => [id, i]));
    return traces.sort((a, b) => (order.get(a.traceId) ?? 0) - (order.get(b.traceId) ?? 0));
  }
}
