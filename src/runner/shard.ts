/**
 * `--shard i/n`: a deterministic split of cases by a hash of the case id, so every CI runner
 * computes the same partition without talking to the others, and all variants and repeats of a
 * case land on the same shard (its baseline and candidates stay together).
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

/** One shard of `count`; `index` is 1-based, as in `--shard 2/4`. */
export interface Shard {
  index: number;
  count: number;
}

/** 0-based bucket of a case id among `count` shards. */
export function shardBucket(caseId: string, count: number): number {
  const h = createHash('sha256').update(caseId).digest();
  return h.readUInt32BE(0) % count;
}

/** True when `caseId` belongs to `shard` (always true without a shard). */
export function inShard(caseId: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count <= 1) return true;
  return shardBucket(caseId, shard.count) === shard.index - 1;
}

/** Parses `i/n` (1 ≤ i ≤ n). Throws UsageError naming the option otherwise. */
export function parseShard(text: string, option = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`invalid shard`, { field: option, expected: 'i/n with 1 ≤ i ≤ n, e.g. 2/4', found: JSON.stringify(text) });
  }
  return { index, count };
}
