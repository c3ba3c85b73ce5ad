/**
 * Lazy cases: `readAhead` keeps order and its bound, and `runSuite` over case references reads
 * each case only as its units come up (not before the first call, never a resumed case that is
 * done, only the shard's), stops on a bad case file with that file's error, and writes each
 * result's incident. The pipeline is a stub: no provider, no HTTP.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE } from '../../src/config/schema.js';
import type { Case } from '../../src/datasets/case.js';
import { InputError } from '../../src/errors.js';
import type { Pipeline } from '../../src/pipelines/pipeline.js';
import { readAhead, readAheadOf, type CaseRef } from '../../src/runner/plan-items.js';
import type { CaseResult } from '../../src/runner/result.js';
import { readResults } from '../../src/runner/results.js';
import { runSuite } from '../../src/runner/run.js';
import { RUN_FILE } from '../../src/runner/run-file.js';
import type { RunPlan } from '../../src/runner/run-plan.js';
import { makeCase, nonEmpty } from '../e2e/runner-fixtures.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('readAhead', () => {
  it('yields in item order even when later reads finish first', async () => {
    const delays = [30, 1, 10, 0, 20];
    const out: number[] = [];
    for await (const [i, v] of readAhead(delays.keys(), (i) => new Promise<string>((r) => setTimeout(() => r(`v${i}`), delays[i])), 3)) {
      expect(v).toBe(`v${i}`);
      out.push(i);
    }
    expect(out).toEqual([0, 1, 2, 3, 4]);
  });

  it('never has more than `ahead` reads started and not yet taken, and reads ahead while the consumer works', async () => {
    let started = 0;
    let taken = 0;
    let most = 0;
    const items = Array.from({ length: 100 }, (_, i) => i);
    for await (const _ of readAhead(items, async () => {
      started++;
      most = Math.max(most, started - taken);
      await tick();
    }, 5)) {
      taken++;
      // A slow consumer: the reads ahead of it are already under way.
      await tick();
      await tick();
      expect(started - taken).toBeLessThanOrEqual(5);
      if (taken < 96) expect(started - taken).toBeGreaterThanOrEqual(4);
    }
    expect(most).toBe(5);
    expect(taken).toBe(100);
  });

  it('a failed read rejects in its turn, after the values before it, and is never an unhandled rejection', async () => {
    const got: number[] = [];
    const run = async (): Promise<void> => {
      for await (const [i] of readAhead([0, 1, 2, 3], (i) => (i === 2 ? Promise.reject(new Error('bad 2')) : new Promise<number>((r) => setTimeout(() => r(i), 20))), 4)) got.push(i);
    };
    await expect(run()).rejects.toThrow('bad 2');
    expect(got).toEqual([0, 1]);
  });

  it('sizes the read-ahead from the concurrency, within bounds', () => {
    expect(readAheadOf(1)).toBe(128);
    expect(readAheadOf(50)).toBe(128);
    expect(readAheadOf(200)).toBe(200);
    expect(readAheadOf(1000)).toBe(256);
  });
});

/** A pipeline answering at once, noting how many cases had been read when each case ran. */
function stubPipeline(reads: () => number, seen: Array<{ id: string; readsSoFar: number }>): Pipeline {
  return {
    kind: 'stub',
    async run(c) {
      seen.push({ id: c.id, readsSoFar: reads() });
      await tick();
      return { output: `answer ${c.id}` };
    },
  };
}

interface Lazy {
  plan: RunPlan;
  loads: string[];
  seen: Array<{ id: string; readsSoFar: number }>;
  cases: Case[];
}

async function lazyPlan(n: number, over: Partial<RunPlan> & { bad?: number; incidentEvery?: number } = {}): Promise<Lazy> {
  const { bad, incidentEvery, ...rest } = over;
  const dir = await mkdtemp(join(tmpdir(), 'evals-lazy-'));
  const loads: string[] = [];
  const seen: Lazy['seen'] = [];
  const cases = Array.from({ length: n }, (_, i) => {
    const c = makeCase(i);
    return incidentEvery && i % incidentEvery === 0 ? { ...c, labels: { ...c.labels, incident: `INC-${i}` } } : c;
  });
  const items: CaseRef[] = cases.map((c, i) => ({
    dataset: 'ds',
    id: c.id,
    load: async () => {
      loads.push(c.id);
      await tick();
      if (i === bad) throw new InputError('case file changed after it was written (case files are immutable)', { file: `datasets/ds/cases/${c.id}.yaml`, expected: 'sha256 aaaa…', found: 'sha256 bbbb…' });
      return c;
    },
  }));
  const plan: RunPlan = {
    runDir: dir,
    runId: 'lazy',
    items,
    variants: [{ name: 'default', pipeline: stubPipeline(() => loads.length, seen), evaluators: [nonEmpty], overrides: {}, options: {}, provider: 'none' }],
    providers: {},
    concurrency: 2,
    pricing: {},
    buildEvaluators: () => [],
    ...rest,
  };
  return { plan, loads, seen, cases };
}

describe('runSuite hands results.jsonl as it wrote it to the reports', () => {
  it('with and without confirmation: the same results and size the file holds', async () => {
    const slim = (r: CaseResult) => [r.caseId, r.variant, r.repeat, r.pass];
    for (const { plan } of [await lazyPlan(50, { confirm: { gate: DEFAULT_GATE, incidents: new Map() } }), await lazyPlan(5)]) {
      const out = await runSuite(plan);
      expect(out.scan).toBeDefined();
      expect(out.scan!.bytes).toBe((await stat(join(plan.runDir, 'results.jsonl'))).size);
      expect([...out.scan!.results].map(slim)).toEqual((await readResults(plan.runDir)).map(slim));
    }
  });
});

describe('runSuite over case references', () => {
  it('reads each case once, in order, a bounded number ahead of the one running; counts come from the ids', async () => {
    const { plan, loads, seen, cases } = await lazyPlan(200);
    const out = await runSuite(plan);
    expect(out.status).toBe('completed');
    expect(out.counts.total).toBe(200);
    expect(loads).toEqual(cases.map((c) => c.id));
    // The first case ran long before the dataset was read; no case ran far behind the reads.
    expect(seen[0]!.readsSoFar).toBeLessThanOrEqual(readAheadOf(2) + 1);
    seen.forEach((s, k) => expect(s.readsSoFar - k).toBeLessThanOrEqual(readAheadOf(2) + 2 * 2 + 1));
    expect((await readResults(plan.runDir)).length).toBe(200);
  });

  it('writes the case incident on each of its result lines', async () => {
    const { plan } = await lazyPlan(6, { incidentEvery: 3, repeat: 2 });
    await runSuite(plan);
    const results = await readResults(plan.runDir);
    expect(results).toHaveLength(12);
    expect(results.filter((r) => r.incident).map((r) => r.incident).sort()).toEqual(['INC-0', 'INC-0', 'INC-3', 'INC-3']);
    expect(results.filter((r) => r.incident === undefined)).toHaveLength(8);
  });

  it('a bad case file stops the run with its own error (naming the file); run.json is interrupted and resumable', async () => {
    const { plan, cases } = await lazyPlan(60, { bad: 40 });
    const err = await runSuite(plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain(`datasets/ds/cases/${cases[40]!.id}.yaml`);
    const record = JSON.parse(await readFile(join(plan.runDir, RUN_FILE), 'utf8')) as { status: string; interruption?: { resumable: boolean } };
    expect(record.status).toBe('interrupted');
    expect(record.interruption?.resumable).toBe(true);
    const results = await readResults(plan.runDir);
    // What came before the bad case ran; the bad one did not.
    expect(results.length).toBeGreaterThan(0);
    expect(results.some((r) => r.caseId === cases[40]!.id)).toBe(false);
    for (const r of results) expect(cases.findIndex((c) => c.id === r.caseId)).toBeLessThan(40);
  });

  it('a resumed run never reads the cases it already finished', async () => {
    const first = await lazyPlan(30, { bad: 20 });
    await runSuite(first.plan).catch(() => undefined);
    const done = new Set((await readResults(first.plan.runDir)).map((r) => r.caseId));
    expect(done.size).toBeGreaterThan(0);
    const again = await lazyPlan(30, { runDir: first.plan.runDir, resume: true });
    const out = await runSuite(again.plan);
    expect(out.status).toBe('completed');
    expect(again.loads.filter((id) => done.has(id))).toEqual([]);
    expect(out.counts.alreadyDone).toBe(done.size);
    expect(new Set((await readResults(first.plan.runDir)).map((r) => r.caseId)).size).toBe(30);
  });

  it('a shard reads only its own cases; its total counts only them', async () => {
    const { plan, loads } = await lazyPlan(40, { shard: { index: 2, count: 3 } });
    const out = await runSuite(plan);
    const mine = new Set((await readResults(plan.runDir)).map((r) => r.caseId));
    expect(out.counts.total).toBe(mine.size);
    expect(new Set(loads)).toEqual(mine);
    expect(mine.size).toBeGreaterThan(0);
    expect(mine.size).toBeLessThan(40);
  });
});
