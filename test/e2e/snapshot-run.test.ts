/**
 * The walking skeleton end to end: the real `evals` executable in a temp directory, traces
 * exported by a real instrumentation library, the fake provider over real HTTP through the
 * official SDK. snapshot → run → the reports exist and hold the case; then the error paths.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/fake-provider/index.js';
import type { FakeProvider } from '../../src/fake-provider/index.js';
import { REPO, runCli } from '../support/cli.js';

const TRACES = path.join(REPO, 'test/fixtures/otlp/traceloop-openai.jsonl');
/** The trace a user flagged (ids change when fixtures are regenerated, so it is looked up). */
let INCIDENT_TRACE = '';

let fake: FakeProvider;
let dir: string;

function config(systemPrompt: string, extra = '', model = 'gpt-4o-mini'): string {
  return `datasets: [refund@latest]
providers:
  local:
    type: openai
    baseUrl: ${fake.url}/v1
    apiKey: test-key
variants:
  - name: fixed-prompt
    systemPrompt: ${JSON.stringify(systemPrompt)}
${model ? `    model: ${model}\n` : ''}evaluators:
  - type: contains
    value: "5-7 business days"
  - type: not-contains
    value: "90 days"
run:
  concurrency: 4
  retries: 1
snapshot:
  flagged: { error: true }   # users' thumbs-down, and failed requests too
${extra}`;
}

beforeAll(async () => {
  fake = await startFakeProvider({
    rules: [
      { when: { system: 'Quote the current policy' }, reply: { content: 'Refunds are issued within 5-7 business days.' } },
      { when: { system: 'Answer from the context' }, reply: { content: 'Refunds for damaged items take up to 90 days.' } },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-e2e-'));
  const listed = await runCli(['inspect', TRACES, '--json'], { cwd: dir });
  const traces = JSON.parse(listed.stdout) as Array<{ traceId: string; name: string }>;
  INCIDENT_TRACE = traces.find((t) => t.name === 'refund-question')!.traceId;
});

afterAll(async () => {
  await fake.close();
});

describe('snapshot → run → report', () => {
  it('snapshots the flagged trace into a new dataset version and prints its steps', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('Quote the current policy. {{context}}'));
    const r = await runCli(['snapshot', TRACES, '--dataset', 'refund', '--flagged', '--incident', 'INC-7', '--note', 'refund policy incident'], { cwd: dir });
    // The failed call the instrumentation dropped is kept, and said so (never silently empty).
    expect(r.stderr).toMatch(/^(evals: warning: trace [0-9a-f]{32} has no model call with messages[^\n]*\n)?$/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`trace ${INCIDENT_TRACE}`);
    expect(r.stdout).toMatch(/retrieval kb \[retrieval\] 2 document\(s\)/);
    expect(r.stdout).toMatch(/chat gpt-4o-mini \[llm\] gpt-4o-mini {2}tokens in 40 \/ out 10 {2}finish=stop/);
    expect(r.stdout).toMatch(/refund@[0-9a-f]{16}: \+2 case\(s\) \(parent none\)/);
    const cases = readdirSync(path.join(dir, 'datasets/refund/cases'));
    expect(cases).toHaveLength(2);
    const again = await runCli(['snapshot', TRACES, '--dataset', 'refund', '--flagged'], { cwd: dir });
    expect(again.stdout).toMatch(/refund@[0-9a-f]{16}: nothing new \(2 case\(s\) already present\)/);
  });

  it('shows the dataset as documented JSON', async () => {
    const r = await runCli(['datasets', 'show', 'refund', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as { cases: Array<{ provenance: { traceId: string }; labels: { incident?: string }; input: { messages: unknown[] } }> };
    const incident = shown.cases.find((c) => c.provenance.traceId === INCIDENT_TRACE);
    expect(incident?.labels.incident).toBe('INC-7');
    expect(incident?.input.messages).toHaveLength(2);
  });

  it('a case that cannot be replayed is never green: the gate fails and names it', async () => {
    // The errored production trace captured no model call: without a model on the variant there
    // is nothing to replay, so the incident case tied to it was never checked.
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('Quote the current policy. {{context}}', '', ''));
    const r = await runCli(['run', '--run-id', 'unreplayable'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toContain('gate: FAIL');
    expect(r.stdout).toMatch(/incident INC-7: never evaluated/);
    expect(r.stdout).toMatch(/1 of 2 candidate run\(s\) \(50%\) got no output \(0 errored: provider or setup, 1 skipped\), above the 5% tolerance/);
  });

  it('runs the suite with a changed prompt: the incident case is fixed, reports are written, exit 0', async () => {
    // Take the case nobody can replay out of the dataset (a new version), as a user would.
    const skipped = readFileSync(path.join(dir, 'reports/unreplayable/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { caseId: string; role?: string; error?: { type?: string } })
      .find((x) => x.role === undefined && x.error?.type === 'not_replayable')!;
    const rm = await runCli(['datasets', 'rm', 'refund', skipped.caseId], { cwd: dir });
    expect(rm.code, rm.stderr).toBe(0);
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('Quote the current policy. {{context}}'));
    const r = await runCli(['run', '--run-id', 'fixed'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('gate: PASS');
    expect(r.stdout).toContain('1 incident expectation(s) hold');
    const runDir = path.join(dir, 'reports/fixed');
    for (const f of ['results.jsonl', 'run.json', 'report.html', 'summary.md', 'junit.xml']) expect(existsSync(path.join(runDir, f)), f).toBe(true);
    const all = readFileSync(path.join(runDir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { caseId: string; output: string | null; pass: boolean; error?: unknown; role?: string });
    // One case; it passes and production's recorded answer failed, so no baseline replay is needed.
    const results = all.filter((x) => x.role === undefined);
    expect(results).toHaveLength(1);
    expect(all).toHaveLength(1);
    const fixed = results.find((x) => x.output?.includes('5-7'));
    expect(fixed?.pass).toBe(true);
    const run = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { datasets: Array<{ name: string; version: string; hash: string }>; comparison: { cases: Array<{ caseId: string; verdict: string }> } };
    expect(run.datasets[0]!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.datasets[0]).toMatchObject({ name: 'refund', version: run.datasets[0]!.hash.slice(7, 19) });
    expect(run.comparison.cases.find((c) => c.caseId === fixed!.caseId)?.verdict).toBe('fixed');
    expect(readFileSync(path.join(runDir, 'report.html'), 'utf8')).toContain(fixed!.caseId);
    expect(readFileSync(path.join(runDir, 'junit.xml'), 'utf8')).toContain('<testsuite');
    expect(readFileSync(path.join(runDir, 'summary.md'), 'utf8')).toMatch(/fixed/i);
  });

  it('exits 1 when a case regresses against a baseline run', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), config('Answer from the context. {{context}}'));
    const r = await runCli(['run', '--run-id', 'regressed', '--baseline', 'reports/fixed'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toContain('gate: FAIL');
    expect(r.stdout).toMatch(/incident INC-7: candidate met its expectations in 0\/1 run\(s\), below the required 100%/);
  });
});

describe('errors name the file, line or field', () => {
  it('a malformed trace line gives file and line, exit 2', async () => {
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, `${readFileSync(TRACES, 'utf8').split('\n')[0]}\n{"resourceSpans": [oops\n`);
    const r = await runCli(['snapshot', bad, '--dataset', 'x', '--all'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.jsonl');
    expect(r.stderr).toMatch(/line 2/);
    const skipping = await runCli(['snapshot', bad, '--dataset', 'x', '--all', '--skip-invalid', '--dry-run'], { cwd: dir });
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(skipping.stdout).toMatch(/skipped 1 malformed record\(s\), first: .*bad\.jsonl:2: malformed JSON/);
  });

  it('an unknown trace id is named, exit 2, nothing written', async () => {
    const r = await runCli(['snapshot', TRACES, '--dataset', 'nope', '--trace', 'ffffffffffffffffffffffffffffffff'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ffffffffffffffffffffffffffffffff');
    expect(existsSync(path.join(dir, 'datasets/nope'))).toBe(false);
  });

  it('a missing config field names the field and line, exit 2', async () => {
    const sub = mkdtempSync(path.join(tmpdir(), 'evals-cfg-'));
    writeFileSync(path.join(sub, 'evals.config.yaml'), 'datasets: [refund]\npipeline:\n  type: module\n');
    const r = await runCli(['run'], { cwd: sub });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('evals.config.yaml, line 3, field pipeline.path');
  });

  it('choosing no selection mode is a usage error', async () => {
    const r = await runCli(['snapshot', TRACES, '--dataset', 'x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exactly one of --trace <id>, --flagged, --all');
  });
});
