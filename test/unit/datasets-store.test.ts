import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, UsageError } from '../../src/errors.js';
import { openStore, parseRef } from '../../src/datasets/store.js';
import type { DatasetStore } from '../../src/datasets/store.js';
import { contentHash, sha256Hex } from '../../src/datasets/format/manifest.js';
import { makeCase, tempRoot } from './datasets-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let store: DatasetStore;
const clock = (iso: string) => () => new Date(iso);

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  store = openStore(root);
});
afterEach(() => cleanup());

describe('parseRef', () => {
  it('reads name, name@N, name@vN and name@latest', () => {
    expect(parseRef('refund-bot')).toEqual({ name: 'refund-bot', version: 'latest' });
    expect(parseRef('refund-bot@latest')).toEqual({ name: 'refund-bot', version: 'latest' });
    expect(parseRef('refund-bot@3')).toEqual({ name: 'refund-bot', version: 3 });
    expect(parseRef('refund-bot@v12')).toEqual({ name: 'refund-bot', version: 12 });
  });
  it('rejects bad names and versions with a UsageError', () => {
    expect(() => parseRef('refund-bot@0')).toThrow(UsageError);
    expect(() => parseRef('refund-bot@x')).toThrow(/name@N/);
    expect(() => parseRef('../etc')).toThrow(UsageError);
    expect(() => parseRef('Refund')).toThrow(/lower-case/);
  });
});

describe('writeVersion and readVersion', () => {
  it('creates the dataset, one case file, a version file and dataset.yaml', async () => {
    const r = await store.writeVersion('refund-bot', { add: [makeCase('t1')], provenance: { source: 'snapshot', incident: 'INC-7', note: 'first' }, description: 'refunds', now: clock('2026-11-27T10:00:00Z') });
    expect(r).toMatchObject({ version: 1, created: true, parent: null, alreadyPresent: [], removed: [] });
    expect(r.added).toHaveLength(1);
    const id = r.added[0] as string;
    expect((await readdir(join(root, 'refund-bot', 'cases'))).sort()).toEqual([`${id}.json`]);
    expect(await readdir(join(root, 'refund-bot', 'versions'))).toEqual(['v0001.yaml']);
    const meta = await readFile(join(root, 'refund-bot', 'dataset.yaml'), 'utf8');
    expect(meta).toMatch(/^name: refund-bot\ndescription: refunds\nlatest: 1\n/);
    const caseText = await readFile(join(root, 'refund-bot', 'cases', `${id}.json`), 'utf8');
    expect(caseText.startsWith('{\n  "schema": "evals.case/v1",\n  "id": ')).toBe(true);
    const v = await store.readVersion('refund-bot', 'latest');
    expect(v.manifest).toMatchObject({ version: 1, parent: null, created: '2026-11-27T10:00:00.000Z', changes: { added: [id], removed: [] } });
    expect(v.manifest.provenance).toMatchObject({ source: 'snapshot', traceIds: ['t1'], incident: 'INC-7', note: 'first', toolVersion: '0.1.0' });
    expect(v.manifest.cases).toEqual({ [id]: sha256Hex(caseText) });
    expect(v.manifest.hash).toBe(contentHash({ [id]: sha256Hex(caseText) }));
    expect(v.cases.map((c) => c.id)).toEqual([id]);
  });

  it('dedupes: the same trace snapshotted twice makes no new version and says so', async () => {
    const first = await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    const again = makeCase('t1');
    again.provenance.capturedAt = '2027-01-01T00:00:00.000Z'; // capture time is not identity
    const second = await store.writeVersion('d', { add: [again], provenance: { source: 'snapshot' } });
    expect(second).toMatchObject({ created: false, version: 1, added: [], alreadyPresent: first.added });
    expect(await readdir(join(root, 'd', 'versions'))).toEqual(['v0001.yaml']);
  });

  it('a PR adding one case changes one line of dataset.yaml and adds one case and one version file', async () => {
    await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    const before = (await readFile(join(root, 'd', 'dataset.yaml'), 'utf8')).split('\n');
    const r = await store.writeVersion('d', { add: [makeCase('t3', 'q3')], provenance: { source: 'snapshot', incident: 'INC-9' } });
    const after = (await readFile(join(root, 'd', 'dataset.yaml'), 'utf8')).split('\n');
    expect(after.filter((l, i) => l !== before[i])).toEqual(['latest: 2']);
    expect(r).toMatchObject({ version: 2, parent: 1 });
    expect(await readdir(join(root, 'd', 'cases'))).toHaveLength(3);
    const v2 = await store.readVersion('d', 2);
    expect(Object.keys(v2.manifest.cases)).toHaveLength(3);
    expect(v2.manifest.changes.added).toEqual(r.added);
    const v1 = await store.readVersion('d', 1);
    expect(v1.cases).toHaveLength(2);
  });

  it('removes ids and rejects unknown ones', async () => {
    const r = await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    const gone = r.added[0] as string;
    const r2 = await store.writeVersion('d', { add: [], remove: [gone], provenance: { source: 'remove' } });
    expect(r2).toMatchObject({ version: 2, removed: [gone] });
    expect((await store.readVersion('d')).cases.map((c) => c.id)).not.toContain(gone);
    await expect(store.writeVersion('d', { add: [], remove: ['c_ffffffffffffffff'], provenance: { source: 'remove' } })).rejects.toThrow(NotFoundError);
  });

  it('redacts before writing unless told not to', async () => {
    await store.writeVersion('d', { add: [makeCase('t1', 'I am jo@example.com')], provenance: { source: 'snapshot' } });
    const files = await readdir(join(root, 'd', 'cases'));
    const text = await readFile(join(root, 'd', 'cases', files[0] as string), 'utf8');
    expect(text).not.toContain('jo@example.com');
    expect((await store.readVersion('d')).manifest.provenance.redaction).toEqual({ email: 2 });
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

describe('reading errors name the file and field', () => {
  it('rejects a case file that does not fit the schema', async () => {
    const r = await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' }, redact: false });
    const file = join(root, 'd', 'cases', `${r.added[0]}.json`);
    const broken = JSON.parse(await readFile(file, 'utf8')) as { recorded: { status: string } };
    broken.recorded.status = 'weird';
    await writeFile(file, JSON.stringify(broken));
    await expect(store.readVersion('d')).rejects.toThrow(/changed after it was written/);
    // With the manifest hash fixed up, schema validation names the field.
    const manifestFile = join(root, 'd', 'versions', 'v0001.yaml');
    const manifest = await readFile(manifestFile, 'utf8');
    const newHash = sha256Hex(JSON.stringify(broken));
    await writeFile(manifestFile, manifest.replace(/(c_[0-9a-f]{16}): [0-9a-f]{64}/, `$1: ${newHash}`));
    const err = await store.readVersion('d').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).details).toMatchObject({ file, field: 'recorded.status', found: '"weird"' });
    expect((err as Error).message).toMatch(/expected: one of "ok", "error"/);
  });

  it('rejects a manifest with a bad field and names it', async () => {
    await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    const manifestFile = join(root, 'd', 'versions', 'v0001.yaml');
    await writeFile(manifestFile, (await readFile(manifestFile, 'utf8')).replace('version: 1', 'version: one'));
    const err = await store.readVersion('d').catch((e: unknown) => e);
    expect((err as InputError).details).toMatchObject({ file: manifestFile, field: 'version', expected: 'integer' });
  });

  it('says which datasets and versions exist', async () => {
    await store.writeVersion('d', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    await expect(store.readVersion('nope')).rejects.toThrow(/known datasets: d/);
    await expect(store.readVersion('d', 5)).rejects.toThrow(/a version from 1 to 1/);
  });
});

describe('list, log, diff', () => {
  it('lists datasets and logs versions newest first', async () => {
    await store.writeVersion('b', { add: [makeCase('t1')], provenance: { source: 'snapshot' } });
    await store.writeVersion('a', { add: [makeCase('t1'), makeCase('t2', 'q')], provenance: { source: 'import' }, description: 'A' });
    await store.writeVersion('a', { add: [makeCase('t3', 'q3')], provenance: { source: 'snapshot', note: 'n' } });
    const list = await store.listDatasets();
    expect(list.map((d) => [d.name, d.latest, d.cases, d.description])).toEqual([
      ['a', 2, 3, 'A'],
      ['b', 1, 1, undefined],
    ]);
    const log = await store.logDataset('a');
    expect(log.map((e) => [e.version, e.parent, e.cases, e.added.length, e.provenance.source])).toEqual([
      [2, 1, 3, 1, 'snapshot'],
      [1, null, 2, 2, 'import'],
    ]);
  });

  it('diffs added, removed and changed (same trace id, new content)', async () => {
    const v1 = await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'q2')], provenance: { source: 'snapshot' } });
    const [, t2] = (await store.readVersion('d')).cases.sort((x, y) => x.provenance.traceId.localeCompare(y.provenance.traceId));
    await store.setExpected('d', t2?.id as string, 'the answer');
    await store.writeVersion('d', { add: [makeCase('t3', 'q3')], provenance: { source: 'snapshot' } });
    const t1 = (await store.readVersion('d', 1)).cases.find((c) => c.provenance.traceId === 't1');
    await store.removeCase('d', t1?.id as string);
    const d = await store.diffVersions('d', 1, 'latest');
    expect(v1.added).toHaveLength(2);
    expect(d.from).toBe(1);
    expect(d.to).toBe(4);
    expect(d.added.map((c) => c.traceId)).toEqual(['t3']);
    expect(d.removed.map((c) => c.traceId)).toEqual(['t1']);
    expect(d.changed.map((c) => [c.traceId, c.from.id])).toEqual([['t2', t2?.id]]);
    expect(d.unchanged).toBe(0);
  });
});
