import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, NotFoundError, UsageError } from '../../src/errors.js';
import { parseCsv } from '../../src/datasets/exchange/csv.js';
import { parseImport } from '../../src/datasets/exchange/import-cases.js';
import { openStore } from '../../src/datasets/store.js';
import type { DatasetStore } from '../../src/datasets/store.js';
import { makeCase, tempRoot } from './datasets-fixtures.js';

let root: string;
let cleanup: () => Promise<void>;
let store: DatasetStore;
let id: string;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  store = openStore(root);
  id = (await store.writeVersion('d', { add: [makeCase('t1'), makeCase('t2', 'other question')], provenance: { source: 'snapshot' } })).added.sort()[0] as string;
});
afterEach(() => cleanup());

describe('curation', () => {
  it('setExpected writes a new case file (new id) and a new version; the old file stays', async () => {
    const first = await store.readVersion('d');
    const r = await store.setExpected('d', id.slice(0, 8), 'Refund sent.');
    expect(r).toMatchObject({ created: true, parents: [first.manifest.version], oldId: id, removed: [id] });
    expect(r.newId).not.toBe(id);
    expect(await readdir(join(root, 'd', 'cases'))).toHaveLength(3);
    const latest = await store.readVersion('d');
    expect(latest.cases.find((c) => c.id === r.newId)?.expected).toEqual({ output: 'Refund sent.' });
    expect((await store.readVersion('d', first.manifest.version)).cases.map((c) => c.id)).toContain(id);
    const traceId = first.cases.find((c) => c.id === id)?.provenance.traceId;
    expect(latest.manifest.node?.provenance).toMatchObject({ source: 'curate', traceIds: [traceId] });
    // The version records the lineage, so concurrent curations of this case are recognised on merge.
    expect(latest.manifest.node?.changes.replaced).toEqual({ [r.newId as string]: [id] });
  });

  it('a curation version records only what its own write redacted', async () => {
    await store.writeVersion('pii', { add: [makeCase('t1', 'I am jo@example.com')], provenance: { source: 'snapshot' } });
    const c = (await store.readVersion('pii')).cases[0];
    const r = await store.setExpected('pii', c?.id as string, 'Hello <EMAIL_00000000>, mail support@example.org');
    expect(r.redaction).toEqual({ email: 1 });
    const latest = await store.readVersion('pii');
    expect(latest.manifest.node?.provenance.redaction).toEqual({ email: 1 });
    expect(latest.cases[0]?.provenance.redaction).toEqual({ email: 3 });
    expect(latest.cases[0]?.expected?.output).toMatch(/^Hello <EMAIL_00000000>, mail <EMAIL_[0-9a-f]{8}>$/);
  });

  it('setting the same expected output twice makes no new version', async () => {
    const r = await store.setExpected('d', id, 'Refund sent.');
    const again = await store.setExpected('d', r.newId as string, 'Refund sent.');
    expect(again).toMatchObject({ created: false, version: r.version });
  });

  it('addAssertion appends, addTags merges sorted, removeCase drops', async () => {
    const a = await store.addAssertion('d', id, { type: 'contains', value: 'refund' });
    const t = await store.addTags('d', a.newId as string, ['zeta', 'billing', 'refund']);
    const c = (await store.readVersion('d')).cases.find((x) => x.id === t.newId);
    expect(c?.expected?.assertions).toEqual([{ type: 'contains', value: 'refund' }]);
    expect(c?.labels.tags).toEqual(['billing', 'refund', 'zeta']);
    const rm = await store.removeCase('d', t.newId as string);
    expect(rm).toMatchObject({ parents: [t.version], removed: [t.newId] });
    expect((await store.readVersion('d')).cases).toHaveLength(1);
  });

  it('rejects pinned old versions, unknown and ambiguous ids, and assertions without type', async () => {
    const old = (await store.readVersion('d')).manifest.version;
    const r = await store.setExpected('d', id, 'x');
    await expect(store.setExpected(`d@${old}`, r.newId as string, 'y')).rejects.toThrow(UsageError);
    expect((await store.setExpected(`d@${r.version}`, r.newId as string, 'y')).created).toBe(true); // a pin of the latest state is fine
    await expect(store.setExpected('d', 'c_nope', 'y')).rejects.toThrow(NotFoundError);
    // Two cases start with "c_": ambiguous, not "not in the dataset" (issue 14, item 8).
    await expect(store.setExpected('d', 'c_', 'y')).rejects.toThrow(/case id prefix "c_" is ambiguous/);
    await expect(store.addAssertion('d', id.slice(0, 6), { type: '' })).rejects.toThrow(/needs a type/);
  });
});

describe('import', () => {
  it('parses quoted CSV with line numbers', () => {
    const rows = parseCsv('input,expected,tags\n"hello, ""world""",hi,a;b\r\n"multi\nline",,\n', 'x.csv');
    expect(rows).toEqual([
      { line: 2, values: { input: 'hello, "world"', expected: 'hi', tags: 'a;b' } },
      { line: 3, values: { input: 'multi\nline', expected: '', tags: '' } },
    ]);
    expect(() => parseCsv('a,b\n1\n', 'x.csv')).toThrow(/x.csv, line 2: wrong number of columns/);
  });

  it('builds valid cases from CSV rows; unknown columns become variables', () => {
    const cases = parseImport('input,expected,tags,locale\nWhere is my order?,It shipped.,orders|faq,fr\n', 'faq.csv', '2026-11-27T00:00:00.000Z');
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      input: { query: 'Where is my order?', messages: [{ role: 'user', content: 'Where is my order?' }], variables: { locale: 'fr' } },
      expected: { output: 'It shipped.' },
      labels: { tags: ['faq', 'orders'], flaggedBecause: ['import'] },
      provenance: { source: 'import', location: 'faq.csv:2' },
    });
  });

  it('reads JSONL simple rows and full cases, naming file and line on errors', () => {
    const full = { ...makeCase('t9'), id: 'c_0123456789abcdef' };
    const text = `{"input":"hi","assertions":[{"type":"contains","value":"hello"}]}\n\n${JSON.stringify(full)}\n`;
    const cases = parseImport(text, 'c.jsonl', '2026-11-27T00:00:00.000Z');
    expect(cases.map((c) => c.provenance.source)).toEqual(['import', 'import']);
    expect(cases[0]?.expected).toEqual({ assertions: [{ type: 'contains', value: 'hello' }] });
    expect(cases[1]?.provenance.traceId).toBe('t9');
    const err = (() => {
      try {
        parseImport('{"input":"ok"}\n{"input": 3}\n', 'c.jsonl', 'now');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).details).toMatchObject({ file: 'c.jsonl', line: 2, field: 'input', found: '3' });
    expect(() => parseImport('{"input":"x"}\nnot json\n', 'c.jsonl', 'now')).toThrow(/c.jsonl, line 2/);
  });

  it('imports a file as one version and re-importing adds nothing', async () => {
    const file = join(root, '..', 'faq.csv');
    await writeFile(file, 'input,expected\nWhat are your hours?,9 to 5\nCan I pay by card?,Yes\n');
    const r = await store.importCases('faq', file, { description: 'FAQ' });
    expect(r).toMatchObject({ created: true, parents: [], read: 2 });
    const again = await store.importCases('faq', file);
    expect(again).toMatchObject({ created: false, alreadyPresent: r.added });
  });
});

describe('export', () => {
  it('exports our shape (re-importable) and the Langfuse shape', async () => {
    const cur = await store.setExpected('d', id, 'Refund sent.');
    const ours = await store.exportVersion(`d@${cur.version}`);
    const lines = ours.text.trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(lines).toHaveLength(2);
    expect(ours).toMatchObject({ dataset: 'd', version: cur.version, count: 2 });
    const lf = await store.exportVersion('d', 'langfuse');
    const items = lf.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(['expectedOutput', 'input', 'metadata']);
    expect(items.map((i) => i.expectedOutput).sort()).toEqual(['Refund sent.', null]);
    const file = join(root, '..', 'out.jsonl');
    await writeFile(file, ours.text);
    const reimported = await store.importCases('copy', file);
    expect(reimported.added).toHaveLength(2);
    expect(JSON.parse(await readFile(join(root, 'copy', 'cases', `${reimported.added[0]}.json`), 'utf8'))).toMatchObject({ provenance: { source: 'import' } });
  });
});
