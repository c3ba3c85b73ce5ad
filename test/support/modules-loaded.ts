/**
 * Which modules an import pulls in: `import(specifier)` in a fresh Node process (from the repo
 * root, so the package's own exports map applies) whose resolve hook reports every module URL.
 * Used to prove that light entries stay light (no SDK, no vitest).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOOKS = `let port; export function initialize(d) { port = d.port; }
export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }`;

/** The URLs of every module `import(specifier)` resolves; `mustExport` is checked in the child. */
export function modulesLoadedBy(specifier: string, mustExport?: string): string[] {
  const check = mustExport ? `if (typeof mod[${JSON.stringify(mustExport)}] !== 'function') throw new Error('no ${mustExport}');` : '';
  const script = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { port: port2 }, transferList: [port2] });
const mod = await import(${JSON.stringify(specifier)});
${check}
await new Promise((r) => setTimeout(r, 100));
port1.close();
process.stdout.write(JSON.stringify(urls));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}
