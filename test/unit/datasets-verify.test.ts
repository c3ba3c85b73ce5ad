import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/datasets/store.js';
import type { DatasetStore } from '../../src/datasets/store.js';
import { makeCase, tempRoot } from './datasets-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let store: DatasetStore;
let ids: string[];
const caseFile = (id: string) => join(root, 'd', 'cases', `${id}.json`);
const messages = async (name?: string) => (await store.verifyDataset(name)).datasets.flatMap((d) => d.problems.map((p) => p.message));

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  store = openStore(root);
  ids = (await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'q2')], provenance: { source: 'snapshot' } })).added;
  await store.writeVersion('d', { add: [makeCase('t3', 'q3')], provenance: { source: 'snapshot' } });
  await store.writeVersion('e', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
});
afterEach(() => cleanup());

describe('verifyDataset', () => {
  it('passes on an untouched store, for one dataset and for all', async () => {
    const all = await store.verifyDataset();
    expect(all.ok).toBe(true);
    expect(all.datasets.map((d) => [d.dataset, d.versions, d.cases, d.problems.length, d.warnings.length])).toEqual([
      ['d', 2, 3, 0, 0],
      ['e', 1, 1, 0, 0],
    ]);
    expect((await store.verifyDataset('e')).datasets).toHaveLength(1);
  });

  it('fails on a tampered case file, naming it', async () => {
    const file = caseFile(ids[0] as string);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"latencyMs": 812', '"latencyMs": 1'));
    const r = await store.verifyDataset('d');
    expect(r.ok).toBe(false);
    const problems = r.datasets[0]?.problems ?? [];
    expect(problems.map((p) => p.file)).toEqual([file, file]);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/case file was modified[\s\S]*content no longer matches its id/);
  });

  it('fails on a tampered non-identity field (only the file hash catches it)', async () => {
    const file = caseFile(ids[0] as string);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"capturedAt": "2026-11-27T10:00:00.000Z"', '"capturedAt": "2020-01-01T00:00:00.000Z"'));
    expect(await messages('d')).toEqual([expect.stringMatching(/case file was modified/)]);
  });

  it('fails on a missing case file', async () => {
    await rm(caseFile(ids[1] as string));
    expect(await messages('d')).toEqual([expect.stringMatching(/case file missing/)]);
  });

  it('fails on a manifest whose case list was edited (hash mismatch, changes mismatch)', async () => {
    const file = join(root, 'd', 'versions', 'v0002.yaml');
    const text = await readFile(file, 'utf8');
    const line = text.split('\n').find((l) => l.startsWith(`  ${ids[0]}:`)) as string;
    await writeFile(file, text.replace(`${line}\n`, ''));
    const msgs = await messages('d');
    expect(msgs.some((m) => /manifest hash mismatch/.test(m))).toBe(true);
    expect(msgs.some((m) => /changes.removed does not match/.test(m))).toBe(true);
  });

  it('fails on an unreadable manifest and a broken dataset.yaml', async () => {
    await writeFile(join(root, 'd', 'versions', 'v0001.yaml'), 'version: [');
    expect((await messages('d')).join()).toMatch(/invalid YAML/);
    await writeFile(join(root, 'e', 'dataset.yaml'), 'name: e\nlatest: -1\n');
    expect((await messages('e')).join()).toMatch(/dataset.yaml/);
  });

  it('warns (does not fail) on leftovers of an interrupted write', async () => {
    await writeFile(join(root, 'd', 'cases', 'c_00000000000000aa.json'), '{}');
    await writeFile(join(root, 'd', 'versions', 'v0003.yaml'), 'version: 3\n');
    await writeFile(join(root, 'd', '.lock'), '{"pid":1,"host":"x","time":"now"}');
    const r = await store.verifyDataset('d');
    expect(r.ok).toBe(true);
    expect(r.datasets[0]?.warnings.map((w) => w.message.split(' ')[0])).toEqual(['unpublished', 'case', 'lock']);
  });
});
