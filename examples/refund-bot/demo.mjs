#!/usr/bin/env node
// The offline demo: incident trace → dataset → re-run with a changed prompt → report.
// Starts the local fake provider (no API key, no network), works in a scratch workspace
// (.evals/demo) so the repository's own datasets stay as committed, and writes the reports
// to reports/demo/. Exit code: the one `evals run` returns (0 when the gate passes).
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/cli/main.js');
const traces = 'examples/refund-bot/traces/production.jsonl';
const workspace = path.join(repo, '.evals/demo');
const datasets = path.join(workspace, 'datasets');

const { startFakeProvider, loadRules } = await import(path.join(repo, 'dist/fake-provider/index.js'));
const fake = await startFakeProvider({ rules: await loadRules(path.join(repo, 'examples/refund-bot/rules.json')), latencyMs: 40 });
const env = { ...process.env, EVALS_OPENAI_BASE_URL: `${fake.url}/v1`, EVALS_DATASETS_DIR: datasets };

// Asynchronous on purpose: the fake provider lives in this process and must keep answering.
function evals(args, { capture = false } = {}) {
  console.log(`\n$ evals ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repo, env, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
    let stdout = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

let code = 0;
try {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(path.join(repo, 'reports/demo'), { recursive: true, force: true });
  mkdirSync(datasets, { recursive: true });

  // 1. What happened in production: the traces, and the one the user complained about.
  const listed = await evals(['inspect', traces, '--json'], { capture: true });
  const all = JSON.parse(listed.stdout);
  const incident = all.find((t) => t.feedback.some((f) => /refund policy/i.test(f.comment ?? '')));
  if (!incident) throw new Error('the demo traces hold no refund-policy complaint');
  await evals(['inspect', traces, '--trace', incident.traceId]);

  // 2. Incident → case: everything users flagged, then the incident itself, then a sample of good traffic.
  const snap = ['snapshot', traces, '--dataset', 'refund-bot', '--root', datasets];
  for (const args of [
    [...snap, '--flagged', '--note', 'flagged by users or errors'],
    [...snap, '--trace', incident.traceId, '--incident', 'INC-2047', '--note', 'wrong refund time quoted to a customer'],
    [...snap, '--all', '--note', 'sampled production traffic'],
  ]) {
    const r = await evals(args);
    if (r.status !== 0) throw new Error(`snapshot failed with exit code ${r.status}`);
  }
  await evals(['datasets', 'log', 'refund-bot', '--root', datasets]);

  // 3. CI: re-run with the production prompt and with the fixed prompt, compare, gate, report.
  const run = await evals(['run', '--run-id', 'demo']);
  code = run.status ?? 3;
  console.log(`\nDemo finished: evals run exited with ${code} (0 = gate passed).`);
  console.log(`Open ${path.join('reports', 'demo', 'report.html')} in a browser; summary.md is the PR comment.`);
} finally {
  await fake.close();
}
process.exitCode = code;
