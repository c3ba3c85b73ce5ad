/**
 * Opens a generated report (1,000 cases × 2 variants, hostile content) in headless Chromium
 * via file:// and checks: no console errors, no CSP violations, no network, verdict visible,
 * filtering, the detail panel, and that injection attempts stay text.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { writeReports } from '../../src/reporters/write.js';
import { CHROMIUM, hasChromium, launchChromium, watchedPage } from './chromium.js';
import { HOSTILE, HOSTILE_CASE_ID, syntheticRun } from './synthetic-run.js';

if (!hasChromium) console.warn(`skipping browser test: ${CHROMIUM} not found (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('HTML report in Chromium', () => {
  const synthetic = syntheticRun(1000);
  let dir = '';
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[] = [];
  let requests: string[] = [];
  let dialogs: string[] = [];
  let reportUrl = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evals-report-'));
    const [htmlPath] = await writeReports(dir, synthetic.input, ['html']);
    reportUrl = pathToFileURL(htmlPath ?? '').href;
    browser = await launchChromium();
    ({ page, errors: consoleErrors, requests, dialogs } = await watchedPage(browser));
    await page.goto(reportUrl);
    await page.waitForSelector('#cases tbody tr.row');
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads without errors, CSP violations or network requests', async () => {
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate('window.__csp')).toEqual([]);
    expect(requests.filter((u) => u !== reportUrl && !u.startsWith('data:'))).toEqual([]);
  });

  it('shows the verdict and the counts', async () => {
    expect(await page.textContent('#verdict')).toBe('gate: fail');
    expect(await page.textContent('[data-count="regressed"] .n')).toBe(String(synthetic.expected.regressed));
    expect(await page.textContent('#count')).toContain('of 2000 rows');
  });

  it('filters by verdict, variant and text', async () => {
    await page.selectOption('#f-verdict', 'regressed');
    const n = synthetic.expected.regressed;
    expect(n).toBeGreaterThan(50);
    expect(n).toBeLessThanOrEqual(200);
    expect(await page.locator('#cases tbody tr.row').count()).toBe(n);
    expect(await page.textContent('#count')).toBe(`${n} of 2000 rows`);
    const verdicts = await page.locator('#cases tbody tr.row .badge').allTextContents();
    expect(new Set(verdicts)).toEqual(new Set(['regressed']));
    await page.selectOption('#f-variant', 'gpt-next');
    const perVariant = await page.locator('#cases tbody tr.row').count();
    expect(perVariant).toBeGreaterThan(0);
    expect(perVariant).toBeLessThan(n);
    await page.selectOption('#f-verdict', 'all');
    await page.selectOption('#f-variant', 'all');
    expect(await page.locator('#cases tbody tr.row').count()).toBe(200);
    expect(await page.textContent('#page')).toBe('rows 1–200 · page 1 of 10');
    const firstOnPage1 = await page.locator('#cases tbody tr.row td.mono').first().textContent();
    await page.click('#next');
    expect(await page.locator('#cases tbody tr.row').count()).toBe(200);
    expect(await page.textContent('#page')).toBe('rows 201–400 · page 2 of 10');
    expect(await page.locator('#cases tbody tr.row td.mono').first().textContent()).not.toBe(firstOnPage1);
    await page.click('#prev');
    expect(await page.locator('#cases tbody tr.row td.mono').first().textContent()).toBe(firstOnPage1);
    expect(await page.locator('#prev').isDisabled()).toBe(true);
  });

  it('opens a case with its diff, documents, prompt and timeline; hostile text stays text', async () => {
    await page.fill('#f-search', HOSTILE_CASE_ID);
    await expect.poll(() => page.locator('#cases tbody tr.row').count()).toBe(2);
    await page.locator('#cases tbody tr.row').first().click();
    const detail = page.locator('#cases tr.detail');
    await detail.waitFor();
    expect(await detail.locator('.diff ins').count()).toBeGreaterThan(0);
    expect(await detail.locator('.diff del').count()).toBeGreaterThan(0);
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('doc-0-1');
    expect(text).toContain('0.910');
    expect(text).toContain('Refunds within 30 days.');
    expect(text).toContain('You are a refund assistant.');
    expect(text).toContain('injection_suspect');
    expect(await detail.locator('.tl .bar').count()).toBeGreaterThanOrEqual(4);
    for (const h of HOSTILE.slice(0, 4)) expect(text).toContain(h);
    expect(await page.locator('body').textContent()).toContain(HOSTILE[0]); // variant description in header
    await page.screenshot({ path: '/tmp/evals-report.png', fullPage: false });
    expect(dialogs).toEqual([]);
    const injected = await page.evaluate(
      "({ pwned: window.__pwned ?? null, img: document.querySelectorAll('img, svg, iframe').length, scripts: document.querySelectorAll('script').length })",
    );
    expect(injected).toEqual({ pwned: null, img: 0, scripts: 3 });
    expect(consoleErrors).toEqual([]);
    expect(await page.evaluate('window.__csp')).toEqual([]);
  });

  it('sorts by a column', async () => {
    await page.fill('#f-search', '');
    await expect.poll(() => page.locator('#cases tbody tr.row').count()).toBe(200);
    await page.click('#cases th[data-sort="latency"]');
    await page.click('#cases th[data-sort="latency"]');
    const first = await page.locator('#cases tbody tr.row td.num').nth(2).textContent();
    expect(first).toBe('699 ms');
  });
});
