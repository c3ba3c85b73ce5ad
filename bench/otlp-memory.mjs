/**
 * OTLP import at scale: generates an OTLP/JSON file of the given size in the temp dir, then
 * measures (a) `evals snapshot <file> --dataset bench --flagged --root <tmp>` (about 0.1% of
 * traces carry negative feedback) and (b) the library loop (bench/otlp-loop.mjs), each as a
 * child process: wall time and peak RSS. The file is deleted afterwards.
 *
 *   node bench/otlp-memory.mjs [size] [--quick] [--json] [--heap-cap <MB>]
 *
 * size: bytes, or with a unit (`200MB`, `1GB`); default 1 GB, `--quick` 200 MB.
 * `--heap-cap <MB>` adds (c): the snapshot again under `--max-old-space-size=<MB>`. Peak RSS
 * without a cap mostly shows how lazily V8 collects; finishing under a small cap shows the
 * memory actually retained is bounded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measureNode } from './measure.mjs';
import { writeOtlpFile } from './otlp-gen.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const LOOP = fileURLToPath(new URL('./otlp-loop.mjs', import.meta.url));
const MB = 1024 * 1024;

/** `1GB`, `200MB`, `500000` → bytes (binary units). */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(gb|g|mb|m|kb|k|b)?$/i.exec(String(text).trim());
  if (!m) throw new Error(`not a size: ${text} (try 200MB or 1GB)`);
  const unit = { gb: 1024 ** 3, g: 1024 ** 3, mb: MB, m: MB, kb: 1024, k: 1024, b: 1 }[(m[2] ?? 'b').toLowerCase()];
  return Math.round(Number(m[1]) * unit);
}

/**
 * Generates, measures, deletes. Resolves the figures; `log` receives progress lines.
 * `heapCapMb` (default none): also run the snapshot under that old-space limit.
 */
export async function runOtlpBench(bytes, log = () => {}, { heapCapMb } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'evals-bench-otlp-'));
  const file = join(dir, 'traces.jsonl');
  try {
    log(`otlp: writing ${(bytes / MB).toFixed(0)} MB of OTLP/JSON to ${file}`);
    let t0 = performance.now();
    const gen = await writeOtlpFile(file, bytes);
    const genMs = performance.now() - t0;
    log(`otlp: ${gen.traces} traces, ${gen.lines} lines, ${gen.flagged} flagged, written in ${(genMs / 1000).toFixed(1)} s`);

    // cwd = the temp dir, so no evals.config.yaml of the repository is picked up.
    const snap = await measureNode([CLI, 'snapshot', file, '--dataset', 'bench', '--flagged', '--root', join(dir, 'datasets')], { cwd: dir });
    const summary = snap.stdout.trim().split('\n').pop() ?? '';
    const added = Number(/\+(\d+) case/.exec(summary)?.[1] ?? NaN);
    if (snap.code !== 0) log(`otlp: snapshot exited ${snap.code}: ${snap.stderr.slice(0, 2000)}`);
    log(`otlp: snapshot ${(snap.wallMs / 1000).toFixed(1)} s, peak RSS ${snap.peakRssMb.toFixed(0)} MB: ${summary}`);

    const loop = await measureNode([LOOP, file], { cwd: dir });
    let counts = {};
    try {
      counts = JSON.parse(loop.stdout.trim());
    } catch {
      log(`otlp: library loop failed (exit ${loop.code}): ${loop.stderr.slice(0, 2000)}`);
    }
    log(`otlp: library loop ${(loop.wallMs / 1000).toFixed(1)} s, peak RSS ${loop.peakRssMb.toFixed(0)} MB: ${JSON.stringify(counts)}`);

    let capped;
    if (heapCapMb !== undefined) {
      const r = await measureNode([`--max-old-space-size=${heapCapMb}`, CLI, 'snapshot', file, '--dataset', 'capped', '--flagged', '--root', join(dir, 'datasets')], { cwd: dir, quietStdout: true });
      capped = { heapCapMb, exitCode: r.code, wallS: r.wallMs / 1000, peakRssMb: r.peakRssMb };
      log(`otlp: snapshot under --max-old-space-size=${heapCapMb}: exit ${r.code}, ${capped.wallS.toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB`);
    }
    return {
      fileMb: gen.bytes / MB, traces: gen.traces, lines: gen.lines, flaggedTraces: gen.flagged, generateS: genMs / 1000,
      snapshot: { exitCode: snap.code, wallS: snap.wallMs / 1000, peakRssMb: snap.peakRssMb, casesAdded: added, summary },
      libraryLoop: { exitCode: loop.code, wallS: loop.wallMs / 1000, peakRssMb: loop.peakRssMb, ...counts },
      ...(capped ? { snapshotCapped: capped } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const sizeArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--heap-cap');
  const bytes = sizeArg ? parseSize(sizeArg) : args.includes('--quick') ? 200 * MB : 1024 * MB;
  const capArg = args.indexOf('--heap-cap');
  const heapCapMb = capArg >= 0 ? Number(args[capArg + 1]) : undefined;
  if (heapCapMb !== undefined && !(heapCapMb > 0)) throw new Error('--heap-cap needs a size in MB, e.g. --heap-cap 160');
  const result = await runOtlpBench(bytes, (line) => process.stderr.write(`${line}\n`), { heapCapMb });
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const ok = result.snapshot.exitCode === 0 && result.libraryLoop.exitCode === 0 && (result.snapshotCapped?.exitCode ?? 0) === 0;
  process.exit(ok ? 0 : 1);
}
