/**
 * README "Add it to your project", tried on the packed package in a fresh directory: `npm pack`
 * (what would be published), unpacked into the consumer's node_modules with its `evals` bin
 * linked, as `npm install --save-dev` does. The runtime dependencies are linked from this
 * repository's node_modules (the tests run offline; their versions are the ones package.json
 * asks for). Then `npx --no evals init --yes`, snapshot, run against the fake provider, report.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../../src/fake-provider/index.js';
import { REPO } from '../support/cli.js';

let fake: FakeProvider;
let dir: string;
let pkgDir: string;
let files: string[];

/** `npx --no <args>` in the consumer project: the local bin or an error, never a download. Asynchronous: the fake provider lives in this process. */
function npx(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['--no', ...args], { cwd: dir, env: { ...process.env, CI: 'true', NO_COLOR: '1', LANGFUSE_PUBLIC_KEY: '', LANGSMITH_API_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

beforeAll(async () => {
  fake = await startFakeProvider({ rules: (JSON.parse(readFileSync(path.join(REPO, 'examples/refund-bot/rules.json'), 'utf8')) as { rules: never[] }).rules });
  dir = mkdtempSync(path.join(tmpdir(), 'evals-consumer-'));
  const packs = path.join(dir, '.packs');
  mkdirSync(packs);
  // dist/ is built by the test setup; --ignore-scripts skips prepack's rebuild (other tests use dist/).
  const tgz = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packs], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
  files = execFileSync('tar', ['tzf', path.join(packs, tgz)], { encoding: 'utf8' }).trim().split('\n');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  pkgDir = path.join(dir, 'node_modules/@evals-dev/evals');
  mkdirSync(pkgDir, { recursive: true });
  execFileSync('tar', ['xzf', path.join(packs, tgz), '-C', pkgDir, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string> };
  for (const dep of Object.keys(manifest.dependencies)) {
    const to = path.join(dir, 'node_modules', dep);
    mkdirSync(path.dirname(to), { recursive: true });
    symlinkSync(path.join(REPO, 'node_modules', dep), to, 'dir');
  }
  mkdirSync(path.join(dir, 'node_modules/.bin'));
  for (const [name, target] of Object.entries(manifest.bin)) {
    symlinkSync(path.join('..', '@evals-dev/evals', target), path.join(dir, 'node_modules/.bin', name));
    chmodSync(path.join(pkgDir, target), 0o755);
  }
  mkdirSync(path.join(dir, 'otel'));
  cpSync(path.join(REPO, 'examples/refund-bot/traces/production.jsonl'), path.join(dir, 'otel/traces.jsonl'));
});

afterAll(async () => {
  await fake.close();
});

describe('the packed package in a fresh project', () => {
  it('ships dist, schemas, the workflows, README and LICENSE; no source maps, no src/', () => {
    expect(files).toEqual(expect.arrayContaining(['package/schemas/config.schema.json', 'package/LICENSE', 'package/README.md', 'package/examples/github/evals-pr.yml', 'package/examples/github/evals-harvest.yml', 'package/dist/evaluator.js', 'package/dist/cli/main.js']));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('package/src/'))).toEqual([]);
    const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string>; license: string };
    expect(pkg.name).toBe('@evals-dev/evals');
    expect(Object.keys(pkg.bin)).toEqual(['evals']);
    expect(readFileSync(path.join(pkgDir, 'LICENSE'), 'utf8')).toContain('MIT License');
  });

  it("every relative link of the README resolves inside the package (npm shows it without the repository)", () => {
    const readme = readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#')).map((t) => t.replace(/#.*$/, ''));
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !existsSync(path.join(pkgDir, t)))).toEqual([]);
  });

  it('npx evals init, snapshot, run: the README steps give a report and a summary', async () => {
    const init = await npx(['evals', 'init', '--yes', '--dataset', 'support']);
    expect(init.code, init.out).toBe(0);
    expect(readdirSync(path.join(dir, '.github/workflows')).sort()).toEqual(['evals-harvest.yml', 'evals.yml']);
    // The editor's schema comment points at the schema the installed package ships.
    const schemaRef = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(path.join(dir, 'evals.config.yaml'), 'utf8'))?.[1];
    expect(schemaRef && existsSync(path.join(dir, schemaRef)), String(schemaRef)).toBe(true);
    const snap = await npx(['evals', 'snapshot', 'otel/traces.jsonl', '--dataset', 'support', '--flagged']);
    expect(snap.code, snap.out).toBe(0);
    expect(snap.out).toMatch(/\+\d+ case\(s\)/);
    const run = await npx(['evals', 'run', '--run-id', 'first', '--quiet'], { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${fake.url}/v1` });
    // The candidate changes nothing and the fake's rules are deterministic: a green gate.
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain('gate: PASS');
    for (const f of ['report.html', 'summary.md']) expect(existsSync(path.join(dir, 'reports/first', f)), f).toBe(true);
  });
});
