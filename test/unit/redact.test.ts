import { describe, expect, it } from 'vitest';
import { computeCaseId } from '../../src/datasets/case.js';
import { ibanValid, luhnValid } from '../../src/datasets/redaction/redact-detectors.js';
import { compileFieldRule, placeholderFor, redactCase, redactValue, scanText, scanValue } from '../../src/datasets/redaction/redact.js';
import { makeCase } from './datasets-fixtures.js';

const salt = '00112233445566778899aabbccddeeff';
const redact = (text: string, extra: Parameters<typeof redactValue>[1] extends infer O ? Partial<O> : never = {}) => redactValue(text, { salt, ...extra });
const kinds = (text: string): string[] => scanText(text).map((f) => f.kind);

describe('detectors: what is found', () => {
  it.each([
    ['mail me at Jane.Doe+x@mail.example.co.uk please', 'email'],
    ['call +1 (415) 555-0132 tomorrow', 'phone'],
    ['call +44 20 7946 0958', 'phone'],
    ['+33612345678', 'phone'],
    ['US number 415-555-0132.', 'phone'],
    ['US number (415) 555-0132', 'phone'],
    ['UK 020 7946 0958 or', 'phone'],
    ['FR 06 12 34 56 78', 'phone'],
    ['phone: 0612345678', 'phone'],
    ['card 4111 1111 1111 1111 exp', 'card'],
    ['card 5500-0000-0000-0004', 'card'],
    ['iban DE89 3704 0044 0532 0130 00', 'iban'],
    ['iban GB82WEST12345698765432', 'iban'],
    ['from 192.168.1.20 at', 'ip'],
    ['v6 2001:db8:85a3::8a2e:370:7334 seen', 'ip'],
    ['key sk-proj-abcdefghijklmnopqrstuvwxyz012345', 'openai_key'],
    ['key sk-abcdefghijklmnopqrstuvwx', 'openai_key'],
    ['key sk-ant-api03-abcdefghijklmnopqrstuvwxyz', 'anthropic_key'],
    ['AKIAIOSFODNN7EXAMPLE', 'aws_access_key'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'github_token'],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'github_token'],
    ['xoxb-1234567890-abcdefghij', 'slack_token'],
    ['tok eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'jwt'],
    ['Authorization: Bearer abcdef0123456789xyz', 'bearer'],
    ['url?api_key=abcd1234efgh&x=1', 'secret'],
    ['password: hunter22', 'secret'],
  ])('%s → %s', (text, kind) => {
    expect(kinds(text)).toEqual([kind]);
  });

  it.each([
    ['released 2024-01-15 and 15.01.2024'],
    ['order ORD-2024-000123 and #123456789'],
    ['version 1.2.3 and v10.0.0.1'],
    ['the build 20240115123045'],
    ['card-like 4111 1111 1111 1112 fails Luhn'],
    ['iban-like GB82 WEST 1234 5698 7654 33 fails mod 97'],
    ['time 12:30:45 and ratio 3:2'],
    ['amount 1234567.89 USD'],
    ['already <EMAIL_0123abcd> and <REDACTED>'],
    ['a bare 0612345678 without context'],
    ['at 2026-11-27T10:00:00.000Z and 27/11/2026'],
    ['trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7'],
    ['uuid 123e4567-e89b-12d3-a456-426614174000'],
    ['tokens used: 1234567 of 2000000'],
  ])('nothing in %s', (text) => {
    expect(scanText(text)).toEqual([]);
  });

  it('checks Luhn and IBAN checksums', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('0000000000000000')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
  });
});

describe('placeholders', () => {
  it('are deterministic per salt and normalized value, and differ across salts and values', () => {
    const a = redact('write to Jo@Example.com').value;
    const b = redact('JO@example.com wrote').value;
    expect(a).toMatch(/^write to <EMAIL_[0-9a-f]{8}>$/);
    expect(a.slice(9)).toBe(b.slice(0, b.indexOf(' ')));
    expect(redactValue('write to jo@example.com', { salt: 'ff'.repeat(16) }).value).not.toBe(a);
    expect(placeholderFor('email', 'x@y.io', salt)).not.toBe(placeholderFor('email', 'z@y.io', salt));
    expect(redact('+1 415 555 0132').value).toBe(redact('+14155550132').value);
  });

  it('replaces only the secret part of Bearer and key=value and counts by kind', () => {
    const r = redact('Authorization: Bearer abcdef0123456789xyz; password=hunter22 mail a@b.io c@d.io');
    expect(r.value).toMatch(/^Authorization: Bearer <BEARER_[0-9a-f]{8}>; password=<SECRET_[0-9a-f]{8}> mail <EMAIL_[0-9a-f]{8}> <EMAIL_[0-9a-f]{8}>$/);
    expect(r.counts).toEqual({ bearer: 1, secret: 1, email: 2 });
  });

  it('is idempotent: a second pass finds nothing', () => {
    const once = redact('jo@example.com 4111 1111 1111 1111 192.168.0.1');
    const twice = redactValue(once.value, { salt });
    expect(twice.value).toBe(once.value);
    expect(twice.counts).toEqual({});
  });
});

describe('walking values', () => {
  it('redacts inside JSON strings and keeps them JSON', () => {
    const args = JSON.stringify({ email: 'jo@example.com', note: 'call +1 415 555 0132' });
    const r = redactValue({ arguments: args }, { salt });
    const parsed = JSON.parse(r.value.arguments) as Record<string, string>;
    expect(parsed.email).toMatch(/^<EMAIL_/);
    expect(parsed.note).toMatch(/^call <PHONE_/);
    expect(r.counts).toEqual({ email: 1, phone: 1 });
  });

  it('blanks the values of secret-named keys whatever they look like', () => {
    const r = redactValue({ headers: { Authorization: 'x', 'x-api-key': 'short', cookie: 'sid=1' }, apiKey: 42 }, { salt });
    expect(r.value.headers.Authorization).toMatch(/^<SECRET_/);
    expect(r.value.headers['x-api-key']).toMatch(/^<SECRET_/);
    expect(r.value.headers.cookie).toMatch(/^<SECRET_/);
    expect(r.value.apiKey).toBe(42);
  });

  it('applies field rules with wildcards and custom patterns', () => {
    expect(compileFieldRule('a.b[*].c').test('a.b.3.c')).toBe(true);
    expect(compileFieldRule('a.*.c').test('a.b.d.c')).toBe(false);
    const value = { input: { variables: { name: 'Ada Lovelace', plan: 'pro' } }, docs: [{ text: 'CUST-123456 asked' }] };
    const r = redactValue(value, { salt, fields: ['input.variables.name'], patterns: [{ kind: 'Customer-Id', pattern: 'CUST-\\d{6}' }] });
    expect(r.value.input.variables).toEqual({ name: '<REDACTED>', plan: 'pro' });
    expect(r.value.docs[0]?.text).toMatch(/^<CUSTOMER_ID_[0-9a-f]{8}> asked$/);
    expect(r.counts).toEqual({ field: 1, customer_id: 1 });
  });

  it('redacts a case, keeps structural fields, records counts and recomputes the id', () => {
    const base = makeCase('trace-1', 'I am jo@example.com, card 4111-1111-1111-1111');
    base.provenance.userId = 'jo@example.com';
    const { case: c, counts } = redactCase({ ...base, id: computeCaseId(base) }, { salt });
    expect(JSON.stringify(c)).not.toContain('jo@example.com');
    expect(JSON.stringify(c)).not.toContain('4111');
    expect(c.provenance.traceId).toBe('trace-1');
    expect(c.provenance.capturedAt).toBe(base.provenance.capturedAt);
    expect(c.context.steps[0]?.spanId).toBe('s1');
    expect(counts).toEqual({ email: 3, card: 2 });
    expect(c.provenance.redaction).toEqual({ email: 3, card: 2 });
    const { id: _id, ...body } = c;
    expect(c.id).toBe(computeCaseId(body));
    expect(redactCase({ ...base, id: computeCaseId(base) }, { salt }).case.id).toBe(c.id);
  });

  it('scanValue reports paths with masked values only', () => {
    const hits = scanValue({ a: [{ b: 'mail jo@example.com' }], password: 'hunter22', ok: '<SECRET_0123abcd>' });
    expect(hits).toEqual([
      { path: 'a.0.b', kind: 'email', masked: 'jo…om (14 chars)' },
      { path: 'password', kind: 'secret', masked: 'hu…22 (8 chars)' },
    ]);
  });
});

describe('cost', () => {
  it('stays linear on long pathological texts (no catastrophic backtracking)', () => {
    const texts = ['a'.repeat(100_000), '1 '.repeat(50_000), 'a@'.repeat(50_000), 'ab12:'.repeat(20_000), 'AB12 '.repeat(20_000), 'password='.repeat(10_000)];
    const start = Date.now();
    for (const t of texts) scanText(t);
    expect(Date.now() - start).toBeLessThan(3_000);
  });
});
