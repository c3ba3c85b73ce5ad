/**
 * The run directory's guards: a run id is one plain path segment (never `..`, a separator, an
 * absolute path, an empty or a control-character name), and one process at a time writes a run
 * directory. The lock is the shared directory lock (src/durable/lock.ts) with no waiting: a
 * second `evals run` with the same id, a `--resume` of a live run, or a merge into a directory
 * in use is refused (exit 2) before it calls a provider; a killed run's lock is stale and is
 * cleared by the next one.
 */
import { acquireLock, liveHolder, LockHeldError } from '../durable/lock.js';
import { UsageError } from '../errors.js';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Returns `id` when it is a safe run directory name; throws UsageError naming `flag` otherwise. */
export function validateRunId(id: string, flag = '--run-id'): string {
  if (!RUN_ID.test(id)) {
    throw new UsageError(`${flag} is not a valid run id`, {
      field: flag,
      expected: 'letters, digits, ".", "_" or "-", starting with a letter or digit, at most 128 characters (no path separators)',
      found: JSON.stringify(id),
    });
  }
  return id;
}

/** Takes `dir`'s run lock or throws LockHeldError (exit 2); returns the release function. */
export function lockRunDir(dir: string): Promise<() => Promise<void>> {
  return acquireLock(dir, {
    timeoutMs: 0,
    what: 'run directory',
    hint: 'another `evals run`, `--resume` or `merge` is writing it: wait for it to finish, or stop it and resume',
  });
}

/** Throws LockHeldError when a live process is writing run directory `dir` (merge inputs). */
export async function assertRunDirIdle(dir: string): Promise<void> {
  const holder = await liveHolder(dir);
  if (holder) {
    throw new LockHeldError('the run directory is still being written', {
      file: dir,
      expected: 'a finished (or interrupted) run',
      found: `held by pid ${holder.pid} on ${holder.host} since ${holder.time}`,
      hint: 'wait for that run to finish before merging it',
    });
  }
}
