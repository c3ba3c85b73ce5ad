import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunError, UsageError } from '../../src/errors.js';
import { cacheKey, openResponseCache } from '../../src/providers/cache.js';
import { mergeRuns } from '../../src/runner/merge.js';
import { createProgress, formatProgress } from '../../src/runner/progress.js';
import type { CaseResult } from '../../src/runner/result.js';
import { completedKeys, iterateResults, openResultsWriter, readResults, RESULTS_FILE, scanSlimResults, SKIPPED_BY_BUDGET, type SlimScan } from '../../src/runner/results.js';
import { registerSecret } from '../../src/secrets/scrub.js';
import { readRunRecord, writeRunRecord } from '../../src/runner/run-file.js';
import { RUN_SCHEMA, type RunRecord } from '../../src/runner/run-record.js';
import { inShard, parseShard } from '../../src/runner/shard.js';

const tmp = () => mkdtemp(join(tmpdir(), 'evals-results-'));
const result = (caseId: string, extra: Partial<CaseResult> = {}): CaseResult => ({
  caseId, variant: 'v', repeat: 0, dataset: 'ds', output: 'x', latencyMs: 1, scores: [], pass: true, startedAt: '2026-01-01T00:00:00Z', ...extra,
});

describe('results.jsonl', () => {
  it('keeps arrival order across many fast appends', async () => {
    const dir = await tmp();
    const w = await openResultsWriter(dir);
    for (let i = 0; i < 500; i++) w.write(result(`c${i}`));
    await w.close();
    const ids: string[] = [];
    for await (const r of iterateResults(dir)) ids.push(r.caseId);
    expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => `c${i}`));
  });

  it('a tracking writer keeps what a scan of the file reads: rows, places, slim results, size', async () => {
    registerSecret('sk-results-writer-secret-0123456789');
    const dir = await tmp();
    const w = await openResultsWriter(dir, { track: 4 });
    w.write(result('a', { usage: { inputTokens: 3, outputTokens: 4 }, costUsd: 0.25, cached: true, scores: [{ name: 'contains', score: 1, pass: true, reason: 'found "é"' }] }));
    // Scrubbing changes this line: the table must hold what the file says, not the result given.
    w.write(result('sk-results-writer-secret-0123456789', { error: { type: 'server', message: 'bad key sk-results-writer-secret-0123456789' }, pass: false }));
    w.write(result('b', { repeat: 1, role: 'baseline', incident: 'INC-1', recorded: { scores: [], pass: false, output: 'ß' } }));
    w.write(result('a', { output: 'again', pass: false, phase: 'confirm' }));
    // Read before the lines reach the disk too: everything queued counts.
    const early = w.scan()!;
    await w.close();
    const kept = w.scan()!;
    const scanned = await scanSlimResults(dir);
    const view = (s: SlimScan) => ({ rows: s.rows, bytes: s.bytes, results: [...s.results], places: s.rows.map((r) => [s.table.offset(r), s.table.length(r)]) });
    expect(view(kept)).toEqual(view(scanned));
    expect(view(early)).toEqual(view(scanned));
    expect(kept.rows).toHaveLength(3);
    expect([...kept.results].map((r) => r.caseId)).toContain('[REDACTED]');
    // A file that held lines before: nothing is tracked (the writer does not know them).
    const again = await openResultsWriter(dir, { track: 1 });
    again.write(result('c'));
    expect(again.scan()).toBeUndefined();
    await again.close();
    // Without `track`, nothing is kept.
    const plain = await openResultsWriter(await tmp());
    plain.write(result('d'));
    expect(plain.scan()).toBeUndefined();
    await plain.close();
  });

  it('skips a torn last line and trims it before appending again', async () => {
    const dir = await tmp();
    const w = await openResultsWriter(dir);
    w.write(result('a'));
    w.write(result('b'));
    await w.close();
    await appendFile(join(dir, RESULTS_FILE), '{"caseId":"c","variant":"v","rep');
    expect((await readResults(dir)).map((r) => r.caseId)).toEqual(['a', 'b']);
    const w2 = await openResultsWriter(dir);
    w2.write(result('c'));
    await w2.close();
    expect((await readResults(dir)).map((r) => r.caseId)).toEqual(['a', 'b', 'c']);
    expect((await readFile(join(dir, RESULTS_FILE), 'utf8')).split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('rejects a broken line in the middle, naming the line', async () => {
    const dir = await tmp();
    await writeFile(join(dir, RESULTS_FILE), `${JSON.stringify(result('a'))}\nnot json\n${JSON.stringify(result('b'))}\n`);
    await expect(readResults(dir)).rejects.toThrow(/line 2/);
  });

  it('completedKeys leaves budget skips to be run again; readResults keeps the last line per key', async () => {
    const dir = await tmp();
    const w = await openResultsWriter(dir);
    w.write(result('a'));
    w.write(result('b', { error: { type: SKIPPED_BY_BUDGET, message: 'budget' }, pass: false }));
    w.write(result('c', { repeat: 1, error: { type: 'server', message: 'boom' }, pass: false }));
    await w.close();
    expect([...(await completedKeys(dir))].sort()).toEqual(['ds|a|v|0', 'ds|c|v|1']);
    const w2 = await openResultsWriter(dir);
    w2.write(result('b'));
    await w2.close();
    const all = await readResults(dir);
    expect(all).toHaveLength(3);
    expect(all.find((r) => r.caseId === 'b')?.error).toBeUndefined();
    expect(await completedKeys(await tmp())).toEqual(new Set());
  });
});

describe('shards', () => {
  it('partitions case ids: every id in exactly one shard, roughly balanced', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `c_${i.toString(16).padStart(16, '0')}`);
    const sizes = [1, 2, 3].map((index) => ids.filter((id) => inShard(id, { index, count: 3 })).length);
    for (const id of ids) expect([1, 2, 3].filter((index) => inShard(id, { index, count: 3 }))).toHaveLength(1);
    expect(sizes.reduce((a, b) => a + b)).toBe(3000);
    for (const s of sizes) expect(s).toBeGreaterThan(850);
  });
  it('parses i/n and rejects nonsense', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow(UsageError);
    expect(() => parseShard('5/4')).toThrow(/--shard/);
    expect(() => parseShard('a')).toThrow(UsageError);
  });
});

function record(id: string, version: number, over: Partial<RunRecord> = {}): RunRecord {
  return {
    schema: RUN_SCHEMA, id, startedAt: '2026-01-01T00:00:00Z', status: 'completed', toolVersion: '0', config: { file: 'c', hash: 'h' },
    datasets: [{ name: 'ds', version, hash: `hash${version}`, cases: 3 }], variants: [], repeat: 1, counts: { total: 2, completed: 2, errored: 0, cached: 0 }, costUsd: 0, ...over,
  };
}

describe('mergeRuns', () => {
  it('combines shards, dedupes by key and prefers a real result over a budget skip', async () => {
    const [a, b, out] = [await tmp(), await tmp(), join(await tmp(), 'merged')];
    await writeRunRecord(a, record('r', 1, { shard: { index: 1, count: 2 } }));
    await writeRunRecord(b, record('r', 1, { shard: { index: 2, count: 2 } }));
    const wa = await openResultsWriter(a);
    wa.write(result('x', { costUsd: 0.5 }));
    wa.write(result('y', { error: { type: SKIPPED_BY_BUDGET, message: 'b' }, pass: false }));
    await wa.close();
    const wb = await openResultsWriter(b);
    wb.write(result('y', { costUsd: 0.25 }));
    wb.write(result('x', { costUsd: 0.5 }));
    wb.write(result('z', { error: { type: 'server', message: 'e' }, pass: false }));
    await wb.close();
    const m = await mergeRuns([a, b], out);
    expect(m.results).toBe(3);
    expect(m.duplicates).toBe(2);
    const merged = await readResults(out);
    expect(merged.map((r) => r.caseId).sort()).toEqual(['x', 'y', 'z']);
    expect(merged.find((r) => r.caseId === 'y')?.error).toBeUndefined();
    const rec = await readRunRecord(out);
    expect(rec?.counts).toEqual({ total: 4, completed: 3, errored: 1, cached: 0 });
    expect(rec?.costUsd).toBeCloseTo(0.75);
    expect(rec?.shard).toBeUndefined();
  });
  it('refuses shards that ran different dataset versions', async () => {
    const [a, b] = [await tmp(), await tmp()];
    await writeRunRecord(a, record('r', 1));
    await writeRunRecord(b, record('r', 2));
    await expect(mergeRuns([a, b], join(await tmp(), 'o'))).rejects.toThrow(RunError);
    await expect(mergeRuns([a, b], join(await tmp(), 'o'))).rejects.toThrow(/ds@1[\s\S]*ds@2/);
  });
});

describe('response cache', () => {
  it('persists entries across opens and skips a torn line', async () => {
    const dir = await tmp();
    const req = { model: 'm', messages: [{ role: 'user' as const, content: 'q' }], params: { temperature: 0 } };
    const k0 = cacheKey('openai-chat', 'http://x/v1', req, 0);
    expect(cacheKey('openai-chat', 'http://x/v1', req, 1)).not.toBe(k0);
    expect(cacheKey('openai-chat', 'http://y/v1', req, 0)).not.toBe(k0);
    expect(cacheKey('openai-chat', 'http://x/v1', { ...req, params: { temperature: 0 } }, 0)).toBe(k0);
    const c = await openResponseCache(dir);
    c.set(k0, { content: 'hello', toolCalls: [], latencyMs: 5 });
    await c.close();
    const files = await import('node:fs/promises').then((fs) => fs.readdir(join(dir, 'v1')));
    await appendFile(join(dir, 'v1', files[0]!), '{"k":"torn');
    const c2 = await openResponseCache(dir);
    expect(c2.get(k0)?.content).toBe('hello');
    expect(c2.skippedLines).toBe(1);
    await c2.close();
    // A line torn inside its response can still end with `}`: a miss at `get`, never a throw.
    const k1 = cacheKey('openai-chat', 'http://x/v1', req, 7);
    await appendFile(join(dir, 'v1', files[0]!), `\n{"k":"${k1}","r":{"content":"half","x":{}\n`);
    const c3 = await openResponseCache(dir);
    expect(c3.get(k0)).toEqual({ content: 'hello', toolCalls: [], latencyMs: 5 });
    expect(c3.get(k1)).toBeUndefined();
    await c3.close();
  });
});

describe('response cache: what a run stores', () => {
  it('is read back from its segment, not held: every response equal, before and after the writes land', async () => {
    const dir = await tmp();
    const c = await openResponseCache(dir);
    const req = (i: number) => ({ model: 'm', messages: [{ role: 'user' as const, content: `q${i}` }], params: {} });
    const keys = Array.from({ length: 300 }, (_, i) => cacheKey('openai-chat', 'http://x/v1', req(i), 0));
    const response = (i: number) => ({ content: `answer ${i} ${'é€😀'.repeat(i % 7)}`, toolCalls: [], latencyMs: i });
    keys.forEach((k, i) => c.set(k, response(i)));
    // Not yet written: served from the queued text.
    expect(c.get(keys[299]!)).toEqual(response(299));
    const { readdir, readFile, writeFile } = await import('node:fs/promises');
    const lines = async (): Promise<number> => {
      const [segment] = await readdir(join(dir, 'v1')).catch(() => []);
      return segment ? (await readFile(join(dir, 'v1', segment), 'utf8')).split('\n').length - 1 : 0;
    };
    for (let t = 0; t < 300 && (await lines()) < 300; t++) await new Promise((r) => setTimeout(r, 10));
    expect(await lines()).toBe(300);
    const file = join(dir, 'v1', (await readdir(join(dir, 'v1')))[0]!);
    keys.forEach((k, i) => expect(c.get(k)).toEqual(response(i)));
    // Proof that the answer comes from the file: change one response there (same length).
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"answer 42 ', '"ANSWER 42 '));
    expect(c.get(keys[42]!)?.content).toMatch(/^ANSWER 42 /);
    expect(c.get(keys[43]!)).toEqual(response(43));
    await c.close();
    const again = await openResponseCache(dir);
    expect(again.size).toBe(300);
    expect(again.get(keys[7]!)).toEqual(response(7));
    await again.close();
  });
});

describe('progress', () => {
  it('formats counts, spend and ETA', () => {
    expect(formatProgress({ total: 100, done: 25, errors: 2, cached: 5, costUsd: 0.12 }, 10_000)).toBe('25/100 (25%) errors 2 cached 5 $0.1200 eta 30s');
  });
  it('prints plain lines at most every interval when not a TTY, and a final line', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress({ stream: { write: (s: string) => out.push(s), isTTY: false }, now: () => t, plainIntervalMs: 5000 });
    const s = { total: 10, done: 1, errors: 0, cached: 0, costUsd: 0 };
    p.update(s);
    t = 1000;
    p.update({ ...s, done: 2 });
    t = 6000;
    p.update({ ...s, done: 3 });
    p.finish({ ...s, done: 10 });
    expect(out).toHaveLength(3);
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    const live: string[] = [];
    createProgress({ stream: { write: (x: string) => live.push(x), isTTY: true }, env: {} }).update(s);
    expect(live[0]).toMatch(/^\r/);
  });
});
