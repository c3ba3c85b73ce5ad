/**
 * Run progress on stderr. On a TTY: one line redrawn in place at most 10×/s. Otherwise (pipes,
 * CI=true): a plain line every ~5 s and a final line, so CI logs stay short and readable.
 */

/** What the runner reports. */
export interface ProgressSnapshot {
  total: number;
  done: number;
  errors: number;
  cached: number;
  costUsd: number;
}

/** Receives snapshots; implementations throttle their own output. */
export interface ProgressReporter {
  update(s: ProgressSnapshot): void;
  finish(s: ProgressSnapshot): void;
}

/** Where and how often progress is written. */
export interface ProgressOptions {
  /** Default process.stderr. */
  stream?: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Default: stream.isTTY && env.CI is not true. */
  live?: boolean;
  /** Interval of plain lines, ms. Default 5000. */
  plainIntervalMs?: number;
  /** Default Date.now. */
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Renders one progress line (pure). `elapsedMs` gives the ETA from the rate so far. */
export function formatProgress(s: ProgressSnapshot, elapsedMs: number, barWidth = 0): string {
  const pct = s.total > 0 ? s.done / s.total : 1;
  const bar = barWidth > 0 ? `[${'#'.repeat(Math.round(pct * barWidth)).padEnd(barWidth, '.')}] ` : '';
  const eta = s.done > 0 && s.done < s.total ? ` eta ${fmtDuration((elapsedMs / s.done) * (s.total - s.done))}` : '';
  return `${bar}${s.done}/${s.total} (${Math.floor(pct * 100)}%) errors ${s.errors} cached ${s.cached} $${s.costUsd.toFixed(4)}${eta}`;
}

/** Creates a reporter suited to the stream. */
export function createProgress(opts: ProgressOptions = {}): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  const live = opts.live ?? (Boolean(stream.isTTY) && env.CI !== 'true' && env.CI !== '1');
  const now = opts.now ?? Date.now;
  const start = now();
  const interval = live ? 100 : (opts.plainIntervalMs ?? 5000);
  let last = -Infinity;
  return {
    update(s) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      if (live) stream.write(`\r\x1b[2K${formatProgress(s, t - start, 20)}`);
      else stream.write(`${formatProgress(s, t - start)}\n`);
    },
    finish(s) {
      const line = `${formatProgress(s, now() - start, live ? 20 : 0)} in ${fmtDuration(now() - start)}`;
      stream.write(live ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}
