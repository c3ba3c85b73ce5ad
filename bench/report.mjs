/**
 * Prints the benchmark results as plain-text tables (the same columns bench/README.md uses),
 * with each figure next to its target from the issue.
 */

const TARGET_RATIO = 1.15;
const TARGET_RSS_MB = 250;
const TARGET_CACHED_S = 3;
const TARGET_HELP_MS = 300;

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const mark = (ok) => (ok ? 'ok' : 'MISSED');

/** Writes the tables for `results` (as built by bench/run.mjs) to stdout. */
export function printTable(results) {
  const out = [];
  const m = results.machine;
  out.push(`evals bench ${results.date}  ${m.cpus} cores (${m.cpuModel}), ${f(m.memGb, 0)} GB, Node ${m.node}`);
  out.push(`load average start ${m.loadavgAtStart.map((x) => f(x)).join(' ')}, end ${(m.loadavgAtEnd ?? []).map((x) => f(x)).join(' ')}; peak RSS via ${results.rssMethod}`);
  out.push(`fake provider: own process, ${results.latencyMs} ms latency; concurrency ${results.concurrency}\n`);
  out.push(
    table(
      ['N', 'runs', 'ideal s', 'floor s', 'evals s', 'ratio', `≤${TARGET_RATIO}`, 'floor RSS MB', 'evals RSS MB', `<${TARGET_RSS_MB}`, 'cached s', `<${TARGET_CACHED_S}`, 'cached RSS MB'],
      results.sizes.map((r) => [
        r.n, r.reps, f(r.idealS), f(r.floorS), f(r.evalsS), f(r.ratio), mark(r.ratio <= TARGET_RATIO),
        f(r.floorPeakRssMb, 0), f(r.evalsPeakRssMb, 0), mark(r.evalsPeakRssMb < TARGET_RSS_MB), f(r.cachedS), mark(r.cachedS < TARGET_CACHED_S), f(r.cachedPeakRssMb, 0),
      ]),
    ),
  );
  if (results.help) {
    const h = results.help;
    out.push(`\nevals --help: ${f(h.helpMs, 0)} ms median of 5 (target < ${TARGET_HELP_MS}: ${mark(h.helpMs < TARGET_HELP_MS)}); node -e 0: ${f(h.nodeMs, 0)} ms`);
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
