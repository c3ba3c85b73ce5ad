/**
 * `evals snapshot --flagged` with the default rules selects exactly the traces users flagged,
 * in every flavour that carries feedback: feedback inside the spans (OTel `gen_ai.evaluation.result`,
 * OpenInference annotations, Langfuse metadata, Vercel AI SDK app events) and feedback in dumps
 * passed with `--feedback` (LangSmith listFeedback JSONL joined by run id, Langfuse scores JSON
 * joined by trace id). Runs the real executable on the real-library fixtures, no config.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

const otlp = (f: string): string => path.join(REPO, 'test/fixtures/otlp', f);
const langsmith = (f: string): string => path.join(REPO, 'test/fixtures/langsmith', f);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'evals-flagged-'));
});

interface Listed { traceId: string; name: string }
interface Captured { provenance: { traceId: string; userId?: string }; labels: { flaggedBecause: string[] } }

/** Trace names by id (`inspect --json`). */
async function names(inputs: string[]): Promise<Map<string, string>> {
  const r = await runCli(['inspect', ...inputs, '--json'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return new Map((JSON.parse(r.stdout) as Listed[]).map((t) => [t.traceId, t.name]));
}

/** The cases `snapshot --flagged --dry-run --json` would capture. */
async function flagged(inputs: string[], extra: string[] = []): Promise<Captured[]> {
  const r = await runCli(['snapshot', ...inputs, '--dataset', 'x', '--flagged', '--dry-run', '--json', ...extra], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  if (r.stdout.trim() === '') return []; // "no trace selected" goes to stderr
  return JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf('\ndry run:'))) as Captured[];
}

const fourScenarioFlavours: Record<string, string[]> = {
  'otel-contrib-openai': ['otel-contrib-openai.jsonl', 'otel-contrib-openai.logs.jsonl'],
  'traceloop-openai': ['traceloop-openai.jsonl'],
  'traceloop-openai-legacy': ['traceloop-openai-legacy.jsonl'],
  'openinference-openai': ['openinference-openai.jsonl'],
  'traceloop-anthropic': ['traceloop-anthropic.jsonl'],
  'openinference-anthropic': ['openinference-anthropic.jsonl'],
  'langfuse-otel': ['langfuse-otel.jsonl'],
  mixed: ['mixed.jsonl'],
};

describe('snapshot --flagged selects exactly the flagged traces', () => {
  for (const [flavour, files] of Object.entries(fourScenarioFlavours)) {
    it(`${flavour}: the thumbs-down refund question only`, async () => {
      const inputs = files.map(otlp);
      const byId = await names(inputs);
      expect((await flagged(inputs)).map((c) => byId.get(c.provenance.traceId))).toEqual(['refund-question']);
    });
  }

  it('vercel-ai: the two thumbs-down answers', async () => {
    const cases = await flagged([otlp('vercel-ai.jsonl')]);
    expect(cases.map((c) => c.provenance.userId).sort()).toEqual(['u-2047', 'u-4120']);
  });

  it('openlit: the two thumbs-down answers', async () => {
    const cases = await flagged([otlp('openlit.jsonl')]);
    expect(cases.map((c) => c.provenance.userId).sort()).toEqual(['u-2047', 'u-4120']);
  });

  it('langsmith runs + listFeedback dump (no trace ids; one on a child run)', async () => {
    const runs = [langsmith('refund-bot.runs.jsonl')];
    expect(await flagged(runs)).toEqual([]);
    const cases = await flagged(runs, ['--feedback', langsmith('refund-bot.feedback.jsonl')]);
    expect(cases.map((c) => c.provenance.userId).sort()).toEqual(['u-2047', 'u-4120']);
    expect(cases.every((c) => c.labels.flaggedBecause.join() === 'feedback:user_score=0')).toBe(true);
  });

  it('langfuse-otel spans + a Langfuse scores page: the dump adds its negative score, not its positive one', async () => {
    const inputs = [otlp('langfuse-otel.jsonl')];
    const byId = await names(inputs);
    const idOf = (name: string): string => [...byId.entries()].find(([, n]) => n === name)?.[0] ?? '';
    const scores = path.join(dir, 'scores.json');
    writeFileSync(scores, JSON.stringify({
      data: [
        { id: 's1', traceId: idOf('weather-agent'), name: 'correctness', value: 0, dataType: 'NUMERIC', source: 'EVAL', comment: 'wrong city' },
        { id: 's2', traceId: idOf('joke-stream'), name: 'correctness', value: 1, dataType: 'NUMERIC', source: 'EVAL' },
      ],
      meta: { page: 1, limit: 50, totalItems: 2, totalPages: 1 },
    }));
    const cases = await flagged(inputs, ['--feedback', scores]);
    expect(cases.map((c) => byId.get(c.provenance.traceId)).sort()).toEqual(['refund-question', 'weather-agent']);
  });

  it('warns, naming the setting, when the captured model calls carry no messages', async () => {
    const spansOnly = await runCli(['snapshot', otlp('otel-contrib-openai.jsonl'), '--dataset', 'x', '--all', '--dry-run'], { cwd: dir });
    expect(spansOnly.code).toBe(0);
    expect(spansOnly.stderr).toMatch(/warning: \d+ model call\(s\) in \d+ captured trace\(s\) were recorded without messages.*OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
    const withLogs = await runCli(['snapshot', ...fourScenarioFlavours['otel-contrib-openai']!.map(otlp), '--dataset', 'x', '--all', '--dry-run'], { cwd: dir });
    expect(withLogs.stderr).not.toContain('without messages');
  });

  it('a bad feedback file: exit 2 naming the file, line and field, no stack trace', async () => {
    const bad = path.join(dir, 'bad-feedback.jsonl');
    writeFileSync(bad, '{"run_id":"r1","key":"user_score","score":0}\n{"run_id":"r2","key":"user_score","score":"low"}\n');
    const r = await runCli(['snapshot', otlp('traceloop-openai.jsonl'), '--dataset', 'x', '--flagged', '--feedback', bad], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-feedback.jsonl');
    expect(r.stderr).toMatch(/line 2|:2/);
    expect(r.stderr).toContain('score');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = await runCli(['snapshot', otlp('traceloop-openai.jsonl'), '--dataset', 'x', '--flagged', '--feedback', 'nope.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
  });
});
