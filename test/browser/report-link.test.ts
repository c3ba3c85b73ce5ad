/**
 * Deep links into report.html (`#case=<id>&variant=<name>`, what the Vitest integration prints
 * in a failure): opening one turns to that case's page and opens the row of that variant, under
 * the strict CSP; a filter hiding the case is cleared.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from './chromium.js';
import { caseLinkFragment } from '../../src/reporters/html/case-link.js';
import { writeReports } from '../../src/reporters/write.js';
import { HOSTILE_CASE_ID, syntheticRun } from './synthetic-run.js';

describe.skipIf(!hasChromium)('report.html deep links', () => {
  let dir = '';
  let browser: Browser;
  let page: Page;
  let url = '';
  const errors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evals-report-link-'));
    const [htmlPath] = await writeReports(dir, syntheticRun(300).input, ['html']);
    url = pathToFileURL(htmlPath ?? '').href;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (err) => errors.push(String(err)));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const openRow = (): Promise<string | null> => page.locator('#cases tbody tr.row.open').textContent();

  it('#case=<id>&variant=<name> opens that case of that variant, on its page', async () => {
    for (const variant of ['gpt-next', 'default']) {
      await page.goto(`${url}#${caseLinkFragment(HOSTILE_CASE_ID, variant)}`);
      await page.locator('#cases tr.detail').waitFor();
      expect(await page.locator('#cases tr.detail').count()).toBe(1);
      const text = (await openRow()) ?? '';
      expect(text).toContain(HOSTILE_CASE_ID);
      expect(text).toContain(variant === 'gpt-next' ? 'gpt-next' : 'default');
      expect(text).not.toContain(variant === 'gpt-next' ? 'default' : 'gpt-next');
    }
    expect(errors).toEqual([]);
  });

  it('without a variant it opens the first row of the case; a changed hash follows, through a hiding filter', async () => {
    await page.goto(url);
    await page.waitForSelector('#cases tbody tr.row');
    expect(await page.locator('#cases tr.detail').count()).toBe(0);
    await page.fill('#f-search', 'no row has this text');
    await expect.poll(() => page.textContent('#count')).toMatch(/^0 of /);
    await page.evaluate(`location.hash = ${JSON.stringify(caseLinkFragment(HOSTILE_CASE_ID))}`);
    await page.locator('#cases tr.detail').waitFor();
    expect(await openRow()).toContain(HOSTILE_CASE_ID);
    expect(await page.inputValue('#f-search')).toBe('');
    expect(errors).toEqual([]);
  });
});
