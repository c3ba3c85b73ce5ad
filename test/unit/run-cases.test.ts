import { appendFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseLookupOf, openCaseLookup } from '../../src/cli/run-cases.js';
import { caseFilePath } from '../../src/datasets/storage/dataset-io.js';
import { openStore } from '../../src/datasets/store.js';
import { makeCase, tempRoot } from './datasets-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ root, cleanup } = await tempRoot()));
afterEach(() => cleanup());

describe('openCaseLookup (the cases of a run\'s pinned versions, found by id)', () => {
  it('finds every case of every dataset, checks each file against its version, and lets the last dataset win an id', async () => {
    const store = openStore(root);
    // More than the packed table's first allocation, so it grows.
    const many = Array.from({ length: 1100 }, (_, i) => makeCase(`a${i}`, `question ${i}`));
    const a = await store.writeVersion('a', { add: [makeCase('shared', 'same question'), ...many], provenance: { source: 'snapshot' } });
    const b = await store.writeVersion('b', { add: [makeCase('shared', 'same question'), makeCase('b1', 'only in b')], provenance: { source: 'snapshot' } });
    const shared = a.added.find((id) => b.added.includes(id))!;
    expect(shared).toBeDefined();
    const lookup = await openCaseLookup(root, [{ name: 'a', version: 'latest' }, { name: 'b', version: 'latest' }]);
    const ids = [...lookup.ids()];
    expect(new Set(ids)).toEqual(new Set([...a.added, ...b.added]));
    expect(ids).toHaveLength(1102);
    // An id in both datasets takes the place the last one gives it.
    expect(ids.slice(-2).sort()).toEqual([...b.added].sort());
    const latestA = await store.readVersion('a');
    for (const c of latestA.cases.slice(0, 50)) expect(lookup.get(c.id)).toEqual(c);
    expect(lookup.brief(a.added[5]!)?.tags).toEqual(['refund']);
    expect(lookup.has('c_0000000000000000')).toBe(false);
    expect(lookup.get('c_0000000000000000')).toBeUndefined();

    // The shared id resolves to dataset b: an edit of a's copy goes unnoticed, an edit of b's is caught.
    await appendFile(caseFilePath(root, 'a', shared), ' ');
    expect(lookup.get(shared)?.id).toBe(shared);
    await appendFile(caseFilePath(root, 'b', shared), ' ');
    expect(() => lookup.get(shared)).toThrow(/case file changed after it was written/);
    // Every other case is checked against its own version's hash.
    const last = a.added.filter((id) => id !== shared).at(-1)!;
    await appendFile(caseFilePath(root, 'a', last), ' ');
    expect(() => lookup.get(last)).toThrow(/case file changed after it was written/);
  });

  it('the lookup made from the plan\'s cases answers as the one made from the version files', async () => {
    const store = openStore(root);
    const a = await store.writeVersion('a', { add: [makeCase('shared', 'same question'), makeCase('a1', 'only in a'), makeCase('a2', 'also in a')], provenance: { source: 'snapshot' } });
    const b = await store.writeVersion('b', { add: [makeCase('shared', 'same question'), makeCase('b1', 'only in b')], provenance: { source: 'snapshot' } });
    const fromFiles = await openCaseLookup(root, [{ name: 'a', version: 'latest' }, { name: 'b', version: 'latest' }]);
    const planned = [];
    for (const [dataset, name] of ['a', 'b'].entries()) {
      const v = await store.readVersion(name);
      for (const c of v.cases) planned.push({ dataset, id: c.id, hash: v.manifest.cases[c.id]! });
    }
    const fromPlan = caseLookupOf(root, ['a', 'b'], planned);
    expect([...fromPlan.ids()]).toEqual([...fromFiles.ids()]);
    for (const id of [...a.added, ...b.added, 'c_0000000000000000']) {
      expect(fromPlan.has(id)).toBe(fromFiles.has(id));
      expect(fromPlan.get(id)).toEqual(fromFiles.get(id));
      expect(fromPlan.brief(id)).toEqual(fromFiles.brief(id));
    }
    // The plan's hashes are checked as the versions' are.
    const shared = a.added.find((id) => b.added.includes(id))!;
    await appendFile(caseFilePath(root, 'b', shared), ' ');
    expect(() => fromPlan.get(shared)).toThrow(/case file changed after it was written/);
  });
});
