/**
 * `evals run --otlp`: traces exported by a real instrumentation library are snapshotted, the
 * suite runs against the fake provider, and every case × variant evaluation arrives at a local
 * OTLP/HTTP receiver as a `gen_ai.evaluation.result` event with the semantic-convention
 * attributes, linked to the span of the source trace it evaluates. The endpoint also comes from
 * the OTEL_EXPORTER_OTLP_* variables (with their headers); a failing endpoint is a warning that
 * names it and the count, and leaves the exit code alone; a bad URL is a usage error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const TRACES = path.join(REPO, 'test/fixtures/otlp/traceloop-openai.jsonl');

let fake: FakeProvider;
let receiver: OtlpReceiver;
let dir: string;
/** Every span of the fixture, as the instrumentation wrote it: `traceId/spanId` → span name. */
const fixtureSpans = new Map<string, string>();

/** No inherited OTel variables: each test sets what it checks. */
const CLEAN_ENV = { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: '', OTEL_EXPORTER_OTLP_HEADERS: '', OTEL_EXPORTER_OTLP_LOGS_HEADERS: '', OTEL_EXPORTER_OTLP_PROTOCOL: '', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: '', OTEL_SERVICE_NAME: '' };

function run(id: string, extra: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(['run', '--run-id', id, ...extra], { cwd: dir, env: { ...CLEAN_ENV, ...env }, timeoutMs: 120_000 });
}

function results(id: string): CaseResult[] {
  return readFileSync(path.join(dir, 'reports', id, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
}

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      { when: { system: 'Quote the current policy' }, reply: { content: 'Refunds are issued within 5-7 business days.' } },
      { when: { user: '' }, reply: { content: 'Refunds for damaged items take up to 90 days.' } },
    ],
  });
  receiver = await startOtlpReceiver();
  dir = mkdtempSync(path.join(tmpdir(), 'evals-otlp-'));
  for (const line of readFileSync(TRACES, 'utf8').split('\n').filter(Boolean)) {
    const body = JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string; name: string }> }> }> };
    for (const s of body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((x) => x.spans))) fixtureSpans.set(`${s.traceId}/${s.spanId}`, s.name);
  }
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [refund]
providers:
  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: test-key }
variants:
  - name: fixed-prompt
    systemPrompt: "Quote the current policy. {{context}}"
  - name: same-prompt
evaluators:
  - type: contains
    value: "5-7 business days"
  - type: not-contains
    value: "90 days"
run:
  concurrency: 4
  retries: 0
`,
  );
  const snap = await runCli(['snapshot', TRACES, '--dataset', 'refund', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
});

afterAll(async () => {
  await fake.close();
  await receiver.close();
});

describe('evals run --otlp', () => {
  it('sends one event per case × variant × evaluator and one verdict, linked to the source span', async () => {
    receiver.records.length = 0;
    const plain = await run('plain', ['--no-cache']);
    expect(receiver.requests).toHaveLength(0); // no flag, nothing sent
    const r = await run('sent', ['--no-cache', '--otlp', receiver.url]);
    expect(r.code, r.stderr).toBe(plain.code); // the export never changes the verdict
    expect(r.stderr).not.toContain('warning: OTLP');
    // Binary protobuf by default, as the OTLP exporter conventions say (decoded here independently).
    expect(receiver.requests.every((q) => q.path === '/v1/logs' && q.headers['content-type'] === 'application/x-protobuf')).toBe(true);

    const candidates = results('sent').filter((x) => x.role !== 'baseline');
    const rows = new Set(candidates.map((x) => `${x.caseId}/${x.variant}`));
    expect(rows.size).toBe(12); // 6 cases × 2 variants
    const events = receiver.records;
    expect(events.every((e) => e.eventName === 'gen_ai.evaluation.result')).toBe(true);
    expect(r.stderr).toContain(`OTLP: exported ${events.length} evaluation event(s) to ${receiver.url}/v1/logs`);
    expect(events.every((e) => e.attributes['evals.run.id'] === 'sent' && e.attributes['evals.dataset'] === 'refund')).toBe(true);
    expect(events[0]!.resource['service.name']).toBe('evals');

    let errored = 0;
    for (const row of rows) {
      const [caseId, variant] = row.split('/') as [string, string];
      const mine = events.filter((e) => e.attributes['evals.case.id'] === caseId && e.attributes['evals.variant'] === variant);
      const byName = new Map(mine.map((e) => [e.attributes['gen_ai.evaluation.name'], e]));
      const result = candidates.find((x) => x.caseId === caseId && x.variant === variant)!;
      // Linked to a span of the trace the case was captured from, as the instrumentation wrote it.
      const traceId = mine[0]!.attributes['evals.case.trace_id'];
      for (const e of mine) {
        expect(e.traceId).toBe(traceId);
        expect(fixtureSpans.has(`${e.traceId}/${e.spanId}`), `${e.traceId}/${e.spanId}`).toBe(true);
      }
      const verdict = byName.get('evals.verdict')!;
      if (result.error) {
        // No output to judge (no provider for the Responses API, nothing to replay): the verdict says why.
        expect([...byName.keys()]).toEqual(['evals.verdict']);
        expect(verdict.attributes['error.type']).toBe(result.error.type ?? result.error.source);
        errored++;
        continue;
      }
      // One per evaluator that scored the run, plus the verdict.
      expect([...byName.keys()].sort()).toEqual([...result.scores.map((s) => s.name), 'evals.verdict'].sort());
      for (const s of result.scores) {
        const e = byName.get(s.name)!;
        expect(e.attributes['gen_ai.evaluation.score.value']).toBe(s.score);
        expect(e.attributes['gen_ai.evaluation.score.label']).toBe(s.pass ? 'pass' : 'fail');
        expect(e.attributes['gen_ai.evaluation.explanation']).toBe(s.reason);
      }
      expect(verdict.attributes['gen_ai.evaluation.score.label']).toBe(verdict.attributes['evals.verdict']);
      expect(verdict.attributes['gen_ai.evaluation.score.value']).toBe(result.pass ? 1 : 0);
    }
    expect(errored).toBe(4); // 2 cases × 2 variants
    // The refund question's events sit on its model call (the operation they evaluate), not on the root.
    const refundTrace = [...fixtureSpans].find(([, name]) => name === 'refund-question')![0].split('/')[0];
    const refund = events.filter((e) => e.traceId === refundTrace);
    expect(refund).toHaveLength(6); // 2 evaluators + verdict, × 2 variants
    expect(new Set(refund.map((e) => fixtureSpans.get(`${e.traceId}/${e.spanId}`)))).toEqual(new Set(['chat gpt-4o-mini']));
    const passing = events.find((e) => e.attributes['gen_ai.evaluation.name'] === 'contains' && e.attributes['gen_ai.evaluation.score.label'] === 'pass');
    const failing = events.find((e) => e.attributes['gen_ai.evaluation.name'] === 'not-contains' && e.attributes['gen_ai.evaluation.score.label'] === 'fail');
    expect(passing?.attributes['evals.variant']).toBe('fixed-prompt');
    expect(failing?.attributes['evals.variant']).toBe('same-prompt');
  });

  it('evals report --otlp sends a finished run again, the same events', async () => {
    const sent = receiver.records.filter((e) => e.attributes['evals.run.id'] === 'sent');
    receiver.records.length = 0;
    const r = await runCli(['report', 'reports/sent', '--reporter', 'json', '--otlp', receiver.url], { cwd: dir, env: CLEAN_ENV });
    expect(r.stderr).toContain(`OTLP: exported ${sent.length} evaluation event(s)`);
    const key = (e: (typeof sent)[number]) => JSON.stringify([e.traceId, e.spanId, e.attributes]);
    expect(receiver.records.map(key).sort()).toEqual(sent.map(key).sort());
  });

  it('takes the endpoint, headers and protocol from OTEL_EXPORTER_OTLP_* when --otlp has no value', async () => {
    const sent = receiver.records.filter((e) => e.attributes['evals.run.id'] === 'sent');
    receiver.requests.length = 0;
    receiver.records.length = 0;
    const r = await run('env', ['--otlp', '--quiet'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20t0ken,x-team=evals', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'refund-evals' });
    expect(r.stderr).toBe('');
    expect(receiver.requests[0]!.headers['content-type']).toBe('application/json');
    // The same events as the protobuf run, in the JSON encoding.
    const key = (e: (typeof sent)[number]) => JSON.stringify([e.eventName, e.traceId, e.spanId, e.severityNumber, { ...e.attributes, 'evals.run.id': '' }]);
    expect(receiver.records.map(key).sort()).toEqual(sent.map(key).sort());
    expect(receiver.requests[0]!.headers.authorization).toBe('Bearer t0ken');
    expect(receiver.requests[0]!.headers['x-team']).toBe('evals');
    expect(receiver.records[0]!.resource['service.name']).toBe('refund-evals');
  });

  it('an endpoint that rejects or is down is a warning naming it and the count; the exit code is unchanged', async () => {
    const plain = await run('reject-plain', []);
    receiver.status = 400;
    try {
      const r = await run('rejected', ['--otlp', `${receiver.url}/v1/logs`]);
      expect(r.code).toBe(plain.code);
      expect(r.stderr).toMatch(new RegExp(`evals: warning: OTLP export to ${receiver.url}/v1/logs \\(--otlp\\): (\\d+) of \\1 evaluation event\\(s\\) not delivered \\(HTTP 400`));
    } finally {
      receiver.status = 200;
    }
    const down = await run('down', ['--otlp', 'http://127.0.0.1:9'], { OTEL_EXPORTER_OTLP_TIMEOUT: '3000' });
    expect(down.code).toBe(plain.code);
    expect(down.stderr).toMatch(/evals: warning: OTLP export to http:\/\/127\.0\.0\.1:9\/v1\/logs \(--otlp\): (\d+) of \1 evaluation event\(s\) not delivered \(connect ECONNREFUSED/);
    expect(down.stdout).toContain('gate:');
  });

  it('a bad endpoint is a usage error before anything runs', async () => {
    const r = await run('bad-url', ['--otlp', 'localhost:4318']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not an OTLP/HTTP endpoint');
    expect(r.stderr).toContain('localhost:4318');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const grpc = await run('grpc', ['--otlp'], { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(grpc.code).toBe(2);
    expect(grpc.stderr).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: unsupported OTLP protocol');
  });
});
