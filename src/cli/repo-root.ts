/**
 * The repository a command runs in: the nearest directory holding `.git` (a directory, or a
 * file in a worktree), walking up from `cwd`; `cwd` itself when there is none. Provenance paths
 * are stored relative to it, so a dataset never records the capturing machine's layout.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export function repositoryRoot(cwd: string = process.cwd()): string {
  const start = resolve(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
