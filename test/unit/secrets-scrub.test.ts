import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/prng.js';
import { MASK, registerSecret, scrubKnownValues, scrubText, scrubValue } from '../../src/secrets/scrub.js';

describe('scrubText', () => {
  it('masks key-shaped strings, registered values and URL passwords', () => {
    registerSecret('configured-value-4711');
    registerSecret('k'); // too short to be told from text: ignored
    const text = 'key sk-proj-Zx81mQpL0vWcT7yRb2NaKd9EuHs4GfJ, got configured-value-4711 at https://pk:sk@host.test/x (k stays)';
    expect(scrubText(text)).toBe(`key ${MASK}, got ${MASK} at https://***@host.test/x (k stays)`);
    expect(scrubKnownValues('a configured-value-4711 b')).toBe(`a ${MASK} b`);
  });

  it('keeps JSON text valid: a trailing backslash is never swallowed', () => {
    const json = JSON.stringify({ m: 'password=abcdef"x' });
    const out = scrubText(json);
    expect(() => JSON.parse(out)).not.toThrow();
    expect(out).not.toContain('abcdef');
  });

  it('masks personal data only when asked (notes)', () => {
    expect(scrubText('mail jane@example.com')).toBe('mail jane@example.com');
    expect(scrubText('mail jane@example.com', { pii: true })).toBe(`mail ${MASK}`);
  });

  it('scrubs every string of a value, deep and cyclic-safe, without touching the input', () => {
    const input: Record<string, unknown> = { a: ['Bearer abcdefghijklmnopq'], n: 1 };
    input.self = input;
    const out = scrubValue(input);
    expect((out.a as string[])[0]).toBe(`Bearer ${MASK}`);
    expect(input.a).toEqual(['Bearer abcdefghijklmnopq']);
    expect(out.n).toBe(1);
    expect(out.self).toBe(out);
  });

  it('copies only along the path to a change: clean parts keep their identity', () => {
    const clean = { text: 'nothing to hide here', list: ['a', 'b'] };
    const input = { clean, dirty: { note: 'token: Bearer abcdefghijklmnopq' }, n: [1, 2] };
    const out = scrubValue(input);
    expect(out).not.toBe(input);
    expect(out.clean).toBe(clean);
    expect(out.n).toBe(input.n);
    expect(out.dirty.note).toContain(MASK);
    expect(input.dirty.note).toBe('token: Bearer abcdefghijklmnopq');
    expect(scrubValue(clean)).toBe(clean);
  });

  it('scrubs a value exactly as each of its strings alone, whatever the serialized text escapes', () => {
    // Copy on write must neither miss a change deep inside nor alter a clean string.
    const parts = ['key', 'token', 'api_', '"', "'", '\\', '\t', '\n', '\u0001', ' ', ':', '=', 'sk-', 'abcdefghijklmnop', 'Bearer ', 'passw', 'x', '0123456789abcdef'];
    const random = seededRandom(13);
    let masked = 0;
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const n = 1 + Math.floor(random() * 8);
      for (let k = 0; k < n; k++) text += parts[Math.floor(random() * parts.length)];
      const alone = scrubText(text);
      if (alone !== text) masked++;
      expect(scrubValue({ nested: [{ text }] }).nested[0]!.text, JSON.stringify(text)).toBe(alone);
    }
    expect(masked).toBeGreaterThan(100);
  });
});
