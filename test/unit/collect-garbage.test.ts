import { describe, expect, it } from 'vitest';
import { collectBetweenPhases, heapGrowingGiven, MIN_RESULTS } from '../../src/cli/collect-garbage.js';

function garbage(): number {
  // ~40 MB of strings that become unreachable when this returns.
  let keep: string[] = [];
  for (let i = 0; i < 400_000; i++) keep.push(`${i}`.padEnd(100, 'x'));
  const n = keep.length;
  keep = [];
  return n;
}

describe('collectBetweenPhases (one full collection between a large run and its reports)', () => {
  it('collects what the run phase left behind when the run was large, and does nothing for a small run', () => {
    garbage();
    const before = process.memoryUsage().heapUsed;
    collectBetweenPhases(MIN_RESULTS - 1);
    const small = process.memoryUsage().heapUsed;
    expect(small).toBeGreaterThan(before - 20e6);
    collectBetweenPhases(MIN_RESULTS);
    expect(process.memoryUsage().heapUsed).toBeLessThan(small - 20e6);
  });
});

describe('heapGrowingGiven (node\'s own --heap-growing-percent wins over the tool\'s)', () => {
  it('sees the flag in NODE_OPTIONS, and nothing without it', () => {
    const saved = process.env.NODE_OPTIONS;
    try {
      process.env.NODE_OPTIONS = '--max-old-space-size=512 --heap-growing-percent=80';
      expect(heapGrowingGiven()).toBe(true);
      process.env.NODE_OPTIONS = '--max-old-space-size=512';
      expect(heapGrowingGiven()).toBe(process.execArgv.some((a) => a.startsWith('--heap-growing-percent')));
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  });
});
