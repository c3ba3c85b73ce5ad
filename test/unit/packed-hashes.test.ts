import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PackedHashes } from '../../src/datasets/storage/packed-hashes.js';

describe('PackedHashes', () => {
  it('gives back every hash as stored, past its first allocation, odd values included', () => {
    const packed = new PackedHashes();
    const stored = Array.from({ length: 3000 }, (_, i) => (i % 997 === 5 ? '' : i % 991 === 7 ? 'ABC' + 'd'.repeat(61) : createHash('sha256').update(String(i)).digest('hex')));
    const at = stored.map((h) => packed.add(h));
    expect(at).toEqual(stored.map((_, i) => i));
    for (let i = 0; i < stored.length; i++) expect(packed.get(i)).toBe(stored[i]);
  });
});
