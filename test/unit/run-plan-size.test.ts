/**
 * `mayHoldCases`: the cheap upper bound `evals run` checks before its plan, to start the case
 * read thread early (src/cli/run.ts).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayHoldCases } from '../../src/cli/run-plan.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'evals-may-hold-'));
  for (const [name, n] of [['a', 3], ['b', 4]] as const) {
    await mkdir(join(root, name, 'cases'), { recursive: true });
    for (let i = 0; i < n; i++) await writeFile(join(root, name, 'cases', `c_${i}.json`), '{}');
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mayHoldCases', () => {
  it("counts the case files of the named datasets (any version selector), across datasets", () => {
    expect(mayHoldCases(root, ['a@latest'], 3)).toBe(true);
    expect(mayHoldCases(root, ['a'], 4)).toBe(false);
    expect(mayHoldCases(root, ['a@latest', 'b@2'], 7)).toBe(true);
    expect(mayHoldCases(root, ['a', 'b'], 8)).toBe(false);
  });

  it('is false when a dataset has no cases directory', () => {
    expect(mayHoldCases(root, ['missing', 'a'], 1)).toBe(false);
  });
});
