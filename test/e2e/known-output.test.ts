/**
 * The fast path of `evals --help` (src/cli/known-output.ts) prints exactly what commander
 * prints: every recorded argument vector is run through the built executable with the fast
 * path (default) and without it (EVALS_NO_KNOWN_OUTPUT=1, commander), and the outputs and exit
 * codes must be equal. The recorded file is rebuilt from the program by the test setup, so a
 * changed option table cannot leave a stale text behind.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KnownOutputFile } from '../../src/cli/known-output.js';
import { CLI, REPO, runCli } from '../support/cli.js';

const file = JSON.parse(readFileSync(path.join(REPO, 'dist/cli/known-output.json'), 'utf8')) as KnownOutputFile;
const recorded = Object.keys(file.outputs);

describe('evals --help fast path', () => {
  it('records the top-level help, the version and every command but datasets', () => {
    for (const key of ['', '--help', '-h', '--version', '-v', 'run --help', 'snapshot -h', 'init --help']) expect(recorded).toContain(key);
    expect(recorded).not.toContain('datasets --help'); // its help comes from its own program, loaded when it runs
    expect(file.outputs['']).toMatchObject({ stdout: '', exitCode: 2 });
    expect(file.outputs['']!.stderr).toBe(file.outputs['--help']!.stdout);
  });

  // Plus a few the fast path does not answer, to show the comparison tells them apart.
  const argvs = [...recorded.map((k) => (k ? k.split(' ') : [])), ['datasets', '--help'], ['help', 'run'], ['run', '--bogus']];
  it.each(argvs.map((a) => [a.join(' ') || '(no arguments)', a] as const))('%s: same output and exit code as commander', async (_name, argv) => {
    const cwd = REPO;
    const [fast, commander] = await Promise.all([runCli(argv, { cwd }), runCli(argv, { cwd, env: { EVALS_NO_KNOWN_OUTPUT: '1' } })]);
    expect(fast).toEqual(commander);
    expect(fast.stdout + fast.stderr).not.toBe('');
  });

  it('answers --help without loading commander or the program', () => {
    const hooks = `export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('LOADED ' + r.url + '\\n'); return r; }`;
    const script = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
process.argv = [process.argv[0], ${JSON.stringify(CLI)}, '--help'];
await import(${JSON.stringify(new URL(`file://${CLI}`).href)});`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
    expect(child.stdout).toBe(file.outputs['--help']!.stdout);
    const loaded = child.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
    expect(loaded.some((u) => u.endsWith('/dist/cli/known-output.js'))).toBe(true);
    expect(loaded.filter((u) => /commander|program\.js|run-main\.js/.test(u))).toEqual([]);
  });
});
