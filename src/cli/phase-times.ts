/**
 * With `EVALS_DEBUG` set, `evals run` prints how long each of its phases took and the peak
 * RSS by the end of each, on stderr: `evals: phases: start-up 85 ms, plan 160 ms, run 1450 ms,
 * compare 210 ms, reports 430 ms (peak RSS by then: 60, 75, 140, 150, 152 MB)`. The first
 * phase is counted from the process's start. Without `EVALS_DEBUG` nothing is recorded.
 */
let enabled = Boolean(process.env.EVALS_DEBUG);
let last = 0;
const marks: string[] = [];
const peaks: number[] = [];

/** Ends the phase `name` now (the next phase starts now). */
export function phaseDone(name: string): void {
  if (!enabled) return;
  const now = performance.now();
  marks.push(`${name} ${Math.round(now - last)} ms`);
  peaks.push(Math.round(process.resourceUsage().maxRSS / 1024));
  last = now;
}

/** Prints the phases ended so far (once) and stops recording. */
export function printPhases(write: (line: string) => void = (line) => process.stderr.write(line)): void {
  if (!enabled || marks.length === 0) return;
  write(`evals: phases: ${marks.join(', ')} (peak RSS by then: ${peaks.join(', ')} MB)\n`);
  enabled = false;
}
