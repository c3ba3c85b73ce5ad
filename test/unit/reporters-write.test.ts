import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRunJson, renderJson, renderJsonChunks } from '../../src/reporters/json.js';
import { buildRows } from '../../src/reporters/case-rows.js';
import { jsonForScript } from '../../src/reporters/escape.js';
import { memorySpill, renderHtml, type SpillFactory } from '../../src/reporters/html/render-html.js';
import { buildIndex } from '../../src/reporters/html/report-data.js';
import { placeholderFor, stringifyStreamed } from '../../src/reporters/json-stream.js';
import type { RunReportJson } from '../../src/reporters/json.js';
import { fileSpill, isReportFormat, REPORT_FORMATS, reporters, writeAtomic, writeReports, type ReportFormat } from '../../src/reporters/write.js';
import { RUN_SCHEMA } from '../../src/runner/run-record.js';
import { syntheticRun } from '../browser/synthetic-run.js';

const dirs: string[] = [];
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }); });

describe('writeReports', () => {
  it('writes every format atomically and returns the paths', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'evals-write-')), 'nested', 'out');
    dirs.push(join(dir, '..', '..'));
    const { input } = syntheticRun(10);
    const paths = await writeReports(dir, input);
    expect(paths).toEqual(['report.html', 'summary.md', 'junit.xml', 'run.json'].map((f) => join(dir, f)));
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'run.json', 'summary.md']);
    for (const f of REPORT_FORMATS) expect(await readFile(join(dir, reporters[f].file), 'utf8')).toBe(reporters[f].render(input));
  });

  it('writes only the formats asked for and rejects unknown ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-write-'));
    dirs.push(dir);
    const { input } = syntheticRun(3);
    expect(await writeReports(dir, input, ['md'])).toEqual([join(dir, 'summary.md')]);
    expect(await readdir(dir)).toEqual(['summary.md']);
    await expect(writeReports(dir, input, ['pdf' as ReportFormat])).rejects.toThrow(/field formats.*unknown report format[\s\S]*found: +pdf/);
    expect(isReportFormat('junit')).toBe(true);
    expect(isReportFormat('toString')).toBe(false);
  });

  it('writes the formats side by side: one that cannot be written fails the call after the others finished, leaving no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-write-'));
    dirs.push(dir);
    // A non-empty directory where report.html goes: its rename fails.
    await mkdir(join(dir, 'report.html', 'inside'), { recursive: true });
    const { input } = syntheticRun(200);
    await expect(writeReports(dir, input)).rejects.toMatchObject({ code: 'E_RUN', message: expect.stringContaining('report.html') });
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'run.json', 'summary.md']);
    for (const f of ['md', 'junit', 'json'] as const) expect(await readFile(join(dir, reporters[f].file), 'utf8')).toBe(reporters[f].render(input));
  });

  it('fails with a RunError naming the path when the directory is a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-write-'));
    dirs.push(dir);
    const { input } = syntheticRun(3);
    await writeReports(dir, input, ['md']);
    await expect(writeReports(join(dir, 'summary.md'), input, ['json'])).rejects.toMatchObject({ code: 'E_RUN' });
  });
});

describe('the HTML report\'s line spill', () => {
  it('writeReports spills the output and detail lines to files it deletes, and writes the same document as renderHtml', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-write-'));
    dirs.push(dir);
    // 1,500 cases × 2 variants of hostile content: several spill blocks, multi-byte characters across their edges.
    const { input } = syntheticRun(1500);
    await writeReports(dir, input, ['html']);
    expect(await readdir(dir)).toEqual(['report.html']);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe(renderHtml(input));
  });

  it('a file spill gives back exactly what was added, in pieces that end where a line ends, and deletes its file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-spill-'));
    dirs.push(dir);
    for (const make of [fileSpill(dir), memorySpill] as SpillFactory[]) {
      const spill = make();
      const lines: string[] = [];
      // Lines of 1 to 5,000 characters, some of 2-, 3- and 4-byte UTF-8, so block edges fall inside characters.
      for (let i = 0; i < 400; i++) lines.push(`${i > 0 ? '\n' : ''}${JSON.stringify(`${i}:${'é€😀x'.repeat((i * 37) % 1250)}`)}`);
      for (const l of lines) spill.add(l);
      const pieces = [...spill.pieces()];
      expect(pieces.join('')).toBe(lines.join(''));
      expect(pieces.length).toBeGreaterThan(1);
      // Every piece is whole lines: each parses line by line.
      for (const p of pieces) for (const l of p.split('\n')) if (l !== '') expect(typeof JSON.parse(l)).toBe('string');
      spill.close();
      expect(await readdir(dir)).toEqual([]);
    }
    const unused = fileSpill(dir)();
    expect([...unused.pieces()]).toEqual([]);
    unused.close();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('writeAtomic (one write in flight while the next batch renders)', () => {
  /** Pieces of every size up to 40,000 characters, multi-byte text included: many write batches. */
  function* pieces(n: number, failAt = -1): Generator<string> {
    for (let i = 0; i < n; i++) {
      if (i === failAt) throw new Error('renderer failed');
      yield `${i}:${'é→x'.repeat((i * 7919) % 13_333)}\n`;
    }
  }

  it('writes the pieces in order, whole, across many batches', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-write-'));
    dirs.push(dir);
    const file = join(dir, 'big.txt');
    await writeAtomic(file, pieces(200));
    const text = await readFile(file, 'utf8');
    expect(text.length).toBeGreaterThan(20 * (1 << 15));
    expect(text).toBe([...pieces(200)].join(''));
    expect(await readdir(dir)).toEqual(['big.txt']);
  });

  it('a renderer failing after writes were sent leaves neither the file nor a temp file, and keeps the old file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evals-write-'));
    dirs.push(dir);
    const file = join(dir, 'big.txt');
    await writeAtomic(file, ['old report']);
    await expect(writeAtomic(file, pieces(200, 150))).rejects.toMatchObject({ code: 'E_RUN', message: expect.stringContaining(file) });
    expect(await readdir(dir)).toEqual(['big.txt']);
    expect(await readFile(file, 'utf8')).toBe('old report');
  });
});

describe('renderJson', () => {
  it('keeps the run record and adds a summary with the same counts', () => {
    const { input, expected } = syntheticRun(50);
    const json = JSON.parse(renderJson(input)) as RunReportJson;
    expect(json.schema).toBe(RUN_SCHEMA);
    expect(json.id).toBe(input.run.id);
    expect(json.comparison?.gate.status).toBe('fail');
    expect(json.summary.gate).toBe('fail');
    expect(json.summary.counts).toMatchObject({ total: 100, regressed: expected.regressed, fixed: expected.fixed, errored: expected.errored, missing: expected.missing, new: expected.new });
    expect(Object.keys(json.summary.variants)).toEqual(['default', 'gpt-next']);
    expect(json.summary.cases).toHaveLength(100 - expected['unchanged-pass']);
    expect(json.summary.cases[0]?.verdict).toBe('regressed');
  });
});

describe('streamed renderings', () => {
  it('run.json in pieces is exactly JSON.stringify of buildRunJson', () => {
    const { input } = syntheticRun(60);
    const chunks = [...renderJsonChunks(input)];
    expect(chunks.length).toBeGreaterThan(60);
    expect(chunks.join('')).toBe(`${JSON.stringify(buildRunJson(input), null, 2)}\n`);
  });

  it('report.html embeds the index buildIndex computes', () => {
    const { input } = syntheticRun(60);
    const html = renderHtml(input);
    const data = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(data).toBe(jsonForScript(buildIndex(buildRows(input)).index));
  });

  it('stringifyStreamed matches JSON.stringify, empty and nested arrays included', () => {
    const items = [{ a: [1, { b: 'x\ny' }] }, { c: [] }, 3];
    const value = { top: 1, list: placeholderFor('l'), deep: { empty: placeholderFor('e'), z: null } };
    const text = [...stringifyStreamed(value, [{ placeholder: placeholderFor('l'), items }, { placeholder: placeholderFor('e'), items: [] }])].join('');
    expect(text).toBe(JSON.stringify({ top: 1, list: items, deep: { empty: [], z: null } }, null, 2));
  });
});
