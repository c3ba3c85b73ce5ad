/**
 * The placeholder cache (placeholder-tokens.ts) decides only how often the MAC runs, never what
 * a placeholder is: through a full cache of misses, the bypass that follows, and caching again.
 */
import { describe, expect, it } from 'vitest';
import { PlaceholderMac } from '../../src/datasets/redaction/placeholder-mac.js';
import { PlaceholderTokens } from '../../src/datasets/redaction/placeholder-tokens.js';
import { placeholderFor } from '../../src/datasets/redaction/redact.js';
import type { Detector } from '../../src/datasets/redaction/redact-detectors.js';

const salt = '00112233445566778899aabbccddeeff';
const phone: Detector = { kind: 'phone', regex: /\d+/g, normalize: (v) => v.replace(/\D/g, '') };

describe('placeholder tokens', () => {
  it('gives every value its own MAC placeholder whether cached, bypassed or cached again', () => {
    const tokens = new PlaceholderTokens(new PlaceholderMac(salt));
    // 70k distinct values fill the cache with misses (bypass starts), then repeats and new
    // formatting variants of early values, then more distinct values.
    const values: string[] = [];
    for (let i = 0; i < 70_000; i++) values.push(`+1 415 ${String(1_000_000 + i)}`);
    for (let i = 0; i < 2_000; i++) values.push(`+1-415-${String(1_000_000 + (i * 7) % 70_000)}`);
    for (let i = 0; i < 2_000; i++) values.push(`+1 415 ${String(1_000_000 + (i * 13) % 70_000)}`);
    for (const v of values) expect(tokens.tokenFor(phone, v)).toBe(placeholderFor('phone', phone.normalize!(v), salt));
  });

  it('serves repeats from the cache with the same placeholder as the first sight', () => {
    const tokens = new PlaceholderTokens(new PlaceholderMac(salt));
    const first = tokens.tokenFor(phone, '+1 (415) 555-0132');
    expect(tokens.tokenFor(phone, '14155550132')).toBe(first);
    expect(tokens.tokenFor(phone, '+1 (415) 555-0132')).toBe(first);
    expect(first).toBe(placeholderFor('phone', '14155550132', salt));
  });
});
