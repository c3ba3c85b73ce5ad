import { describe, expect, it } from 'vitest';
import { describeFilter, isFiltering, selectItems } from '../../src/cli/run-filter.js';
import { EvalsError } from '../../src/errors.js';

const item = (dataset: string, id: string, tags: string[] = [], incident?: string) => ({ dataset, case: { id, labels: { flaggedBecause: [], tags, diagnosis: [], ...(incident ? { incident } : {}) } } });
const ITEMS = [item('a', 'c_aa01', ['x']), item('a', 'c_aa02', ['y'], 'INC-1'), item('b', 'c_bb01', ['x', 'y']), item('b', 'c_bb02', [], 'INC-2')];
const ids = (xs: typeof ITEMS) => xs.map((i) => i.case.id);

describe('selectItems', () => {
  it('ORs repeated values of one flag and ANDs different flags, keeping dataset order', () => {
    expect(ids(selectItems(ITEMS, { tags: ['x', 'y'] }))).toEqual(['c_aa01', 'c_aa02', 'c_bb01']);
    expect(ids(selectItems(ITEMS, { tags: ['y'], incident: true }))).toEqual(['c_aa02']);
    expect(ids(selectItems(ITEMS, { casePrefixes: ['bb', 'c_aa02'] }))).toEqual(['c_aa02', 'c_bb01', 'c_bb02']);
    expect(ids(selectItems(ITEMS, { incident: 'INC-2' }))).toEqual(['c_bb02']);
    expect(ids(selectItems(ITEMS, { only: { label: '--failing r', keys: new Set(['b\u0000c_bb01', 'a\u0000c_bb01']) } }))).toEqual(['c_bb01']);
    expect(ids(selectItems(ITEMS, { tags: ['x'], limit: 1 }))).toEqual(['c_aa01']);
  });

  it('a prefix matching nothing, or nothing left, is a usage error (exit 2)', () => {
    expect(() => selectItems(ITEMS, { casePrefixes: ['aa', 'zz'] })).toThrow(/--case matches no case/);
    try {
      selectItems(ITEMS, { tags: ['x'], incident: 'INC-1' });
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
