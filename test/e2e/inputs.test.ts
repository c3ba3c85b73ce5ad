/**
 * What users pass as trace input, and how bad input ends: directories, quoted globs, `-`,
 * gzip, a UTF-8 BOM; OTLP protobuf, empty files, GenAI-free traces, hostile nesting and parent
 * chains, config paths that are not files — each an exit 2 naming the file (never exit 3, a
 * stack trace or a hang); output piped to `head` ends quietly; datasetsDir and
 * EVALS_DATASETS_DIR are honoured by snapshot and datasets; flags are range-checked.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { TRACES } from './hardening-project.js';

let dir: string;
const text = readFileSync(TRACES, 'utf8');

/** `n` copies of the example traces with fresh trace ids. */
function manyTraces(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(text.replace(/"traceId":"([0-9a-f]{24})[0-9a-f]{8}"/g, (_m, head: string) => `"traceId":"${head}${i.toString(16).padStart(8, '0')}"`));
  return out.join('');
}

function otlp(spans: object[]): string {
  return `${JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans }] }] })}\n`;
}

function bash(script: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, CLI } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function expectInputError(r: { code: number; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/internal error|This is a bug|\n\s+at .*:\d+:\d+/);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'evals-inputs-'));
  mkdirSync(path.join(dir, 'export/day1'), { recursive: true });
  copyFileSync(TRACES, path.join(dir, 'export/day1/spans.jsonl'));
  writeFileSync(path.join(dir, 'export/notes.txt'), 'not a trace');
  writeFileSync(path.join(dir, 'traces.jsonl.gz'), gzipSync(text));
  writeFileSync(path.join(dir, 'bom.jsonl'), `\uFEFF${text}`);
  writeFileSync(path.join(dir, 'empty.jsonl'), '');
  writeFileSync(path.join(dir, 'spans.pb'), Buffer.from([0x0a, 0x8c, 0x01, 0x0a, 0x00, 0x12, 0x05]));
  writeFileSync(path.join(dir, 'binary.json'), Buffer.from([0x0a, 0x8c, 0x01, 0x0a, 0x00, 0x12, 0x05, 0x7b]));
  writeFileSync(path.join(dir, 'many.jsonl'), manyTraces(130));
  const t0 = 1_700_000_000_000_000_000n;
  const span = (i: number, extra: object = {}) => ({ traceId: 'c'.repeat(32), spanId: (i + 1).toString(16).padStart(16, '0'), name: `s${i}`, startTimeUnixNano: String(t0 + BigInt(i)), endTimeUnixNano: String(t0 + BigInt(i) + 10n), ...extra });
  writeFileSync(path.join(dir, 'plain.jsonl'), otlp([span(0, { attributes: [{ key: 'http.route', value: { stringValue: '/health' } }] })]));
  writeFileSync(path.join(dir, 'chain.jsonl'), otlp(Array.from({ length: 6000 }, (_, i) => span(i, i > 0 ? { parentSpanId: i.toString(16).padStart(16, '0') } : {}))));
  writeFileSync(path.join(dir, 'deep.jsonl'), `${'['.repeat(200_000)}${']'.repeat(200_000)}\n`);
  const deepValue = `${'{"arrayValue":{"values":['.repeat(5000)}{"stringValue":"x"}${']}}'.repeat(5000)}`;
  writeFileSync(path.join(dir, 'deep-attr.jsonl'), otlp([span(0, { attributes: [{ key: 'k', value: 'DEEP' }] })]).replace('"DEEP"', deepValue));
});

describe('trace inputs', () => {
  it('reads a directory recursively, a quoted glob, stdin, gzip and a BOM', async () => {
    for (const input of ['export', 'export/**/*.jsonl', 'traces.jsonl.gz', 'bom.jsonl']) {
      const r = await runCli(['inspect', input], { cwd: dir });
      expect(r.code, `${input}: ${r.stderr}`).toBe(0);
      expect(r.stdout, input).toMatch(/^8 traces;/);
    }
    const stdin = bash(`cat traces.jsonl.gz | node "$CLI" inspect -`);
    expect(stdin.code, stdin.stderr).toBe(0);
    expect(stdin.stdout).toMatch(/^8 traces;/);
  });

  it.each([
    [['inspect', 'spans.pb'], /OTLP protobuf\?\) is not supported[\s\S]*export OTLP JSON/],
    [['inspect', 'binary.json'], /not supported[\s\S]*export OTLP JSON/],
    [['inspect', 'empty.jsonl'], /empty\.jsonl: the trace file is empty/],
    [['snapshot', 'empty.jsonl', '-d', 'x', '--all'], /empty\.jsonl: the trace file is empty/],
    [['inspect', 'export/*.jsonl'], /no file matches the pattern/],
    [['inspect', 'deep.jsonl', '--format', 'otlp'], /deep\.jsonl, line 1: JSON nested too deeply/],
    [['inspect', 'deep-attr.jsonl'], /deep-attr\.jsonl, line 1: JSON nested too deeply/],
    [['snapshot', 'plain.jsonl', '-d', 'x', '--all'], /no trace with a model call to capture[\s\S]*CAPTURE_MESSAGE_CONTENT/],
    [['run', '-c', 'export'], /export: the config is not a regular file/],
    [['run', '-c', '/dev/zero'], /the config is not a regular file/],
  ])('%j is exit 2 with a clear message', async (args, pattern) => {
    expectInputError(await runCli(args, { cwd: dir, timeoutMs: 20_000 }), pattern);
    expect(existsSync(path.join(dir, 'datasets/x'))).toBe(false);
  });

  it('warns about a GenAI-free trace among good ones and captures only the good ones', async () => {
    const r = await runCli(['snapshot', 'plain.jsonl', 'export/day1/spans.jsonl', '-d', 'mixed', '--all', '--json', '--dry-run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/trace c{32} has no GenAI spans.*not captured/);
    const cases = JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf(']') + 1)) as Array<{ input: { messages: unknown[] } }>;
    expect(cases).toHaveLength(8);
    for (const c of cases) expect(c.input.messages.length).toBeGreaterThan(0);
  });

  it('shows a parent chain 6000 spans deep without overflowing', async () => {
    const r = await runCli(['inspect', 'chain.jsonl'], { cwd: dir, timeoutMs: 20_000 });
    expect(r.code, r.stderr.slice(0, 500)).toBe(0);
    expect(r.stdout).toMatch(/\[depth 5999\] s5999/);
  });

  it('says when the trace listing is cut', async () => {
    const r = await runCli(['inspect', 'many.jsonl'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^first 1000 traces \(more not listed\)/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1001);
  });
});

describe('output piped to head', () => {
  it('ends quietly with exit 0 for inspect, snapshot --json, datasets show and verify', async () => {
    const snap = await runCli(['snapshot', 'many.jsonl', '-d', 'big', '--all'], { cwd: dir, timeoutMs: 60_000 });
    expect(snap.code, snap.stderr).toBe(0);
    for (const cmd of ['inspect many.jsonl', 'inspect many.jsonl --json', 'snapshot many.jsonl -d big --all --json --dry-run', 'datasets show big', 'datasets show big --json', 'datasets verify']) {
      const r = bash(`node "$CLI" ${cmd} | head -c 10 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`);
      expect(r.stderr, cmd).toMatch(/exit=0/);
      expect(r.stderr, cmd).not.toMatch(/EPIPE|internal error/);
    }
  }, 120_000);
});

describe('datasets directory', () => {
  it('follows the config datasetsDir, and EVALS_DATASETS_DIR over it, in snapshot and datasets', async () => {
    const proj = mkdtempSync(path.join(tmpdir(), 'evals-root-'));
    writeFileSync(path.join(proj, 'evals.config.yaml'), 'datasetsDir: data/sets\n');
    const snap = await runCli(['snapshot', TRACES, '-d', 'bot', '--all'], { cwd: proj });
    expect(snap.code, snap.stderr).toBe(0);
    expect(existsSync(path.join(proj, 'data/sets/bot'))).toBe(true);
    expect(existsSync(path.join(proj, 'datasets'))).toBe(false);
    const list = await runCli(['datasets', 'list'], { cwd: proj });
    expect(list.stdout).toMatch(/bot/);
    const env = { EVALS_DATASETS_DIR: path.join(proj, 'elsewhere') };
    const snap2 = await runCli(['snapshot', TRACES, '-d', 'envbot', '--all'], { cwd: proj, env });
    expect(snap2.code, snap2.stderr).toBe(0);
    expect(readdirSync(path.join(proj, 'elsewhere'))).toEqual(['envbot']);
    const list2 = await runCli(['datasets', 'list'], { cwd: proj, env });
    expect(list2.stdout).toMatch(/envbot/);
    expect(list2.stdout).not.toMatch(/\bbot\b/);
  });
});

describe('flags and curation checked up front', () => {
  it('refuses --concurrency over the cap and --max-cost 0 before anything runs', async () => {
    writeFileSync(path.join(dir, 'evals.config.yaml'), 'datasets: [big@latest]\nproviders:\n  p: { type: openai, baseUrl: "http://127.0.0.1:9/v1", apiKey: k }\nvariants:\n  - name: v\n    model: m\nevaluators:\n  - type: regex\n    pattern: "."\n');
    expectInputError(await runCli(['run', '--concurrency', '99999'], { cwd: dir }), /--concurrency must be a positive integer up to 1000/);
    expectInputError(await runCli(['run', '--max-cost', '0'], { cwd: dir }), /--max-cost must be more than 0/);
    expect(existsSync(path.join(dir, 'reports'))).toBe(false);
  });

  it('rejects an unknown assertion type without writing a version; names an ambiguous id prefix', async () => {
    const before = (await runCli(['datasets', 'log', 'big', '--json'], { cwd: dir })).stdout;
    const r = await runCli(['datasets', 'assert', 'big', 'c_', '{"type":"nope"}'], { cwd: dir });
    expectInputError(r, /unknown evaluator "nope"/);
    expect((await runCli(['datasets', 'log', 'big', '--json'], { cwd: dir })).stdout).toBe(before);
    const amb = await runCli(['datasets', 'assert', 'big', 'c_', '{"type":"contains","value":"x"}'], { cwd: dir });
    expectInputError(amb, /case id prefix "c_" is ambiguous/);
  });

  it('writes nothing for datasets export into a missing directory (exit 2)', async () => {
    expectInputError(await runCli(['datasets', 'export', 'big', '-o', '/nonexistent/dir/f.jsonl'], { cwd: dir }), /cannot write the export file[\s\S]*does not exist/);
  });

  it('removes temp files of killed writers at the next write', async () => {
    const cases = path.join(dir, 'datasets/big/cases');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const leftover = path.join(cases, `.c_x.json.tmp-${dead}-abcd1234`);
    writeFileSync(leftover, '{');
    expect((await runCli(['datasets', 'verify', 'big'], { cwd: dir })).stdout + '').toMatch(/temporary file/);
    const w = await runCli(['snapshot', TRACES, '-d', 'big', '--all'], { cwd: dir });
    expect(w.code, w.stderr).toBe(0);
    expect(existsSync(leftover)).toBe(false);
  });
});
