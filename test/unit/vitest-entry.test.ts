/**
 * Vitest is an optional peer dependency: the main entry (and the CLI) never load it, only
 * `@evals-dev/evals/vitest` does. Checked on the built package through its own exports map, in
 * a fresh Node process whose resolve hook lists every module an import pulls in.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOOKS = `let port; export function initialize(d) { port = d.port; }
export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }`;

function modulesLoadedBy(specifier: string): string[] {
  const script = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { port: port2 }, transferList: [port2] });
await import(${JSON.stringify(specifier)});
await new Promise((r) => setTimeout(r, 100));
port1.close();
process.stdout.write(JSON.stringify(urls));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

const vitestModules = (urls: string[]) => urls.filter((u) => /\/node_modules\/(vitest|@vitest\/[^/]+)\//.test(u) || u.includes('/dist/vitest/'));

describe('vitest stays optional', () => {
  it('the main entry loads no vitest module; the ./vitest entry does (the check can fail)', () => {
    expect(vitestModules(modulesLoadedBy('@evals-dev/evals'))).toEqual([]);
    const urls = modulesLoadedBy('@evals-dev/evals/vitest');
    expect(urls.some((u) => u.endsWith('/dist/vitest/index.js'))).toBe(true);
    expect(urls.some((u) => /\/node_modules\/vitest\//.test(u))).toBe(true);
  });

  it('package.json declares vitest an optional peer and exports ./vitest with its types', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }>; peerDependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional?: boolean }>; dependencies: Record<string, string> };
    expect(pkg.exports['./vitest']).toEqual({ types: './dist/vitest/index.d.ts', default: './dist/vitest/index.js' });
    expect(pkg.peerDependencies.vitest).toBeDefined();
    expect(pkg.peerDependenciesMeta.vitest?.optional).toBe(true);
    expect(pkg.dependencies.vitest).toBeUndefined();
  });
});
