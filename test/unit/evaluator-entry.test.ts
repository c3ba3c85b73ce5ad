/**
 * `@evals-dev/evals/evaluator` is the light entry for evaluator authors: importing it (through
 * the package's own exports map, as a user's evaluator does) loads no provider SDK. A resolve
 * hook in a child process lists every module the import pulls in; the main entry, which loads
 * other packages (and the SDKs only on a provider's first call), shows the check can fail.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOOKS = `let port; export function initialize(d) { port = d.port; }
export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }`;

/** The URLs of every module `import(specifier)` resolves, in a fresh Node process. */
function modulesLoadedBy(specifier: string): string[] {
  const script = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { port: port2 }, transferList: [port2] });
const mod = await import(${JSON.stringify(specifier)});
if (typeof mod.defineEvaluator !== 'function') throw new Error('no defineEvaluator');
await new Promise((r) => setTimeout(r, 100));
port1.close();
process.stdout.write(JSON.stringify(urls));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

const sdk = (urls: string[]) => urls.filter((u) => /node_modules\/(openai|@anthropic-ai\/sdk)\//.test(u));

describe('the light evaluator entry', () => {
  it('@evals-dev/evals/evaluator gives defineEvaluator without loading openai or @anthropic-ai/sdk', () => {
    const urls = modulesLoadedBy('@evals-dev/evals/evaluator');
    expect(urls.some((u) => u.endsWith('/dist/evaluator.js'))).toBe(true);
    expect(sdk(urls)).toEqual([]);
    expect(urls.filter((u) => u.includes('/node_modules/'))).toEqual([]);
  });

  it('the main entry loads other packages (so the check can fail), but no SDK before a provider call', () => {
    const urls = modulesLoadedBy('@evals-dev/evals');
    expect(urls.filter((u) => u.includes('/node_modules/')).length).toBeGreaterThan(0);
    // Each provider imports its SDK on its first call (src/providers/sdk-call.ts, lazyClient).
    expect(sdk(urls)).toEqual([]);
  });
});
