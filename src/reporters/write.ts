/**
 * The only reporter code that touches the disk: renders the chosen formats and writes each
 * file atomically (temp file in the same directory, then rename), so a reader never sees half
 * a report.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { EvalsError, RunError, UsageError } from '../errors.js';
import { renderHtml, renderHtmlChunks, type SpillFactory } from './html/render-html.js';
import { renderJson, renderJsonChunks } from './json.js';
import { junitSuites, renderJunit, renderJunitChunks } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { ReportInput } from './report-input.js';
import type { ReportView } from './report-view.js';
import { RowShare } from './row-share.js';
import { scrubKnownValues, scrubValue } from '../secrets/scrub.js';

/** A reporter: the file it writes, its pure render function, and the same text in pieces. */
export interface ReporterDef {
  file: string;
  render: (input: ReportInput | ReportView) => string;
  chunks: (input: ReportInput | ReportView) => Iterable<string>;
}

/** Built-in reporters by format name. */
export const reporters = {
  html: { file: 'report.html', render: renderHtml, chunks: renderHtmlChunks },
  md: { file: 'summary.md', render: (input) => renderMarkdown(input), chunks: (input) => [renderMarkdown(input)] },
  junit: { file: 'junit.xml', render: renderJunit, chunks: renderJunitChunks },
  json: { file: 'run.json', render: renderJson, chunks: renderJsonChunks },
} as const satisfies Record<string, ReporterDef>;

/** A format name accepted by `writeReports`: `html`, `md`, `junit` or `json`. */
export type ReportFormat = keyof typeof reporters;

/** Every format, in the order they are written. */
export const REPORT_FORMATS = Object.keys(reporters) as ReportFormat[];

/** True when `name` is a built-in format (for validating CLI input). */
export function isReportFormat(name: string): name is ReportFormat {
  return Object.hasOwn(reporters, name);
}

/**
 * Renders and writes reports into `dir` (created when missing), with secrets scrubbed from
 * everything they show (secrets/scrub.ts). `formats` defaults to all four.
 * Returns the written paths in `formats` order. Throws `UsageError` for an unknown format and
 * `RunError` when a file cannot be written.
 *
 * `input` is a run in memory, or a view (report-view.ts) whose rows are already scrubbed (the
 * run directory's view: results were scrubbed by their writer, cases as they are read). Each
 * report is written in pieces of whole rows, registered credential values masked piece by
 * piece, so no report is ever one string in memory.
 */
export async function writeReports(dir: string, input: ReportInput | ReportView, formats: readonly ReportFormat[] = REPORT_FORMATS, opts: WriteReportsOptions = {}): Promise<string[]> {
  for (const f of formats) {
    if (!isReportFormat(f)) {
      throw new UsageError('unknown report format', { field: 'formats', expected: REPORT_FORMATS.join(', '), found: String(f) });
    }
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new RunError(`cannot create the report directory ${dir}`, { file: dir, cause });
  }
  // Provider error bodies may echo a key: nothing the reports show keeps one.
  const clean: ReportInput | ReportView = 'briefs' in input
    ? input
    : {
        run: scrubValue(input.run),
        results: opts.resultsScrubbed ? input.results : input.results.map((r) => scrubValue(r)),
        cases: new Map([...input.cases].map(([id, c]) => [id, scrubValue(c)])),
      };
  // The formats are written side by side: while one waits for the disk, another renders (one
  // after the other, the process sat idle at the end of each file and between them).
  const paths = formats.map((format) => join(dir, reporters[format].file));
  // HTML and JUnit load each row of a view once between them when they load rows in the same order.
  const share = 'briefs' in clean && formats.includes('html') && formats.includes('junit') && inReportOrder(junitSuites(clean.briefs)) ? new RowShare(clean) : undefined;
  const readerOf = (format: ReportFormat): 0 | 1 | undefined => (share === undefined ? undefined : format === 'html' ? 0 : format === 'junit' ? 1 : undefined);
  const chunksOf = (format: ReportFormat): Iterable<string> => {
    const k = readerOf(format);
    const source = k === undefined ? clean : share!.reader(k);
    const pieces = format === 'html' ? renderHtmlChunks(source, fileSpill(dir)) : (reporters[format] as ReporterDef).chunks(source);
    return k === undefined ? pieces : finishing(pieces, () => share!.finish(k));
  };
  const paceOf = (format: ReportFormat): (() => Promise<void> | undefined) | undefined => {
    const k = readerOf(format);
    return k === undefined ? undefined : () => share!.pace(k);
  };
  // A file that fails before its renderer starts (its temp file cannot be opened) releases the other reader too.
  const outcomes = await Promise.allSettled(formats.map((format, i) => writeAtomic(paths[i]!, chunksOf(format), paceOf(format)).finally(() => {
    const k = readerOf(format);
    if (k !== undefined) share!.finish(k);
  })));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  return paths;
}

/** True when `suites`' rows, one suite after the other, are rows 0, 1, 2, … (one suite, or suites in report order). */
function inReportOrder(suites: ReadonlyArray<[string, readonly number[]]>): boolean {
  let next = 0;
  for (const [, rows] of suites) for (const i of rows) if (i !== next++) return false;
  return true;
}

/** `pieces`, calling `done` once they end, are abandoned or fail. */
function* finishing(pieces: Iterable<string>, done: () => void): Generator<string> {
  try {
    yield* pieces;
  } finally {
    done();
  }
}

/** Options of {@link writeReports}. */
export interface WriteReportsOptions {
  /**
   * The results were read back from `results.jsonl`, whose writer already scrubbed every line
   * (runner/results.ts): they are not copied and scrubbed again (at 10,000 cases that copy is
   * a second set of every result in memory). Registered credential values are still masked in
   * every rendered file. Default false.
   */
  resultsScrubbed?: boolean;
}

/** Pieces are gathered up to about this many characters per write (kept small: see render-html.ts). */
const WRITE_BATCH = 1 << 15;

/**
 * Writes the pieces to a temp file in the same directory, then renames it over `path`.
 * Registered credential values are masked in each piece: every piece is made of whole rendered
 * values (a row, a JSON entry), so a value is never split between two pieces. `pace`, asked
 * after each piece, may return a promise to wait for before the next (see row-share.ts).
 */
export async function writeAtomic(path: string, pieces: Iterable<string>, pace?: () => Promise<void> | undefined): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let fh: FileHandle | undefined;
  // One write in flight while the next batch renders: the disk and the renderer overlap
  // (sequential awaits left the process idle for ≈15% of a 10,000-case report phase).
  let inFlight: Promise<unknown> | undefined;
  try {
    fh = await open(tmp, 'w');
    const file = fh;
    let buf: string[] = [];
    let size = 0;
    const send = async (text: string): Promise<void> => {
      await inFlight;
      inFlight = file.write(text);
      // Awaited by the next send or at the end; a failure must not surface as unhandled first.
      inFlight.catch(() => undefined);
    };
    for (const piece of pieces) {
      const text = scrubKnownValues(piece);
      buf.push(text);
      size += text.length;
      if (size >= WRITE_BATCH) {
        await send(buf.join(''));
        buf = [];
        size = 0;
      }
      const wait = pace?.();
      if (wait) await wait;
    }
    if (size > 0) await send(buf.join(''));
    await inFlight;
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (cause) {
    await inFlight?.catch(() => undefined);
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    if (cause instanceof EvalsError) throw cause;
    throw new RunError(`cannot write report ${path}`, { file: path, cause });
  }
}

/** Bytes gathered before a spill write, and read back per read. */
const SPILL_BLOCK = 1 << 15;

/**
 * Spills of the HTML report's output and detail lines (render-html.ts) to temp files in `dir`,
 * next to the report being written: memory stays flat at any number of rows (4 MB of lines at
 * 10,000 cases, 40 MB at 100,000). Each file is deleted when its spill is closed, which the
 * renderer does also when the write fails. Lines are read back in pieces that end where a line
 * ends, so a registered credential value is never split between two pieces.
 */
export function fileSpill(dir: string): SpillFactory {
  return () => {
    const file = join(dir, `.report-lines.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    let fd: number | undefined;
    let pending: string[] = [];
    let size = 0;
    const flush = (): void => {
      if (size === 0) return;
      fd ??= openSync(file, 'w+');
      writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    };
    return {
      add(text) {
        pending.push(text);
        size += text.length;
        if (size >= SPILL_BLOCK) flush();
      },
      *pieces() {
        flush();
        if (fd === undefined) return;
        const buf = Buffer.allocUnsafe(SPILL_BLOCK);
        const decoder = new StringDecoder('utf8');
        let position = 0;
        let carry = '';
        for (;;) {
          const n = readSync(fd, buf, 0, SPILL_BLOCK, position);
          if (n === 0) break;
          position += n;
          const text = carry + decoder.write(buf.subarray(0, n));
          // Lines start with their newline: cut before the last one, keep the rest for the next piece.
          const cut = text.lastIndexOf('\n');
          if (cut <= 0) {
            carry = text;
            continue;
          }
          yield text.slice(0, cut);
          carry = text.slice(cut);
        }
        carry += decoder.end();
        if (carry.length > 0) yield carry;
      },
      close() {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
        pending = [];
        rmSync(file, { force: true });
      },
    };
  };
}
