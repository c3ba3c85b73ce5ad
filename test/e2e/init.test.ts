/**
 * `evals init` in a fresh directory, through the built CLI: it writes the commented config, an
 * example evaluator, datasets/README.md and both workflows (valid against GitHub's schema, with
 * the detected trace source filled in); never overwrites; refuses to write without `--yes` when
 * it cannot ask. Then the README's first steps work on what it wrote: snapshot the refund bot's
 * traces, run against the fake provider (the example evaluator loaded through the package's
 * light entry, as in a consumer project), and get the report and summary.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';

const FILES = ['evals.config.yaml', 'evaluators/example.ts', 'datasets/README.md', '.github/workflows/evals.yml', '.github/workflows/evals-harvest.yml'];
/** No trace-source variables from the machine running the tests. */
const CLEAN = { LANGFUSE_PUBLIC_KEY: '', LANGFUSE_SECRET_KEY: '', LANGSMITH_API_KEY: '', LANGSMITH_PROJECT: '' };

let fake: FakeProvider;
let base: string;

function project(name: string): string {
  const dir = path.join(base, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  fake = await startFakeProvider({ rules: (JSON.parse(readFileSync(path.join(REPO, 'examples/refund-bot/rules.json'), 'utf8')) as { rules: never[] }).rules });
  base = mkdtempSync(path.join(tmpdir(), 'evals-init-'));
});

afterAll(async () => {
  await fake.close();
});

describe('evals init', () => {
  it('writes every file, fills in the trace file it found, and the workflows are valid', async () => {
    const dir = project('My Shop Bot');
    mkdirSync(path.join(dir, 'otel'));
    cpSync(path.join(REPO, 'examples/refund-bot/traces/production.jsonl'), path.join(dir, 'otel/traces.jsonl'));
    const r = await runCli(['init', '--yes'], { cwd: dir, env: CLEAN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('dataset "my-shop-bot", trace source otel/traces.jsonl (found otel/traces.jsonl)');
    for (const f of FILES) expect(existsSync(path.join(dir, f)), f).toBe(true);
    const config = readFileSync(path.join(dir, 'evals.config.yaml'), 'utf8');
    expect(config).toContain('datasets: [my-shop-bot@latest]');
    expect(config).toContain('npx evals snapshot otel/traces.jsonl --dataset my-shop-bot');
    for (const wf of ['evals.yml', 'evals-harvest.yml']) {
      const text = readFileSync(path.join(dir, '.github/workflows', wf), 'utf8');
      expect(validateWorkflow(text).errors, wf).toEqual([]);
    }
    const harvest = parse(readFileSync(path.join(dir, '.github/workflows/evals-harvest.yml'), 'utf8')) as { env: Record<string, string> };
    expect(harvest.env).toEqual({ EVALS_SOURCE: 'otel/traces.jsonl', EVALS_DATASET: 'my-shop-bot' });
  });

  it('never overwrites: a second init keeps every file as it is', async () => {
    const dir = project('again');
    expect((await runCli(['init', '--yes', '--dataset', 'support'], { cwd: dir, env: CLEAN })).code).toBe(0);
    writeFileSync(path.join(dir, 'evals.config.yaml'), 'datasets: [mine]\n');
    const r = await runCli(['init', '--yes'], { cwd: dir, env: CLEAN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('nothing to write: every file exists');
    expect(r.stdout.match(/exists, kept/g)).toHaveLength(FILES.length);
    expect(readFileSync(path.join(dir, 'evals.config.yaml'), 'utf8')).toBe('datasets: [mine]\n');
  });

  it('without --yes and no terminal to ask on, it writes nothing and says why (exit 2)', async () => {
    const dir = project('no-tty');
    const r = await runCli(['init'], { cwd: dir, env: CLEAN });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    for (const f of FILES) expect(existsSync(path.join(dir, f)), f).toBe(false);
  });

  it('detects Langfuse from its environment variables; a bad dataset name is exit 2', async () => {
    const dir = project('lf');
    const r = await runCli(['init', '--yes', '--dataset', 'support'], { cwd: dir, env: { ...CLEAN, LANGFUSE_PUBLIC_KEY: 'pk-lf-1', LANGFUSE_SECRET_KEY: 'sk-lf-1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'evals.config.yaml'), 'utf8')).toContain('# Trace source: langfuse:// (LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY are set)');
    expect(readFileSync(path.join(dir, '.github/workflows/evals-harvest.yml'), 'utf8')).toMatch(/EVALS_SOURCE: langfuse:\/\/\n/);
    const bad = await runCli(['init', '--yes', '--dataset', '../x'], { cwd: project('bad'), env: CLEAN });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid dataset name');
  });

  it("then the README's first steps run on what it wrote: snapshot, run, report", async () => {
    const dir = path.join(base, 'My Shop Bot');
    // As after `npm install --save-dev @evals-dev/evals`: the evaluator imports the package by name.
    mkdirSync(path.join(dir, 'node_modules/@evals-dev'), { recursive: true });
    symlinkSync(REPO, path.join(dir, 'node_modules/@evals-dev/evals'), 'dir');
    const snap = await runCli(['snapshot', 'otel/traces.jsonl', '--dataset', 'my-shop-bot', '--all'], { cwd: dir });
    expect(snap.code, snap.stderr).toBe(0);
    const list = await runCli(['datasets', 'list'], { cwd: dir });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('my-shop-bot');
    const run = await runCli(['run', '--run-id', 'first', '--quiet'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${fake.url}/v1` }, timeoutMs: 120_000 });
    // The candidate changes nothing and the fake's rules are deterministic: production replayed, a green gate.
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('gate: PASS');
    for (const f of ['report.html', 'summary.md', 'junit.xml', 'run.json']) expect(existsSync(path.join(dir, 'reports/first', f)), f).toBe(true);
    const results = readFileSync(path.join(dir, 'reports/first/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CaseResult);
    const scored = results.filter((x) => x.output !== null);
    expect(scored.length).toBeGreaterThan(0);
    expect(scored.every((x) => x.scores.some((s) => s.name === 'example' && s.pass))).toBe(true);
  });
});
