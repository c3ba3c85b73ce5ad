/**
 * One full garbage collection between the phases of a large run. V8 schedules its next full
 * collection relative to the data that survived the last one; at the end of a run phase that
 * includes everything the run phase held (the response cache, the plan), so the comparison and
 * reports that follow could fill several hundred MB with garbage before V8 looked again. One
 * collection at the boundary, once that data is unreachable, sets the next limit from what the
 * reports really hold. Small runs skip it: below `MIN_RESULTS` it costs more than it saves.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Runs with fewer results than this are not worth a collection. */
export const MIN_RESULTS = 20_000;

/**
 * How far (percent) the heap may grow past what survived a full collection in the comparison
 * and reports of a large run (run-main.ts sets 50 for the whole process). What those phases
 * keep is known and small next to what they allocate and drop (every result parsed again per
 * report pass), so a lower limit costs a few more collections (≈50 ms each at 100,000 cases)
 * and keeps tens of MB of garbage out of the peak.
 */
export const REPORT_HEAP_GROWING_PERCENT = 20;

let gc: (() => void) | undefined;

/** True when node was given its own `--heap-growing-percent` (then it is left alone). */
export function heapGrowingGiven(): boolean {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith('--heap-growing-percent'));
}

/**
 * Collects now when `results` ≥ MIN_RESULTS and lowers the heap growth for the phases after
 * (REPORT_HEAP_GROWING_PERCENT); a no-op where V8 refuses to expose `gc`.
 */
export function collectBetweenPhases(results: number): void {
  if (results < MIN_RESULTS) return;
  if (!heapGrowingGiven()) setFlagsFromString(`--heap-growing-percent=${REPORT_HEAP_GROWING_PERCENT}`);
  try {
    if (!gc) {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
    gc();
  } catch {
    // Nothing lost: V8 collects on its own schedule.
  }
}
