/**
 * What `evals run` keeps of each case it reads, so its reports need not read the case again:
 * the brief (title, tags, incident) in memory, and the case's line of the HTML report
 * (`jsonForScript(caseData(case))`, secrets scrubbed) appended to a spool file in the run
 * directory, found again by byte range. Memory per case is the brief and two numbers; the spool
 * is deleted when the reports are written. Cases the run did not read (a resumed run's earlier
 * cases) are not here: the reports read those from their files, with the same result.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from '../datasets/case.js';
import { jsonForScript } from '../reporters/escape.js';
import { caseData } from '../reporters/html/report-data.js';
import { scrubValue } from '../secrets/scrub.js';
import { caseBrief, type CaseBrief, type KnownCases } from './run-cases.js';
import { ResultLines } from './results-scan.js';

/** The spool's name in the run directory. */
export const CASE_SPOOL_FILE = '.report-cases.tmp';

/** Spooled lines are written in batches of about this many bytes. */
const FLUSH_BYTES = 1 << 16;

interface Entry {
  brief: CaseBrief;
  /** Byte range of the case line in the spool; -1 when the spool could not be written. */
  offset: number;
  length: number;
}

export class CaseSpool implements KnownCases {
  readonly file: string;
  private readonly entries = new Map<string, Entry>();
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Bytes in the file plus bytes pending: the offset of the next line. */
  private end = 0;
  private reader: ResultLines | undefined;
  private broken = false;

  constructor(runDir: string) {
    this.file = join(runDir, CASE_SPOOL_FILE);
  }

  /** Keeps case `c` of `dataset` (as read from its file, before any scrubbing). */
  add(dataset: string, c: Case): void {
    const scrubbed = scrubValue(c);
    const entry: Entry = { brief: caseBrief(scrubbed), offset: -1, length: 0 };
    if (!this.broken) {
      const text = jsonForScript(caseData(scrubbed));
      const bytes = Buffer.byteLength(text);
      entry.offset = this.end;
      entry.length = bytes;
      this.pending.push(text, '\n');
      // Blocks read before this line was appended may end short of it.
      this.reader = undefined;
      this.pendingBytes += bytes + 1;
      this.end += bytes + 1;
      if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    }
    this.entries.set(`${dataset}\u0000${c.id}`, entry);
  }

  brief(key: string): CaseBrief | undefined {
    return this.entries.get(key)?.brief;
  }

  line(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e || e.offset < 0) return undefined;
    if (this.pendingBytes > 0) this.flush();
    if (this.broken || this.fd === undefined) return undefined;
    this.reader ??= new ResultLines(this.fd, this.file);
    return this.reader.text(e.offset, e.length);
  }

  /** Closes and deletes the spool (the briefs stay readable). */
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
