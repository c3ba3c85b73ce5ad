/**
 * A directory lock: `<dir>/.lock` created with O_EXCL, holding the owner's pid, host and time.
 * A lock whose owner is a dead process on this host is stale and is broken (a killed writer
 * never blocks the next one); any other lock is waited for up to `timeoutMs`. With
 * `timeoutMs: 0` a live holder is refused at once ({@link LockHeldError}, exit 2): that is how a
 * run directory is kept to one writer (run, `--resume`, merge), while dataset writers queue (and
 * a wait that times out is a RunError).
 */
import { hostname } from 'node:os';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EvalsError, ExitCode, RunError } from '../errors.js';

/** Options of {@link withLock}. */
export interface LockOptions {
  /** How long to wait for another holder; 0 refuses at once. Default 15000 ms. */
  timeoutMs?: number;
  /** A lock file that cannot be read or names another host counts as stale after this. Default 10 min. */
  staleMs?: number;
  /** What is locked, for messages. Default `dataset`. */
  what?: string;
  /** What to tell a user who is refused. */
  hint?: string;
}

/** Who holds a lock. */
export interface LockInfo {
  pid: number;
  host: string;
  time: string;
}

/** A lock is held by a live process and the caller would not (or could no longer) wait. Exit 2. */
export class LockHeldError extends EvalsError {
  constructor(message: string, details: ConstructorParameters<typeof EvalsError>[2]) {
    super('E_LOCKED', message, details, ExitCode.usage);
    this.name = 'LockHeldError';
  }
}

/** Name of the lock file inside a locked directory. */
export const LOCK_FILE = '.lock';
const POLL_MS = 25;

/** Runs `fn` while holding the lock of directory `dir`; always releases it. */
export async function withLock<T>(dir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const release = await acquireLock(dir, opts);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Takes the lock of `dir` (created when missing) and returns its release function. */
export async function acquireLock(dir: string, opts: LockOptions = {}): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE);
  await mkdir(dir, { recursive: true });
  await acquire(file, opts.timeoutMs ?? 15_000, opts.staleMs ?? 600_000, opts);
  return () => rm(file, { force: true });
}

/** The holder of `dir`'s lock when a live process holds it, else undefined (no lock, or stale). */
export async function liveHolder(dir: string, staleMs = 600_000): Promise<LockInfo | undefined> {
  const file = join(dir, LOCK_FILE);
  const info = await readInfo(file);
  if (info === undefined) return undefined;
  return (await isStale(file, staleMs)) ? undefined : info;
}

async function acquire(file: string, timeoutMs: number, staleMs: number, opts: LockOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, 'wx');
      const info: LockInfo = { pid: process.pid, host: hostname(), time: new Date().toISOString() };
      await handle.writeFile(`${JSON.stringify(info)}\n`);
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await isStale(file, staleMs)) {
      await breakLock(file);
      continue;
    }
    if (Date.now() >= deadline) {
      const holder = await readInfo(file);
      const what = opts.what ?? 'dataset';
      const found = holder ? `held by pid ${holder.pid} on ${holder.host} since ${holder.time}` : 'a lock file being written';
      const hint = opts.hint ?? 'if no other evals process is running, delete the lock file';
      if (timeoutMs > 0) throw new RunError(`timed out waiting for the ${what} lock`, { file, expected: `the lock to be released within ${timeoutMs} ms`, found, hint });
      throw new LockHeldError(`the ${what} is in use by another evals process`, { file, expected: 'no other process writing it', found, hint });
    }
    // Jitter keeps two waiters from polling in lock-step.
    await new Promise((r) => setTimeout(r, POLL_MS + Math.floor(Math.random() * POLL_MS) + Math.min(attempt, 20) * 5));
  }
}

async function readInfo(file: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(file, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' && typeof info.host === 'string' ? (info as LockInfo) : undefined;
  } catch {
    return undefined;
  }
}

/** True when process `pid` exists on this host. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  const info = await readInfo(file);
  if (info !== undefined && info.host === hostname()) return !isAlive(info.pid);
  try {
    const s = await stat(file);
    // The file may be mid-write by its creator: give unreadable locks time before breaking them.
    return Date.now() - s.mtimeMs > (info === undefined ? Math.min(staleMs, 2_000) : staleMs);
  } catch {
    return false; // vanished: the next attempt will take it
  }
}

async function breakLock(file: string): Promise<void> {
  // Rename first so two waiters breaking the same stale lock cannot both delete a fresh one.
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(file, aside);
    await rm(aside, { force: true });
  } catch {
    // Someone else broke it first.
  }
}
