/**
 * Crash-safe file writes: write a temp file next to the target, fsync it, rename it over the
 * target, then fsync the directory. A reader sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/**
 * Atomically replaces (or creates) `path` with `data`. Creates parent directories. With
 * `syncDir: false` the caller syncs the directory once after a batch (see {@link syncDir}).
 */
export async function writeFileAtomic(path: string, data: string, opts: { syncDir?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  if (opts.syncDir !== false) await syncDir(dir);
}

/** Flushes a directory entry (the rename) to disk; a no-op where directories cannot be opened. */
export async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems refuse to fsync a directory; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}
