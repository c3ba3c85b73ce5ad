/**
 * On-disk response cache. Key: SHA-256 of the canonical JSON of the exact request (API, base
 * URL, model, messages, params, tools) plus the repeat index, so repeat 2 of a case is its own
 * sample yet re-runs are free and deterministic.
 *
 * Layout: `<dir>/v1/<segment>.jsonl`, one append-only segment per process that wrote, each line
 * `{"k": key, "r": LlmResponse}`; all segments are read into a Map (key → response JSON text) at open. Why not one file
 * per entry in sharded dirs: a fully cached 10k-case re-run would then open 10k files
 * (slow on every FS, worse on CI runners and Windows), while reading a few JSONL files is one
 * sequential read each. A segment per process means concurrent runs (shards on one machine)
 * never write to the same file, so no lock is needed; a torn last line from a crash is skipped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../datasets/case.js';
import { AppendLog } from './append-log.js';
import type { LlmRequest, LlmResponse } from './provider.js';

/** Default cache directory, relative to the project root. */
export const DEFAULT_CACHE_DIR = '.evals/cache';

/** Computes the cache key of one request for one repeat. */
export function cacheKey(api: string, baseUrl: string | undefined, req: LlmRequest, repeat: number): string {
  const material = { api, baseUrl: baseUrl ?? null, model: req.model, messages: req.messages, params: req.params, tools: req.tools ?? null, repeat };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
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
 * once instead of building every object up front, and memory holds compact strings (a fresh run
 * keeps what it stores the same way, not the response objects).
 */
export async function openResponseCache(dir: string = DEFAULT_CACHE_DIR): Promise<ResponseCache> {
  const root = join(dir, 'v1');
  const entries = new Map<string, string>();
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
  const segment = join(root, `${Date.now().toString(36)}-${process.pid}-${randomBytes(3).toString('hex')}.jsonl`);
  const queued: string[] = [];
  return {
    get(key) {
      const text = entries.get(key);
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as LlmResponse;
      } catch {
        // A line that looked whole but is not JSON (hand-edited, torn mid-file): a miss.
        entries.delete(key);
        return undefined;
      }
    },
    set(key, response) {
      const r = JSON.stringify(response);
      entries.set(key, r);
      const line = `{"k":${JSON.stringify(key)},"r":${r}}`;
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
    },
  };
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
