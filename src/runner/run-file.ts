/**
 * Reading and writing `run.json` atomically (temp file + rename), so a reader or a crash never
 * sees half a record.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { scrubValue } from '../secrets/scrub.js';
import type { RunRecord } from './run-record.js';

/** File name inside a run directory. */
export const RUN_FILE = 'run.json';

/** Writes `<dir>/run.json` atomically, secrets scrubbed. */
export async function writeRunRecord(dir: string, record: RunRecord): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, RUN_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(scrubValue(record), null, 2)}\n`);
  await rename(tmp, file);
}

/** Reads `<dir>/run.json`; undefined when absent, InputError naming the file when unreadable. */
export async function readRunRecord(dir: string): Promise<RunRecord | undefined> {
  const file = join(dir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as RunRecord;
  } catch (err) {
    throw new InputError('run record is not valid JSON', { file, expected: 'a run.json written by evals', found: (err as Error).message, cause: err });
  }
}
