/**
 * `npm run bench:gate` (after the build): the gate's calibration table. Seeded simulations
 * through the real first pass, confirmation rounds, comparison and exit code
 * (dist/runner/simulate.js): false alarms on no-change (A/A) suites, power on planted drops,
 * and the extra model calls confirmation spends. Measured, never asserted.
 *
 *   node bench/gate-calibration.mjs [--runs 1000]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SIM = fileURLToPath(new URL('../dist/runner/simulate.js', import.meta.url));
if (!existsSync(SIM)) {
  process.stderr.write(`${SIM} is missing: run \`npm run build\` first (npm run bench:gate does)\n`);
  process.exit(2);
}
const { simulateRun, realisticSuite, betaSuite } = await import(SIM);
const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 1000;

const dropFirst = (k) => () => realisticSuite().map((c, i) => (i < k ? { ...c, pCand: 0 } : c));
const spread = () => realisticSuite().map((c) => ({ ...c, pBase: c.pBase === 0 ? 0.1 : c.pBase, pCand: c.pBase === 0 ? 0 : c.pBase - 0.1 }));
const scenarios = [
  ['A/A realistic (70% pass, 20% fail, 10% flaky), n=200', 'false alarm', () => realisticSuite(), {}],
  ['A/A realistic, --repeat 3', 'false alarm', () => realisticSuite(), { repeat: 3 }],
  ['A/A Beta(0.5, 0.5) pass rates, n=200', 'false alarm', (s) => betaSuite(200, 0.5, 0.5, s), {}],
  ['A/A Beta(2, 2) pass rates, n=200', 'false alarm', (s) => betaSuite(200, 2, 2, s), {}],
  ['A/A 5 metrics x 3 variants', 'false alarm', () => realisticSuite(), { metrics: 5, variants: ['a', 'b', 'c'] }],
  ['A/A recorded-only baseline (module/http)', 'false alarm', () => realisticSuite(), { baseline: 'recorded' }],
  ['1 passing case now fails', 'power', dropFirst(1), {}],
  ['10-point drop: 20 passing cases now fail', 'power', dropFirst(20), {}],
  ['10-point drop spread over every case', 'power', spread, {}],
];

const rows = [];
for (const [name, kind, suite, opts] of scenarios) {
  const n = kind === 'power' || opts.variants || opts.repeat ? Math.min(runs, 300) : runs;
  let red = 0;
  let extra = 0;
  let first = 0;
  const t0 = performance.now();
  for (let s = 1; s <= n; s++) {
    const o = await simulateRun(suite(s), { ...opts, seed: 1_000_003 * s });
    if (o.exitCode !== 0) red++;
    extra += o.confirmationRuns;
    first += o.firstPassRuns;
  }
  rows.push({ scenario: name, measures: kind, runs: n, red: `${((100 * red) / n).toFixed(1)}%`, 'extra calls': `${(extra / n).toFixed(1)} (+${((100 * extra) / first).toFixed(1)}%)`, 'ms/run': ((performance.now() - t0) / n).toFixed(1) });
  process.stderr.write(`[gate] ${name}: ${rows.at(-1).red}\n`);
}
const cols = Object.keys(rows[0]);
const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(width[i])).join(' | ')} |`;
console.log(line(cols));
console.log(`|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(cols.map((c) => r[c])));
console.log('\n"red" is the share of runs whose exit code was not 0: false alarms for A/A rows (target ≤ 5%), power for planted drops (target ≥ 80%).');
