/**
 * A Vercel AI SDK app's traces end to end: the real `evals` executable snapshots every trace of
 * the `ai` 6 fixture (the refund bot over generateText/streamText with tools, OpenAI and
 * Anthropic models) and replays the
 * cases against the fake provider answering the refund bot's production rules. Every case has
 * a model call to replay (none skipped), the production variant reproduces the incident and
 * the fixed prompt fixes it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionRules } from '../../examples/refund-bot/scenarios.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { fixturePath } from '../fixtures/generate/lib/harness.js';
import { REPO, runCli } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;

beforeAll(async () => {
  fake = await startFakeProvider({ rules: productionRules });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-e2e-vercel-'));
  writeFileSync(path.join(dir, 'evals.config.yaml'), `datasets: [vercel@latest]
providers:
  local:
    type: openai
    baseUrl: ${fake.url}/v1
    apiKey: test-key
  responses:
    type: openai-responses
    baseUrl: ${fake.url}/v1
    apiKey: test-key
  claude:
    type: anthropic
    baseUrl: ${fake.url}
    apiKey: test-key
variants:
  # Production's prompt and model as recorded (no overrides): reproduces the incident.
  - name: as-recorded
  - name: fixed
    systemPromptFile: ${path.join(REPO, 'examples/refund-bot/prompts/fixed-system.txt')}
evaluators:
  - type: not-contains
    value: "90 days"
run:
  concurrency: 4
  retries: 0
`);
});

afterAll(async () => {
  await fake.close();
});

interface Result { caseId: string; variant: string; output: string | null; error?: unknown }

describe('Vercel AI SDK traces: snapshot → run', () => {
  it('snapshots all eight traces, each with its model call', async () => {
    const r = await runCli(['snapshot', fixturePath('vercel-ai'), '--dataset', 'vercel', '--all'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/vercel@[0-9a-f]+: \+8 case\(s\)/);
    const shown = JSON.parse((await runCli(['datasets', 'show', 'vercel', '--json'], { cwd: dir })).stdout) as {
      cases: Array<{ input: { model?: string; messages: Array<{ role: string }>; tools?: unknown[] }; recorded: { output?: unknown } }>;
    };
    expect(shown.cases).toHaveLength(8);
    // One scenario went through @ai-sdk/anthropic, the others through @ai-sdk/openai.
    expect(shown.cases.map((c) => c.input.model).sort()).toEqual(['claude-haiku-4-5', ...Array<string>(7).fill('gpt-4o-mini')]);
    for (const c of shown.cases) {
      expect(c.input.messages.map((m) => m.role).slice(0, 2)).toEqual(['system', 'user']);
      expect(c.input.tools).toHaveLength(2);
    }
  });

  it('replays every case (0 skipped): production reproduces the incident, the fixed prompt does not', async () => {
    const r = await runCli(['run', '--run-id', 'v1'], { cwd: dir });
    expect(r.stdout).not.toMatch(/skipped/);
    const results = readFileSync(path.join(dir, 'reports/v1/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Result);
    const candidates = results.filter((x) => (x as { role?: string }).role === undefined && (x as { phase?: string }).phase === undefined);
    expect(candidates).toHaveLength(16);
    for (const x of results) expect(x.error, JSON.stringify(x)).toBeUndefined();
    expect(candidates.filter((x) => x.variant === 'as-recorded' && x.output?.includes('90 days'))).toHaveLength(1);
    expect(results.filter((x) => x.variant === 'fixed' && x.output?.includes('90 days'))).toHaveLength(0);
  });
});
