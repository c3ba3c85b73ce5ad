/**
 * Private by default: traces seeded with an e-mail, a card number, a phone number and API keys
 * are snapshotted and run; none of the values may appear in any file under datasets/ or
 * reports/. The same snapshot with --no-redact does contain them (so the check can fail).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { REPO, runCli } from '../support/cli.js';

const SECRETS = {
  email: 'jane.doe@example.com',
  card: '4111 1111 1111 1111',
  phone: '+1 415 555 0100',
  openai: 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z',
  github: 'ghp_0123456789abcdefghijABCDEFGHIJ012345',
};
const SEED = `My kettle arrived damaged. Reach me at ${SECRETS.email} or ${SECRETS.phone}; refund to card ${SECRETS.card}. Token ${SECRETS.openai} ${SECRETS.github}`;

let fake: FakeProvider;
let dir: string;

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const p = path.join(root, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function leaks(root: string): string[] {
  const found: string[] = [];
  for (const file of filesUnder(root)) {
    const text = readFileSync(file, 'utf8');
    for (const [kind, value] of Object.entries(SECRETS)) {
      if (text.includes(value) || text.includes(value.replace(/ /g, ''))) found.push(`${kind} in ${path.relative(dir, file)}`);
    }
  }
  return found;
}

beforeAll(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(path.join(tmpdir(), 'evals-privacy-'));
  // Real exported traces with the user's question replaced by one full of personal data.
  const src = readFileSync(path.join(REPO, 'test/fixtures/otlp/traceloop-openai.jsonl'), 'utf8');
  expect(src).toContain('My kettle arrived damaged');
  writeFileSync(path.join(dir, 'seeded.jsonl'), src.replaceAll('My kettle arrived damaged', SEED));
  writeFileSync(
    path.join(dir, 'evals.config.yaml'),
    `datasets: [support]\nproviders:\n  local: { type: openai, baseUrl: "${fake.url}/v1", apiKey: k }\nevaluators:\n  - type: similarity\n`,
  );
});

afterAll(async () => {
  await fake.close();
});

describe('redaction before anything is written', () => {
  it('keeps every seeded value out of datasets/ and reports/', async () => {
    const snap = await runCli(['snapshot', 'seeded.jsonl', '--dataset', 'support', '--all'], { cwd: dir });
    expect(snap.code, snap.stderr).toBe(0);
    expect(snap.stdout).toMatch(/redacted: .*email \d+/);
    // The fake's default replies differ from production's, so the gate fails (exit 1): that is not
    // what this test is about, only that the run wrote its reports.
    const run = await runCli(['run', '--run-id', 'r1'], { cwd: dir });
    expect(run.code, run.stderr + run.stdout).toBe(1);
    expect(readdirSync(path.join(dir, 'reports/r1'))).toEqual(expect.arrayContaining(['report.html', 'results.jsonl', 'run.json', 'summary.md', 'junit.xml']));
    expect(leaks(path.join(dir, 'datasets'))).toEqual([]);
    expect(leaks(path.join(dir, 'reports'))).toEqual([]);
    const scan = await runCli(['datasets', 'scan'], { cwd: dir });
    expect(scan.code).toBe(0);
    // Placeholders are deterministic: the same e-mail gives the same token everywhere.
    const cases = readdirSync(path.join(dir, 'datasets/support/cases')).map((f) => readFileSync(path.join(dir, 'datasets/support/cases', f), 'utf8'));
    const tokens = new Set(cases.join('\n').match(/<EMAIL_[0-9a-f]{8}>/g));
    expect(tokens.size).toBe(1);
  });

  it('stores the values only on explicit --no-redact, and scan then fails', async () => {
    const snap = await runCli(['snapshot', 'seeded.jsonl', '--dataset', 'raw', '--all', '--no-redact'], { cwd: dir });
    expect(snap.code, snap.stderr).toBe(0);
    expect(snap.stdout).toContain('redaction OFF');
    expect(leaks(path.join(dir, 'datasets/raw')).length).toBeGreaterThan(0);
    const scan = await runCli(['datasets', 'scan', 'raw'], { cwd: dir });
    expect(scan.code).toBe(1);
  });
});
