/**
 * The case read thread (src/cli/case-read-thread.ts) with its real worker, the built
 * dist/cli/case-read-worker.js (vitest's global setup builds dist/): what it reads is what the
 * main thread would have read and spooled, secrets registered on the main thread are scrubbed
 * there too, and every case it cannot read (changed, missing, a stopped thread) is answered
 * undefined so that the caller reads it itself.
 */
import { appendFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_WAIT_MS, CaseReadThread } from '../../src/cli/case-read-thread.js';
import { decodeRequests, encodeRequests } from '../../src/cli/case-read-worker.js';
import { spoolTexts } from '../../src/cli/case-spool.js';
import { caseFilePath, readCaseSync } from '../../src/datasets/storage/dataset-io.js';
import { openStore } from '../../src/datasets/store.js';
import { MASK, registerSecret } from '../../src/secrets/scrub.js';
import { makeCase, tempRoot } from './datasets-fixtures.js';

const WORKER = fileURLToPath(new URL('../../dist/cli/case-read-worker.js', import.meta.url));
const SECRET = 'plain-registered-value-73519';

let root: string;
let cleanup: () => Promise<void>;
let threads: CaseReadThread[] = [];
let saved: string | undefined;
beforeEach(async () => {
  ({ root, cleanup } = await tempRoot());
  saved = process.env.EVALS_CASE_READ_THREAD;
  // `on`: used whatever the number of cases, and ready before the first read.
  process.env.EVALS_CASE_READ_THREAD = 'on';
});
afterEach(async () => {
  for (const t of threads.splice(0)) t.stop();
  if (saved === undefined) delete process.env.EVALS_CASE_READ_THREAD;
  else process.env.EVALS_CASE_READ_THREAD = saved;
  await cleanup();
});

function start(cases = 1): CaseReadThread {
  const t = CaseReadThread.start(cases, 64, WORKER);
  expect(t).toBeDefined();
  threads.push(t!);
  return t!;
}

describe('CaseReadThread', () => {
  it('reads each case as the main thread would: the file text, and the spool texts with registered secrets scrubbed', async () => {
    const store = openStore(root);
    const cases = Array.from({ length: 70 }, (_, i) => makeCase(`t${i}`, i === 3 ? `my key is ${SECRET}, refund please` : `question ${i}`));
    const { added } = await store.writeVersion('d', { add: cases, provenance: { source: 'snapshot' } });
    const v = await store.readVersion('d');
    const thread = start();
    // Registered after the thread started: it goes with the next request.
    registerSecret(SECRET);
    // Asked in one go (more than one message's worth), answered in order.
    const got = await Promise.all(added.map((id) => thread.read(root, 'd', id, v.manifest.cases[id]!)));
    expect(thread.answered).toBe(added.length);
    added.forEach((id, k) => {
      const r = got[k]!;
      expect(r.text).toBe(readFileSync(caseFilePath(root, 'd', id), 'utf8'));
      expect(r).toEqual({ text: r.text, ...spoolTexts(readCaseSync(root, 'd', id)) });
    });
    const withSecret = got.find((r) => r!.text.includes(SECRET))!;
    expect(withSecret.line).not.toContain(SECRET);
    expect(withSecret.line).toContain(MASK);
    expect(withSecret.brief).not.toContain(SECRET);
  });

  it('answers undefined for a changed or missing case file and goes on with the next', async () => {
    const store = openStore(root);
    const { added } = await store.writeVersion('d', { add: [makeCase('a', 'one'), makeCase('b', 'two'), makeCase('c', 'three')], provenance: { source: 'snapshot' } });
    const v = await store.readVersion('d');
    const [a, b, c] = [...added].sort();
    await appendFile(caseFilePath(root, 'd', a!), ' ');
    await rm(caseFilePath(root, 'd', b!));
    const thread = start();
    const got = await Promise.all([a!, b!, c!].map((id) => thread.read(root, 'd', id, v.manifest.cases[id]!)));
    expect(got[0]).toBeUndefined();
    expect(got[1]).toBeUndefined();
    expect(got[2]?.text).toBe(readFileSync(caseFilePath(root, 'd', c!), 'utf8'));
    expect(thread.answered).toBe(1);
  });

  it('once stopped, answers undefined: what it was asked and everything after', async () => {
    const store = openStore(root);
    const { added } = await store.writeVersion('d', { add: Array.from({ length: 40 }, (_, i) => makeCase(`s${i}`, `q ${i}`)), provenance: { source: 'snapshot' } });
    const v = await store.readVersion('d');
    const thread = start();
    const pending = added.map((id) => thread.read(root, 'd', id, v.manifest.cases[id]!));
    thread.stop();
    expect(await Promise.all(pending)).toEqual(added.map(() => undefined));
    expect(await thread.read(root, 'd', added[0]!, v.manifest.cases[added[0]!]!)).toBeUndefined();
  });

  it('starts only for runs of 1,000 cases or more unless told, never when off, and not without its worker file', () => {
    process.env.EVALS_CASE_READ_THREAD = '';
    expect(CaseReadThread.start(999, 64, WORKER)).toBeUndefined();
    const big = CaseReadThread.start(1000, 64, WORKER);
    expect(big).toBeDefined();
    threads.push(big!);
    process.env.EVALS_CASE_READ_THREAD = 'off';
    expect(CaseReadThread.start(100_000, 64, WORKER)).toBeUndefined();
    process.env.EVALS_CASE_READ_THREAD = 'on';
    expect(CaseReadThread.start(1, 64, `${WORKER}.missing`)).toBeUndefined();
  });

  it('launched before the run size is known: kept for 1,000 cases or more, stopped below', async () => {
    process.env.EVALS_CASE_READ_THREAD = '';
    const store = openStore(root);
    const { added } = await store.writeVersion('d', { add: [makeCase('early', 'question')], provenance: { source: 'snapshot' } });
    const hash = (await store.readVersion('d')).manifest.cases[added[0]!]!;
    const text = readFileSync(caseFilePath(root, 'd', added[0]!), 'utf8');
    // The worker answers once it is ready (soon after launch).
    const readWhenReady = async (t: CaseReadThread) => {
      for (let i = 0; i < 200; i++) {
        const got = await t.read(root, 'd', added[0]!, hash);
        if (got !== undefined) return got;
        await new Promise((r) => setTimeout(r, 25));
      }
      return undefined;
    };
    for (const [cases, kept] of [[999, false], [1000, true]] as const) {
      const t = CaseReadThread.launch(WORKER);
      expect(t).toBeDefined();
      threads.push(t!);
      expect((await readWhenReady(t!))?.text).toBe(text);
      expect(t!.use(cases, 64)).toBe(kept ? t : undefined);
      expect((await t!.read(root, 'd', added[0]!, hash))?.text).toBe(kept ? text : undefined);
    }
    process.env.EVALS_CASE_READ_THREAD = 'off';
    expect(CaseReadThread.launch(WORKER)).toBeUndefined();
  });

  it('sends a batch that is not full after BATCH_WAIT_MS, and the run\'s last read at once', async () => {
    const store = openStore(root);
    const { added } = await store.writeVersion('d', { add: ['one', 'two', 'three'].map((q) => makeCase(q, q)), provenance: { source: 'snapshot' } });
    const v = await store.readVersion('d');
    const read = (id: string) => thread.read(root, 'd', id, v.manifest.cases[id]!);
    // True once `p` settled, polling for `ms` of real time (the worker answers in a few ms).
    const settlesWithin = async (p: Promise<unknown>, ms: number): Promise<boolean> => {
      let settled = false;
      void p.then(() => (settled = true));
      const until = performance.now() + ms;
      while (!settled && performance.now() < until) await new Promise((r) => setImmediate(r));
      return settled;
    };
    // A run of 3 cases with a read-ahead of 64: 32 reads per message.
    const thread = start(3);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const first = Promise.all(added.slice(0, 2).map(read));
      // Two reads, not a full batch nor the run's last: they wait for the timer.
      expect(await settlesWithin(first, 300)).toBe(false);
      await vi.advanceTimersByTimeAsync(BATCH_WAIT_MS);
      expect(await settlesWithin(first, 5000)).toBe(true);
      // The third is the run's last read: sent without the timer.
      const last = read(added[2]!);
      expect(await settlesWithin(last, 5000)).toBe(true);
      expect((await last)?.text).toBe(readFileSync(caseFilePath(root, 'd', added[2]!), 'utf8'));
      expect(thread.answered).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('requests travel as one string whatever the paths hold', () => {
    const requests = [
      { root: '/data/with\nnewline/and\ttab', name: 'd', id: 'c_0123456789abcdef', hash: 'a'.repeat(64) },
      { root: '/x', name: 'other-set', id: 'c_fedcba9876543210', hash: 'b'.repeat(64) },
    ];
    expect(decodeRequests(encodeRequests(requests))).toEqual(requests);
    expect(decodeRequests(encodeRequests([]))).toEqual([]);
  });
});
