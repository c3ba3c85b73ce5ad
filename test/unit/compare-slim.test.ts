import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/compare/compare.js';
import { Interner, slimResult } from '../../src/compare/slim.js';
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
