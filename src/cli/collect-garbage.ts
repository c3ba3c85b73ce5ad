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

let gc: (() => void) | undefined;

/** Collects now when `results` ≥ MIN_RESULTS; a no-op where V8 refuses to expose `gc`. */
export function collectBetweenPhases(results: number): void {
  if (results < MIN_RESULTS) return;
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
