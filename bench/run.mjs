/**
 * `npm run bench` (after the build): end-to-end figures of the built CLI against a floor.
 *
 *   node bench/run.mjs [--quick] [--skip-otlp] [--otlp-size 1GB]
 *
 * For each N (default 1,000 and 10,000; `--quick` 200 and 1,000): a synthetic dataset of N
 * cases, the fake provider in its own process at a fixed 50 ms latency, then alternately the
 * floor (bench/floor.mjs: the same requests with the OpenAI SDK + p-limit) and `evals run`
 * (fresh cache each time), then a fully cached re-run. Then `evals --help` against `node -e 0`,
 * then the OTLP import benchmark (bench/otlp-memory.mjs). Prints a table; writes JSON to the
 * temp dir. Figures are measured, never asserted: nothing here fails on a slow machine.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSuite } from './dataset.mjs';
import { measureNode, median, rssMethod, startProviderProcess } from './measure.mjs';
import { parseSize, runOtlpBench } from './otlp-memory.mjs';
import { printTable } from './report.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const FLOOR = fileURLToPath(new URL('./floor.mjs', import.meta.url));
const LATENCY_MS = 50;
const CONCURRENCY = 50;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizes = quick ? [200, 1000] : [1000, 10000];
const otlpSizeArg = args[args.indexOf('--otlp-size') + 1];
const otlpBytes = args.includes('--otlp-size') ? parseSize(otlpSizeArg) : (quick ? 200 : 1024) * 1024 * 1024;
/** Old-space limit (MB) of the extra, capped snapshot run that shows retained memory is bounded. */
const OTLP_HEAP_CAP_MB = 160;
const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const s = (ms) => ms / 1000;

if (!existsSync(CLI)) {
  log(`${CLI} is missing: run \`npm run build\` first (npm run bench does)`);
  process.exit(2);
}

/** One measured `evals run`; throws with the child's stderr when it fails. */
async function evalsRun(dir, config, runId, cacheDir) {
  const r = await measureNode([CLI, 'run', '--config', config, '--run-id', runId, '--quiet'], { cwd: dir, env: { EVALS_BENCH_CACHE: cacheDir } });
  if (r.code !== 0) throw new Error(`evals run ${runId} exited ${r.code}:\n${r.stderr.slice(0, 4000)}\n${r.stdout.slice(0, 2000)}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('candidate:')) ?? '';
  return { wallS: s(r.wallMs), peakRssMb: r.peakRssMb, summary: line.trim() };
}

async function floorRun(baseUrl, n) {
  const r = await measureNode([FLOOR, baseUrl, String(n), String(CONCURRENCY)]);
  if (r.code !== 0) throw new Error(`floor exited ${r.code}: ${r.stdout} ${r.stderr.slice(0, 2000)}`);
  return { wallS: s(r.wallMs), peakRssMb: r.peakRssMb };
}

async function benchSize(provider, n, reps) {
  const dir = await mkdtemp(join(tmpdir(), `evals-bench-${n}-`));
  // Dataset writes fsync every case file; on tmpfs that setup takes seconds instead of minutes.
  // It is not measured, and the run reads it back from the page cache either way.
  const dataRoot = existsSync('/dev/shm') ? await mkdtemp('/dev/shm/evals-bench-data-') : join(dir, 'data');
  try {
    const t0 = performance.now();
    const config = await writeSuite(dir, n, { baseUrl: provider.baseUrl, concurrency: CONCURRENCY, datasetsRoot: dataRoot });
    log(`N=${n}: dataset written in ${s(performance.now() - t0).toFixed(1)} s (${dir})`);
    const floors = [];
    const evals = [];
    let cacheDir = '';
    for (let i = 0; i < reps; i++) {
      floors.push(await floorRun(provider.baseUrl, n));
      cacheDir = join(dir, `cache-${i}`);
      evals.push(await evalsRun(dir, config, `fresh-${i}`, cacheDir));
      log(`N=${n} rep ${i + 1}/${reps}: floor ${floors.at(-1).wallS.toFixed(2)} s, evals ${evals.at(-1).wallS.toFixed(2)} s (${evals.at(-1).peakRssMb.toFixed(0)} MB)`);
    }
    const cached = await evalsRun(dir, config, 'cached', cacheDir);
    log(`N=${n}: cached re-run ${cached.wallS.toFixed(2)} s: ${cached.summary}`);
    const floorS = median(floors.map((f) => f.wallS));
    const evalsS = median(evals.map((e) => e.wallS));
    return {
      n, reps, floorS, evalsS, ratio: evalsS / floorS,
      floorPeakRssMb: median(floors.map((f) => f.peakRssMb)),
      evalsPeakRssMb: Math.max(...evals.map((e) => e.peakRssMb)),
      cachedS: cached.wallS, cachedPeakRssMb: cached.peakRssMb,
      idealS: (n / CONCURRENCY) * (LATENCY_MS / 1000),
      floorRuns: floors, evalsRuns: evals, cachedRun: cached,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(dataRoot, { recursive: true, force: true });
  }
}

async function benchHelp() {
  const help = [];
  const node = [];
  for (let i = 0; i < 5; i++) {
    node.push(s((await measureNode(['-e', '0'])).wallMs) * 1000);
    const r = await measureNode([CLI, '--help']);
    if (r.code !== 0) throw new Error(`evals --help exited ${r.code}: ${r.stderr}`);
    help.push(s(r.wallMs) * 1000);
  }
  return { helpMs: median(help), nodeMs: median(node), helpRuns: help, nodeRuns: node };
}

const started = new Date();
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', memGb: totalmem() / 1024 ** 3, node: process.version, loadavgAtStart: loadavg() };
log(`${quick ? 'quick' : 'full'} run, N = ${sizes.join(', ')}; peak RSS via ${rssMethod}; load average ${machine.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')}`);
const provider = await startProviderProcess(CLI, LATENCY_MS);
const results = { date: started.toISOString(), quick, machine, rssMethod, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, sizes: [], help: undefined, otlp: undefined };
try {
  // Warm the provider's JIT so the first measured floor does not pay for it.
  await floorRun(provider.baseUrl, 200);
  for (const [i, n] of sizes.entries()) results.sizes.push(await benchSize(provider, n, i === 0 ? 3 : 1));
} finally {
  await provider.close();
}
results.help = await benchHelp();
log(`evals --help ${results.help.helpMs.toFixed(0)} ms (node -e 0: ${results.help.nodeMs.toFixed(0)} ms)`);
if (!args.includes('--skip-otlp')) results.otlp = await runOtlpBench(otlpBytes, log, { heapCapMb: OTLP_HEAP_CAP_MB });
results.machine.loadavgAtEnd = loadavg();
results.totalS = s(Date.now() - started.getTime());

const out = join(tmpdir(), `evals-bench-results-${started.toISOString().replace(/[:.]/g, '-')}.json`);
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
printTable(results);
process.stdout.write(`\nJSON: ${out}\n`);
