/**
 * Secret hygiene at every boundary: a provider 401 whose body echoes the API key leaves the key
 * in no report, record or result, nor on the terminal; notes and incident ids are scrubbed in
 * the version manifest; `datasets scan` looks at manifests too; credentials in a source URL are
 * never printed.
 */
import { createServer, type Server } from 'node:http';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeProject, TRACES, writeConfig } from './hardening-project.js';

let server: Server;
let url: string;
beforeAll(async () => {
  // A provider that rejects the key and echoes it back, as real ones do in 401 bodies.
  server = createServer((req, res) => {
    req.resume();
    const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}. You can find your API key at https://example.test`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address() as { port: number };
  url = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))).filter((f) => statSync(f).isFile());
}

describe('secret hygiene', () => {
  it.each([
    ['a key-shaped key', 'sk-proj-Zx81mQpL0vWcT7yRb2NaKd9EuHs4GfJ'],
    ['a configured key of any shape', 'plain-configured-credential-91827'],
  ])('a 401 echoing %s leaves it nowhere', async (_what, key) => {
    const dir = await makeProject({ url, apiKey: key });
    const r = await runCli(['run', '--run-id', 'leak', '--quiet'], { cwd: dir });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout + r.stderr).not.toContain(key);
    const files = allFiles(path.join(dir, 'reports/leak'));
    const names = files.map((f) => path.basename(f));
    for (const want of ['summary.md', 'report.html', 'junit.xml', 'run.json', 'results.jsonl']) expect(names).toContain(want);
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain(key);
    // The error is still there to read, with the key masked.
    expect(readFileSync(path.join(dir, 'reports/leak/results.jsonl'), 'utf8')).toMatch(/Incorrect API key provided: \[REDACTED\]/);
  }, 60_000);

  it('scrubs notes and incident ids in the manifest, and datasets scan covers manifests', async () => {
    const dir = await makeProject({ url });
    const key = 'sk-ant-api03-Qw9RtYu1IoPaSdFgHjKl2ZxCv';
    const snap = await runCli(['snapshot', TRACES, '--dataset', 'notes', '--all', '--note', `rotated ${key}, reported by jane.doe@example.com`, '--incident', `INC-7 ${key}`], { cwd: dir });
    expect(snap.code, snap.stderr).toBe(0);
    const stored = allFiles(path.join(dir, 'datasets/notes')).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(stored).not.toContain(key);
    expect(stored).not.toContain('jane.doe@example.com');
    expect(stored).toContain('INC-7');

    // A manifest edited by hand (or written by an older version) is caught by scan.
    const manifest = allFiles(path.join(dir, 'datasets/notes')).find((f) => !f.includes(`${path.sep}cases${path.sep}`) && /\.ya?ml$/.test(f) && readFileSync(f, 'utf8').includes('note:'))!;
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/note: .*/, `note: "leaked ${key}"`));
    const scan = await runCli(['datasets', 'scan', 'notes'], { cwd: dir });
    expect(scan.code).not.toBe(0);
    expect(scan.stdout + scan.stderr).toContain(path.basename(manifest));
    expect(scan.stdout + scan.stderr).not.toContain(key);
  }, 60_000);

  it('never prints the credentials of a source URL', async () => {
    const dir = await makeProject({ url });
    writeConfig(dir, { url });
    const r = await runCli(['inspect', `tempo+http://alice:hunter2-pass@127.0.0.1:9/`], { cwd: dir, env: { LANGFUSE_HOST: 'http://pk-lf-1:sk-lf-secret-2@127.0.0.1:9' } });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).not.toContain('hunter2-pass');
    const lf = await runCli(['inspect', 'langfuse://'], { cwd: dir, env: { LANGFUSE_HOST: 'http://pk-lf-1:sk-lf-secret-2@127.0.0.1:9', LANGFUSE_PUBLIC_KEY: 'pk-lf-1', LANGFUSE_SECRET_KEY: 'sk-lf-secret-2' } });
    expect(lf.code).not.toBe(0);
    expect(lf.stdout + lf.stderr).not.toContain('sk-lf-secret-2');
    expect(lf.stderr).not.toMatch(/internal error/);
  }, 60_000);
});
