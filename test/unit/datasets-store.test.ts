import { readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, UsageError } from '../../src/errors.js';
import { openStore, parseRef } from '../../src/datasets/store.js';
import type { DatasetStore } from '../../src/datasets/store.js';
import { contentHash, sha256Hex } from '../../src/datasets/format/manifest.js';
import { makeCase, tempRoot, writeLegacyDataset } from './datasets-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let store: DatasetStore;
const clock = (iso: string) => () => new Date(iso);
const versionFiles = async (name: string) => (await readdir(join(root, name, 'versions'))).sort();

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  store = openStore(root);
});
afterEach(() => cleanup());

describe('parseRef', () => {
  it('reads name, name@latest, hash prefixes and 0.1 numbers', () => {
    expect(parseRef('refund-bot')).toEqual({ name: 'refund-bot', version: 'latest' });
    expect(parseRef('refund-bot@latest')).toEqual({ name: 'refund-bot', version: 'latest' });
    expect(parseRef('refund-bot@3')).toEqual({ name: 'refund-bot', version: 3 });
    expect(parseRef('refund-bot@v12')).toEqual({ name: 'refund-bot', version: 12 });
    expect(parseRef('refund-bot@3F9A2C')).toEqual({ name: 'refund-bot', version: '3f9a2c' });
    expect(parseRef('refund-bot@sha256:3f9a2c1b')).toEqual({ name: 'refund-bot', version: '3f9a2c1b' });
  });
  it('rejects bad names and versions with a UsageError', () => {
    expect(() => parseRef('refund-bot@0')).toThrow(UsageError);
    expect(() => parseRef('refund-bot@x')).toThrow(/hash prefix/);
    expect(() => parseRef('refund-bot@abc')).toThrow(/6\+ hex/); // too short to be a pin
    expect(() => parseRef('../etc')).toThrow(UsageError);
    expect(() => parseRef('Refund')).toThrow(/lower-case/);
  });
});

describe('writeVersion and readVersion', () => {
  it('creates the dataset: one case file and one version file named by the hash of its bytes', async () => {
    const r = await store.writeVersion('refund-bot', { add: [makeCase('t1')], provenance: { source: 'snapshot', incident: 'INC-7', note: 'first' }, description: 'refunds', now: clock('2026-11-27T10:00:00Z') });
    expect(r).toMatchObject({ created: true, parents: [], alreadyPresent: [], removed: [] });
    const id = r.added[0] as string;
    expect(await readdir(join(root, 'refund-bot', 'cases'))).toEqual([`${id}.json`]);
    expect(await versionFiles('refund-bot')).toEqual([`${r.version}.yaml`]);
    const text = await readFile(join(root, 'refund-bot', 'versions', `${r.version}.yaml`), 'utf8');
    expect(sha256Hex(text).slice(0, 16)).toBe(r.version);
    expect(text).toMatch(/^parents: \[\]\ncreated: 2026-11-27T10:00:00.000Z\nhash: sha256:[0-9a-f]{64}\ndataset:\n {2}description: refunds\n {2}redaction:\n/);
    expect(existsSync(join(root, 'refund-bot', 'dataset.yaml'))).toBe(false);
    const caseText = await readFile(join(root, 'refund-bot', 'cases', `${id}.json`), 'utf8');
    const v = await store.readVersion('refund-bot', 'latest');
    expect(v.manifest).toMatchObject({ version: r.version, heads: [r.version], created: '2026-11-27T10:00:00.000Z', cases: { [id]: sha256Hex(caseText) } });
    expect(v.manifest.node?.provenance).toMatchObject({ source: 'snapshot', traceIds: ['t1'], incident: 'INC-7', note: 'first', toolVersion: '0.1.0' });
    expect(v.manifest.hash).toBe(contentHash({ [id]: sha256Hex(caseText) }));
    expect(v.meta).toMatchObject({ name: 'refund-bot', description: 'refunds', layout: 'dag', roots: [r.version] });
    expect(v.cases.map((c) => c.id)).toEqual([id]);
  });

  it('dedupes: the same trace snapshotted twice makes no new version and says so', async () => {
    const first = await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    const again = makeCase('t1');
    again.provenance.capturedAt = '2027-01-01T00:00:00.000Z'; // capture time is not identity
    const second = await store.writeVersion('d', { add: [again], provenance: { source: 'snapshot' } });
    expect(second).toMatchObject({ created: false, version: first.version, added: [], alreadyPresent: first.added });
    expect(await versionFiles('d')).toHaveLength(1);
  });

  it('a PR adding one case adds one case file and one version file and edits none', async () => {
    const r1 = await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    const before = new Map<string, string>();
    for (const dir of ['cases', 'versions']) for (const f of await readdir(join(root, 'd', dir))) before.set(`${dir}/${f}`, await readFile(join(root, 'd', dir, f), 'utf8'));
    const r = await store.writeVersion('d', { add: [makeCase('t3', 'q3')], provenance: { source: 'snapshot', incident: 'INC-9' } });
    const after: string[] = [];
    for (const dir of ['cases', 'versions']) for (const f of await readdir(join(root, 'd', dir))) after.push(`${dir}/${f}`);
    expect(after.filter((f) => !before.has(f)).sort()).toEqual([`cases/${r.added[0]}.json`, `versions/${r.version}.yaml`]);
    for (const [f, text] of before) expect(await readFile(join(root, 'd', f), 'utf8')).toBe(text);
    expect(r).toMatchObject({ parents: [r1.version] });
    const v2 = await store.readVersion('d', r.version);
    expect(Object.keys(v2.manifest.cases)).toHaveLength(3);
    expect(Object.keys(v2.manifest.node?.changes.added ?? {})).toEqual(r.added);
    expect((await store.readVersion('d', r1.version)).cases).toHaveLength(2);
  });

  it('removes ids and rejects unknown ones', async () => {
    const r = await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    const gone = r.added[0] as string;
    const r2 = await store.writeVersion('d', { add: [], remove: [gone], provenance: { source: 'remove' } });
    expect(r2).toMatchObject({ parents: [r.version], removed: [gone] });
    expect((await store.readVersion('d')).cases.map((c) => c.id)).not.toContain(gone);
    await expect(store.writeVersion('d', { add: [], remove: ['c_ffffffffffffffff'], provenance: { source: 'remove' } })).rejects.toThrow(NotFoundError);
  });

  it('redacts before writing unless told not to', async () => {
    await store.writeVersion('d', { add: [makeCase('t1', 'I am jo@example.com')], provenance: { source: 'snapshot' } });
    const files = await readdir(join(root, 'd', 'cases'));
    const text = await readFile(join(root, 'd', 'cases', files[0] as string), 'utf8');
    expect(text).not.toContain('jo@example.com');
    expect((await store.readVersion('d')).manifest.node?.provenance.redaction).toEqual({ email: 2 });
    await store.writeVersion('raw', { add: [makeCase('t1', 'I am jo@example.com')], provenance: { source: 'snapshot' }, redact: false });
    expect(JSON.stringify((await store.readVersion('raw')).cases)).toContain('jo@example.com');
  });

  it('maps one e-mail to one placeholder across snapshots of a dataset', async () => {
    await store.writeVersion('d', { add: [makeCase('t1', 'from jo@example.com')], provenance: { source: 'snapshot' } });
    await store.writeVersion('d', { add: [makeCase('t2', 'again jo@example.com')], provenance: { source: 'snapshot' } });
    const tokens = (await store.readVersion('d')).cases.map((c) => /<EMAIL_[0-9a-f]{8}>/.exec(c.input.query ?? '')?.[0]);
    expect(tokens[0]).toBeDefined();
    expect(tokens[0]).toBe(tokens[1]);
  });
});

describe('pins', () => {
  it('resolves version ids and state hashes by prefix (ambiguity: datasets-dag.test.ts)', async () => {
    const r1 = await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    const r2 = await store.writeVersion('d', { add: [makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    expect((await store.readRef(`d@${r1.version.slice(0, 6)}`)).cases).toHaveLength(1);
    expect((await store.readRef(`d@${r2.hash.slice(7, 19)}`)).manifest.version).toBe(r2.version);
    await expect(store.readRef('d@ffffff')).rejects.toThrow(/no version or state ffffff/);
    expect((await store.readVersion('d', r1.version)).manifest.hash).toBe(r1.hash);
  });
});

describe('datasets written by 0.1', () => {
  it('reads name@N and name@latest, migrates deterministically, and keeps the numbers', async () => {
    const ids = await writeLegacyDataset(root, 'old', [[makeCase('t1')], [makeCase('t1'), makeCase('t2', 'q2')], [makeCase('t2', 'q2')]]);
    expect((await store.readRef('old@2')).cases.map((c) => c.id)).toEqual(ids[1]);
    expect((await store.readRef('old')).cases.map((c) => c.id)).toEqual(ids[2]);
    expect((await store.readRef('old@v1')).manifest.number).toBe(1);
    await expect(store.readRef('old@7')).rejects.toThrow(/0.1 version number from 1 to 3/);
    expect((await store.verifyDataset('old')).datasets[0]?.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/evals datasets migrate/)]);
    const before = (await store.readRef('old@2')).manifest;
    expect(await store.migrate('old')).toEqual([{ dataset: 'old', migrated: true, versions: 3 }]);
    expect(existsSync(join(root, 'old', 'dataset.yaml'))).toBe(false);
    expect((await versionFiles('old')).every((f) => /^[0-9a-f]{16}\.yaml$/.test(f))).toBe(true);
    const after = (await store.readRef('old@2')).manifest;
    expect([after.version, after.hash]).toEqual([before.version, before.hash]); // same ids in memory and on disk
    expect(await store.migrate('old')).toEqual([{ dataset: 'old', migrated: false, versions: 3 }]);
    expect((await store.verifyDataset('old')).datasets[0]).toMatchObject({ problems: [], warnings: [] });
    // Migrating the same 0.1 dataset elsewhere writes byte-identical files (so two branches agree).
    const other = join(root, '..', 'other');
    await writeLegacyDataset(other, 'old', [[makeCase('t1')], [makeCase('t1'), makeCase('t2', 'q2')], [makeCase('t2', 'q2')]]);
    await openStore(other).migrate();
    expect(await readdir(join(other, 'old', 'versions'))).toEqual(await versionFiles('old'));
  });

  it('a migration killed at any step leaves a readable dataset with the same states', async () => {
    const ids = await writeLegacyDataset(root, 'old', [[makeCase('t1')], [makeCase('t1'), makeCase('t2', 'q2')]]);
    const before = (await store.readRef('old')).manifest.hash;
    const { convertLegacy } = await import('../../src/datasets/storage/legacy.js');
    const { parseDatasetMeta, parseVersion } = await import('../../src/datasets/format/manifest.js');
    const dir = join(root, 'old');
    const meta = parseDatasetMeta(await readFile(join(dir, 'dataset.yaml'), 'utf8'), 'dataset.yaml');
    const manifests = await Promise.all([1, 2].map(async (n) => parseVersion(await readFile(join(dir, 'versions', `v000${n}.yaml`), 'utf8'), 'v')));
    // Killed after writing the new files: both layouts present, read as one.
    for (const c of convertLegacy(meta, manifests)) await writeFile(join(dir, 'versions', `${c.node.id}.yaml`), c.text);
    expect((await store.readRef('old')).manifest.hash).toBe(before);
    expect((await store.readRef('old@1')).cases.map((c) => c.id)).toEqual(ids[0]);
    // Killed after removing dataset.yaml: the new files are read; the old manifests are leftovers.
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'dataset.yaml'));
    expect((await store.readRef('old')).manifest.hash).toBe(before);
    expect((await store.readRef('old@1')).cases.map((c) => c.id)).toEqual(ids[0]);
    const v = (await store.verifyDataset('old')).datasets[0];
    expect(v?.problems).toEqual([]);
    expect(v?.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/left after migration/), expect.stringMatching(/left after migration/)]);
  });

  it('the first write into a 0.1 dataset migrates it and builds on its latest version', async () => {
    await writeLegacyDataset(root, 'old', [[makeCase('t1')]]);
    const before = await store.readRef('old');
    const r = await store.writeVersion('old', { add: [makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    expect(r).toMatchObject({ migrated: true, parents: [before.manifest.version] });
    expect((await store.readRef('old@1')).cases).toHaveLength(1);
    expect((await store.readRef('old')).cases).toHaveLength(2);
  });
});

describe('reading errors name the file and field', () => {
  it('rejects a case file that does not fit the schema', async () => {
    const r = await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' }, redact: false });
    const file = join(root, 'd', 'cases', `${r.added[0]}.json`);
    const broken = JSON.parse(await readFile(file, 'utf8')) as { recorded: { status: string } };
    broken.recorded.status = 'weird';
    await writeFile(file, JSON.stringify(broken));
    await expect(store.readVersion('d')).rejects.toThrow(/changed after it was written/);
  });

  it('rejects an edited version file (its name is the hash of its bytes) and a bad field', async () => {
    const r = await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    const file = join(root, 'd', 'versions', `${r.version}.yaml`);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('source: snapshot', 'source: import'));
    await expect(store.readVersion('d')).rejects.toThrow(/edited after it was written/);
    await writeFile(file, text.replace('parents: []', 'parents: nope'));
    const err = await store.readVersion('d').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).details).toMatchObject({ file, field: 'parents', expected: 'array' });
  });

  it('says which datasets exist and that numbers belong to 0.1', async () => {
    await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    await expect(store.readVersion('nope')).rejects.toThrow(/known datasets: d/);
    await expect(store.readVersion('d', 5)).rejects.toThrow(NotFoundError);
    const err = (await store.readVersion('d', 5).catch((e: unknown) => e)) as NotFoundError;
    expect(err.details.expected).toMatch(/numbers exist only for versions written by 0.1/);
  });
});

describe('list, log, diff', () => {
  it('lists datasets and logs versions newest first', async () => {
    await store.writeVersion('b', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    const a1 = await store.writeVersion('a', { add: [makeCase('t1'), makeCase('t2', 'q')], provenance: { source: 'import' }, description: 'A', now: clock('2026-11-27T10:00:00Z') });
    const a2 = await store.writeVersion('a', { add: [makeCase('t3', 'q3')], provenance: { source: 'snapshot', note: 'n' }, now: clock('2026-11-27T11:00:00Z') });
    const list = await store.listDatasets();
    expect(list.map((d) => [d.name, d.latest === a2.version || d.name === 'b', d.cases, d.description])).toEqual([
      ['a', true, 3, 'A'],
      ['b', true, 1, undefined],
    ]);
    const log = await store.logDataset('a');
    expect(log.map((e) => [e.version, e.parents, e.head, e.cases, e.added.length, e.provenance.source])).toEqual([
      [a2.version, [a1.version], true, 3, 1, 'snapshot'],
      [a1.version, [], false, 2, 2, 'import'],
    ]);
  });

  it('diffs added, removed and changed (same trace id, new content)', async () => {
    const v1 = await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    const [, t2] = (await store.readVersion('d')).cases.sort((x, y) => x.provenance.traceId.localeCompare(y.provenance.traceId));
    await store.setExpected('d', t2?.id as string, 'the answer');
    await store.writeVersion('d', { add: [makeCase('t3', 'q3')], provenance: { source: 'snapshot' } });
    const t1 = (await store.readVersion('d', v1.version)).cases.find((c) => c.provenance.traceId === 't1');
    const last = await store.removeCase('d', t1?.id as string);
    const d = await store.diffVersions('d', v1.version, 'latest');
    expect(v1.added).toHaveLength(2);
    expect(d.from).toBe(v1.version);
    expect(d.to).toBe(last.version);
    expect(d.added.map((c) => c.traceId)).toEqual(['t3']);
    expect(d.removed.map((c) => c.traceId)).toEqual(['t1']);
    expect(d.changed.map((c) => [c.traceId, c.from.id])).toEqual([['t2', t2?.id]]);
    expect(d.unchanged).toBe(0);
  });
});
