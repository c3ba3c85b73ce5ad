import { describe, expect, it } from 'vitest';
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
});
