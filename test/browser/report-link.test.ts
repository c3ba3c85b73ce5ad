/**
 * Deep links into report.html (`#case=<id>&variant=<name>`, what the Vitest integration prints
 * in a failure): opening one shows that case's row with its detail panel, under the strict CSP.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { caseLinkFragment } from '../../src/reporters/html/case-link.js';
import { writeReports } from '../../src/reporters/write.js';
import { HOSTILE_CASE_ID, syntheticRun } from './synthetic-run.js';

const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('report.html deep links', () => {
  let dir = '';
  let browser: Browser;
  let page: Page;
  let url = '';
  const errors: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dir = await mkdtemp(join(tmpdir(), 'evals-report-link-'));
    const [htmlPath] = await writeReports(dir, syntheticRun(300).input, ['html']);
    url = pathToFileURL(htmlPath ?? '').href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (err) => errors.push(String(err)));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('#case=<id>&variant=<name> opens that case of that variant', async () => {
    await page.goto(`${url}#${caseLinkFragment(HOSTILE_CASE_ID, 'gpt-next')}`);
    const detail = page.locator('#cases tr.detail');
    await detail.waitFor();
    expect(await page.locator('#cases tbody tr.row').count()).toBe(1);
    const open = page.locator('#cases tbody tr.row.open');
    expect(await open.textContent()).toContain(HOSTILE_CASE_ID);
    expect(await open.textContent()).toContain('gpt-next');
    expect(await page.inputValue('#f-search')).toBe(HOSTILE_CASE_ID);
    expect(errors).toEqual([]);
  });

  it('without a variant it opens the first row of the case; a changed hash follows', async () => {
    await page.goto(url);
    await page.waitForSelector('#cases tbody tr.row');
    expect(await page.locator('#cases tr.detail').count()).toBe(0);
    await page.evaluate(`location.hash = ${JSON.stringify(caseLinkFragment(HOSTILE_CASE_ID))}`);
    await page.locator('#cases tr.detail').waitFor();
    expect(await page.locator('#cases tbody tr.row').count()).toBe(2);
    expect(await page.locator('#cases tbody tr.row.open').textContent()).toContain(HOSTILE_CASE_ID);
    expect(errors).toEqual([]);
  });
});
