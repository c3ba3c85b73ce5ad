/**
 * `results.jsonl`: one CaseResult per line, appended through one ordered queue (see
 * AppendLog), read back tolerantly: a torn LAST line (crash mid-write) is skipped, a broken
 * line anywhere else is an InputError naming the line. Resume reads only the keys.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppendLog } from '../providers/append-log.js';
import { ByCaseId } from '../compare/observations.js';
import { SlimTable } from '../compare/slim-table.js';
import { scrubText } from '../secrets/scrub.js';
import type { CaseResult } from './result.js';
import { scanResults } from './results-scan.js';

export { parseLine } from './results-scan.js';

/** File name inside a run directory. */
export const RESULTS_FILE = 'results.jsonl';

/** Error type of a case not run because the cost budget was reached; resume runs it again. */
export const SKIPPED_BY_BUDGET = 'skipped_budget';

/**
 * Identity of one result: `dataset|caseId|variant|repeat` (two datasets may hold the same case
 * id; confirmation re-runs have repeat indexes after the first pass's).
 */
export function resultKey(r: { dataset: string; caseId: string; variant: string; repeat: number }): string {
  // One flat string (see groupKey): these are the keys of maps over every result.
  return [r.dataset, r.caseId, r.variant, r.repeat].join('|');
}

/** Appends results in call order (secrets scrubbed, see secrets/scrub.ts); `close()` fsyncs once. */
export interface ResultsWriter {
  write(result: CaseResult): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /**
   * With `track`: what `scanSlimResults` would read from the file now, kept as each line is
   * written (everything queued counts, flushed or not; `bytes` is the file's size once it is).
   * Undefined without `track`, or when the file held lines before this writer opened it.
   */
  scan(): SlimScan | undefined;
}

/** Options of {@link openResultsWriter}. */
export interface ResultsWriterOptions {
  /**
   * Keep the slim table of the lines written (see `scan()`): a run that starts on an empty
   * file reads it in confirmation and the reports without parsing every line again. The
   * number is the results expected, to size the table.
   */
  track?: number;
}

/** Opens `<dir>/results.jsonl` for appending (creating it), trimming a torn last line. */
export async function openResultsWriter(dir: string, opts: ResultsWriterOptions = {}): Promise<ResultsWriter> {
  const file = join(dir, RESULTS_FILE);
  const log = await AppendLog.open(file);
  const tracked = opts.track !== undefined && statSync(file).size === 0 ? new SlimScanBuilder(opts.track) : undefined;
  let bytes = 0;
  return {
    write: (r) => {
      const json = JSON.stringify(r);
      const line = scrubText(json);
      log.append(line);
      if (!tracked) return;
      const length = Buffer.byteLength(line);
      // The line as a reader parses it: the result itself unless scrubbing changed the text.
      tracked.add(line === json ? r : (JSON.parse(line) as CaseResult), bytes, length);
      bytes += length + 1;
    },
    flush: () => log.flush(),
    close: () => log.close(),
    scan: () => tracked?.scan(bytes),
  };
}

/**
 * Streams every parsed line of `<dir>/results.jsonl` (duplicates included, in file order).
 * Yields nothing when the file does not exist. Read in chunks into one reused buffer
 * (results-scan.ts): a line reader over a stream cost twice the time.
 */
export async function* iterateResults(dir: string): AsyncGenerator<CaseResult> {
  for await (const { result } of scanResults(join(dir, RESULTS_FILE))) yield result;
}

/** All results, one per key (the last line for a key wins: a resumed budget skip is replaced). */
export async function readResults(dir: string): Promise<CaseResult[]> {
  const byKey = new Map<string, CaseResult>();
  for await (const r of iterateResults(dir)) {
    const k = resultKey(r);
    byKey.delete(k);
    byKey.set(k, r);
  }
  return [...byKey.values()];
}

/**
 * All results as {@link readResults} returns them (one per key, the last line winning), but
 * slim and kept by column (compare/slim-table.ts): what confirmation reads every round. Each
 * iteration builds the slim objects anew. At 100,000 cases the full objects were ≈300 MB of
 * heap at once; the table holds ≈15 MB. `expected`: the number of results, when known.
 */
export async function readSlimResults(dir: string, expected?: number): Promise<Iterable<CaseResult>> {
  return (await scanSlimResults(dir, expected)).results;
}

/**
 * results.jsonl read into a slim table with each line's place, as the reports read it too: a
 * run whose file has not changed since confirmation read it hands this over (`bytes` tells),
 * and the reports do not read and parse every line again.
 */
export interface SlimScan {
  table: SlimTable;
  /** The table's rows, the last line per key, in file order. */
  rows: number[];
  /** Size of the file read. */
  bytes: number;
  results: Iterable<CaseResult>;
}

/** Reads `<dir>/results.jsonl` into a {@link SlimScan}. */
export async function scanSlimResults(dir: string, expected?: number): Promise<SlimScan> {
  const file = join(dir, RESULTS_FILE);
  // The writer has flushed: this is the size read (a reader sees nothing appended later).
  const bytes = existsSync(file) ? statSync(file).size : 0;
  const built = new SlimScanBuilder(expected);
  for await (const { result, offset, length } of scanResults(file)) {
    if (offset >= bytes) break;
    built.add(result, offset, length);
  }
  return built.scan(bytes);
}

/** A {@link SlimScan} built line by line, from the file (`scanSlimResults`) or as it is written (`openResultsWriter`). */
class SlimScanBuilder {
  private readonly table: SlimTable;
  private readonly latest = new LatestRows();

  constructor(expected?: number) {
    this.table = new SlimTable(expected);
  }

  /** The result on the line at `offset`, `length` bytes long. */
  add(result: CaseResult, offset: number, length: number): void {
    this.latest.set(result, this.table.add(result, offset, length));
  }

  /** The results so far, the last line per key, for a file of `bytes` bytes. */
  scan(bytes: number): SlimScan {
    const rows = this.latest.rows();
    return { table: this.table, rows, bytes, results: this.table.results(rows) };
  }
}

/**
 * The last row stored per result key (`resultKey`): what a reader of results.jsonl keeps when a
 * key appears on several lines. By dataset × variant × repeat, then by the case id string the
 * result already holds (ByCaseId), so no key string is built per result (100,000 of them cost ≈8 MB).
 */
export class LatestRows {
  private readonly maps = new ByCaseId<number>();

  set(r: Pick<CaseResult, 'dataset' | 'caseId' | 'variant' | 'repeat'>, row: number): void {
    this.maps.part(r.dataset, r.variant, r.repeat, true).set(r.caseId, row);
  }

  /** The rows kept, ascending: the order of each key's last line, as a Map moved to the end on every update would give. */
  rows(): number[] {
    const out: number[] = [];
    for (const m of this.maps.parts()) for (const row of m.values()) out.push(row);
    return out.sort((a, b) => a - b);
  }
}

/** Keys a resumed run must not run again: every result except budget skips. */
export async function completedKeys(dir: string): Promise<Set<string>> {
  const done = new Set<string>();
  for await (const r of iterateResults(dir)) {
    const k = resultKey(r);
    if (r.error?.type === SKIPPED_BY_BUDGET) done.delete(k);
    else done.add(k);
  }
  return done;
}
