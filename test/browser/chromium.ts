/**
 * Headless Chromium for the report tests: the system's Debian package driven by playwright-core,
 * with the flags every browser test uses, and a page that records errors, requests and dialogs.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Chromium flags of every browser test and of bench/report-browser.mjs. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** What a page did that a report must not: errors, CSP violations (`window.__csp`), dialogs, requests. */
export interface PageWatch {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

export async function watchedPage(browser: Browser): Promise<PageWatch> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const w: PageWatch = { page, errors: [], requests: [], dialogs: [] };
  // Strings, not functions: the test program has no DOM types; this runs in the page.
  await page.addInitScript(
    "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
  );
  page.on('console', (m) => { if (m.type() === 'error') w.errors.push(m.text()); });
  page.on('pageerror', (err) => w.errors.push(String(err)));
  page.on('request', (r) => w.requests.push(r.url()));
  page.on('dialog', (d) => { w.dialogs.push(d.message()); void d.dismiss(); });
  return w;
}
