/**
 * The repository is its own first user: its committed dataset verifies and holds no PII, and
 * `npm run demo` (the README's first command) writes the four reports and exits 0.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../support/cli.js';

describe('the bundled example suite', () => {
  it('datasets/refund-bot verifies and scans clean', async () => {
    const verify = await runCli(['datasets', 'verify', 'refund-bot'], { cwd: REPO });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const scan = await runCli(['datasets', 'scan', 'refund-bot'], { cwd: REPO });
    expect(scan.code, scan.stdout).toBe(0);
    const log = await runCli(['datasets', 'log', 'refund-bot'], { cwd: REPO });
    expect(log.stdout).toContain('INC-2047');
  });

  it('the demo runs offline, writes the four reports and exits 0', async () => {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO, 'examples/refund-bot/demo.mjs')], { cwd: REPO, env: { ...process.env, CI: 'true' }, stdio: 'ignore' });
      child.on('close', (c) => resolve(c ?? -1));
    });
    expect(code).toBe(0);
    const out = path.join(REPO, 'reports/demo');
    for (const f of ['report.html', 'summary.md', 'junit.xml', 'run.json']) expect(existsSync(path.join(out, f)), f).toBe(true);
    const run = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as { comparison: { gate: { status: string }; cases: Array<{ verdict: string; incident?: string; variant: string }> } };
    expect(run.comparison.gate.status).toBe('pass');
    const incident = run.comparison.cases.find((c) => c.incident === 'INC-2047' && c.variant === 'fixed-prompt');
    expect(incident?.verdict).toBe('fixed');
  }, 120_000);
});
