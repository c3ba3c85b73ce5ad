/**
 * The one merge rule used wherever two views of the same step meet (conventions on one span,
 * an SDK span folded into its wrapper): the earlier view wins, the later one fills gaps.
 */

/** A step or patch seen as a plain record, for field-by-field merging. */
export type Loose = Record<string, unknown>;

/** Fields holding recorded values, merged whole: their insides are data, not step structure. */
const OPAQUE = new Set(['arguments', 'result', 'input', 'output', 'variables', 'metadata']);

function isEmpty(v: unknown): boolean {
  return v === undefined || (Array.isArray(v) && v.length === 0);
}

function isPlainObject(v: unknown): v is Loose {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `base` with the gaps filled from `patch`: a field is taken from `patch` when `base` lacks it or
 * holds an empty list; structural objects (`params`, `usage`, `prompt`, `params.extra`) are merged
 * key by key with the same rule; recorded values (`input`, `output`, `arguments`, `result`,
 * `variables`, `metadata`) are never mixed.
 */
export function mergeMissing(base: Loose, patch: Loose): Loose {
  const out: Loose = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    if (isEmpty(cur)) out[k] = v;
    else if (!OPAQUE.has(k) && isPlainObject(cur) && isPlainObject(v)) out[k] = mergeMissing(cur, v);
  }
  return out;
}
