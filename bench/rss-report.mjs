/**
 * Preload (`node --import bench/rss-report.mjs …`) used only when GNU /usr/bin/time is missing:
 * on exit, writes this process's peak resident set size in KiB (`process.resourceUsage().maxRSS`,
 * the same unit as `time -f %M`) to the file named by EVALS_BENCH_RSS_FILE, or to stderr.
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const kib = process.resourceUsage().maxRSS;
  const file = process.env.EVALS_BENCH_RSS_FILE;
  if (file) writeFileSync(file, `${kib}\n`);
  else process.stderr.write(`maxRSS ${kib}\n`);
});
