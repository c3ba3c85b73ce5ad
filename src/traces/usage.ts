/**
 * Adding token usage field by field: a case's usage is the sum over its model calls, and a field
 * no call reported stays absent rather than becoming 0.
 */
import type { Usage } from './model.js';

const FIELDS = ['inputTokens', 'outputTokens', 'totalTokens', 'cachedInputTokens', 'cacheCreationInputTokens', 'reasoningTokens'] as const;

/** `a + b`; undefined when neither reported anything. */
export function addUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!b) return a;
  if (!a) return { ...b };
  const out: Usage = { ...a };
  for (const k of FIELDS) if (b[k] !== undefined) out[k] = (out[k] ?? 0) + (b[k] ?? 0);
  return out;
}

/** The sum of a list of usages. */
export function sumUsage(list: ReadonlyArray<Usage | undefined>): Usage | undefined {
  return list.reduce<Usage | undefined>(addUsage, undefined);
}
