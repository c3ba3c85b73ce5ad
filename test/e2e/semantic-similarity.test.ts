/**
 * `semantic-similarity` through the real CLI: the embeddings of the candidate and of the
 * recorded answer come from the fake provider's `POST /v1/embeddings` (official openai SDK,
 * over HTTP), go through the run's cache (a re-run sends nothing) and score by cosine.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../src/evaluators/builtin/semantic-similarity.js';
import { fakeEmbedding } from '../../src/fake-provider/embeddings.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;
const RECORDED = 'Refunds for damaged items take up to 90 days.';
const CLOSE = 'Refunds for damaged items can take up to 90 days.';
const FAR = 'Our store opens at nine on weekdays.';

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      { when: { system: 'Paraphrase' }, reply: { content: CLOSE } },
      { when: { system: 'Wander' }, reply: { content: FAR } },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-semsim-'));
  const traces = path.join(REPO, 'test/fixtures/otlp/traceloop-openai.jsonl');
  const snap = await runCli(['snapshot', traces, '--dataset', 'refund', '--flagged'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [refund]
providers:
  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }
variants:
  - name: close
    systemPrompt: "Paraphrase. {{context}}"
  - name: far
    systemPrompt: "Wander. {{context}}"
evaluators:
  - type: semantic-similarity
    name: meaning
    threshold: 0.75
`,
  );
});

afterAll(async () => {
  await fake.close();
});

describe('semantic-similarity evaluator', () => {
  it('passes a paraphrase, fails an unrelated answer, via the cached embeddings endpoint', async () => {
    const r = await runCli(['run', '--run-id', 's1'], { cwd: dir });
    const all = readFileSync(path.join(dir, 'reports/s1/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    const byVariant = (v: string) => all.find((x) => x.variant === v && x.role === undefined)!;
    const expected = (text: string) => Math.round(cosine(fakeEmbedding(text), fakeEmbedding(RECORDED)) * 1000) / 1000;
    expect(byVariant('close').scores[0]).toMatchObject({ name: 'meaning', pass: true, score: expected(CLOSE) });
    expect(byVariant('far').scores[0]).toMatchObject({ name: 'meaning', pass: false, score: expected(FAR) });
    expect(byVariant('far').scores[0]!.reason).toContain('semantic similarity');
    expect(r.code, r.stderr).toBe(0);
    const embedCalls = fake.requests.filter((q) => q.path === '/v1/embeddings');
    expect(embedCalls.length).toBeGreaterThanOrEqual(2);
    expect(embedCalls[0]!.body).toMatchObject({ model: 'text-embedding-3-small' });
    const before = fake.stats.total;
    await runCli(['run', '--run-id', 's2'], { cwd: dir });
    expect(fake.stats.total - before).toBe(0);
  });
});
