/**
 * `npm run bench` (after the build): end-to-end figures of the built CLI against a floor.
 *
 *   node bench/run.mjs [--quick] [--sizes 1000,5000,10000] [--skip-otlp] [--otlp-size 1GB] [--memory-size N] [--skip-memory]
 *
 * For each N (default 1,000, 5,000 and 10,000; `--quick` 200 and 1,000): a synthetic dataset of N
 * cases, the fake provider in its own process at a fixed 50 ms latency, then alternately the
 * floor (bench/floor.mjs: the same requests with the OpenAI SDK + p-limit) and `evals run`
 * (fresh cache each time), then three fully cached re-runs (median reported). At the first N, the time from spawn to
 * the first request of each (bench/first-request.mjs). Then the memory run: evals and the floor
 * once at N = 100,000 (`--quick`: 5,000; `--memory-size`), then `evals --help` against
 * `node -e 0`, then the OTLP import benchmark (bench/otlp-memory.mjs). Every figure is also a
 * ratio against the floor measured in the same run. Prints a table; writes JSON to the temp
 * dir. Figures are measured, never asserted: nothing here fails on a slow machine.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSuite } from './dataset.mjs';
import { startProbe } from './first-request.mjs';
import { measureNode, median, rssMethod, startProviderProcess } from './measure.mjs';
import { parseSize, runOtlpBench } from './otlp-memory.mjs';
import { printTable } from './report.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const FLOOR = fileURLToPath(new URL('./floor.mjs', import.meta.url));
const LATENCY_MS = 50;
const CONCURRENCY = 50;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizes = args.includes('--sizes') ? parseSizes(args[args.indexOf('--sizes') + 1]) : quick ? [200, 1000] : [1000, 5000, 10000];
/** Fully cached re-runs per size (median reported): one run alone is as noisy as the machine. */
const CACHED_RUNS = 3;
const memorySize = args.includes('--memory-size') ? Number(args[args.indexOf('--memory-size') + 1]) : quick ? 5000 : 100_000;
/** Runs of the first-request probe per program (median reported). */
const PROBE_RUNS = 3;
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

/** `--sizes 1000,5000`: the case counts, each a whole number ≥ 1. */
function parseSizes(text) {
  const list = String(text ?? '').split(',').map((x) => Number(x.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) {
    process.stderr.write(`[bench] --sizes expects case counts separated by commas (e.g. 1000,5000,10000), got ${JSON.stringify(text ?? '')}\n`);
    process.exit(2);
  }
  return list;
}

/** One measured `evals run`; throws with the child's stderr when it fails. */
async function evalsRun(dir, config, runId, cacheDir) {
  const r = await measureNode([CLI, 'run', '--config', config, '--run-id', runId, '--quiet'], { cwd: dir, env: { EVALS_BENCH_CACHE: cacheDir } });
  if (r.code !== 0) throw new Error(`evals run ${runId} exited ${r.code}:\n${r.stderr.slice(0, 4000)}\n${r.stdout.slice(0, 2000)}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('candidate:')) ?? '';
  return { wallS: s(r.wallMs), peakRssMb: r.peakRssMb, cpuS: r.cpuS, summary: line.trim(), t0: r.t0 };
}

async function floorRun(baseUrl, n) {
  const r = await measureNode([FLOOR, baseUrl, String(n), String(CONCURRENCY)]);
  if (r.code !== 0) throw new Error(`floor exited ${r.code}: ${r.stdout} ${r.stderr.slice(0, 2000)}`);
  return { wallS: s(r.wallMs), peakRssMb: r.peakRssMb, cpuS: r.cpuS, t0: r.t0 };
}

/**
 * Milliseconds from spawn to the first request, floor and evals alternately, against the probe
 * listener (bench/first-request.mjs) instead of the fake provider.
 */
async function firstRequest(dir, config, n, providerBaseUrl) {
  const probe = await startProbe(LATENCY_MS);
  try {
    const probeConfig = join(dir, 'probe.config.yaml');
    await writeFile(probeConfig, (await readFile(config, 'utf8')).replace(JSON.stringify(providerBaseUrl), JSON.stringify(probe.baseUrl)));
    const floor = [];
    const evals = [];
    for (let i = 0; i < PROBE_RUNS; i++) {
      probe.reset();
      const f = await floorRun(probe.baseUrl, n);
      floor.push(probe.firstAt() - f.t0);
      probe.reset();
      const e = await evalsRun(dir, probeConfig, `probe-${i}`, join(dir, `probe-cache-${i}`));
      evals.push(probe.firstAt() - e.t0);
    }
    return { floorMs: median(floor), evalsMs: median(evals), floorRuns: floor, evalsRuns: evals };
  } finally {
    await probe.close();
  }
}

async function benchSize(provider, n, reps, { cached: withCached = true, probe = false } = {}) {
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
      log(`N=${n} rep ${i + 1}/${reps}: floor ${floors.at(-1).wallS.toFixed(2)} s (CPU ${floors.at(-1).cpuS.toFixed(2)} s, ${floors.at(-1).peakRssMb.toFixed(0)} MB), evals ${evals.at(-1).wallS.toFixed(2)} s (CPU ${evals.at(-1).cpuS.toFixed(2)} s, ${evals.at(-1).peakRssMb.toFixed(0)} MB)`);
    }
    const cachedRuns = [];
    for (let i = 0; withCached && i < CACHED_RUNS; i++) cachedRuns.push(await evalsRun(dir, config, `cached-${i}`, cacheDir));
    const cached = cachedRuns.length > 0 ? medianRun(cachedRuns) : undefined;
    if (cached) log(`N=${n}: cached re-runs ${cachedRuns.map((r) => r.wallS.toFixed(2)).join(', ')} s (median ${cached.wallS.toFixed(2)}): ${cached.summary}`);
    const first = probe ? await firstRequest(dir, config, n, provider.baseUrl) : undefined;
    if (first) log(`N=${n}: first request after ${first.floorMs.toFixed(0)} ms (floor), ${first.evalsMs.toFixed(0)} ms (evals)`);
    const floorS = median(floors.map((f) => f.wallS));
    const evalsS = median(evals.map((e) => e.wallS));
    const floorCpuS = median(floors.map((f) => f.cpuS));
    const evalsCpuS = median(evals.map((e) => e.cpuS));
    const floorPeakRssMb = median(floors.map((f) => f.peakRssMb));
    const evalsPeakRssMb = Math.max(...evals.map((e) => e.peakRssMb));
    return {
      n, reps, floorS, evalsS, ratio: evalsS / floorS,
      floorCpuS, evalsCpuS, floorCpuMsPerCase: (floorCpuS * 1000) / n, evalsCpuMsPerCase: (evalsCpuS * 1000) / n, cpuRatio: evalsCpuS / floorCpuS,
      floorPeakRssMb, evalsPeakRssMb, rssRatio: evalsPeakRssMb / floorPeakRssMb,
      ...(cached ? { cachedS: cached.wallS, cachedRatio: cached.wallS / floorS, cachedCpuS: cached.cpuS, cachedPeakRssMb: cached.peakRssMb } : {}),
      ...(first ? { firstRequest: first } : {}),
      idealS: (n / CONCURRENCY) * (LATENCY_MS / 1000),
      floorRuns: floors, evalsRuns: evals, ...(cached ? { cachedRun: cached, cachedRuns } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(dataRoot, { recursive: true, force: true });
  }
}

/** The run of median wall time (its CPU and RSS are reported with it). */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.wallS - b.wallS);
  return sorted[(sorted.length - 1) >> 1];
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
  const helpMs = median(help);
  const nodeMs = median(node);
  return { helpMs, nodeMs, ratio: helpMs / nodeMs, helpRuns: help, nodeRuns: node };
}

const started = new Date();
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', memGb: totalmem() / 1024 ** 3, node: process.version, loadavgAtStart: loadavg() };
log(`${quick ? 'quick' : 'full'} run, N = ${sizes.join(', ')}${args.includes('--skip-memory') ? '' : `, memory run ${memorySize}`}; peak RSS and CPU via ${rssMethod}; load average ${machine.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')}`);
const provider = await startProviderProcess(CLI, LATENCY_MS);
const results = { date: started.toISOString(), quick, machine, rssMethod, latencyMs: LATENCY_MS, concurrency: CONCURRENCY, sizes: [], memory: undefined, help: undefined, otlp: undefined };
try {
  // Warm the provider's JIT so the first measured floor does not pay for it.
  await floorRun(provider.baseUrl, 200);
  for (const [i, n] of sizes.entries()) results.sizes.push(await benchSize(provider, n, i === 0 ? 3 : 1, { probe: i === 0 }));
  // The memory run: is peak RSS flat in N? One floor, one evals, no cached re-run.
  if (!args.includes('--skip-memory')) results.memory = await benchSize(provider, memorySize, 1, { cached: false });
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
