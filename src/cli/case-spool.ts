/**
 * What `evals run` keeps of each case it reads, so its reports need not read the case again:
 * the brief (title, tags, incident) and the case's line of the HTML report
 * (`jsonForScript(caseData(case))`, secrets scrubbed), each appended to a spool file in the run
 * directory and found again by byte range. Memory per case is its key and four numbers (a
 * 100,000-case run held ≈30 MB of brief objects before); the briefs have a file of their own so
 * the report passes that read only briefs read a small file. The spools are deleted when the
 * reports are written. Cases the run did not read (a resumed run's earlier cases) are not here:
 * the reports read those from their files, with the same result.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { caseKey } from '../compare/observations.js';
import type { Case } from '../datasets/case.js';
import { jsonForScript } from '../reporters/escape.js';
import { caseData } from '../reporters/html/report-data.js';
import { scrubValue } from '../secrets/scrub.js';
import { caseBrief, type CaseBrief, type KnownCases } from './run-cases.js';
import { ResultLines } from '../runner/results-scan.js';

/** The case lines' spool in the run directory. */
export const CASE_SPOOL_FILE = '.report-cases.tmp';
/** The briefs' spool in the run directory. */
export const BRIEF_SPOOL_FILE = '.report-briefs.tmp';

/** Spooled lines are written in batches of about this many bytes. */
const FLUSH_BYTES = 1 << 16;

/** One append-only spool file, read back by byte range. */
class SpoolFile {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Bytes in the file plus bytes pending: the offset of the next line. */
  private end = 0;
  private reader: ResultLines | undefined;
  /** The file could not be written: nothing more is kept in it. */
  broken = false;

  constructor(readonly file: string) {}

  /** Appends `text` as a line; returns its offset, or -1 once the file is broken. */
  append(text: string, bytes: number): number {
    if (this.broken) return -1;
    const offset = this.end;
    this.pending.push(text, '\n');
    // Blocks read before this line was appended may end short of it.
    this.reader = undefined;
    this.pendingBytes += bytes + 1;
    this.end += bytes + 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return offset;
  }

  read(offset: number, length: number): string | undefined {
    if (this.pendingBytes > 0) this.flush();
    if (this.broken || this.fd === undefined) return undefined;
    this.reader ??= new ResultLines(this.fd, this.file);
    return this.reader.text(offset, length);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.reader = undefined;
    this.broken = true;
    rmSync(this.file, { force: true });
  }

  private flush(): void {
    try {
      this.fd ??= openSync(this.file, 'w+');
      writeSync(this.fd, this.pending.join(''));
    } catch {
      // A spool that cannot be written is only a lost shortcut: the reports read the case files.
      this.broken = true;
    }
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/**
 * What the spools keep of case `c` (as read from its file): its brief as JSON and, when `withLine`,
 * its line of the HTML report, both with secrets scrubbed. Pure apart from the registered secrets.
 */
export function spoolTexts(c: Case, withLine = true): { brief: string; line: string } {
  const scrubbed = scrubValue(c);
  return { brief: JSON.stringify(caseBrief(scrubbed)), line: withLine ? jsonForScript(caseData(scrubbed)) : '' };
}

/** Numbers kept per case: brief offset and length, case line offset and length. */
const FIELDS = 4;

export class CaseSpool implements KnownCases {
  readonly file: string;
  private readonly lines: SpoolFile;
  private readonly briefs: SpoolFile;
  /** Row of each kept case, by `dataset\0id`. */
  private readonly rows = new Map<string, number>();
  /** {@link FIELDS} numbers per row; an offset of -1: not in that spool. */
  private places = new Float64Array(FIELDS * 256);
  /** Briefs of rows whose brief could not be spooled (the file could not be written). */
  private readonly held = new Map<string, CaseBrief>();

  constructor(runDir: string) {
    this.file = join(runDir, CASE_SPOOL_FILE);
    this.lines = new SpoolFile(this.file);
    this.briefs = new SpoolFile(join(runDir, BRIEF_SPOOL_FILE));
  }

  /** Keeps case `c` of `dataset` (as read from its file, before any scrubbing). */
  add(dataset: string, c: Case): void {
    const { brief, line } = spoolTexts(c, !this.lines.broken);
    this.addTexts(dataset, c.id, brief, line);
  }

  /** Keeps case `id` of `dataset` by its {@link spoolTexts} (made on the case read thread). */
  addTexts(dataset: string, id: string, briefText: string, line: string): void {
    const key = caseKey(dataset, id);
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.rows.size;
      this.rows.set(key, row);
      if (this.places.length < FIELDS * (row + 1)) {
        const grown = new Float64Array(this.places.length * 2);
        grown.set(this.places);
        this.places = grown;
      }
    }
    const at = FIELDS * row;
    const briefBytes = Buffer.byteLength(briefText);
    this.places[at] = this.briefs.append(briefText, briefBytes);
    this.places[at + 1] = briefBytes;
    if (this.places[at]! < 0) this.held.set(key, JSON.parse(briefText) as CaseBrief);
    else this.held.delete(key);
    const lineBytes = Buffer.byteLength(line);
    this.places[at + 2] = this.lines.append(line, lineBytes);
    this.places[at + 3] = lineBytes;
  }

  brief(key: string): CaseBrief | undefined {
    const row = this.rows.get(key);
    if (row === undefined) return undefined;
    const at = FIELDS * row;
    const text = this.places[at]! < 0 ? undefined : this.briefs.read(this.places[at]!, this.places[at + 1]!);
    return text === undefined ? this.held.get(key) : (JSON.parse(text) as CaseBrief);
  }

  line(key: string): string | undefined {
    const row = this.rows.get(key);
    if (row === undefined) return undefined;
    const at = FIELDS * row;
    return this.places[at + 2]! < 0 ? undefined : this.lines.read(this.places[at + 2]!, this.places[at + 3]!);
  }

  /** Closes and deletes the spools; nothing is known after (the reports read the case files). */
  close(): void {
    this.lines.close();
    this.briefs.close();
    this.rows.clear();
    this.held.clear();
  }
}
