/**
 * Fuzzed trace lines: OTLP/JSON records produced by real instrumentations (test/fixtures/otlp),
 * mutated as JSON and as text, read by `inspect` and captured by `snapshot --dry-run`. Bad
 * records are exit 2 naming the file and the line; a few cases go through the real executable.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inspectCommand } from '../../src/cli/inspect.js';
import { snapshotCommand } from '../../src/cli/snapshot.js';
import { REPO, runCli } from '../support/cli.js';
import { expectClean, guarded, mutateJson, mutateText, quietly, rng } from './fuzz-harness.js';

const FIXTURES = ['traceloop-openai.jsonl', 'openinference-openai.jsonl', 'otel-contrib-openai.jsonl', 'langfuse-otel.jsonl'].map((f) =>
  readFileSync(path.join(REPO, 'test/fixtures/otlp', f), 'utf8').split('\n').filter((l) => l.trim()),
);
const CASES = 120;
const sink = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

function mutatedFile(rnd: () => number): string {
  const lines = [...FIXTURES[Math.floor(rnd() * FIXTURES.length)]!];
  for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) {
    const i = Math.floor(rnd() * lines.length);
    const line = lines[i]!;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined; // an earlier text edit broke it: edit it as text again
    }
    lines[i] = parsed !== undefined && rnd() < 0.6 ? JSON.stringify(mutateJson(parsed, rnd)) : mutateText(line, rnd);
  }
  return `${lines.join('\n')}\n`;
}

describe('fuzz: trace lines', () => {
  it(`${CASES} mutated trace files end in exit 0 or a located exit 2 in inspect and snapshot`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-fuzz-traces-'));
    const config = path.join(dir, 'evals.config.yaml');
    writeFileSync(config, 'snapshot:\n  flagged: { error: true }\n');
    const rnd = rng(7);
    await quietly(async () => {
      for (let i = 0; i < CASES; i++) {
        const text = mutatedFile(rnd);
        const file = path.join(dir, `t${i}.jsonl`);
        writeFileSync(file, text);
        expectClean(await guarded(() => inspectCommand([file], { config }, sink())), file, text);
        expectClean(await guarded(() => snapshotCommand([file], { dataset: 'fuzz', all: true, dryRun: true, json: true, config }, sink())), file, text);
      }
    });
  }, 60_000);

  it('the executable agrees on a few cases (exit code, no stack trace)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-fuzz-cli-'));
    const rnd = rng(99);
    for (let i = 0; i < 3; i++) {
      const text = mutatedFile(rnd);
      writeFileSync(path.join(dir, `t${i}.jsonl`), text);
      const r = await runCli(['inspect', `t${i}.jsonl`], { cwd: dir, timeoutMs: 15_000 });
      expect([0, 2], r.stderr).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    }
  }, 60_000);
});
