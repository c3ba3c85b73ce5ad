/**
 * `<run-dir>/batches.json`: the provider batches a run submitted, written atomically right
 * after each submission and before any polling, so a run killed at any later point re-attaches
 * to them on `--resume` instead of paying twice. Each batch's custom ids are kept in
 * `<run-dir>/batches/<n>.ids` (one per line, written before the batch is submitted), so a
 * resumed run knows which requests a batch covers even when it ended without answering them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../durable/atomic-file.js';
import { InputError } from '../errors.js';

export const BATCH_STATE_FILE = 'batches.json';
const SCHEMA = 'evals.batches/v1';

/** One submitted batch. */
export interface RecordedBatch {
  /** Config name of the provider. */
  provider: string;
  api: string;
  /** The provider's batch id. */
  id: string;
  requests: number;
  /** Custom ids file, relative to the run directory. */
  idsFile: string;
  submittedAt: string;
  /** The provider's last status word, and when the batch was seen ended. */
  status?: string;
  endedAt?: string;
}

export interface BatchState {
  schema: typeof SCHEMA;
  batches: RecordedBatch[];
}

/** Reads the run's batch state; an empty one when there is none. */
export async function readBatchState(runDir: string): Promise<BatchState> {
  const file = join(runDir, BATCH_STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schema: SCHEMA, batches: [] };
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<BatchState>;
    if (!Array.isArray(parsed.batches)) throw new Error('no `batches` list');
    return { schema: SCHEMA, batches: parsed.batches };
  } catch (err) {
    throw new InputError('batch state is not valid', { file, expected: `a ${BATCH_STATE_FILE} written by evals run --batch`, found: (err as Error).message, cause: err });
  }
}

/** Replaces the run's batch state atomically (fsynced). */
export function writeBatchState(runDir: string, state: BatchState): Promise<void> {
  return writeFileAtomic(join(runDir, BATCH_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Writes the custom ids of the next batch; returns the file's path relative to the run directory. */
export async function writeBatchIds(runDir: string, index: number, ids: readonly string[]): Promise<string> {
  const rel = `batches/${index}.ids`;
  await writeFileAtomic(join(runDir, rel), `${ids.join('\n')}\n`);
  return rel;
}

/** The custom ids a recorded batch covers (none when its file is gone). */
export async function readBatchIds(runDir: string, batch: RecordedBatch): Promise<string[]> {
  try {
    return (await readFile(join(runDir, batch.idsFile), 'utf8')).split('\n').filter((l) => l !== '');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
