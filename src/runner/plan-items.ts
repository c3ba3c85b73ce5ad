/**
 * The cases of a plan, as little as it takes to find each again. `evals run` holds a
 * {@link CaseRef} per case (dataset, id and a reader that hash-verifies and validates the case
 * file) and reads a case only when its units are about to be scheduled, a bounded number ahead
 * ({@link readAhead}), so memory stays flat in the number of cases and the first model call
 * does not wait for the whole dataset. Tests and the Vitest integration may hand whole cases
 * instead ({@link LoadedItem}); both kinds mix freely.
 */
import type { Case } from '../datasets/case.js';

/** A case held whole (plans built by hand, the Vitest integration). */
export interface LoadedItem<C = Case> {
  dataset: string;
  case: C;
}

/**
 * A case read when needed. `load` reads its file, checks the hash the dataset version pinned
 * and validates it; a bad file rejects with an InputError naming the file.
 */
export interface CaseRef<C = Case> {
  dataset: string;
  id: string;
  load: () => Promise<C>;
}

/** One case of a plan, whole or by reference. */
export type PlanItem<C = Case> = LoadedItem<C> | CaseRef<C>;

/** The case id of an item, without reading it. */
export function itemId<C extends { id: string }>(item: PlanItem<C>): string {
  return 'case' in item ? item.case.id : item.id;
}

/** `dataset\0caseId`: the key results, selections and incidents use. */
export function itemKey<C extends { id: string }>(item: PlanItem<C>): string {
  return `${item.dataset}\u0000${itemId(item)}`;
}

/** The item's case (read from disk for a reference). */
export function loadItem<C>(item: PlanItem<C>): Promise<C> {
  return 'case' in item ? Promise.resolve(item.case) : item.load();
}

/**
 * Read-ahead of `evals run`: cases read (or being read) and not yet scheduled, at most; at least
 * 128 whatever the concurrency. The case read thread gets half a read-ahead per message, and
 * each message costs the main thread 0.1–0.2 ms: at 50 ahead (the concurrency), a 10,000-case run
 * sent 400 of them, and 128 ahead cut its cached run phase by ≈10% (six paired runs) for ≈5 MB.
 */
export function readAheadOf(concurrency: number): number {
  return Math.min(256, Math.max(128, concurrency));
}

/**
 * Reads `read(item)` for each item in order and yields `[item, value]` in that order, with at
 * most `ahead` reads started and not yet taken by the consumer: reads overlap with the work the
 * consumer does, and memory is bounded by `ahead` whatever the number of items. A failed read
 * rejects when its turn comes (a later read's failure never overtakes an earlier value).
 */
export async function* readAhead<T, U>(items: Iterable<T>, read: (item: T) => Promise<U>, ahead: number): AsyncGenerator<[T, U]> {
  const it = items[Symbol.iterator]();
  const queue: Array<{ item: T; value: Promise<U> }> = [];
  const limit = Math.max(1, ahead);
  let exhausted = false;
  for (;;) {
    while (!exhausted && queue.length < limit) {
      const next = it.next();
      if (next.done === true) {
        exhausted = true;
        break;
      }
      const value = read(next.value);
      // Awaited in its turn below; until then a rejection must not count as unhandled.
      value.catch(() => {});
      queue.push({ item: next.value, value });
    }
    const head = queue.shift();
    if (head === undefined) return;
    yield [head.item, await head.value];
  }
}
