/**
 * The three pipelines through the real CLI: `replay` answering tool calls from the recording
 * (and recording an unanswered call), `module` loading a TypeScript function with no build
 * step, `http` posting to a running service.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules, startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import type { CaseResult } from '../../src/runner/result.js';
import { REPO, runCli } from '../support/cli.js';

const TRACES = path.join(REPO, 'examples/refund-bot/traces/production.jsonl');
let fake: FakeProvider;
let dir: string;

function results(runId: string): CaseResult[] {
  return readFileSync(path.join(dir, 'reports', runId, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as CaseResult);
}

function writeConfig(body: string): void {
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [bot@latest]\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\nevaluators:\n  - type: not-tool-called\n    tool: issue_refund\n${body}`,
  );
}

beforeAll(async () => {
  fake = await startFakeProvider({ rules: await loadRules(path.join(REPO, 'examples/refund-bot/rules.json')) });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-pipelines-'));
  const snap = await runCli(['snapshot', TRACES, '--dataset', 'bot', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
});

afterAll(async () => {
  await fake.close();
});

describe('replay', () => {
  it('answers tool calls from the recorded results and runs the loop to the final answer', async () => {
    // The errored trace captured no model call: naming the model makes it replayable too.
    writeConfig('variants:\n  - name: candidate\n    model: gpt-4o-mini\n');
    const r = await runCli(['run', '--run-id', 'replay', '--no-cache'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const order = results('replay').find((x) => x.output?.includes('A1001'))!;
    expect(order.toolCalls?.map((c) => c.name)).toEqual(['lookup_order']);
    const tool = order.steps?.find((s) => s.step?.type === 'tool');
    expect(tool?.status).toBe('ok');
    expect(tool?.step).toMatchObject({ type: 'tool', name: 'lookup_order', arguments: { order_id: 'A1001' } });
    expect(JSON.stringify(tool?.step)).toContain('UPS');
    expect(order.steps?.filter((s) => s.step?.type === 'llm')).toHaveLength(2);
  });

  it('records a tool call that has no recorded answer and stops there', async () => {
    // The injection case: production called issue_refund and got an answer; with a prompt that
    // makes the model look up another order, there is nothing recorded to answer with.
    const rules = path.join(dir, 'rules.yaml');
    writeFileSync(rules, 'rules:\n  - when: { system: "LOOKUP-EVERYTHING", hasToolResult: false }\n    reply: { toolCalls: [{ name: lookup_order, arguments: { order_id: "Z9" } }] }\n');
    const other = await startFakeProvider({ rules: await loadRules(rules) });
    try {
      writeConfig(`variants:\n  - name: lookup\n    model: gpt-4o-mini\n    systemPrompt: LOOKUP-EVERYTHING\n`);
      const cfg = readFileSync(path.join(dir, 'evals.config.yaml'), 'utf8').replace(fake.url, other.url);
      writeFileSync(path.join(dir, 'evals.config.yaml'), cfg);
      const r = await runCli(['run', '--run-id', 'unanswered', '--no-cache'], { cwd: dir });
      // Gate aside (the model now asks for an order nobody recorded), the run completes.
      expect([0, 1], r.stderr + r.stdout).toContain(r.code);
      const any = results('unanswered').find((x) => x.toolCalls?.length)!;
      const tool = any.steps?.find((s) => s.step?.type === 'tool');
      expect(tool?.status).toBe('error');
      expect(tool?.step).toMatchObject({ type: 'tool', name: 'lookup_order', error: { type: 'unanswered' } });
      expect(any.steps?.filter((s) => s.step?.type === 'llm')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('module', () => {
  it('loads a TypeScript pipeline without a build step and gives it providers and the captured context', async () => {
    writeFileSync(
      path.join(dir, 'pipeline.ts'),
      `import type { ModuleFunction } from ${JSON.stringify(path.join(REPO, 'src/pipelines/module.ts'))};
const run: ModuleFunction = async (input, ctx) => {
  const docs = ctx.captured.documents();
  const res = await ctx.provider().complete({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Customer question: ' + (input.query ?? '') }],
    params: {},
  });
  ctx.recordStep({ spanId: 'm1', name: 'my step', durationMs: 1, status: 'ok' });
  const n: number = docs.length;
  return { output: 'docs=' + n + ' ' + (res.content ?? '') };
};
export default run;
`,
    );
    writeConfig(`pipeline:\n  type: module\n  path: ./pipeline.ts\n`);
    const r = await runCli(['run', '--run-id', 'module'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const rs = results('module');
    expect(rs).toHaveLength(8);
    const refund = rs.find((x) => x.output?.includes('5-7 business days'));
    expect(refund?.output).toMatch(/^docs=\d+ /);
    expect(refund?.steps?.some((s) => s.name === 'my step')).toBe(true);
    expect(refund?.usage?.inputTokens).toBeGreaterThan(0);
  });

  it('names the file and export when the module has no function', async () => {
    writeFileSync(path.join(dir, 'empty.ts'), 'export const x = 1;\n');
    writeConfig(`pipeline:\n  type: module\n  path: ./empty.ts\n`);
    const r = await runCli(['run', '--run-id', 'module-bad'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('empty.ts');
    expect(r.stderr).toContain('pipeline.export');
  });
});

describe('http', () => {
  let server: Server;
  const seen: unknown[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { caseId: string; input: { query?: string } };
        seen.push(parsed);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { answer: `service says: ${parsed.input.query ?? ''}` } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts each case to the service and reads the answer at outputPath', async () => {
    const port = (server.address() as AddressInfo).port;
    writeConfig(`pipeline:\n  type: http\n  url: http://127.0.0.1:${port}/answer\n  outputPath: data.answer\n`);
    const r = await runCli(['run', '--run-id', 'http'], { cwd: dir });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const rs = results('http');
    expect(rs).toHaveLength(8);
    expect(seen).toHaveLength(8);
    expect(rs.every((x) => x.output?.startsWith('service says: '))).toBe(true);
  });
});
