import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PlaceholderMac } from '../../src/datasets/redaction/placeholder-mac.js';
import { placeholderFor } from '../../src/datasets/redaction/redact.js';

const reference = (salt: string, message: string): string => createHmac('sha256', salt).update(message).digest('hex').slice(0, 8);

describe('placeholder MAC', () => {
  // Block boundaries of SHA-256 padding (55/56/64 bytes), multi-byte UTF-8, lone surrogates, long keys.
  const messages = ['', 'a', 'email\0jane.doe@example.com', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(119), 'x'.repeat(120), 'y'.repeat(5000),
    'é€😀'.repeat(30), 'lone \ud800 surrogate', 'phone\u000014155550132'];
  const salts = ['00112233445566778899aabbccddeeff', 'ab', '', 'k'.repeat(64), 'k'.repeat(65), 'sälz€', randomBytes(16).toString('hex')];

  it.each(salts)('equals createHmac("sha256", %j) cut to 8 hex digits', (salt) => {
    const mac = new PlaceholderMac(salt);
    for (const m of messages) expect(mac.hex8(m), `${m.length} chars`).toBe(reference(salt, m));
    for (let i = 0; i < 300; i++) {
      const m = `email\0${randomBytes(i % 90).toString('base64')}@example.com`;
      expect(mac.hex8(m)).toBe(reference(salt, m));
    }
  });

  it('joins kind and value with NUL exactly as the message `${kind}\0${value}` (every length mod 4, non-ASCII on either side)', () => {
    const salt = randomBytes(16).toString('hex');
    const mac = new PlaceholderMac(salt);
    for (const kind of ['email', 'ip', 'card', 'phone', 'kïnd']) {
      for (let i = 0; i < 140; i++) {
        const value = i % 7 === 0 ? `é${'v'.repeat(i)}` : 'v'.repeat(i);
        expect(mac.hex8Joined(kind, value), `${kind} + ${i} chars`).toBe(reference(salt, `${kind}\0${value}`));
      }
    }
  });

  it('keeps the placeholders of datasets written by the createHmac version', () => {
    const salt = '00112233445566778899aabbccddeeff';
    expect(placeholderFor('email', 'jane@example.com', salt)).toBe(`<EMAIL_${reference(salt, 'email\0jane@example.com')}>`);
    expect(placeholderFor('phone', '14155550132', 'ff'.repeat(16))).toBe(`<PHONE_${reference('ff'.repeat(16), 'phone\u000014155550132')}>`);
  });
});
