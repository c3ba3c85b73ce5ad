/**
 * Three-way merge of concurrent curations of one case, pure. Two branches that each curated
 * the same case produce two descendants of a common base case. Field by field: a side equal to
 * the base takes the other side's value; equal values agree; tags, flag reasons and assertions
 * merge as sets (additions of every side, removals of any side); anything else that both sides
 * changed differently is a conflict reported with every side's value — never a silent pick.
 */
import { canonicalJson } from '../case.js';
import type { Case } from '../case.js';

/** Paths merged as sets instead of as single values. */
const SET_PATHS = new Set(['labels.tags', 'labels.flaggedBecause', 'expected.assertions']);
/** Paths sorted after a set merge (tags are kept sorted by the curation commands). */
const SORTED_PATHS = new Set(['labels.tags', 'labels.flaggedBecause']);

/** One field the sides changed differently. */
export interface FieldConflict {
  /** Dotted path, e.g. `expected.output`. */
  path: string;
  base: unknown;
  /** One entry per side that changed the field, in the order of `sides`. */
  values: Array<{ caseId: string; value: unknown }>;
}

/** Result of {@link mergeCuratedCases}: a merged body (no id) or the conflicting fields. */
export type CaseMerge = { ok: true; body: Omit<Case, 'id'> } | { ok: false; conflicts: FieldConflict[] };

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Merges `sides` (descendants of `base` by curation) field by field. */
export function mergeCuratedCases(base: Case, sides: readonly Case[]): CaseMerge {
  const conflicts: FieldConflict[] = [];
  const strip = (c: Case): Record<string, unknown> => {
    const { id: _id, ...body } = c;
    return body as Record<string, unknown>;
  };
  const merged = mergeValue(strip(base), sides.map(strip), sides.map((s) => s.id), '', conflicts);
  if (conflicts.length > 0) return { ok: false, conflicts };
  return { ok: true, body: merged as Omit<Case, 'id'> };
}

function mergeValue(base: unknown, sides: unknown[], ids: string[], path: string, conflicts: FieldConflict[]): unknown {
  if (SET_PATHS.has(path)) return mergeSet(base, sides, path);
  const changed = sides.map((v, i) => ({ v, i })).filter(({ v }) => !same(v, base));
  if (changed.length === 0) return base;
  const first = changed[0] as { v: unknown; i: number };
  if (changed.every(({ v }) => same(v, first.v))) return first.v;
  // Several sides changed an object: merge it key by key.
  if ((isObject(base) || base === undefined) && changed.every(({ v }) => isObject(v) || v === undefined)) {
    const b = isObject(base) ? base : {};
    const keys = [...new Set([...Object.keys(b), ...sides.flatMap((s) => (isObject(s) ? Object.keys(s) : []))])].sort();
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = mergeValue(k in b ? b[k] : undefined, sides.map((s) => (isObject(s) ? s[k] : undefined)), ids, path === '' ? k : `${path}.${k}`, conflicts);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  conflicts.push({ path: path || '(case)', base, values: changed.map(({ v, i }) => ({ caseId: ids[i] as string, value: v })) });
  return base;
}

function mergeSet(base: unknown, sides: unknown[], path: string): unknown {
  const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const key = (v: unknown): string => canonicalJson(v);
  const baseList = asList(base);
  const baseKeys = new Set(baseList.map(key));
  const removed = new Set<string>();
  for (const s of sides) {
    const keys = new Set(asList(s).map(key));
    for (const k of baseKeys) if (!keys.has(k)) removed.add(k);
  }
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const v of [...baseList, ...sides.flatMap(asList)]) {
    const k = key(v);
    if (seen.has(k) || removed.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  if (SORTED_PATHS.has(path)) out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (out.length === 0 && base === undefined && sides.every((s) => s === undefined)) return undefined;
  return out;
}
