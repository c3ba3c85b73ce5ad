/**
 * On-disk response cache. Key: SHA-256 of the canonical JSON of the exact request (API, base
 * URL, model, messages, params, tools) plus the repeat index, so repeat 2 of a case is its own
 * sample yet re-runs are free and deterministic.
 *
 * Layout: `<dir>/v1/<segment>.jsonl`, one append-only segment per process that wrote, each line
 * `{"k": key, "r": LlmResponse}`; all segments are read into a Map (key → response JSON text) at open,
 * and what this process stores is found again by its place in its own segment (a 100,000-call
 * run would otherwise hold every response it stored). Why not one file
 * per entry in sharded dirs: a fully cached 10k-case re-run would then open 10k files
 * (slow on every FS, worse on CI runners and Windows), while reading a few JSONL files is one
 * sequential read each. A segment per process means concurrent runs (shards on one machine)
 * never write to the same file, so no lock is needed; a torn last line from a crash is skipped.
 */
import { hash, randomBytes } from 'node:crypto';
import { readSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../datasets/case.js';
import { AppendLog } from './append-log.js';
import type { LlmRequest, LlmResponse } from './provider.js';

/** Default cache directory, relative to the project root. */
export const DEFAULT_CACHE_DIR = '.evals/cache';

/** Computes the cache key of one request for one repeat. */
export function cacheKey(api: string, baseUrl: string | undefined, req: LlmRequest, repeat: number): string {
  // Keys in sorted order: canonicalJson then serializes it without sorted copies (same text).
  const material = { api, baseUrl: baseUrl ?? null, messages: req.messages, model: req.model, params: req.params, repeat, tools: req.tools ?? null };
  // One-shot `hash` (Node ≥ 20.12): a third less than createHash().update().digest() per key.
  return hash('sha256', canonicalJson(material), 'hex');
}

/** An open cache: reads from memory, appends to this process's segment. */
export interface ResponseCache {
  get(key: string): LlmResponse | undefined;
  /** Stores in memory now and queues the append to this process's segment. */
  set(key: string, response: LlmResponse): void;
  /** Entries loaded plus stored. */
  readonly size: number;
  /**
   * Lines skipped at load because they did not parse (torn by a crash). A line torn inside its
   * response that still ends with `}` is found by `get` instead, and is a miss.
   */
  readonly skippedLines: number;
  close(): Promise<void>;
}

/**
 * Opens the cache in `dir` (default `.evals/cache`), loading every segment. Entries are kept as
 * their JSON text and parsed on `get`: a fully cached 10,000-case re-run parses each response
 * once instead of building every object up front, and memory holds compact strings. What a run
 * stores is kept as its byte range in this process's segment and read back by `get` (a
 * duplicate request in the same run), so a fresh run's memory does not grow with its responses.
 */
export async function openResponseCache(dir: string = DEFAULT_CACHE_DIR): Promise<ResponseCache> {
  const root = join(dir, 'v1');
  // Loaded entries: the response's JSON text. Entries this process stored: where the response
  // is in its own segment (see `place`), read back on `get`; until written, its text is in `unwritten`.
  const entries = new Map<string, string | number>();
  const unwritten = new Map<string, { text: string; end: number }>();
  let skippedLines = 0;
  let files: string[] = [];
  try {
    files = (await readdir(root)).filter((f) => f.endsWith('.jsonl')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const f of files) {
    const text = await readFile(join(root, f), 'utf8');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const row = splitLine(line);
      if (row) entries.set(row[0], row[1]);
      else skippedLines++;
    }
  }
  let log: AppendLog | undefined;
  let opening: Promise<AppendLog> | undefined;
  // A new file per process: byte offsets of its lines are counted from 0.
  const segment = join(root, `${Date.now().toString(36)}-${process.pid}-${randomBytes(3).toString('hex')}.jsonl`);
  let end = 0;
  const queued: string[] = [];
  // What the segment now holds is read back from it: only the queued tail stays in memory.
  const forgetWritten = (): void => {
    const w = log?.written ?? 0;
    for (const [k, u] of unwritten) {
      if (u.end > w) break;
      unwritten.delete(k);
    }
  };
  const parse = (key: string, text: string): LlmResponse | undefined => {
    try {
      return JSON.parse(text) as LlmResponse;
    } catch {
      // A line that looked whole but is not JSON (hand-edited, torn mid-file): a miss.
      entries.delete(key);
      return undefined;
    }
  };
  return {
    get(key) {
      const at = entries.get(key);
      if (at === undefined) return undefined;
      if (typeof at === 'string') return parse(key, at);
      forgetWritten();
      const pending = unwritten.get(key);
      if (pending) return parse(key, pending.text);
      const offset = Math.floor(at / LENGTH_SPAN);
      const length = at % LENGTH_SPAN;
      const buf = Buffer.allocUnsafe(length);
      try {
        if (readSync(log!.fd, buf, 0, length, offset) !== length) return undefined;
      } catch {
        return undefined;
      }
      return parse(key, buf.toString('utf8'));
    },
    set(key, response) {
      const r = JSON.stringify(response);
      const line = `{"k":${JSON.stringify(key)},"r":${r}}`;
      const bytes = Buffer.byteLength(line);
      const start = end;
      end += bytes + 1;
      const at = place(key, start, bytes);
      if (at === undefined) entries.set(key, r);
      else {
        entries.set(key, at);
        unwritten.set(key, { text: r, end });
        forgetWritten();
      }
      if (log) return log.append(line);
      // The segment is created lazily so read-only (fully cached) runs leave no empty files.
      queued.push(line);
      opening ??= AppendLog.open(segment).then((l) => {
        log = l;
        for (const q of queued.splice(0)) l.append(q);
        return l;
      });
    },
    get size() {
      return entries.size;
    },
    get skippedLines() {
      return skippedLines;
    },
    async close() {
      if (opening) await (await opening).close();
      // Closed: nothing is read back from the segment any more.
      for (const [k, u] of unwritten) entries.set(k, u.text);
      unwritten.clear();
      for (const [k, at] of entries) if (typeof at === 'number') entries.delete(k);
    },
  };
}

/** Response lengths below this are packed with their offset into one number (see `place`). */
const LENGTH_SPAN = 2 ** 24;

/**
 * Where the response of a line this module writes lies in the segment, packed as
 * `offset * LENGTH_SPAN + length`, for a line of `bytes` bytes at `start`: the line is
 * `{"k":"<64 hex>","r":<response>}`, so the response starts 76 bytes in and ends 1 byte before
 * the end (all ASCII before it). Undefined when the key has another shape or the numbers do not
 * fit exactly: that entry keeps its text.
 */
function place(key: string, start: number, bytes: number): number | undefined {
  const length = bytes - 77;
  const offset = start + 76;
  if (key.length !== 64 || !/^[0-9a-f]{64}$/.test(key) || length >= LENGTH_SPAN || offset * LENGTH_SPAN + length > Number.MAX_SAFE_INTEGER) return undefined;
  return offset * LENGTH_SPAN + length;
}

/**
 * `[key, response JSON]` of one segment line, or undefined for a torn or foreign line. Lines
 * this module wrote are `{"k":"<64 hex>","r":<json>}` and are split without parsing; any other
 * shape is parsed in full.
 */
function splitLine(line: string): [string, string] | undefined {
  if (line.startsWith('{"k":"') && line.charCodeAt(70) === 34 && line.startsWith(',"r":', 71) && line.endsWith('}')) {
    const key = line.slice(6, 70);
    if (/^[0-9a-f]{64}$/.test(key)) return [key, line.slice(76, -1)];
  }
  try {
    const row = JSON.parse(line) as { k?: unknown; r?: unknown };
    return typeof row.k === 'string' && row.r !== undefined ? [row.k, JSON.stringify(row.r)] : undefined;
  } catch {
    return undefined;
  }
}
