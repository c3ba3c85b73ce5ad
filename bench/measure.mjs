/**
 * Spawning a child and measuring it from the outside: wall time (parent clock around the whole
 * process, startup included), peak RSS and CPU time (user + system). Both come from GNU
 * `/usr/bin/time -f '%M %U %S'` when it exists; otherwise the child is preloaded with
 * bench/rss-report.mjs, which writes `process.resourceUsage()` (maxRSS in KiB, CPU in seconds)
 * to a file on exit, in the same format.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TIME = '/usr/bin/time';
const RSS_REPORT = fileURLToPath(new URL('./rss-report.mjs', import.meta.url));

/**
 * How peak RSS is measured on this machine: `gnu-time` or `rss-report` (the preload).
 * EVALS_BENCH_RSS=rss-report forces the fallback (to check it on a machine that has GNU time).
 */
export const rssMethod = process.env.EVALS_BENCH_RSS !== 'rss-report' && existsSync(TIME) && (await gnuTimeWorks()) ? 'gnu-time' : 'rss-report';

async function gnuTimeWorks() {
  const r = await collect(TIME, ['-f', '%M %U %S', 'true'], {});
  return r.code === 0 && /^\d+ [\d.]+ [\d.]+\s*$/m.test(r.stderr);
}

/**
 * Runs `node <args>` and resolves `{ wallMs, peakRssMb, cpuS, t0, code, stdout, stderr }`:
 * `cpuS` is user + system CPU seconds of the child, `t0` the parent's `performance.now()` just
 * before the spawn (to time events the child causes, such as its first request).
 * Options: `cwd`, `env` (merged over process.env), `quietStdout` (drop stdout instead of keeping it).
 * Never rejects on a non-zero exit; the caller decides what a failure means.
 */
export async function measureNode(args, opts = {}) {
  const rssFile = join(tmpdir(), `evals-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let cmd;
  let argv;
  const env = { ...process.env, ...(opts.env ?? {}) };
  if (rssMethod === 'gnu-time') {
    cmd = TIME;
    argv = ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...args];
  } else {
    cmd = process.execPath;
    argv = ['--import', RSS_REPORT, ...args];
    env.EVALS_BENCH_RSS_FILE = rssFile;
  }
  const t0 = performance.now();
  const r = await collect(cmd, argv, { cwd: opts.cwd, env, quietStdout: opts.quietStdout });
  const wallMs = performance.now() - t0;
  let peakRssMb = NaN;
  let cpuS = NaN;
  try {
    const text = await readFile(rssFile, 'utf8');
    // GNU time prefixes "Command exited with non-zero status N" on a failing child.
    const [kib, user, sys] = (text.trim().split('\n').pop() ?? '').split(/\s+/).map(Number);
    peakRssMb = kib / 1024;
    cpuS = user + sys;
  } catch {
    // no report: the child died before exit hooks ran
  }
  await rm(rssFile, { force: true });
  return { wallMs, peakRssMb, cpuS, t0, code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Spawns and collects output; resolves on exit. Output kept up to 4 MB per stream. */
function collect(cmd, argv, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const cap = 4 * 1024 * 1024;
    child.stdout.on('data', (d) => {
      if (!opts.quietStdout && stdout.length < cap) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < cap) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/**
 * Starts `evals fake-provider --port 0 --latency <ms>` in its own process (its CPU must not
 * count against the measured one) and resolves `{ url, baseUrl, close() }` once it listens.
 */
export function startProviderProcess(cliPath, latencyMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'fake-provider', '--port', '0', '--latency', String(latencyMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fake provider did not start within 10 s; output: ${out}`));
    }, 10_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fake provider exited early (code ${code}); output: ${out}`));
    });
    child.stderr.on('data', (d) => (out += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      const close = () =>
        new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        });
      resolve({ url: m[1], baseUrl: `${m[1]}/v1`, pid: child.pid, close });
    });
  });
}

/** Median of a non-empty list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
