/**
 * A throw-away project for the hardening e2e tests: the refund-bot example traces snapshotted
 * into dataset `bot` (8 cases), and a config pointing at a fake provider.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

export const TRACES = path.join(REPO, 'examples/refund-bot/traces/production.jsonl');

/** Provider and run settings of {@link writeConfig}. */
export interface ProjectConfig {
  url: string;
  apiKey?: string;
  headers?: Record<string, string>;
  run?: string;
}

/** Writes `evals.config.yaml` for dataset `bot` into `dir`. */
export function writeConfig(dir: string, c: ProjectConfig): void {
  const headers = c.headers ? `, headers: ${JSON.stringify(c.headers)}` : '';
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    // These tests count calls and results: the recorded answer is the baseline (no replayed one).
    `datasets: [bot@latest]\nproviders:\n  local: { type: openai, baseUrl: "${c.url}/v1", apiKey: "${c.apiKey ?? 'k'}"${headers} }\nbaseline: recorded\nvariants:\n  - name: v\n    model: gpt-4o-mini\nevaluators:\n  - type: regex\n    pattern: "."\nrun:\n  cache: false\n${c.run ?? ''}`,
  );
}

/** A temp directory holding dataset `bot` and a config for `c`. */
export async function makeProject(c: ProjectConfig): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'evals-hard-'));
  const snap = await runCli(['snapshot', TRACES, '--dataset', 'bot', '--all'], { cwd: dir });
  expect(snap.code, snap.stderr).toBe(0);
  writeConfig(dir, c);
  return dir;
}
