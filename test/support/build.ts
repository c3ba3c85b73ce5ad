/**
 * Vitest global setup: compiles src/ to dist/ once per test run, so end-to-end tests spawn the
 * real `evals` executable exactly as a user runs it (with `npm run build`'s second step, the
 * recorded `--help` texts of src/cli/known-output.ts).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'dist/cli/write-known-output.js')], { stdio: 'inherit' });
}
