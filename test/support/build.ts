/**
 * Vitest global setup: builds dist/ once per test run with `npm run build` (tsc, the bundled
 * command-line entry, the recorded `--help` texts of src/cli/known-output.ts), so end-to-end
 * tests spawn the real `evals` executable exactly as a user runs it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
