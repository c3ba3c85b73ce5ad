/**
 * A dataset-level write lock: `<dataset>/.lock` created with O_EXCL, holding the owner's pid,
 * host and time. A lock whose owner is a dead process on this host is stale and is broken; any
 * other lock is waited for, up to a timeout, so two snapshots into one dataset land one after
 * the other instead of one overwriting the other.
 */
import { hostname } from 'node:os';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RunError } from '../../errors.js';

/** Options of {@link withLock}. */
export interface LockOptions {
  /** How long to wait for another writer. Default 15000 ms. */
  timeoutMs?: number;
  /** A lock file that cannot be read or names another host counts as stale after this. Default 10 min. */
  staleMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  time: string;
}

const POLL_MS = 25;

/** Runs `fn` while holding the lock of directory `dir`; always releases it. */
export async function withLock<T>(dir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const file = join(dir, '.lock');
  await mkdir(dir, { recursive: true });
  await acquire(file, opts.timeoutMs ?? 15_000, opts.staleMs ?? 600_000);
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}

async function acquire(file: string, timeoutMs: number, staleMs: number): Promise<void> {
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
      throw new RunError('timed out waiting for the dataset lock', {
        file,
        expected: `the lock to be released within ${timeoutMs} ms`,
        found: holder ? `held by pid ${holder.pid} on ${holder.host} since ${holder.time}` : 'an unreadable lock file',
        hint: 'if no other evals process is running, delete the lock file',
      });
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

function isAlive(pid: number): boolean {
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
