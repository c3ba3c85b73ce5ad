/**
 * Prints the benchmark results as plain-text tables (the same columns bench/README.md uses),
 * with each figure next to its target from the issue.
 */

/** Targets of issue 13: wall ≤ 1.25× the floor at 1,000 cases, ≤ 1.10× from 10,000. */
const targetRatio = (n) => (n >= 10_000 ? 1.1 : 1.25);
const TARGET_RSS_MB = 250;
const TARGET_CACHED_S = 2;
const TARGET_HELP_MS = 150;
/** The first request within this many ms of the floor's. */
const TARGET_FIRST_DELTA_MS = 150;

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const mark = (ok) => (ok ? 'ok' : 'MISSED');
/** A mark only where the issue sets a target for that N (RSS: from 10,000; cached: at 10,000). */
const markIf = (applies, ok) => (applies ? mark(ok) : '');

/** Writes the tables for `results` (as built by bench/run.mjs) to stdout. */
export function printTable(results) {
  const out = [];
  const m = results.machine;
  out.push(`evals bench ${results.date}  ${m.cpus} cores (${m.cpuModel}), ${f(m.memGb, 0)} GB, Node ${m.node}`);
  out.push(`load average start ${m.loadavgAtStart.map((x) => f(x)).join(' ')}, end ${(m.loadavgAtEnd ?? []).map((x) => f(x)).join(' ')}; peak RSS and CPU via ${results.rssMethod}`);
  out.push(`fake provider: own process, ${results.latencyMs} ms latency; concurrency ${results.concurrency}; every ratio is evals / the floor of the same run\n`);
  const all = [...results.sizes, ...(results.memory ? [results.memory] : [])];
  out.push('Wall time and CPU (CPU = user + system of the process; per case = CPU / N)');
  out.push(
    table(
      ['N', 'runs', 'ideal s', 'floor s', 'evals s', 'ratio', 'target', 'floor CPU ms/case', 'evals CPU ms/case', 'CPU ratio'],
      all.map((r) => [r.n, r.reps, f(r.idealS), f(r.floorS), f(r.evalsS), f(r.ratio), r === results.memory ? '(memory run)' : `≤${targetRatio(r.n)} ${mark(r.ratio <= targetRatio(r.n))}`, f(r.floorCpuMsPerCase, 3), f(r.evalsCpuMsPerCase, 3), f(r.cpuRatio)]),
    ),
  );
  out.push('\nPeak RSS (target < 250 MB at 10,000 and at 100,000 cases, flat in N)');
  out.push(
    table(
      ['N', 'floor MB', 'evals MB', 'ratio', `<${TARGET_RSS_MB}`],
      all.map((r) => [r.n, f(r.floorPeakRssMb, 0), f(r.evalsPeakRssMb, 0), f(r.rssRatio), markIf(r.n >= 10_000, r.evalsPeakRssMb < TARGET_RSS_MB)]),
    ),
  );
  const cached = all.filter((r) => r.cachedS !== undefined);
  if (cached.length) {
    const runs = cached[0].cachedRuns?.length ?? 1;
    out.push(`\nFully cached re-run (every response from the cache${runs > 1 ? `; median of ${runs}` : ''}; target < 2 s at 10,000)`);
    out.push(
      table(
        ['N', 'cached s', '/ floor s', 'CPU s', 'RSS MB', `<${TARGET_CACHED_S} s`],
        cached.map((r) => [r.n, f(r.cachedS), f(r.cachedRatio), f(r.cachedCpuS), f(r.cachedPeakRssMb, 0), markIf(r.n === 10_000, r.cachedS < TARGET_CACHED_S)]),
      ),
    );
  }
  for (const r of all.filter((x) => x.firstRequest)) {
    const fr = r.firstRequest;
    const delta = fr.evalsMs - fr.floorMs;
    out.push(`\nFirst request after spawn (N = ${r.n}, median of ${fr.evalsRuns.length}): floor ${f(fr.floorMs, 0)} ms, evals ${f(fr.evalsMs, 0)} ms, +${f(delta, 0)} ms (target ≤ +${TARGET_FIRST_DELTA_MS}: ${mark(delta <= TARGET_FIRST_DELTA_MS)})`);
  }
  if (results.help) {
    const h = results.help;
    out.push(`\nevals --help: ${f(h.helpMs, 0)} ms median of 5 (target < ${TARGET_HELP_MS}: ${mark(h.helpMs < TARGET_HELP_MS)}); node -e 0: ${f(h.nodeMs, 0)} ms (ratio ${f(h.ratio)})`);
  }
  const o = results.otlp;
  if (o) {
    out.push(`\nOTLP import: ${f(o.fileMb, 0)} MB, ${o.traces} traces over ${o.lines} lines, ${o.flaggedTraces} flagged (generated in ${f(o.generateS, 1)} s)`);
    out.push(
      table(
        ['what', 'wall s', 'MB/s', 'peak RSS MB', 'result'],
        [
          ['evals snapshot --flagged', f(o.snapshot.wallS, 1), f(o.fileMb / o.snapshot.wallS, 1), f(o.snapshot.peakRssMb, 0), o.snapshot.exitCode === 0 ? `${o.snapshot.casesAdded} case(s) added` : `exit ${o.snapshot.exitCode}`],
          ['openSource + buildTrace', f(o.libraryLoop.wallS, 1), f(o.fileMb / o.libraryLoop.wallS, 1), f(o.libraryLoop.peakRssMb, 0), o.libraryLoop.exitCode === 0 ? `${o.libraryLoop.traces} traces, ${o.libraryLoop.spans} spans` : `exit ${o.libraryLoop.exitCode}`],
          ...(o.snapshotCapped
            ? [[`snapshot, heap cap ${o.snapshotCapped.heapCapMb} MB`, f(o.snapshotCapped.wallS, 1), f(o.fileMb / o.snapshotCapped.wallS, 1), f(o.snapshotCapped.peakRssMb, 0), o.snapshotCapped.exitCode === 0 ? 'completed' : `exit ${o.snapshotCapped.exitCode} (out of memory?)`]]
            : []),
        ],
      ),
    );
  }
  out.push(`\ntotal ${f(results.totalS, 0)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}
