/**
 * Reading flat span attributes: typed getters, lenient JSON, and regrouping of the
 * `prefix.N.field` keys that OpenLLMetry and OpenInference flatten lists into.
 */
import type { Attributes, AttrValue, Json } from '../model.js';

/**
 * Parses a string that may hold JSON. Anything that is not a string, or a string that is not
 * JSON (plain prompt text, a truncated payload), is returned unchanged.
 */
export function parseLenient(value: AttrValue | undefined): Json | undefined {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  const first = trimmed[0];
  // Only objects, arrays and quoted strings: "42" or "true" as text must stay text.
  if (first !== '{' && first !== '[' && first !== '"') return value;
  try {
    return JSON.parse(trimmed) as Json;
  } catch {
    return value;
  }
}

/** A string attribute; numbers and booleans are stringified, everything else gives undefined. */
export function str(attrs: Attributes, key: string): string | undefined {
  const v = attrs[key];
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A numeric attribute; numeric strings (64-bit ints arrive as strings) are converted. */
export function num(attrs: Attributes, key: string): number | undefined {
  return toNumber(attrs[key]);
}

/** Converts a JSON number or numeric string to a finite number. */
export function toNumber(v: Json | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A boolean attribute; `"true"`/`"false"` strings are accepted. */
export function bool(attrs: Attributes, key: string): boolean | undefined {
  const v = attrs[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** A list of strings from an array attribute, a JSON-array string, or a single string. */
export function strList(attrs: Attributes, key: string): string[] | undefined {
  return toStringList(parseLenient(attrs[key]));
}

/** Converts a JSON value to a list of strings (a lone string becomes a one-item list). */
export function toStringList(v: Json | undefined): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    const out = v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);
    return out.length > 0 ? out : undefined;
  }
  if (typeof v === 'string') return v === '' ? undefined : [v];
  return undefined;
}

/** The JSON value of an attribute, parsed leniently. */
export function json(attrs: Attributes, key: string): Json | undefined {
  return parseLenient(attrs[key]);
}

/** True when `v` is a plain JSON object. */
export function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when any attribute key starts with `prefix`. */
export function hasPrefix(attrs: Attributes, prefix: string): boolean {
  return Object.keys(attrs).some((k) => k.startsWith(prefix));
}

/**
 * All attributes under `prefix` with the prefix removed (`prefix` should end with `.`).
 * Values are kept as recorded.
 */
export function withPrefix(attrs: Attributes, prefix: string): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith(prefix) && k.length > prefix.length) out[k.slice(prefix.length)] = v;
  }
  return out;
}

/**
 * Regroups `prefix.N.rest` keys into a list ordered by N: element N holds `{rest: value}`.
 * Gaps in the numbering are dropped, so `prefix.0` and `prefix.2` give two elements.
 */
export function indexed(attrs: Attributes, prefix: string): Attributes[] {
  const groups = new Map<number, Attributes>();
  const p = `${prefix}.`;
  for (const [k, v] of Object.entries(attrs)) {
    if (!k.startsWith(p)) continue;
    const rest = k.slice(p.length);
    const dot = rest.indexOf('.');
    const idxText = dot === -1 ? rest : rest.slice(0, dot);
    if (!/^\d+$/.test(idxText)) continue;
    const idx = Number(idxText);
    const group = groups.get(idx) ?? {};
    group[dot === -1 ? '' : rest.slice(dot + 1)] = v;
    groups.set(idx, group);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

/** Drops undefined values so merged objects stay clean and comparisons stay simple. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Converts a JSON object's entries to a `Record<string, Json>`, or undefined when empty. */
export function nonEmptyRecord(obj: Record<string, Json | undefined>): Record<string, Json> | undefined {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `map[key]` for own keys only: trace data is untrusted and `constructor` must not hit the prototype. */
export function lookup<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
