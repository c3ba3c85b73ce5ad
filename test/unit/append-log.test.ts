/**
 * AppendLog (src/providers/append-log.ts): lines land in append order; a write waits up to
 * GATHER_MS for more lines, goes at once past GATHER_CHARS queued or when a flush is asked for.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppendLog, GATHER_CHARS, GATHER_MS } from '../../src/providers/append-log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evals-append-log-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

/** Polls `cond` for `ms` of real time (file writes finish in a few ms); true once it holds. */
async function holdsWithin(cond: () => boolean, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (!cond() && performance.now() < until) await new Promise((r) => setImmediate(r));
  return cond();
}

describe('AppendLog', () => {
  it('gathers lines for GATHER_MS, then writes them in one go, in order', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const log = await AppendLog.open(join(dir, 'a.jsonl'));
    for (let i = 0; i < 5; i++) log.append(`{"n":${i}}`);
    await vi.advanceTimersByTimeAsync(GATHER_MS - 1);
    expect(await holdsWithin(() => log.written > 0, 200)).toBe(false);
    for (let i = 5; i < 10; i++) log.append(`{"n":${i}}`);
    await vi.advanceTimersByTimeAsync(1);
    expect(await holdsWithin(() => log.written > 0, 5000)).toBe(true);
    const text = Array.from({ length: 10 }, (_, i) => `{"n":${i}}\n`).join('');
    // All ten in one write: the five appended during the wait went with the first five.
    expect(log.written).toBe(Buffer.byteLength(text));
    await log.close();
    expect(await readFile(join(dir, 'a.jsonl'), 'utf8')).toBe(text);
  });

  it('writes at once past GATHER_CHARS queued, or when flushed, without waiting for the timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const log = await AppendLog.open(join(dir, 'b.jsonl'));
    const big = 'x'.repeat(GATHER_CHARS);
    // The first line starts a wait; the second fills the queue past GATHER_CHARS and ends it.
    log.append('first');
    log.append(big);
    expect(await holdsWithin(() => log.written === 6 + GATHER_CHARS + 1, 5000)).toBe(true);
    log.append('small');
    await log.flush();
    expect(log.written).toBe(6 + GATHER_CHARS + 1 + 6);
    // Lines appended while a flush is under way are written by it too, in order.
    log.append('one');
    const flushing = log.flush();
    log.append('two');
    await flushing;
    expect(log.written).toBe(6 + GATHER_CHARS + 1 + 6 + 8);
    await log.close();
    expect(await readFile(join(dir, 'b.jsonl'), 'utf8')).toBe(`first\n${big}\nsmall\none\ntwo\n`);
  });

  it('close writes what is queued: nothing is lost to the wait', async () => {
    const log = await AppendLog.open(join(dir, 'c.jsonl'));
    for (let i = 0; i < 3; i++) log.append(`line ${i}`);
    await log.close();
    expect(await readFile(join(dir, 'c.jsonl'), 'utf8')).toBe('line 0\nline 1\nline 2\n');
    expect(() => log.append('late')).toThrow(/append after close/);
  });
});
