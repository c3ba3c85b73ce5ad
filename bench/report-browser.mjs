/**
 * The HTML report at scale: synthetic runs (N cases × 2 variants, hostile content, see
 * test/browser/synthetic-run.ts) written through the real reporter, then opened in headless
 * Chromium (the flags of test/browser). Prints, per N: render time and file size, time from
 * navigation to the first table row, to a verdict filter applied, to a text search applied
 * (its 150 ms debounce included), and to a case on a far page opened from its `#case-<id>` anchor.
 * Measured, never asserted. Needs /usr/bin/chromium.
 *
 *   node --import tsx bench/report-browser.mjs [N ...] [--json]     (default 1000 10000)
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReports } from '../src/reporters/write.ts';
import { launchChromium } from '../test/browser/chromium.ts';
import { syntheticRun } from '../test/browser/synthetic-run.ts';

const args = process.argv.slice(2);
const sizes = args.map(Number).filter((n) => n > 0);
const since = (t) => Math.round(performance.now() - t);

async function measure(n, browser) {
  const dir = await mkdtemp(join(tmpdir(), 'evals-report-bench-'));
  try {
    let t = performance.now();
    const { input } = syntheticRun(n);
    const generateMs = since(t);
    t = performance.now();
    const [file] = await writeReports(dir, input, ['html']);
    const writeMs = since(t);
    const sizeMb = (await stat(file)).size / 1024 / 1024;
    const rows = n * 2;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    t = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'commit', timeout: 300_000 });
    await page.waitForSelector('#cases tbody tr.row', { timeout: 300_000 });
    const tableMs = since(t);
    // In-page clock (from navigation start): the table drawn, then the whole document parsed.
    const inPage = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const mark = performance.getEntriesByName('evals:table')[0];
      return { tableMark: Math.round(mark?.startTime ?? -1), parsed: Math.round(nav?.domContentLoadedEventEnd ?? -1) };
    });
    await page.waitForFunction(() => document.readyState !== 'loading');
    const parsedMs = since(t);
    t = performance.now();
    await page.selectOption('#f-verdict', 'regressed');
    await page.waitForFunction((total) => !document.getElementById('count').textContent.startsWith(`${total} of`), rows);
    const filterMs = since(t);
    t = performance.now();
    await page.selectOption('#f-verdict', 'all');
    await page.fill('#f-search', 'order 1999');
    await page.waitForFunction((total) => { const c = document.getElementById('count').textContent; return !c.startsWith(`${total} of`); }, rows);
    const searchMs = since(t);
    const far = `c_${(n - 3).toString(16).padStart(16, '0')}`;
    await page.goto('about:blank');
    t = performance.now();
    await page.goto(`${pathToFileURL(file).href}#case-${far}`, { waitUntil: 'commit', timeout: 300_000 });
    const anchorMs = await page.waitForSelector('#cases tr.detail', { timeout: 60_000 }).then(() => since(t), () => null);
    const heapMb = (await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0)) / 1024 / 1024;
    await page.close();
    return { n, rows, generateMs, writeMs, sizeMb, tableMs, parsedMs, inPage, filterMs, searchMs, anchorMs, heapMb, errors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const browser = await launchChromium();
const results = [];
try {
  for (const n of sizes.length ? sizes : [1000, 10000]) {
    const r = await measure(n, browser);
    results.push(r);
    console.log(
      `${String(n).padStart(6)} cases (${r.rows} rows): ${r.sizeMb.toFixed(1)} MB written in ${r.writeMs} ms; table ${r.tableMs} ms (in page ${r.inPage.tableMark}), document parsed ${r.parsedMs} ms, ` +
        `verdict filter ${r.filterMs} ms, search ${r.searchMs} ms (150 ms debounce included), opened at a far #case- anchor ${r.anchorMs ?? 'n/a'} ms, JS heap ${r.heapMb.toFixed(0)} MB` +
        (r.errors.length ? `; PAGE ERRORS: ${r.errors.join(' | ')}` : ''),
    );
  }
} finally {
  await browser.close();
}
if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
