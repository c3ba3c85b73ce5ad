import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/datasets/store.js';
import type { DatasetStore } from '../../src/datasets/store.js';
import { sha256Hex } from '../../src/datasets/format/manifest.js';
import { makeCase, tempRoot, writeLegacyDataset } from './datasets-fixtures.js';

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

  it('fails on an edited version file, and on a recorded state hash that replay contradicts', async () => {
    const head = (await store.readVersion('d')).manifest.version;
    const file = join(root, 'd', 'versions', `${head}.yaml`);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('source: snapshot', 'source: import'));
    expect((await messages('d')).join()).toMatch(/edited after it was written/);
    // A consistent file name but a wrong state hash (a hand-made version): replay catches it.
    await rm(file);
    const forged = text.replace(/hash: sha256:[0-9a-f]{64}/, `hash: sha256:${'0'.repeat(64)}`);
    await writeFile(join(root, 'd', 'versions', `${sha256Hex(forged).slice(0, 16)}.yaml`), forged);
    expect(await messages('d')).toEqual([expect.stringMatching(/state hash mismatch: recorded sha256:0{64}/)]);
  });

  it('fails on an unreadable version file and a missing parent', async () => {
    const head = (await store.readVersion('d')).manifest;
    await writeFile(join(root, 'e', 'versions', 'ffffffffffffffff.yaml'), 'parents: [');
    expect((await messages('e')).join()).toMatch(/invalid YAML/);
    await rm(join(root, 'd', 'versions', `${head.node?.parents[0]}.yaml`));
    expect((await messages('d')).join()).toMatch(/parent version [0-9a-f]{16} is missing/);
  });

  it('a 0.1 dataset verifies, with a warning to migrate; a broken dataset.yaml is a problem', async () => {
    await writeLegacyDataset(root, 'old', [[makeCase('t1')], [makeCase('t1'), makeCase('t2', 'q2')]]);
    const r = (await store.verifyDataset('old')).datasets[0];
    expect(r).toMatchObject({ versions: 2, cases: 2, problems: [] });
    expect(r?.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/written by evals 0.1/)]);
    const v2 = join(root, 'old', 'versions', 'v0002.yaml');
    const text = await readFile(v2, 'utf8');
    const line = text.split('\n').find((l) => /^ {2}c_/.test(l)) as string;
    await writeFile(v2, text.replace(`${line}\n`, ''));
    expect((await messages('old')).join()).toMatch(/manifest hash mismatch/);
    await writeFile(join(root, 'old', 'dataset.yaml'), 'name: old\nlatest: -1\n');
    expect((await messages('old')).join()).toMatch(/dataset.yaml/);
  });

  it('warns when a dataset was created independently on two branches', async () => {
    const other = await tempRoot();
    await openStore(other.root).writeVersion('e', { add: [makeCase('t9', 'other')], provenance: { source: 'snapshot' } });
    for (const f of await readdir(join(other.root, 'e', 'versions'))) await writeFile(join(root, 'e', 'versions', f), await readFile(join(other.root, 'e', 'versions', f), 'utf8'));
    for (const f of await readdir(join(other.root, 'e', 'cases'))) await writeFile(join(root, 'e', 'cases', f), await readFile(join(other.root, 'e', 'cases', f), 'utf8'));
    await other.cleanup();
    const r = (await store.verifyDataset('e')).datasets[0];
    expect(r?.problems).toEqual([]);
    expect(r?.heads).toHaveLength(2);
    expect(r?.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/created independently on 2 branches .* different placeholders/)]);
    expect((await store.readVersion('e')).cases).toHaveLength(2);
  });

  it('warns (does not fail) on leftovers of an interrupted write', async () => {
    await writeFile(join(root, 'd', 'cases', 'c_00000000000000aa.json'), '{}');
    await writeFile(join(root, 'd', 'versions', '.0123456789abcdef.yaml.tmp-1-ab'), 'x');
    await writeFile(join(root, 'd', '.lock'), '{"pid":1,"host":"x","time":"now"}');
    const r = await store.verifyDataset('d');
    expect(r.ok).toBe(true);
    expect(r.datasets[0]?.warnings.map((w) => w.message.split(' ')[0])).toEqual(['temporary', 'case', 'lock']);
  });
});
