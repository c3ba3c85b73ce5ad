/**
 * Every fixture flavour end to end: `evals snapshot --all` of the real-library traces, then
 * `evals run` (replay) against the fake provider with three providers configured (OpenAI Chat
 * first, OpenAI Responses, Anthropic Messages). No case whose trace holds a model call is
 * skipped, and each case runs on the provider and API it was recorded with.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import { fixtureRules } from '../fixtures/generate/lib/harness.js';
import { FLAVOURS, type Flavour } from '../support/fidelity-fields.js';
import { REPO, runCli } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;

/** Instrumentations that record no span for a call that failed (so that trace has no model call). */
const DROPS_FAILED_CALL = new Set<Flavour>(['traceloop-openai', 'traceloop-openai-legacy', 'openinference-openai', 'mixed']);

const API_OF_PROVIDER: Record<string, string> = { openai: 'openai-chat', responses: 'openai-responses', claude: 'anthropic-messages' };

beforeAll(async () => {
  fake = await startFakeProvider({ rules: fixtureRules });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-flavours-'));
  writeFileSync(path.join(dir, 'evals.config.yaml'), `providers:
  openai: { type: openai, baseUrl: ${fake.url}/v1, apiKey: test-key }
  responses: { type: openai-responses, baseUrl: ${fake.url}/v1, apiKey: test-key }
  claude: { type: anthropic, baseUrl: ${fake.url}, apiKey: test-key }
evaluators:
  - type: not-contains
    value: "90 days"
run:
  concurrency: 4
  retries: 0
  cache: false
`);
});

afterAll(async () => {
  await fake.close();
});

/** The refund bot under other instrumentations (refund-bot-flavours.ts), and its production traces. */
const REFUND_BOT: Record<string, { files: string[]; dropsFailedCall: boolean }> = {
  'refund-bot-production': { files: ['examples/refund-bot/traces/production.jsonl'], dropsFailedCall: true },
  'refund-bot-otel-contrib-openai': {
    files: ['test/fixtures/otlp/refund-bot-otel-contrib-openai.jsonl', 'test/fixtures/otlp/refund-bot-otel-contrib-openai.logs.jsonl'], dropsFailedCall: false,
  },
  'refund-bot-openinference-openai': { files: ['test/fixtures/otlp/refund-bot-openinference-openai.jsonl'], dropsFailedCall: true },
  'refund-bot-traceloop-openai-legacy': { files: ['test/fixtures/otlp/refund-bot-traceloop-openai-legacy.jsonl'], dropsFailedCall: true },
};

const SETS: Record<string, { files: string[]; dropsFailedCall: boolean }> = {
  ...Object.fromEntries((Object.keys(FLAVOURS) as Flavour[]).map((f) => [f, {
    files: FLAVOURS[f].files.map((file) => `test/fixtures/otlp/${file}`), dropsFailedCall: DROPS_FAILED_CALL.has(f),
  }])),
  ...REFUND_BOT,
};

describe('replay of every fixture flavour', () => {
  for (const [flavour, set] of Object.entries(SETS)) {
    it(`${flavour}: snapshot --all, replay: no case with a model call skipped, each on its recorded API`, async () => {
      const files = set.files.map((f) => path.join(REPO, f));
      const snap = await runCli(['snapshot', ...files, '--dataset', flavour, '--all'], { cwd: dir });
      expect(snap.code, snap.stderr).toBe(0);
      const shown = JSON.parse((await runCli(['datasets', 'show', flavour, '--json'], { cwd: dir })).stdout) as { cases: Case[] };
      for (const c of shown.cases) expect(c.provenance.location).not.toMatch(/^\//);

      const run = await runCli(['run', '--dataset', flavour, '--run-id', flavour, '--reporter', 'json,md'], { cwd: dir, timeoutMs: 120_000 });
      expect([0, 1], `${run.stdout}\n${run.stderr}`).toContain(run.code);
      const all = readFileSync(path.join(dir, 'reports', flavour, 'results.jsonl'), 'utf8').trim().split('\n')
        .map((l) => JSON.parse(l) as CaseResult);
      const byId = new Map(shown.cases.map((c) => [c.id, c]));
      // Every case runs once as the candidate; the baseline (production replayed) where it can matter.
      const results = all.filter((r) => r.role === undefined && r.phase === undefined);
      expect(results).toHaveLength(shown.cases.length);

      const skipped = results.filter((r) => r.error?.type === 'not_replayable');
      const withoutCall = shown.cases.filter((c) => c.input.llmSpanId === undefined);
      expect(withoutCall).toHaveLength(set.dropsFailedCall ? 1 : 0);
      // A trace without its call but with the app's prompt step borrows the call of a trace that
      // rendered the same template (borrow-call.ts): the refund bot's provider-error case replays.
      const borrowed = withoutCall.filter((c) => c.input.callFrom !== undefined);
      if (flavour.startsWith('refund-bot') && set.dropsFailedCall) expect(borrowed).toHaveLength(1);
      expect(skipped.map((r) => r.caseId).sort()).toEqual(withoutCall.filter((c) => c.input.callFrom === undefined).map((c) => c.id).sort());
      if (flavour.startsWith('refund-bot')) expect(skipped).toEqual([]);

      for (const r of all.filter((x) => x.error?.type !== 'not_replayable')) {
        const c = byId.get(r.caseId)!;
        expect(r.error, `${c.input.query}: ${r.error?.message}`).toBeUndefined();
        expect(r.provider).toBeDefined();
        expect(API_OF_PROVIDER[r.provider!]).toBe(c.input.api);
        expect(r.api).toBe(c.input.api);
      }
      const summary = readFileSync(path.join(dir, 'reports', flavour, 'summary.md'), 'utf8');
      // md() escapes the hyphen.
      expect(summary).toMatch(/· on (openai|responses|claude) \((openai\\-chat|openai\\-responses|anthropic\\-messages)\)/);
    }, 180_000);
  }

  it('inspect and snapshot warn when model calls carry no content, naming the setting to turn on', async () => {
    // The contrib instrumentation writes the messages to log records: without the logs file there is no content.
    const spans = path.join(REPO, 'test/fixtures/otlp/otel-contrib-openai.jsonl');
    const inspect = await runCli(['inspect', spans], { cwd: dir });
    expect(inspect.code).toBe(0);
    expect(inspect.stderr).toMatch(/warning: trace [0-9a-f]{32}: \d+ model call\(s\) recorded without message content.*OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
    const snap = await runCli(['snapshot', spans, '--dataset', 'no-content', '--all', '--dry-run'], { cwd: dir });
    // snapshot sums the gaps of every captured trace into one line per setting.
    expect(snap.stderr.match(/OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/g)).toHaveLength(1);
    expect(snap.stderr).toMatch(/warning: \d+ model call\(s\) in 5 captured trace\(s\) were recorded without messages/);
    const withLogs = await runCli(['inspect', spans, path.join(REPO, 'test/fixtures/otlp/otel-contrib-openai.logs.jsonl')], { cwd: dir });
    expect(withLogs.stderr).toBe('');
  });

  it('a case recorded over an API no configured provider speaks errors, naming both (never a silent wrong route)', async () => {
    writeFileSync(path.join(dir, 'openai-only.yaml'), `providers:
  openai: { type: openai, baseUrl: ${fake.url}/v1, apiKey: test-key }
run: { retries: 0, cache: false }
`);
    const run = await runCli(['run', '--config', 'openai-only.yaml', '--dataset', 'anthropic-sdk', '--run-id', 'openai-only', '--reporter', 'json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(3);
    const results = readFileSync(path.join(dir, 'reports', 'openai-only', 'results.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as CaseResult);
    for (const r of results) {
      expect(r.error?.type).toBe('no_matching_provider');
      expect(r.error?.message).toMatch(/recorded against anthropic over anthropic-messages \(model claude-sonnet-4-6\).*configured: openai \(openai-chat\).*type anthropic/);
    }
  }, 120_000);
});
