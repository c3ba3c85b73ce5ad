import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/durable/atomic-file.js';
import { withLock } from '../../src/durable/lock.js';
import { tempRoot } from './datasets-fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  const t = await tempRoot();
  dir = t.root;
  cleanup = t.cleanup;
  await mkdir(dir, { recursive: true });
});
afterEach(() => cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withLock', () => {
  it('runs holders one at a time and releases the lock', async () => {
    const events: string[] = [];
    const job = (name: string) =>
      withLock(dir, async () => {
        events.push(`${name}+`);
        await sleep(30);
        events.push(`${name}-`);
      });
    await Promise.all([job('a'), job('b'), job('c')]);
    for (let i = 0; i < events.length; i += 2) expect(events[i]?.[0]).toBe(events[i + 1]?.[0]);
    expect(events).toHaveLength(6);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('releases the lock when the holder throws', async () => {
    await expect(withLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('breaks a lock whose process is dead', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: dead, host: hostname(), time: '2026-01-01T00:00:00Z' }));
    expect(await withLock(dir, async () => 'ran', { timeoutMs: 1_000 })).toBe('ran');
  });

  it('waits for a live holder and times out with a RunError naming it', async () => {
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: process.pid, host: hostname(), time: '2026-01-01T00:00:00Z' }));
    const err = await withLock(dir, async () => 'ran', { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    expect((err as Error).message).toContain(`held by pid ${process.pid}`);
    expect(JSON.parse(await readFile(join(dir, '.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp files', async () => {
    const file = join(dir, 'sub', 'x.yaml');
    await writeFileAtomic(file, 'one\n');
    await writeFileAtomic(file, 'two\n');
    expect(await readFile(file, 'utf8')).toBe('two\n');
    expect(await readdir(join(dir, 'sub'))).toEqual(['x.yaml']);
  });
});
