import { describe, expect, it } from 'vitest';
import { describeFilter, isFiltering, selectItems } from '../../src/cli/run-filter.js';
import { EvalsError } from '../../src/errors.js';

const item = (dataset: string, id: string, tags: string[] = [], incident?: string) => ({ dataset, case: { id, labels: { flaggedBecause: [], tags, diagnosis: [], ...(incident ? { incident } : {}) } } });
const ITEMS = [item('a', 'c_aa01', ['x']), item('a', 'c_aa02', ['y'], 'INC-1'), item('b', 'c_bb01', ['x', 'y']), item('b', 'c_bb02', [], 'INC-2')];
const ids = (xs: typeof ITEMS) => xs.map((i) => i.case.id);
/** The same cases by reference, counting reads. */
const refs = () => {
  const read: string[] = [];
  const items = ITEMS.map((i) => ({ dataset: i.dataset, id: i.case.id, load: () => (read.push(i.case.id), Promise.resolve(i.case)) }));
  return { items, read };
};

describe('selectItems', () => {
  it('ORs repeated values of one flag and ANDs different flags, keeping dataset order', async () => {
    expect(ids(await selectItems(ITEMS, { tags: ['x', 'y'] }))).toEqual(['c_aa01', 'c_aa02', 'c_bb01']);
    expect(ids(await selectItems(ITEMS, { tags: ['y'], incident: true }))).toEqual(['c_aa02']);
    expect(ids(await selectItems(ITEMS, { casePrefixes: ['bb', 'c_aa02'] }))).toEqual(['c_aa02', 'c_bb01', 'c_bb02']);
    expect(ids(await selectItems(ITEMS, { incident: 'INC-2' }))).toEqual(['c_bb02']);
    expect(ids(await selectItems(ITEMS, { only: { label: '--failing r', keys: new Set(['b\u0000c_bb01', 'a\u0000c_bb01']) } }))).toEqual(['c_bb01']);
    expect(ids(await selectItems(ITEMS, { tags: ['x'], limit: 1 }))).toEqual(['c_aa01']);
  });

  it('reads a case only when a flag needs its labels, stops at --limit, and keeps the references', async () => {
    const byId = refs();
    const kept = await selectItems(byId.items, { casePrefixes: ['bb'], limit: 1 });
    expect(kept.map((i) => i.id)).toEqual(['c_bb01']);
    expect(byId.read).toEqual([]);
    const byTag = refs();
    const tagged = await selectItems(byTag.items, { tags: ['y'], casePrefixes: ['aa'] });
    expect(tagged).toEqual([byTag.items[1]]);
    expect(tagged[0]).not.toHaveProperty('case');
    // Only the ids --case left are read; nothing after the limit is taken.
    expect(byTag.read).toEqual(['c_aa01', 'c_aa02']);
    const limited = refs();
    expect((await selectItems(limited.items, { tags: ['x'], limit: 1 })).map((i) => i.id)).toEqual(['c_aa01']);
  });

  it('a prefix matching nothing, or nothing left, is a usage error (exit 2)', async () => {
    await expect(selectItems(ITEMS, { casePrefixes: ['aa', 'zz'] })).rejects.toThrow(/--case matches no case/);
    try {
      await selectItems(ITEMS, { tags: ['x'], incident: 'INC-1' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EvalsError);
      expect((err as EvalsError).exitCode).toBe(2);
      expect((err as EvalsError).message).toContain('no case matches the filters');
    }
  });

  it('describes itself as the flags that made it', () => {
    expect(describeFilter({ casePrefixes: ['aa'], tags: ['x'], incident: true, limit: 3 })).toBe('--case aa --tag x --incident --limit 3');
    expect(isFiltering({})).toBe(false);
    expect(isFiltering({ limit: 5 })).toBe(true);
  });
});
