import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/compare/compare.js';
import { Interner, slimResult } from '../../src/compare/slim.js';
import { SlimTable } from '../../src/compare/slim-table.js';
import type { CaseResult } from '../../src/runner/result.js';
import { DEFAULT_GATE } from '../../src/config/schema.js';
import { syntheticRun } from '../browser/synthetic-run.js';

describe('slim results (what comparison keeps of each result line)', () => {
  it('compare exactly like the full lines, sharing one score list per distinct list', () => {
    const { input } = syntheticRun(400);
    const names = new Interner();
    const slims = input.results.map((r) => slimResult(r, names));
    const full = compareResults(input.results, { gate: DEFAULT_GATE });
    expect(compareResults(slims, { gate: DEFAULT_GATE })).toEqual(full);
    const distinct = new Set(input.results.map((r) => JSON.stringify(r.scores.map((s) => [s.name, s.score, s.pass, s.state, s.weight]))));
    expect(new Set(slims.map((s) => s.scores)).size).toBe(distinct.size);
    expect(distinct.size).toBeLessThan(input.results.length);
    // No output, no reasons, no error message kept; usage keeps its numbers.
    for (const [k, s] of slims.entries()) {
      expect(s.output).toBeNull();
      expect(s.scores.every((x) => x.reason === '')).toBe(true);
      const u = input.results[k]!.usage;
      if (u) expect(s.usage).toEqual({ ...(u.inputTokens !== undefined ? { inputTokens: u.inputTokens } : {}), ...(u.outputTokens !== undefined ? { outputTokens: u.outputTokens } : {}) });
    }
  });
});

describe('SlimTable (slim results kept by column)', () => {
  it('gives back exactly the slim result of every line, every field and flag, and compares alike', () => {
    const { input } = syntheticRun(300);
    const base = input.results;
    // Every optional field and flag in some line: role, phase, incident, cost, cached true/false,
    // partial usage, errors of each shape, recorded with and without a missing answer.
    const varied: CaseResult[] = base.map((r, k) => {
      const v: CaseResult = { ...r };
      if (k % 5 === 0) v.role = 'baseline';
      if (k % 7 === 0) v.phase = 'confirm';
      if (k % 11 === 0) v.incident = `INC-${k % 3}`;
      if (k % 4 === 0) delete v.costUsd;
      else v.costUsd = k / 1000;
      if (k % 3 === 0) v.cached = k % 2 === 0;
      else delete v.cached;
      if (k % 6 === 0) v.usage = { inputTokens: k };
      else if (k % 6 === 1) v.usage = { outputTokens: k + 1 };
      else if (k % 6 === 2) delete v.usage;
      if (k % 9 === 0) v.error = { type: 'timeout', message: `slow ${k}`, source: 'provider' };
      else if (k % 9 === 1) v.error = { message: 'boom' };
      else if (k % 9 === 2) v.error = { type: 'parse', message: 'x', source: 'pipeline' };
      if (k % 8 === 0) v.recorded = { scores: r.scores, pass: !r.pass, output: 'o', answerMissing: true };
      else if (k % 8 === 1) delete v.recorded;
      v.repeat = k % 4;
      v.latencyMs = k * 1.5;
      return v;
    });
    const table = new SlimTable();
    const rows = varied.map((r, k) => table.add(r, k * 100, k + 1));
    const names = new Interner();
    varied.forEach((r, k) => {
      expect(table.get(rows[k]!)).toEqual(slimResult(r, names));
      expect(table.offset(rows[k]!)).toBe(k * 100);
      expect(table.length(rows[k]!)).toBe(k + 1);
    });
    expect(table.size).toBe(varied.length);
    // Made too small (grows as it fills) or for the exact count: the same rows; single fields read by column agree.
    for (const other of [new SlimTable(3), new SlimTable(varied.length), new SlimTable(Number.NaN)]) {
      varied.forEach((r, k) => other.add(r, k * 100, k + 1));
      for (const row of rows) {
        const slim = table.get(row);
        expect(other.get(row)).toEqual(slim);
        expect([other.caseId(row), other.variant(row), other.dataset(row), other.isBaseline(row), other.repeat(row), other.pass(row), other.latencyMs(row)])
          .toEqual([slim.caseId, slim.variant, slim.dataset, slim.role === 'baseline', slim.repeat, slim.pass, slim.latencyMs]);
      }
    }
    const results = table.results(rows);
    expect(compareResults(results, { gate: DEFAULT_GATE })).toEqual(compareResults(varied, { gate: DEFAULT_GATE }));
    // Iterable again (confirmation reads it several times per round).
    expect([...results].length).toBe(varied.length);
    expect([...results].length).toBe(varied.length);
  });
});
