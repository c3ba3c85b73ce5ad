import { describe, expect, it } from 'vitest';
import type { CaseStep } from '../../src/datasets/case.js';
import { compareRankings } from '../../src/evaluators/builtin/retrieval-drift.js';
import { ConfigError } from '../../src/errors.js';
import { build, makeCase, score } from './evaluators-helpers.js';

const retrieval = (ids: string[], spanId = 'r1'): CaseStep => ({
  spanId,
  name: 'retrieve',
  offsetMs: 0,
  durationMs: 5,
  status: 'ok',
  step: { type: 'retrieval', query: 'refund time', documents: ids.map((id) => ({ id, content: `doc ${id}` })) },
});
const recorded = makeCase({ context: { steps: [retrieval(['kb-refunds', 'kb-shipping', 'kb-gift-cards'])] } });

describe('retrieval-drift', () => {
  it('passes the same documents and fails a changed retrieval', async () => {
    const same = await score({ type: 'retrieval-drift' }, { output: 'x', steps: [retrieval(['kb-refunds', 'kb-shipping', 'kb-gift-cards'])] }, recorded);
    expect(same).toMatchObject({ pass: true, score: 1, readReference: false });
    expect(same.reason).toContain('rank agreement 1');
    const changed = await score({ type: 'retrieval-drift' }, { output: 'x', steps: [retrieval(['kb-legacy-refunds', 'kb-shipping', 'kb-returns'])] }, recorded);
    expect(changed.pass).toBe(false);
    expect(changed.score).toBeCloseTo(1 / 3, 3);
    expect(changed.reason).toContain('lost kb-refunds, kb-gift-cards');
    expect(changed.reason).toContain('new kb-legacy-refunds, kb-returns');
  });

  it('checks rank agreement when asked: same documents in another order', async () => {
    const reordered = { output: 'x', steps: [retrieval(['kb-gift-cards', 'kb-shipping', 'kb-refunds'])] };
    expect((await score({ type: 'retrieval-drift' }, reordered, recorded)).pass).toBe(true);
    const r = await score({ type: 'retrieval-drift', rankThreshold: 0.8 }, reordered, recorded);
    expect(r.pass).toBe(false);
    expect(r.score).toBe(1);
  });

  it('passes, saying why, when there is nothing to compare', async () => {
    expect((await score({ type: 'retrieval-drift' }, { output: 'x', steps: [retrieval(['a'])] })).reason).toBe('the case recorded no retrieval');
    expect((await score({ type: 'retrieval-drift' }, { output: 'x' }, recorded)).reason).toContain('ran no retrieval');
  });

  it('computes overlap and normalised RBO', () => {
    expect(compareRankings(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual({ overlap: 1, rank: 1 });
    expect(compareRankings(['a', 'b', 'c'], ['x', 'y', 'z'])).toEqual({ overlap: 0, rank: 0 });
    const swapped = compareRankings(['a', 'b', 'c'], ['b', 'a', 'c']).rank;
    expect(swapped).toBeGreaterThan(0.5);
    expect(swapped).toBeLessThan(1);
    expect(() => build({ type: 'retrieval-drift', threshold: 2 })).toThrow(ConfigError);
  });
});
