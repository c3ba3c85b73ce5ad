import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { extractQuantities } from '../../src/evaluators/builtin/quantities.js';
import { build, makeCase, score } from './evaluators-helpers.js';

describe('numbers-match', () => {
  it('fails "90 days" against "5-7 business days" (the seed incident)', async () => {
    const r = await score({ type: 'numbers-match' }, { output: 'Refunds take 90 days.' });
    expect(r).toMatchObject({ pass: false, score: 0 });
    expect(r.reason).toContain('"5-7 business day"');
    expect(r.reason).toContain('"90 day"');
    expect(r.readReference).toBe(true);
  });

  it('passes the same figures written differently', async () => {
    for (const output of ['You will get it back within 5 to 7 business days.', 'Refunds take 5–7 working days', 'Five-seven? No: 5-7 business days.']) {
      expect((await score({ type: 'numbers-match' }, { output })).pass, output).toBe(true);
    }
  });

  it('fails a changed range, a changed currency amount and an extra figure', async () => {
    expect((await score({ type: 'numbers-match' }, { output: 'Refunds take 5-70 business days.' })).pass).toBe(false);
    expect((await score({ type: 'numbers-match' }, { output: 'Refunds take 5-7 days.' })).pass).toBe(false);
    const c = makeCase({ recorded: { output: 'The fee is $12.50.', latencyMs: 1, status: 'ok' } });
    expect((await score({ type: 'numbers-match' }, { output: 'The fee is 12.50 USD.' }, c)).pass).toBe(true);
    expect((await score({ type: 'numbers-match' }, { output: 'The fee is $15.' }, c)).pass).toBe(false);
    const extra = await score({ type: 'numbers-match' }, { output: 'Refunds take 5-7 business days, or 30 days for gift cards.' });
    expect(extra).toMatchObject({ pass: false, score: 0.5 });
    expect((await score({ type: 'numbers-match', mode: 'contains' }, { output: 'Refunds take 5-7 business days, or 30 days for gift cards.' })).pass).toBe(true);
  });

  it('uses `value` without reading the reference', async () => {
    const r = await score({ type: 'numbers-match', value: '20% off' }, { output: 'You get 20 percent off' });
    expect(r).toMatchObject({ pass: true, readReference: false });
  });

  it('extracts figures, not ids or prose numbers', () => {
    expect(extractQuantities('Order A1002 shipped 2026-12-01; one of our agents calls within two hours, €1,200 refunded')).toEqual([
      '2026-12-01',
      '2 hour',
      'EUR 1200',
    ]);
  });

  it('rejects an unknown mode', () => {
    expect(() => build({ type: 'numbers-match', mode: 'fuzzy' })).toThrow(ConfigError);
  });
});
