import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/prng.js';
import { LatestRows, resultKey } from '../../src/runner/results.js';

describe('LatestRows (the last line per result key, without a key string per result)', () => {
  it('keeps the same rows in the same order as a map moved to the end on every update', () => {
    const rand = seededRandom(9);
    for (let trial = 0; trial < 20; trial++) {
      const latest = new LatestRows();
      const reference = new Map<string, number>();
      for (let row = 0; row < 500; row++) {
        const r = { dataset: ['a', 'b'][Math.floor(rand() * 2)]!, caseId: `c${Math.floor(rand() * 60)}`, variant: ['x', 'y', 'z'][Math.floor(rand() * 3)]!, repeat: Math.floor(rand() * 3) };
        latest.set(r, row);
        const k = resultKey(r);
        reference.delete(k);
        reference.set(k, row);
      }
      expect(latest.rows()).toEqual([...reference.values()]);
      expect(reference.size).toBeLessThan(500);
    }
  });
});
