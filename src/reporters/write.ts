/**
 * The only reporter code that touches the disk: renders the chosen formats and writes each
 * file atomically (temp file in the same directory, then rename), so a reader never sees half
 * a report.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunError, UsageError } from '../errors.js';
import { renderHtml } from './html/render-html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { ReportInput } from './report-input.js';
import { scrubKnownValues, scrubValue } from '../secrets/scrub.js';

/** A reporter: the file it writes and its pure render function. */
export interface ReporterDef {
  file: string;
  render: (input: ReportInput) => string;
}

/** Built-in reporters by format name. */
export const reporters = {
  html: { file: 'report.html', render: renderHtml },
  md: { file: 'summary.md', render: (input) => renderMarkdown(input) },
  junit: { file: 'junit.xml', render: renderJunit },
  json: { file: 'run.json', render: renderJson },
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
 */
export async function writeReports(dir: string, input: ReportInput, formats: readonly ReportFormat[] = REPORT_FORMATS, opts: WriteReportsOptions = {}): Promise<string[]> {
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
  const clean: ReportInput = {
    run: scrubValue(input.run),
    results: opts.resultsScrubbed ? input.results : input.results.map((r) => scrubValue(r)),
    cases: new Map([...input.cases].map(([id, c]) => [id, scrubValue(c)])),
  };
  const written: string[] = [];
  for (const format of formats) {
    const def: ReporterDef = reporters[format];
    const path = join(dir, def.file);
    await writeAtomic(path, scrubKnownValues(def.render(clean)));
    written.push(path);
  }
  return written;
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

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw new RunError(`cannot write report ${path}`, { file: path, cause });
  }
}
