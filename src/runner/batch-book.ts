/**
 * The answers a provider batch gave, waiting for the cases that asked: keyed by the request's
 * cache key (the same key the response cache uses, repeat index included), so the pipeline
 * re-run after the batch finds its answer exactly where a live call would have gone. Each
 * answer is taken once; identical requests (same key) queue several. A batch request's custom
 * id is the first 48 hex digits of that key plus a counter for duplicates.
 */
import type { LlmResponse } from '../providers/provider.js';
import type { StepError } from '../traces/model.js';

/** One answer from a batch: a response, or the error the provider gave that request. */
export type BookEntry = { kind: 'succeeded'; response: LlmResponse } | { kind: 'errored'; error: StepError & { status?: number } };

/** The custom id of the `dup`-th request with cache key `key` (1–64 of `[A-Za-z0-9_-]`). */
export function customIdOf(key: string, dup: number): string {
  return `${key.slice(0, 48)}-${dup}`;
}

/** The cache-key prefix a custom id stands for. */
export function keyPrefixOf(customId: string): string {
  return customId.slice(0, customId.lastIndexOf('-'));
}

export class BatchBook {
  private readonly entries = new Map<string, BookEntry[]>();
  private count = 0;

  /** Adds an answer for the request whose full cache key is `key`. */
  add(key: string, entry: BookEntry): void {
    const list = this.entries.get(key);
    if (list) list.push(entry);
    else this.entries.set(key, [entry]);
    this.count++;
  }

  /** Takes (removes) one answer for `key`, if any. */
  take(key: string): BookEntry | undefined {
    const list = this.entries.get(key);
    const entry = list?.shift();
    if (list && list.length === 0) this.entries.delete(key);
    if (entry) this.count--;
    return entry;
  }

  /** Answers not taken yet. */
  get size(): number {
    return this.count;
  }

  /** Removes and yields every answer not taken (e.g. cases the budget skipped), with its key. */
  *drain(): Generator<[string, BookEntry]> {
    for (const [key, list] of this.entries) for (const e of list) yield [key, e];
    this.entries.clear();
    this.count = 0;
  }
}
