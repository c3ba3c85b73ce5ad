/**
 * `canonicalJson` (src/datasets/case.ts) must never change its text: case ids and response-cache
 * keys are hashes of it. Its fast path (values already in canonical form are serialized as they
 * are) is checked against the sort-and-copy it replaced, kept here as the oracle, on seeded random
 * values with the awkward parts of JavaScript objects: integer-like keys, `__proto__`, `toJSON`,
 * dates, undefined and function values, holes, class instances, non-ASCII keys.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/datasets/case.js';

/** The previous implementation: a sorted copy of every object, then JSON.stringify. */
function oracle(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[key];
        if (x !== undefined) out[key] = sortKeys(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const KEYS = ['a', 'b', 'content', 'role', 'Z', 'é', '10', '9', '2', '__proto__', 'toJSON', '', 'a b', '😀', 'tool_calls'];

function randomValue(r: () => number, depth: number): unknown {
  const pick = r();
  if (depth <= 0 || pick < 0.35) {
    const k = Math.floor(r() * 9);
    return [null, true, 0, -0, 1.5, NaN, 'text', 'ü "quoted" \n', undefined][k];
  }
  if (pick < 0.5) {
    const arr = Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth - 1));
    if (r() < 0.1) arr.length += 2; // holes
    return arr;
  }
  if (pick < 0.55) return new Date(Date.UTC(2026, 0, 1 + Math.floor(r() * 300)));
  if (pick < 0.58) return () => 1;
  if (pick < 0.6) return new (class Box { v = 1; })();
  // A plain object, keys in a random order (often sorted, as case files are).
  const keys = KEYS.filter(() => r() < 0.3);
  if (r() < 0.5) keys.sort();
  else keys.sort(() => r() - 0.5);
  const o: Record<string, unknown> = r() < 0.05 ? Object.create(null) : {};
  for (const k of keys) {
    if (k === 'toJSON' && r() < 0.5) o[k] = () => 'replaced';
    else Object.defineProperty(o, k, { value: randomValue(r, depth - 1), enumerable: true, writable: true, configurable: true });
  }
  return o;
}

describe('canonicalJson', () => {
  it('gives the same text as sorting copies, on 20,000 seeded random values', () => {
    const r = rng(20261202);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = randomValue(r, 4);
      const want = oracle(v);
      expect(canonicalJson(v), `value ${i}`).toBe(want);
      if (JSON.stringify(v) === want) fast++;
    }
    // Both paths were taken many times.
    expect(fast).toBeGreaterThan(2000);
    expect(fast).toBeLessThan(18_000);
  });

  it('keeps the text of the awkward cases exactly', () => {
    const cases: unknown[] = [
      { b: 1, a: 2 },
      { '10': 'x', '9': 'y', a: 1 },
      JSON.parse('{"__proto__": {"x": 1}, "a": 1}'),
      JSON.parse('{"a": 1, "__proto__": 2}'),
      { a: new Date(0) },
      { a: 1, toJSON: () => 'no' },
      Object.assign([1, 2], { toJSON: () => 'no' }),
      [undefined, () => 1, , 3], // eslint-disable-line no-sparse-arrays
      { content: 'hi', role: 'user' },
      { role: 'user', content: 'hi' },
    ];
    for (const v of cases) expect(canonicalJson(v)).toBe(oracle(v));
  });
});
