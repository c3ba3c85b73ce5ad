/** An entry's `name:` is its metric: project evaluators take it too, and two entries of one list cannot share one. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { EvaluatorResolver } from '../../src/evaluators/registry.js';
import { fields, makeCase } from './evaluators-helpers.js';

const ctx = { case: makeCase(), actual: { output: 'Refunds take 5-7 business days.' }, reference: null };

describe('named evaluators', () => {
  it("reports a project evaluator under the entry's name, keeping its weight", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-names-'));
    writeFileSync(path.join(dir, 'always.mjs'), "export default { name: 'always', evaluate: () => ({ name: 'always', score: 1, pass: true, reason: 'ok' }) };\n");
    const resolver = await EvaluatorResolver.create(dir);
    const [plain, named] = resolver.resolveAll([{ type: 'always' }, { type: 'always', name: 'policy-check', weight: 2 }], fields, ['evaluators']);
    expect(plain!.name).toBe('always');
    expect(named).toMatchObject({ name: 'policy-check', weight: 2 });
    expect(await named!.evaluate(ctx)).toMatchObject({ name: 'policy-check', score: 1 });
  });

  it('refuses two entries of one list under one name, pointing at the second', async () => {
    const resolver = await EvaluatorResolver.create('/nonexistent');
    let err: unknown;
    try {
      resolver.resolveAll([{ type: 'contains', value: 'a' }, { type: 'regex', pattern: 'x', name: 'a-check' }, { type: 'contains', value: 'b' }], fields, ['evaluators']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain('field evaluators[2].name');
    expect((err as ConfigError).message).toContain('duplicate evaluator name "contains" (also evaluators[0])');
    // Named apart, the same type twice is two metrics.
    const ok = resolver.resolveAll([{ type: 'contains', value: 'a' }, { type: 'contains', value: 'b', name: 'contains-b' }], fields, ['evaluators']);
    expect(ok.map((e) => e.name)).toEqual(['contains', 'contains-b']);
  });
});
