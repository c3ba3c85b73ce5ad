/**
 * Two reports that load every row in the same order (the HTML index and JUnit, when the run has
 * one JUnit suite) share each loaded row: the one ahead keeps what it loaded until the other
 * takes it, so each row is read and parsed once instead of twice. At 10,000 cached cases that
 * was about half of JUnit's time (the parse of every result line and case brief).
 *
 * The two are written side by side (writeReports), each at its own pace. So that the rows kept
 * stay few, the one ahead waits (`pace`, between the pieces it writes) while it is more than
 * `ahead` rows in front of the other; the one behind never waits, and a reader that is done
 * (its file written, or failed) releases the other. Only the default (`labels`) parts are
 * shared; rows are read-only to every renderer.
 */
import type { ReportRow } from './case-rows.js';
import { summarizeView, type ReportView } from './report-view.js';

/** Rows the reader ahead may be in front of the other before it waits. */
export const SHARE_AHEAD = 256;

export class RowShare {
  /** Rows loaded by one reader that the other has not taken yet. */
  private readonly kept = new Map<number, ReportRow>();
  /** The last row each reader asked for (-1: none yet). */
  private readonly at = [-1, -1];
  private readonly done = [false, false];
  private waiting: Array<() => void> = [];
  /** Rows loaded from the view (the rest were taken from `kept`). */
  loads = 0;

  constructor(
    private readonly view: ReportView,
    private readonly ahead = SHARE_AHEAD,
  ) {}

  /**
   * Reader `k`'s view: the same as the shared one, but rows come through this share. The
   * aggregates are the shared view's (computed from it once, not through the share).
   */
  reader(k: 0 | 1): ReportView {
    const v = this.view;
    return { run: v.run, briefs: v.briefs, summary: summarizeView(v), ...(v.caseLine ? { caseLine: (i: number) => v.caseLine!(i) } : {}), row: (i, parts) => this.row(k, i, parts) };
  }

  /** Resolves when reader `k` may go on: at once unless it is more than `ahead` rows in front. */
  pace(k: 0 | 1): Promise<void> | undefined {
    if (!this.tooFar(k)) return undefined;
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.pace(k));
  }

  /** Reader `k` loads no more rows: the other never waits for it, and nothing more is kept for it. */
  finish(k: 0 | 1): void {
    this.done[k] = true;
    this.wake();
  }

  private row(k: 0 | 1, i: number, parts: Parameters<ReportView['row']>[1]): ReportRow {
    if (parts !== undefined && parts !== 'labels') return this.view.row(i, parts);
    this.at[k] = i;
    this.wake();
    const had = this.kept.get(i);
    if (had !== undefined) {
      this.kept.delete(i);
      return had;
    }
    this.loads++;
    const row = this.view.row(i);
    if (!this.done[1 - k] && this.at[1 - k]! < i) this.kept.set(i, row);
    return row;
  }

  private tooFar(k: 0 | 1): boolean {
    return !this.done[1 - k] && this.at[k]! - this.at[1 - k]! > this.ahead;
  }

  private wake(): void {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }
}
