import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResultLines, scanResults } from '../../src/runner/results-scan.js';
import { seededRandom } from '../../src/prng.js';

const dirs: string[] = [];
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }); });

/** A results file whose lines have every size from a few bytes to several blocks, multi-byte text included. */
async function resultsFile(n: number): Promise<{ file: string; texts: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'evals-lines-'));
  dirs.push(dir);
  const rand = seededRandom(7);
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const output = 'é→'.repeat(Math.floor(rand() * (i % 9 === 0 ? 300 : 40)));
    texts.push(JSON.stringify({ caseId: `c${i}`, variant: 'candidate', repeat: 0, dataset: 'd', output, latencyMs: i, scores: [], pass: true }));
  }
  const file = join(dir, 'results.jsonl');
  await writeFile(file, `${texts.join('\n')}\n`);
  return { file, texts };
}

describe('ResultLines (results read back by byte range through a block cache)', () => {
  it('returns every line exactly, in any order, across block edges and for lines longer than two blocks', async () => {
    const { file, texts } = await resultsFile(300);
    const located = [];
    for await (const l of scanResults(file)) located.push(l);
    expect(located).toHaveLength(texts.length);
    const fd = openSync(file, 'r');
    try {
      // Tiny blocks: most lines straddle an edge, some span several blocks.
      const lines = new ResultLines(fd, file, 64, 3);
      const rand = seededRandom(11);
      const order = located.map((_, i) => i).sort(() => rand() - 0.5);
      // One block kept: a line across two blocks still needs both at once.
      const single = new ResultLines(fd, file, 64, 1);
      for (const i of [...order, ...order.reverse()]) {
        const { offset, length } = located[i]!;
        expect(lines.text(offset, length)).toBe(texts[i]);
        expect(lines.read(offset, length)).toEqual(JSON.parse(texts[i]!));
        expect(single.text(offset, length)).toBe(texts[i]);
      }
      // Evicted blocks' buffers are refilled, not replaced.
      expect(lines.reads).toBeGreaterThan(100);
      expect(lines.buffers).toBe(3);
      expect(single.buffers).toBe(2);
    } finally {
      closeSync(fd);
    }
  });

  it('scans the same lines, offsets and lengths whatever the read size (lines across reads and longer than one)', async () => {
    const { file, texts } = await resultsFile(300);
    const expected = [];
    let offset = 0;
    for (const t of texts) {
      const length = Buffer.byteLength(t);
      expected.push({ result: JSON.parse(t), offset, length });
      offset += length + 1;
    }
    for (const chunk of [7, 64, 1000, 1 << 18]) {
      const got = [];
      for await (const l of scanResults(file, chunk)) got.push(l);
      expect(got, `read size ${chunk}`).toEqual(expected);
    }
    // A last line without its newline counts; a torn one (the writer crashed mid-line) is skipped.
    await writeFile(file, `${texts[0]}\n\n${texts[1]}`);
    for (const chunk of [7, 1 << 18]) {
      const got = [];
      for await (const l of scanResults(file, chunk)) got.push(l.result);
      expect(got).toEqual([JSON.parse(texts[0]!), JSON.parse(texts[1]!)]);
    }
    await writeFile(file, `${texts[0]}\n${texts[1]!.slice(0, 20)}`);
    const torn = [];
    for await (const l of scanResults(file, 7)) torn.push(l.result);
    expect(torn).toEqual([JSON.parse(texts[0]!)]);
  });

  it('serves lines read in file order from cached blocks: far fewer reads than lines', async () => {
    const { file, texts } = await resultsFile(2000);
    const located = [];
    for await (const l of scanResults(file)) located.push(l);
    const fd = openSync(file, 'r');
    try {
      const lines = new ResultLines(fd, file, 4096, 2);
      for (const { offset, length } of located) lines.text(offset, length);
      const size = texts.reduce((s, t) => s + Buffer.byteLength(t) + 1, 0);
      // One read per block (plus the few lines longer than two blocks), not one per line.
      expect(lines.reads).toBeLessThan(size / 4096 + 20);
      expect(lines.reads).toBeLessThan(located.length / 10);
    } finally {
      closeSync(fd);
    }
  });
});
