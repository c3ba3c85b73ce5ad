/**
 * The pure parts of `--batch`: wire mappings of both providers' batch objects and result lines,
 * the answer book, batch pricing; and the batch phase against stub providers (submission
 * failure and expired requests go live, errors become answers, ids are recorded before polling,
 * a resumed phase re-attaches instead of submitting).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import { parseYamlConfig } from '../../src/config/load.js';
import { createReplayPipeline } from '../../src/pipelines/replay.js';
import { fromAnthropicResult, fromMessageBatch } from '../../src/providers/anthropic-batch.js';
import { fromChatCompletion } from '../../src/providers/openai-chat.js';
import type { BatchApi, BatchItemResult, BatchRequest } from '../../src/providers/batch.js';
import { fromOpenAiBatch, fromOpenAiOutputLine } from '../../src/providers/openai-batch.js';
import { CostTracker, DEFAULT_PRICES } from '../../src/providers/pricing.js';
import { ProviderError, type Provider } from '../../src/providers/provider.js';
import { BatchBook, customIdOf, keyPrefixOf } from '../../src/runner/batch-book.js';
import { runBatchPhase } from '../../src/runner/batch-run.js';
import type { WorkUnit } from '../../src/runner/run-case.js';
import type { RunPlan, RunVariant } from '../../src/runner/run-plan.js';

describe('batch wire mappings', () => {
  it('OpenAI batch status and output lines', () => {
    const base = { id: 'b', object: 'batch', endpoint: '/v1/chat/completions', input_file_id: 'f', completion_window: '24h', created_at: 0 } as const;
    expect(fromOpenAiBatch({ ...base, status: 'finalizing', request_counts: { total: 4, completed: 2, failed: 1 } })).toEqual({ state: 'running', status: 'finalizing', counts: { total: 4, succeeded: 2, errored: 1, processing: 1 } });
    expect(fromOpenAiBatch({ ...base, status: 'failed', errors: { data: [{ code: 'invalid_json', line: 3, message: 'bad' }] } })).toMatchObject({ state: 'ended', failure: 'invalid_json (line 3): bad' });
    const ok = fromOpenAiOutputLine({ custom_id: 'x', response: { status_code: 200, body: { id: 'c', model: 'm', choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] } } }, 'oa', fromChatCompletion);
    expect(ok).toMatchObject({ customId: 'x', kind: 'succeeded', response: { content: 'hi', latencyMs: 0 } });
    expect(fromOpenAiOutputLine({ custom_id: 'y', response: { status_code: 429, body: { error: { message: 'slow down' } } } }, 'oa', fromChatCompletion)).toMatchObject({ kind: 'errored', error: { type: 'rate_limit', message: 'oa (batch): slow down' } });
    expect(fromOpenAiOutputLine({ custom_id: 'z', response: null, error: { code: 'batch_expired', message: 'x' } }, 'oa', fromChatCompletion)).toEqual({ customId: 'z', kind: 'unfinished', reason: 'batch_expired' });
    expect(fromOpenAiOutputLine({ response: null }, 'oa', fromChatCompletion)).toBeUndefined();
  });

  it('Anthropic batch status and results', () => {
    const b = { id: 'm', type: 'message_batch', processing_status: 'ended', request_counts: { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 1 } } as never;
    expect(fromMessageBatch(b)).toEqual({ state: 'ended', status: 'ended (1 expired, 0 canceled)', counts: { total: 4, succeeded: 2, errored: 1, processing: 0 } });
    const from = (): never => ({ content: 'x', toolCalls: [] }) as never;
    expect(fromAnthropicResult({ custom_id: 'a', result: { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'busy' } } } } as never, 'c', from)).toMatchObject({ kind: 'errored', error: { type: 'server', message: 'c (batch): overloaded_error: busy' } });
    expect(fromAnthropicResult({ custom_id: 'b', result: { type: 'canceled' } }, 'c', from)).toEqual({ customId: 'b', kind: 'unfinished', reason: 'canceled' });
  });
});

describe('BatchBook and batch pricing', () => {
  it('custom ids carry the key prefix; identical requests queue several answers, each taken once', () => {
    const key = 'a'.repeat(64);
    expect(customIdOf(key, 2)).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(keyPrefixOf(customIdOf(key, 2))).toBe(key.slice(0, 48));
    const book = new BatchBook();
    book.add(key, { kind: 'succeeded', response: { content: '1', toolCalls: [], latencyMs: 0 } });
    book.add(key, { kind: 'succeeded', response: { content: '2', toolCalls: [], latencyMs: 0 } });
    expect(book.size).toBe(2);
    expect(book.take(key)).toMatchObject({ response: { content: '1' } });
    expect([...book.drain()].map(([, e]) => (e.kind === 'succeeded' ? e.response.content : ''))).toEqual(['2']);
    expect(book.take(key)).toBeUndefined();
  });

  it('a batch call costs half the list price and the other half is counted as saved', () => {
    const t = new CostTracker(DEFAULT_PRICES);
    const usage = { inputTokens: 1_000_000, outputTokens: 0 };
    expect(t.add('gpt-4o-mini', usage)).toBeCloseTo(0.15);
    expect(t.add('gpt-4o-mini', usage, { batch: true })).toBeCloseTo(0.075);
    expect(t.batchSavedUsd).toBeCloseTo(0.075);
    expect(t.totalUsd).toBeCloseTo(0.225);
    expect(t.batchUsd).toBeCloseTo(0.075);
  });
});

/** A stub batch API: answers per a script, counts submissions. */
function stubProvider(name: string, script: { failSubmit?: boolean; flakySubmits?: number; outcome: (r: BatchRequest) => BatchItemResult['kind'] }): Provider & { submitted: BatchRequest[][] } {
  const submitted: BatchRequest[][] = [];
  let flaky = script.flakySubmits ?? 0;
  const polls = new Map<string, number>();
  const batch: BatchApi = {
    limits: { maxRequests: 2, maxBytes: 1e9 },
    sizeOf: () => 1,
    async submit(requests) {
      if (script.failSubmit) throw new Error('no batch endpoint');
      if (flaky-- > 0) throw new ProviderError('503 busy', { type: 'server', status: 503, retryable: true });
      submitted.push(requests);
      return `${name}-b${submitted.length}`;
    },
    async status(id) {
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      return { state: n >= 2 ? 'ended' : 'running', status: n >= 2 ? 'completed' : 'in_progress', counts: { total: 2, succeeded: 0, errored: 0, processing: 2 } };
    },
    async *results(id) {
      const reqs = submitted[Number(id.split('-b')[1]) - 1] ?? [];
      for (const r of reqs) {
        const kind = script.outcome(r);
        if (kind === 'succeeded') yield { customId: r.customId, kind, response: { content: `batch:${r.request.messages[0]?.content}`, toolCalls: [], latencyMs: 0 } };
        else if (kind === 'errored') yield { customId: r.customId, kind, error: { type: 'bad_request', message: 'nope' } };
        else yield { customId: r.customId, kind, reason: 'expired' };
      }
    },
  };
  return { name, api: 'openai-chat', baseUrl: 'http://stub', complete: () => Promise.reject(new Error('live')), batch, submitted };
}

function unitsFor(n: number, variant: RunVariant): WorkUnit[] {
  return Array.from({ length: n }, (_, i) => ({
    dataset: 'd', repeat: 0, variant,
    case: { id: `c${i}`, input: { messages: [{ role: 'user', content: `q${i}` }], model: 'm' }, context: { steps: [] }, recorded: { output: null, status: 'ok', latencyMs: 0 }, labels: {} } as unknown as Case,
  }));
}

describe('runBatchPhase', () => {
  const phase = async (provider: Provider, units: WorkUnit[], runDir: string) => {
    const plan = { runDir, providers: { p: provider } } as unknown as RunPlan;
    const logs: string[] = [];
    const out = await runBatchPhase(units, { plan, cache: undefined, signal: new AbortController().signal, pollMs: 1, log: (l) => logs.push(l), sleep: async () => {} });
    return { ...out, logs };
  };
  const variant: RunVariant = { name: 'v', pipeline: createReplayPipeline(), evaluators: [], overrides: {}, options: {}, provider: 'p' };

  it('submits within limits, records ids before polling, files answers and errors, leaves expired ones out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-batch-phase-'));
    const p = stubProvider('p', { outcome: (r) => (r.request.messages[0]?.content === 'q1' ? 'errored' : r.request.messages[0]?.content === 'q2' ? 'unfinished' : 'succeeded') });
    const { book, summary, logs } = await phase(p, unitsFor(3, variant), dir);
    expect(p.submitted.map((b) => b.length)).toEqual([2, 1]);
    expect(summary).toMatchObject({ answered: 2, errored: 1, unfinished: 1 });
    expect(book.size).toBe(2);
    const state = JSON.parse(readFileSync(path.join(dir, 'batches.json'), 'utf8')) as { batches: Array<{ id: string; status: string }> };
    expect(state.batches.map((b) => [b.id, b.status])).toEqual([['p-b1', 'completed'], ['p-b2', 'completed']]);
    expect(logs.some((l) => /p-b1: in_progress/.test(l))).toBe(true);

    // Resumed: the recorded batches cover every request; nothing is submitted again.
    const again = await phase(p, unitsFor(3, variant), dir);
    expect(p.submitted).toHaveLength(2);
    expect(again.logs[0]).toContain('3 in 2 batch(es) already submitted');
  });

  it('retries a submission that failed with a retryable error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-batch-phase-'));
    const p = stubProvider('p', { flakySubmits: 2, outcome: () => 'succeeded' });
    const { summary } = await phase(p, unitsFor(2, variant), dir);
    expect(p.submitted).toHaveLength(1);
    expect(summary).toMatchObject({ answered: 2, unfinished: 0 });
  });

  it('a provider whose batch submission fails sends its requests live', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-batch-phase-'));
    const p = stubProvider('p', { failSubmit: true, outcome: () => 'succeeded' });
    const { book, summary, logs } = await phase(p, unitsFor(2, variant), dir);
    expect(book.size).toBe(0);
    expect(summary).toMatchObject({ answered: 0, unfinished: 2 });
    expect(logs.some((l) => /submitting 2 request\(s\) failed \(no batch endpoint\); they are sent live/.test(l))).toBe(true);
  });
});

describe('run.batch in the config', () => {
  it('reads batch and batchPollSeconds, and names the field of a wrong value', () => {
    expect(parseYamlConfig('run:\n  batch: true\n  batchPollSeconds: 5\n', 'c.yaml').config.run).toMatchObject({ batch: true, batchPollSeconds: 5 });
    expect(parseYamlConfig('run: {}\n', 'c.yaml').config.run.batch).toBeUndefined();
    expect(() => parseYamlConfig('run:\n  batch: sometimes\n', 'c.yaml')).toThrow(/line 2, field run\.batch/);
    expect(() => parseYamlConfig('run:\n  batchPollSeconds: 0\n', 'c.yaml')).toThrow(/field run\.batchPollSeconds/);
  });
});
