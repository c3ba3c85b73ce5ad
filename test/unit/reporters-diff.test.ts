import { describe, expect, it } from 'vitest';
import { wordDiff, type DiffOp } from '../../src/reporters/diff.js';

const side = (ops: DiffOp[], keep: -1 | 1): string => ops.filter(([op]) => op === 0 || op === keep).map(([, t]) => t).join('');

describe('wordDiff', () => {
  it('marks changed words and keeps the rest', () => {
    const ops = wordDiff('the refund is approved today', 'the refund is denied today');
    expect(ops).toEqual([
      [0, 'the refund is '],
      [-1, 'approved '],
      [1, 'denied '],
      [0, 'today'],
    ]);
  });

  it('handles insertions, deletions and empty sides', () => {
    expect(wordDiff('', '')).toEqual([]);
    expect(wordDiff('', 'new text')).toEqual([[1, 'new text']]);
    expect(wordDiff('old text', '')).toEqual([[-1, 'old text']]);
    expect(wordDiff('a c', 'a b c')).toEqual([[0, 'a '], [1, 'b '], [0, 'c']]);
    expect(wordDiff('same', 'same')).toEqual([[0, 'same']]);
  });

  it('finds the longest common subsequence, not just prefix and suffix', () => {
    const ops = wordDiff('x a b c y', 'z a b c w');
    expect(ops.filter(([op]) => op === 0).map(([, t]) => t).join('')).toBe('a b c ');
  });

  it('reconstructs both texts exactly, whitespace and newlines included', () => {
    const cases: Array<[string, string]> = [
      ['  lead\n\ttabs  and   spaces ', 'lead\ttabs and spaces\n\n'],
      ['<img src=x onerror=alert(1)>', '</script><b>'],
      ['one two three four five', 'five four three two one'],
    ];
    for (const [a, b] of cases) {
      const ops = wordDiff(a, b);
      expect(side(ops, -1)).toBe(a);
      expect(side(ops, 1)).toBe(b);
      for (let i = 1; i < ops.length; i++) expect(ops[i]?.[0]).not.toBe(ops[i - 1]?.[0]);
    }
  });

  it('falls back to remove + add when the table would be too large', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`).join(' ');
    const ops = wordDiff(`k ${a}`, `k ${b}`, 100);
    expect(ops.map(([op]) => op)).toEqual([0, -1, 1]);
    expect(side(ops, 1)).toBe(`k ${b}`);
  });

  it('is self-contained so it can ship to the browser verbatim', () => {
    const src = wordDiff.toString();
    expect(src).not.toMatch(/__name|require\(|import\b/);
    const revived = new Function(`return ${src}`)() as typeof wordDiff;
    expect(revived('a b', 'a c')).toEqual(wordDiff('a b', 'a c'));
  });
});
