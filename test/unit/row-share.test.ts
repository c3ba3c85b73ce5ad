/**
 * RowShare (src/reporters/row-share.ts): two readers of the same rows in the same order load
 * each row once between them, the one ahead waits while too far in front, and one that is done
 * never holds the other back. writeReports uses it for HTML and JUnit when they read rows in the
 * same order, with the same files as without it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportRow } from '../../src/reporters/case-rows.js';
import { asView, summarizeView, type ReportView, type ViewSummary } from '../../src/reporters/report-view.js';
import { RowShare } from '../../src/reporters/row-share.js';
import { REPORT_FORMATS, reporters, writeAtomic, writeReports } from '../../src/reporters/write.js';
import { syntheticRun } from '../browser/synthetic-run.js';

const dirs: string[] = [];
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }); });

/** A view over `n` rows that counts its loads; each load is a new object. */
function countingView(n: number): { view: ReportView; loads: string[] } {
  const loads: string[] = [];
  const briefs = Array.from({ length: n }, (_, i) => ({ caseId: `c${i}`, variant: 'v', dataset: 'd', verdict: 'unchanged-pass' as const, runs: 1, allPass: true, latencySum: 0, hasCase: true }));
  const view: ReportView = {
    run: {} as ReportView['run'],
    briefs,
    // Given, so that the readers take it instead of loading every row for it.
    summary: {} as ViewSummary,
    row: (i, parts) => {
      loads.push(`${i}:${parts ?? 'labels'}`);
      return { caseId: `c${i}`, variant: 'v', dataset: 'd', title: `t${i}`, verdict: 'unchanged-pass', results: [] } satisfies ReportRow;
    },
  };
  return { view, loads };
}

const settled = async (p: Promise<void> | undefined): Promise<boolean> => {
  if (p === undefined) return true;
  let done = false;
  void p.then(() => (done = true));
  for (let k = 0; k < 5; k++) await Promise.resolve();
  return done;
};

describe('RowShare', () => {
  it('two readers in step load each row once and get the same row object', () => {
    const { view, loads } = countingView(50);
    const share = new RowShare(view, 8);
    const a = share.reader(0);
    const b = share.reader(1);
    for (let i = 0; i < 50; i += 5) {
      const mine = [0, 1, 2, 3, 4].map((d) => a.row(i + d));
      const theirs = [0, 1, 2, 3, 4].map((d) => b.row(i + d));
      mine.forEach((r, d) => expect(theirs[d]).toBe(r));
    }
    expect(loads).toHaveLength(50);
    expect(share.loads).toBe(50);
    // Other parts are never shared.
    a.row(3, 'case');
    b.row(3, 'case');
    expect(loads.slice(50)).toEqual(['3:case', '3:case']);
  });

  it('the reader ahead waits while more than `ahead` rows in front, and goes on as the other catches up or finishes', async () => {
    const { view, loads } = countingView(100);
    const share = new RowShare(view, 10);
    const a = share.reader(0);
    const b = share.reader(1);
    // Ten rows in front of a reader that has none yet (at -1): still on.
    for (let i = 0; i <= 9; i++) b.row(i);
    expect(share.pace(1)).toBeUndefined();
    b.row(10);
    const wait = share.pace(1);
    expect(wait).toBeDefined();
    expect(await settled(wait)).toBe(false);
    // The reader behind never waits.
    expect(share.pace(0)).toBeUndefined();
    a.row(0);
    expect(await settled(wait)).toBe(true);
    for (let i = 11; i < 40; i++) b.row(i);
    const again = share.pace(1);
    expect(await settled(again)).toBe(false);
    share.finish(0);
    expect(await settled(again)).toBe(true);
    // Done: nothing more is kept for it, and the reader left loads the rest alone.
    for (let i = 40; i < 100; i++) b.row(i);
    expect(share.pace(1)).toBeUndefined();
    expect(loads).toHaveLength(100);
  });
});

describe('writeAtomic with a pace', () => {
  it('asks after each piece and waits for what it returns before the next', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-share-'));
    dirs.push(dir);
    const pulled: string[] = [];
    function* pieces(): Generator<string> {
      for (const p of ['a', 'b', 'c']) {
        pulled.push(p);
        yield p;
      }
    }
    let release: (() => void) | undefined;
    let asked = 0;
    const writing = writeAtomic(join(dir, 'out.txt'), pieces(), () => (++asked === 2 ? new Promise<void>((r) => (release = r)) : undefined));
    for (let k = 0; k < 50 && release === undefined; k++) await new Promise((r) => setTimeout(r, 5));
    expect(pulled).toEqual(['a', 'b']);
    release!();
    await writing;
    expect(pulled).toEqual(['a', 'b', 'c']);
    expect(asked).toBe(3);
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('abc');
  });
});

describe('writeReports with HTML and JUnit sharing rows', () => {
  it('one JUnit suite: every row loaded once, and every file as without sharing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-share-'));
    dirs.push(dir);
    const { input } = syntheticRun(700, 1);
    const inner = asView(input);
    const loads: number[] = [];
    const view: ReportView = { run: inner.run, briefs: inner.briefs, summary: summarizeView(inner), row: (i, parts) => (parts === undefined || parts === 'labels' ? loads.push(i) : 0, inner.row(i, parts)) };
    await writeReports(dir, view);
    for (const f of REPORT_FORMATS) expect(await readFile(join(dir, reporters[f].file), 'utf8'), f).toBe(reporters[f].render(input));
    // The Markdown summary loads some rows of its own; HTML and JUnit load each row once between them.
    const md = new Set<number>();
    [...reporters.md.chunks({ ...view, row: (i, parts) => (md.add(i), inner.row(i, parts)) })];
    expect(loads.length).toBe(inner.briefs.length + md.size);
    // A view without its aggregates: they are computed once from it (one more load per row), not through the share.
    const bare: number[] = [];
    const noSummary: ReportView = { run: inner.run, briefs: inner.briefs, row: (i, parts) => (parts === undefined || parts === 'labels' ? bare.push(i) : 0, inner.row(i, parts)) };
    const again = join(dir, 'again');
    await writeReports(again, noSummary);
    for (const f of REPORT_FORMATS) expect(await readFile(join(again, reporters[f].file), 'utf8'), f).toBe(reporters[f].render(input));
    expect(bare.length).toBe(2 * inner.briefs.length + md.size);
  });

  it('several suites out of report order: not shared, the same files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-share-'));
    dirs.push(dir);
    const { input } = syntheticRun(200);
    const inner = asView(input);
    let loads = 0;
    const view: ReportView = { run: inner.run, briefs: inner.briefs, summary: summarizeView(inner), row: (i, parts) => (parts === undefined || parts === 'labels' ? loads++ : 0, inner.row(i, parts)) };
    await writeReports(dir, view, ['html', 'junit']);
    for (const f of ['html', 'junit'] as const) expect(await readFile(join(dir, reporters[f].file), 'utf8'), f).toBe(reporters[f].render(input));
    expect(loads).toBe(2 * inner.briefs.length);
  });
});
