/**
 * Limits on untrusted input that keep a hostile or broken file from crashing the process: JSON
 * nested deeper than any real trace, config or case (200k `[` would overflow every recursive
 * walk downstream) is an input error naming the file and line, found before any walk.
 */
import { InputError, type ErrorLocation } from './errors.js';

/** Deepest nesting accepted in a trace record, a case or a config value. */
export const MAX_JSON_DEPTH = 256;

/** Nesting depth of a parsed JSON value, counted without recursion; stops early past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
    }
  }
  return max;
}

/** Throws an InputError at `where` when `value` nests deeper than {@link MAX_JSON_DEPTH}. */
export function assertJsonDepth(value: unknown, where: ErrorLocation & { file: string }): void {
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new InputError('JSON nested too deeply', { ...where, expected: `at most ${MAX_JSON_DEPTH} levels of nesting`, found: `more than ${MAX_JSON_DEPTH}` });
  }
}

/** True for the engine's stack overflow, the last resort when some input still nests too deeply. */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}
