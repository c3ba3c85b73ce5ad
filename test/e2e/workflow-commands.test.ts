/**
 * The PR check's own shell steps (examples/github/evals-pr.yml), run in order as GitHub would:
 * each shard's `run:` script with bash -eo pipefail, the artifact hand-over simulated by a copy,
 * then the gate job's `evals merge`. Checks what the workflow promises: a shard's exit 1 is left
 * to the merge, which decides the gate over every shard; only the merge writes the job summary;
 * the comment body (summary.md) is where the sticky-comment step looks for it.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { CLI, REPO, runCli } from '../support/cli.js';

interface Step { name?: string; run?: string; uses?: string; if?: string; with?: Record<string, string> }
interface Workflow { env: Record<string, string | number>; jobs: Record<string, { steps: Step[]; strategy?: { matrix: { shard: number[] } } }> }

const WORKFLOW = parse(readFileSync(path.join(REPO, 'examples/github/evals-pr.yml'), 'utf8')) as Workflow;
const SHARDS = WORKFLOW.jobs.shard!.strategy!.matrix.shard;

let fake: FakeProvider;
let base: string;

/** A step's script with the expressions GitHub would substitute, and `npx evals` as the built CLI. */
function script(step: Step, vars: Record<string, string>): string {
  return step.run!.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (m, name: string) => vars[name] ?? m).replace(/\bnpx evals\b/g, `node ${JSON.stringify(CLI)}`);
}

/** As GitHub runs a `run:` step (bash -eo pipefail). Asynchronous: the fake provider lives in this process. */
function bash(dir: string, text: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', text], { cwd: dir, env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`step timed out:\n${out}`));
    }, 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

/** A checkout of a project: the dataset and the config (the candidate's system prompt, when given). */
async function checkout(name: string, systemPrompt?: string, datasets = 'datasets'): Promise<string> {
  const dir = path.join(base, name);
  mkdirSync(dir);
  cpSync(path.join(base, datasets), path.join(dir, 'datasets'), { recursive: true });
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [suite]\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\nevaluators:\n  - type: contains\n    value: OK\nrun: { concurrency: 2, retries: 0 }\nvariants:\n  - name: candidate\n${systemPrompt ? `    systemPrompt: ${systemPrompt}\n` : ''}`,
  );
  return dir;
}

/** Runs the shard job's and the gate job's shell steps in a checkout; returns exit codes, output and job summaries. */
async function runWorkflow(runId: string, systemPrompt?: string, datasets?: string) {
  const dir = await checkout(runId, systemPrompt, datasets);
  const env = { RUN_ID: runId, SHARDS: String(WORKFLOW.env.SHARDS) };
  const shardStep = WORKFLOW.jobs.shard!.steps.find((s) => s.run?.includes('evals run'))!;
  const shards: Array<{ code: number; out: string; summary: string }> = [];
  for (const i of SHARDS) {
    const summary = path.join(dir, `summary-shard-${runId}-${i}.md`);
    writeFileSync(summary, '');
    const r = await bash(dir, script(shardStep, { 'matrix.shard': String(i) }), { ...env, GITHUB_STEP_SUMMARY: summary });
    // actions/upload-artifact + actions/download-artifact: the run directory lands in shards/evals-shard-<i>
    const from = path.join(dir, 'reports', `${runId}-${i}`);
    if (existsSync(from)) cpSync(from, path.join(dir, 'shards', `evals-shard-${i}`), { recursive: true });
    shards.push({ ...r, summary: readFileSync(summary, 'utf8') });
  }
  const mergeStep = WORKFLOW.jobs.gate!.steps.find((s) => s.run?.includes('evals merge'))!;
  const summary = path.join(dir, `summary-gate-${runId}.md`);
  writeFileSync(summary, '');
  const merge = await bash(dir, script(mergeStep, {}), { ...env, GITHUB_STEP_SUMMARY: summary });
  const comment = WORKFLOW.jobs.gate!.steps.find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment'))!;
  const commentFile = path.join(dir, comment.with!.path!.replace('${{ env.RUN_ID }}', runId));
  return { shards, merge: { ...merge, summary: readFileSync(summary, 'utf8') }, commentFile };
}

beforeAll(async () => {
  fake = await startFakeProvider({ rules: [{ when: { system: 'BROKEN', user: 'case-[0-3]$' }, reply: { content: 'NOPE' } }, { when: { user: 'case' }, reply: { content: 'OK' } }] });
  base = mkdtempSync(path.join(tmpdir(), 'evals-workflow-'));
  const rows = Array.from({ length: 12 }, (_, i) => JSON.stringify({ input: { messages: [{ role: 'user', content: `case-${i}` }], model: 'gpt-4o-mini' }, output: 'OK' }));
  writeFileSync(path.join(base, 'rows.jsonl'), `${rows.join('\n')}\n`);
  expect((await runCli(['datasets', 'import', 'suite', 'rows.jsonl'], { cwd: base })).code).toBe(0);
  // A suite smaller than the shard count, in its own datasets directory.
  writeFileSync(path.join(base, 'two.jsonl'), `${rows.slice(4, 6).join('\n')}\n`);
  expect((await runCli(['datasets', 'import', 'suite', 'two.jsonl', '--root', 'small'], { cwd: base })).code).toBe(0);
});

afterAll(async () => {
  await fake.close();
});

describe('the PR check, step by step', () => {
  it('no change: every shard and the merge pass; only the merge writes the job summary and the comment body', async () => {
    const r = await runWorkflow('pr-1');
    for (const s of r.shards) {
      expect(s.code, s.out).toBe(0);
      expect(s.summary).toBe('');
    }
    expect(r.merge.code, r.merge.out).toBe(0);
    expect(r.merge.summary).toContain('gate **PASS**');
    expect(readFileSync(r.commentFile, 'utf8')).toContain('gate **PASS**');
  });

  it('a regression: the shards holding it exit 1 inside the step, which passes; the merge fails the check', async () => {
    const r = await runWorkflow('pr-2', 'BROKEN');
    expect(r.shards.map((s) => s.code)).toEqual(SHARDS.map(() => 0));
    expect(r.shards.some((s) => s.out.includes('evals run exited 1'))).toBe(true);
    expect(r.merge.code, r.merge.out).toBe(1);
    expect(r.merge.summary).toContain('gate **FAIL**');
    expect(readFileSync(r.commentFile, 'utf8')).toContain('regressed');
  });

  it('a suite smaller than the shard count: the empty shards pass with a notice, the merge decides', async () => {
    const r = await runWorkflow('pr-small', undefined, 'small');
    expect(r.shards.map((s) => s.code)).toEqual(SHARDS.map(() => 0));
    expect(r.shards.filter((s) => s.out.includes('this shard holds no case')).length).toBeGreaterThan(0);
    expect(r.merge.code, r.merge.out).toBe(0);
    expect(r.merge.summary).toContain('gate **PASS**');
  });

  it('a usage error in a shard (exit 2) fails the shard step', async () => {
    const dir = await checkout('pr-3');
    writeFileSync(path.join(dir, 'evals.config.yaml'), 'datasets: [suite]\nrun: { concurrency: lots }\n');
    const step = WORKFLOW.jobs.shard!.steps.find((s) => s.run?.includes('evals run'))!;
    const r = await bash(dir, script(step, { 'matrix.shard': '1' }), { RUN_ID: 'pr-3', SHARDS: '4', GITHUB_STEP_SUMMARY: '' });
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain('run.concurrency');
  });
});

describe('the harvest workflow, its snapshot step', () => {
  const HARVEST = parse(readFileSync(path.join(REPO, 'examples/github/evals-harvest.yml'), 'utf8')) as Workflow;
  const step = HARVEST.jobs.harvest!.steps.find((s) => s.run?.includes('evals snapshot'))!;

  async function harvest(name: string, source: string, since: string) {
    const dir = path.join(base, name);
    mkdirSync(path.join(dir, 'otel'), { recursive: true });
    cpSync(path.join(REPO, 'examples/refund-bot/traces/production.jsonl'), path.join(dir, 'otel/traces.jsonl'));
    const temp = path.join(dir, '.runner-temp');
    mkdirSync(temp);
    const r = await bash(dir, script(step, {}), { EVALS_SOURCE: source, EVALS_DATASET: 'support', SINCE: since, RUNNER_TEMP: temp });
    const body = path.join(temp, 'harvest.md');
    return { ...r, dir, body: existsSync(body) ? readFileSync(body, 'utf8') : '' };
  }

  it('snapshots what users flagged since the last harvest and writes the pull request body with each diagnosis', async () => {
    const r = await harvest('harvest', 'otel/traces.jsonl', '2026-01-01T00:00:00Z');
    expect(r.code, r.out).toBe(0);
    expect(existsSync(path.join(r.dir, 'datasets/support'))).toBe(true);
    expect(r.body).toContain('Traces users flagged since 2026-01-01T00:00:00Z');
    expect(r.body).toContain('diagnosis:');
    expect(r.body).toMatch(/support@\w+: \+\d+ case\(s\)/);
  });

  it('nothing flagged since then: no dataset change; a bad source fails the step', async () => {
    const none = await harvest('harvest-none', 'otel/traces.jsonl', '2099-01-01T00:00:00Z');
    expect(none.code, none.out).toBe(0);
    expect(existsSync(path.join(none.dir, 'datasets/support'))).toBe(false);
    const bad = await harvest('harvest-bad', 'otel/missing.jsonl', '7d');
    expect(bad.code).toBe(2);
  });
});
