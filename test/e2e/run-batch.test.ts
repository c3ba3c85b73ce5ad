/**
 * `evals run --batch` against the fake provider's batch APIs, through the built CLI: an OpenAI
 * and an Anthropic provider each get one batch; the answers become normal result lines (priced
 * at half, `batch: true`), land in the cache (a second run submits nothing) and the reports show
 * the saving. Faults: a request the batch errors is that case's error; an expired batch's
 * unfinished half goes live. Killed after submitting (SIGKILL, SIGTERM), `--resume` re-attaches
 * to the recorded batch ids without submitting again.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider, type FakeProviderOptions } from '../../src/fake-provider/index.js';
import { CLI, REPO, runCli } from '../support/cli.js';

const TRACES = path.join(REPO, 'examples/refund-bot/traces/production.jsonl');

interface Line {
  caseId: string;
  variant: string;
  output: string | null;
  costUsd?: number;
  batch?: boolean;
  cached?: boolean;
  provider?: string;
  error?: { message: string; source?: string };
}
interface RunJson {
  status: string;
  costUsd: number;
  batch?: { savedUsd: number; answered: number; errored: number; unfinished: number; batches: Array<{ id: string }> };
}

const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
function lines(file: string): Line[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Line);
}
const liveCalls = (fake: FakeProvider): number => fake.requests.filter((r) => r.path === '/v1/chat/completions' || r.path === '/v1/messages').length;

/** A project with the refund-bot dataset and two variants: one per provider. */
async function project(fake: FakeProvider, extra = ''): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'evals-batch-'));
  const snap = await runCli(['snapshot', TRACES, '--dataset', 'bot', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [bot@latest]
providers:
  oa: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }
  claude: { type: anthropic, baseUrl: "${fake.url}", apiKey: k }
variants:
  - { name: gpt, provider: oa, model: gpt-4o-mini }
  - { name: haiku, provider: claude, model: claude-haiku-4-5 }
evaluators:
  - type: regex
    pattern: "."
${extra}`,
  );
  return dir;
}

const fakes: FakeProvider[] = [];
async function fakeWith(opts: FakeProviderOptions): Promise<FakeProvider> {
  const f = await startFakeProvider({ maxRecorded: 10_000, ...opts });
  fakes.push(f);
  return f;
}
afterAll(async () => {
  for (const f of fakes) await f.close();
});

describe('evals run --batch', () => {
  let fake: FakeProvider;
  let dir: string;
  beforeAll(async () => {
    // Long enough that a poll sees the batch in progress even on a loaded machine.
    fake = await fakeWith({ batch: { delayMs: 1000 } });
    dir = await project(fake);
  });

  it('answers every replay call through one batch per provider, at half price, and reports the saving', async () => {
    const r = await runCli(['run', '--batch', '--batch-poll', '0.05', '--run-id', 'b1'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(fake.batches.created).toBe(2);
    expect(liveCalls(fake)).toBe(0);
    expect(r.stderr).toMatch(/batch oa batch_fake_\d+: in_progress/);
    expect(r.stderr).toMatch(/batch claude msgbatch_fake_\d+: ended 8\/8 done/);
    const res = lines(path.join(dir, 'reports/b1/results.jsonl'));
    expect(res).toHaveLength(16);
    expect(res.every((x) => x.batch === true && !x.cached && (x.costUsd ?? 0) > 0 && !x.error)).toBe(true);
    expect(res.filter((x) => x.variant === 'gpt').every((x) => x.output?.startsWith('[fake:gpt-4o-mini]') && x.provider === 'oa')).toBe(true);
    expect(res.filter((x) => x.variant === 'haiku').every((x) => x.output?.startsWith('[fake:claude-haiku-4-5]') && x.provider === 'claude')).toBe(true);

    const run = read<RunJson>(path.join(dir, 'reports/b1/run.json'));
    expect(run.batch).toMatchObject({ answered: 16, errored: 0, unfinished: 0 });
    // Half price: what was paid is what was saved.
    expect(run.batch!.savedUsd).toBeCloseTo(run.costUsd, 10);
    const saved = `$${run.batch!.savedUsd.toFixed(4)}`;
    expect(readFileSync(path.join(dir, 'reports/b1/summary.md'), 'utf8')).toContain(`saved **${saved} by batch**`);
    expect(readFileSync(path.join(dir, 'reports/b1/report.html'), 'utf8')).toContain(`(saved ${saved} by batch)`);
    expect(r.stdout).toContain(`saved ${saved} by batch`);

    // The same calls live cost twice as much.
    const live = await runCli(['run', '--no-cache', '--run-id', 'live'], { cwd: dir });
    expect(live.code, live.stderr).toBe(0);
    expect(read<RunJson>(path.join(dir, 'reports/live/run.json')).costUsd).toBeCloseTo(2 * run.costUsd, 10);
  }, 120_000);

  it('a second run is answered by the cache: no batch, no call', async () => {
    const before = { batches: fake.batches.created, live: liveCalls(fake) };
    const r = await runCli(['run', '--batch', '--batch-poll', '0.05', '--run-id', 'b2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(fake.batches.created).toBe(before.batches);
    expect(liveCalls(fake)).toBe(before.live);
    expect(lines(path.join(dir, 'reports/b2/results.jsonl')).every((x) => x.cached === true && x.batch === undefined)).toBe(true);
  }, 60_000);
});

describe('evals run --batch with batch faults', () => {
  it('an errored request is its case error; an expired batch sends its unfinished requests live', async () => {
    // Batch 2 (Anthropic's) expires: its second half never runs. The gift-card case ("… my order A1002?") errors in OpenAI's batch.
    const fake = await fakeWith({ batch: { delayMs: 100, errorWhen: 'order A1002', expire: [2] } });
    const dir = await project(fake);
    const r = await runCli(['run', '--batch', '--batch-poll', '0.05', '--run-id', 'f1'], { cwd: dir });
    expect([0, 1], r.stderr + r.stdout).toContain(r.code);
    const res = lines(path.join(dir, 'reports/f1/results.jsonl')).filter((x) => x.variant === 'gpt' || x.variant === 'haiku');
    const errored = res.filter((x) => x.error);
    expect(errored).toHaveLength(1);
    expect(errored[0]).toMatchObject({ variant: 'gpt', error: { source: 'provider' } });
    expect(errored[0]!.error!.message).toMatch(/batch.*Injected batch request error/);
    // Expired half: 4 Anthropic requests went live (and answered), the rest came from batches.
    expect(fake.requests.filter((q) => q.path === '/v1/messages').length).toBe(4);
    expect(res.filter((x) => x.variant === 'haiku' && x.batch).length).toBe(4);
    expect(res.filter((x) => x.variant === 'haiku' && !x.error).length).toBe(8);
    expect(read<RunJson>(path.join(dir, 'reports/f1/run.json')).batch).toMatchObject({ answered: 12, errored: 1, unfinished: 4 });
  }, 120_000);
});

describe('evals run --batch with a budget', () => {
  it('batch answers are paid up front: --max-cost bounds live calls only and skips no answered case', async () => {
    const fake = await fakeWith({ batch: { delayMs: 50 } });
    const dir = await project(fake);
    const r = await runCli(['run', '--batch', '--batch-poll', '0.05', '--max-cost', '0.000001', '--run-id', 'm1'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const res = lines(path.join(dir, 'reports/m1/results.jsonl'));
    expect(res).toHaveLength(16);
    expect(res.every((x) => x.batch === true && !x.error)).toBe(true);
  }, 60_000);
});

describe('evals run --batch in shards, then merge', () => {
  it("the merged run.json adds up the shards' batches and savings", async () => {
    const fake = await fakeWith({ batch: { delayMs: 50 } });
    const dir = await project(fake);
    for (const i of [1, 2]) {
      const r = await runCli(['run', '--batch', '--batch-poll', '0.05', '--shard', `${i}/2`, '--run-id', `s${i}`], { cwd: dir });
      expect([0, 1], r.stderr + r.stdout).toContain(r.code);
    }
    const m = await runCli(['merge', 'reports/s1', 'reports/s2', '--out', 'reports/all'], { cwd: dir });
    expect([0, 1], m.stderr + m.stdout).toContain(m.code);
    const shards = [1, 2].map((i) => read<RunJson>(path.join(dir, `reports/s${i}/run.json`)).batch!);
    const merged = read<RunJson>(path.join(dir, 'reports/all/run.json'));
    expect(merged.batch!.answered).toBe(16);
    expect(merged.batch!.batches).toHaveLength(shards[0]!.batches.length + shards[1]!.batches.length);
    expect(merged.batch!.savedUsd).toBeCloseTo(shards[0]!.savedUsd + shards[1]!.savedUsd, 10);
    expect(readFileSync(path.join(dir, 'reports/all/summary.md'), 'utf8')).toContain(`saved **$${merged.batch!.savedUsd.toFixed(4)} by batch**`);
  }, 120_000);
});

describe('evals run --batch with tool rounds', () => {
  it("batches a replay's first call; the tool round after it goes live", async () => {
    const fake = await fakeWith({
      batch: { delayMs: 50 },
      rules: [
        { when: { hasToolResult: true }, reply: { content: 'It shipped with UPS.' } },
        { when: { user: 'Where is my order A1001' }, reply: { toolCalls: [{ name: 'lookup_order', arguments: { order_id: 'A1001' } }] } },
      ],
    });
    const dir = await project(fake);
    const r = await runCli(['run', '--batch', '--batch-poll', '0.05', '--run-id', 't1'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(fake.batches.created).toBe(2);
    // One case asks for a tool: its second call goes live, once per provider.
    expect(fake.requests.filter((q) => q.path === '/v1/chat/completions').length).toBe(1);
    expect(fake.requests.filter((q) => q.path === '/v1/messages').length).toBe(1);
    const res = lines(path.join(dir, 'reports/t1/results.jsonl'));
    const tooled = res.filter((x) => x.output === 'It shipped with UPS.');
    expect(tooled.map((x) => x.variant).sort()).toEqual(['gpt', 'haiku']);
    expect(tooled.every((x) => x.batch === true)).toBe(true);
  }, 120_000);
});

describe('evals run --batch killed after submitting, then --resume', () => {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal}: re-attaches to the recorded batches without submitting again`, async () => {
      const fake = await fakeWith({ batch: { delayMs: 2500 } });
      const dir = await project(fake);
      const state = path.join(dir, 'reports/k1/batches.json');
      const child = spawn(process.execPath, [CLI, 'run', '--batch', '--batch-poll', '0.05', '--run-id', 'k1', '--quiet'], { cwd: dir, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const deadline = Date.now() + 30_000;
      const recorded = (): number => (existsSync(state) ? read<{ batches: unknown[] }>(state).batches.length : 0);
      while (recorded() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(recorded()).toBe(2);
      child.kill(signal);
      const code = await exited;
      expect(fake.batches.created).toBe(2);
      expect(lines(path.join(dir, 'reports/k1/results.jsonl'))).toHaveLength(0);
      if (signal === 'SIGTERM') {
        expect(code).toBe(3);
        expect(read<RunJson>(path.join(dir, 'reports/k1/run.json')).status).toBe('interrupted');
      }

      const r = await runCli(['run', '--resume', 'reports/k1', '--batch-poll', '0.05'], { cwd: dir });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(r.stderr).toContain('16 in 2 batch(es) already submitted');
      expect(fake.batches.created).toBe(2);
      expect(liveCalls(fake)).toBe(0);
      const res = lines(path.join(dir, 'reports/k1/results.jsonl'));
      expect(res).toHaveLength(16);
      expect(res.every((x) => x.batch === true)).toBe(true);
      const run = read<RunJson>(path.join(dir, 'reports/k1/run.json'));
      expect(run.status).toBe('completed');
      expect(run.batch?.batches.map((b) => b.id).sort()).toEqual(['batch_fake_1', 'msgbatch_fake_2']);
    }, 120_000);
  }
});
