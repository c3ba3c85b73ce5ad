/**
 * Temp files of crash-safe writes (`.<name>.tmp-<pid>-<hex>`, see durable/atomic-file.ts) left
 * by a writer that was killed between write and rename. Swept by the next writer of the same
 * directory, while it holds the directory's lock, so no live write can lose its temp file.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './lock.js';

const TEMP = /\.tmp-(\d+)-[0-9a-f]+$/;

/** Removes temp files of dead processes under `dir` (recursively); returns how many. */
export async function sweepDeadTempFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const e of entries) {
    const m = e.isFile() ? TEMP.exec(e.name) : null;
    if (m === null || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    await rm(join(e.parentPath, e.name), { force: true });
    removed++;
  }
  return removed;
}
