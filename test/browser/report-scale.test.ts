/**
 * The paginated report in Chromium (functional, never timed): filters and search reach rows on
 * every page (outputs included, which are not parsed until searched), `#case-<id>` opens a case
 * on a far page (on load, on hash change, through a filter that hides it), opening a row writes
 * its anchor, and a report of 100,000 cases opens, pages, searches and jumps.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildRows } from '../../src/reporters/case-rows.js';
import { PAGE_SIZE } from '../../src/reporters/html/client-table.js';
import { renderHtmlChunks } from '../../src/reporters/html/render-html.js';
import type { ReportInput } from '../../src/reporters/report-input.js';
import { writeReports } from '../../src/reporters/write.js';
import { hasChromium, launchChromium, watchedPage, type PageWatch } from './chromium.js';
import { syntheticRun } from './synthetic-run.js';

if (!hasChromium) console.warn('skipping browser test: /usr/bin/chromium not found (apt-get install -y chromium)');

const idOf = (i: number): string => `c_${i.toString(16).padStart(16, '0')}`;
const rowCount = (w: PageWatch): Promise<number> => w.page.locator('#cases tbody tr.row').count();

/** Rows (case × variant) whose candidate output (first repeat) contains `text`. */
function rowsWithOutput(input: ReportInput, text: string): number {
  return input.results.filter((r) => r.repeat === 0 && (r.output ?? '').includes(text)).length;
}

/** The case whose first row comes last in the report's order, and that row's 1-based page. */
function farthestCase(input: ReportInput): { id: string; page: number } {
  const first = new Map<string, number>();
  buildRows(input).forEach((r, i) => { if (!first.has(r.caseId)) first.set(r.caseId, i); });
  const [id, at] = [...first].reduce((a, b) => (b[1] > a[1] ? b : a));
  return { id, page: Math.floor(at / PAGE_SIZE) + 1 };
}

describe.skipIf(!hasChromium)('paginated report in Chromium', () => {
  const { input, expected } = syntheticRun(1000);
  let dir = '';
  let url = '';
  let browser: Browser;
  let w: PageWatch;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evals-report-pages-'));
    const [file] = await writeReports(dir, input, ['html']);
    url = pathToFileURL(file ?? '').href;
    browser = await launchChromium();
    w = await watchedPage(browser);
    await w.page.goto(url);
    await w.page.waitForSelector('#cases tbody tr.row');
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('filters over every page and pages through the filtered rows', async () => {
    const unchanged = expected['unchanged-pass'] + expected['unchanged-fail'];
    expect(unchanged).toBeGreaterThan(2 * PAGE_SIZE);
    await w.page.selectOption('#f-verdict', 'unchanged');
    expect(await w.page.textContent('#count')).toBe(`${unchanged} of 2000 rows`);
    const pages = Math.ceil(unchanged / PAGE_SIZE);
    for (let p = 1; p < pages; p++) await w.page.click('#next');
    expect(await w.page.textContent('#page')).toBe(`rows ${(pages - 1) * PAGE_SIZE + 1}–${unchanged} · page ${pages} of ${pages}`);
    expect(await rowCount(w)).toBe(unchanged - (pages - 1) * PAGE_SIZE);
    expect(await w.page.locator('#next').isDisabled()).toBe(true);
    const badges = await w.page.locator('#cases tbody tr.row .badge').allTextContents();
    expect(badges.filter((b) => !b.startsWith('unchanged-'))).toEqual([]);
    await w.page.selectOption('#f-verdict', 'all');
    expect(await w.page.textContent('#page')).toBe('rows 1–200 · page 1 of 10');
  });

  it('searches outputs on every page, hostile text included', async () => {
    // In the candidate output only (the title reads "order #1997"), on a far page.
    const n = rowsWithOutput(input, 'for order 1997.');
    expect(n).toBeGreaterThan(0);
    await w.page.fill('#f-search', 'for order 1997.');
    await expect.poll(() => w.page.textContent('#count')).toBe(`${n} of 2000 rows`);
    expect(new Set(await w.page.locator('#cases tbody tr.row td.mono').allTextContents())).toEqual(new Set([idOf(997)]));
    const hostile = '</script><script>window.__pwned=2';
    const h = rowsWithOutput(input, hostile);
    expect(h).toBeGreaterThan(1);
    await w.page.fill('#f-search', hostile.toUpperCase());
    await expect.poll(() => w.page.textContent('#count')).toBe(`${h} of 2000 rows`);
    await w.page.fill('#f-search', 'no such text anywhere');
    await expect.poll(() => w.page.textContent('#count')).toBe('0 of 2000 rows');
    expect(await w.page.textContent('#page')).toBe('no rows');
    await w.page.fill('#f-search', '');
    await expect.poll(() => w.page.textContent('#count')).toBe('2000 of 2000 rows');
  });

  it('opens a case on a far page from its #case- anchor: on load, on hash change, through a filter', async () => {
    const far = farthestCase(input);
    expect(far.page).toBeGreaterThan(5);
    await w.page.goto('about:blank');
    await w.page.goto(`${url}#case-${far.id}`);
    const detail = w.page.locator('#cases tr.detail');
    await detail.waitFor();
    expect(await w.page.textContent('#page')).toContain(`page ${far.page} of 10`);
    expect(await w.page.locator('#cases tr.open td.mono').textContent()).toBe(far.id);
    const n = Number.parseInt(far.id.slice(2), 16);
    expect(await detail.textContent()).toContain(`doc-${n}-1`);

    // A hash change while a filter hides the case: filters are cleared, the case opens.
    await w.page.selectOption('#f-verdict', 'regressed');
    const rows = buildRows(input);
    const regressed = new Set(rows.filter((r) => r.verdict === 'regressed').map((r) => r.caseId));
    const hidden = rows.find((r) => !regressed.has(r.caseId) && r.caseId !== far.id)?.caseId ?? '';
    await w.page.evaluate(`location.hash = '#case-${hidden}'`);
    await expect.poll(() => w.page.locator('#cases tr.open td.mono').textContent()).toBe(hidden);
    expect(await w.page.inputValue('#f-verdict')).toBe('all');
    expect(await detail.textContent()).toContain(`doc-${Number.parseInt(hidden.slice(2), 16)}-1`);

    // Opening a row names it in the address; an unknown anchor changes nothing.
    const row = w.page.locator('#cases tbody tr.row').nth(3);
    const id = await row.locator('td.mono').textContent();
    await row.click();
    expect(await w.page.evaluate('location.hash')).toBe(`#case-${id}`);
    await w.page.evaluate("location.hash = '#case-c_nope'");
    expect(await w.page.locator('#cases tr.open td.mono').textContent()).toBe(id);
    expect(w.errors).toEqual([]);
    expect(await w.page.evaluate('window.__pwned ?? null')).toBeNull();
  });
});

describe.skipIf(!hasChromium)('report of 100,000 cases in Chromium', () => {
  const N = 100_000;
  let dir = '';
  let url = '';
  let browser: Browser;
  let w: PageWatch;
  let input: ReportInput;

  beforeAll(async () => {
    input = syntheticRun(N, 1).input;
    dir = await mkdtemp(join(tmpdir(), 'evals-report-100k-'));
    const file = join(dir, 'report.html');
    // The streaming interface: pieces straight to disk, never one string of the whole report.
    await pipeline(Readable.from(renderHtmlChunks(input)), createWriteStream(file));
    url = pathToFileURL(file).href;
    browser = await launchChromium();
    w = await watchedPage(browser);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opens with one page of rows, pages, searches every output and jumps to the farthest case', async () => {
    const far = farthestCase(input);
    await w.page.goto(`${url}#case-${far.id}`, { timeout: 120_000 });
    await w.page.locator('#cases tr.detail').waitFor({ timeout: 120_000 });
    expect(await w.page.textContent('#count')).toBe(`${N} of ${N} rows`);
    expect(await rowCount(w)).toBe(PAGE_SIZE);
    expect(await w.page.textContent('#page')).toContain(`page ${far.page} of ${N / PAGE_SIZE}`);
    expect(far.page).toBeGreaterThan(N / PAGE_SIZE / 2);
    expect(await w.page.locator('#cases tr.open td.mono').textContent()).toBe(far.id);
    const text = 'for order 100996.'; // case 99,996
    const n = rowsWithOutput(input, text);
    await w.page.fill('#f-search', text);
    await expect.poll(() => w.page.textContent('#count'), { timeout: 60_000 }).toBe(`${n} of ${N} rows`);
    expect(n).toBe(1);
    await w.page.locator('#cases tbody tr.row').first().click();
    expect(await w.page.locator('#cases tr.detail').textContent()).toContain('doc-99996-1');
    expect(w.errors).toEqual([]);
  }, 300_000);
});
