/**
 * Preload (`node --import bench/rss-report.mjs …`) used only when GNU /usr/bin/time is missing:
 * on exit, writes this process's peak resident set size in KiB and its user and system CPU
 * seconds (`process.resourceUsage()`; the same units as `time -f '%M %U %S'`) to the file named
 * by EVALS_BENCH_RSS_FILE, or to stderr.
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const u = process.resourceUsage();
  const line = `${u.maxRSS} ${(u.userCPUTime / 1e6).toFixed(2)} ${(u.systemCPUTime / 1e6).toFixed(2)}`;
  const file = process.env.EVALS_BENCH_RSS_FILE;
  if (file) writeFileSync(file, `${line}\n`);
  else process.stderr.write(`maxRSS user sys: ${line}\n`);
});
