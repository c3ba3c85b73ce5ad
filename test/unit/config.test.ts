import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseYamlConfig } from '../../src/config/load.js';
import { defineConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { EvaluatorResolver } from '../../src/evaluators/registry.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('fills defaults for a minimal config', () => {
    const { config } = parseYamlConfig('datasets: [refund-bot]\nevaluators:\n  - type: contains\n    value: refund\n', 'evals.config.yaml');
    expect(config.datasets).toEqual(['refund-bot']);
    expect(config.pipeline.type).toBe('replay');
    expect(config.variants).toEqual([{ name: 'candidate' }]);
    expect(config.run.concurrency).toBe(8);
    expect(config.gate).toMatchObject({ incidentsMustHold: true, alpha: 0.05, maxErrorRate: 0.05, confirm: { enabled: true } });
  });

  it('names file, line, field, expected and found for a wrong type', () => {
    const text = 'datasets: [a]\nrun:\n  concurrency: lots\n';
    const err = errorOf(() => parseYamlConfig(text, 'evals.config.yaml'));
    expect(err.details).toMatchObject({ file: 'evals.config.yaml', line: 3, field: 'run.concurrency' });
    expect(err.message).toContain('evals.config.yaml, line 3, field run.concurrency');
    expect(err.message).toContain('"lots"');
  });

  it('refuses a zero budget, a config nested too deeply and a config that is not a file', async () => {
    expect(errorOf(() => parseYamlConfig('run:\n  maxCostUsd: 0\n', 'c.yaml')).details).toMatchObject({ field: 'run.maxCostUsd', line: 2 });
    expect(errorOf(() => parseYamlConfig(`x: ${'['.repeat(300)}${']'.repeat(300)}\n`, 'c.yaml')).message).toMatch(/c\.yaml: invalid YAML: nested too deeply/);
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-cfg-'));
    await expect(loadConfig(dir, '.')).rejects.toThrow(/the config is not a regular file[\s\S]*a directory/);
  });

  it('names a missing required field', () => {
    const err = errorOf(() => parseYamlConfig('pipeline:\n  type: module\n', 'c.yaml'));
    expect(err.details.field).toBe('pipeline.path');
    expect(err.message).toContain('missing');
  });

  it('rejects unknown keys so typos surface', () => {
    const err = errorOf(() => parseYamlConfig('datasets: [a]\nvariants:\n  - name: x\n    modle: gpt-4o\n', 'c.yaml'));
    expect(err.details).toMatchObject({ field: 'variants[0].modle', line: 4 });
  });

  it('reports invalid YAML with its line', () => {
    const err = errorOf(() => parseYamlConfig('datasets: [a\nrun: {', 'c.yaml'));
    expect(err.details.file).toBe('c.yaml');
    expect(err.details.line).toBeGreaterThan(0);
  });

  it('interpolates environment variables and fails on unset ones', () => {
    const ok = parseYamlConfig('providers:\n  openai:\n    baseUrl: ${BASE}/v1\n', 'c.yaml', { BASE: 'http://127.0.0.1:9' });
    expect(ok.config.providers.openai?.baseUrl).toBe('http://127.0.0.1:9/v1');
    const err = errorOf(() => parseYamlConfig('providers:\n  openai:\n    apiKey: ${NOPE_KEY}\n', 'c.yaml', {}));
    expect(err.details.field).toBe('providers.openai.apiKey');
    expect(err.message).toContain('NOPE_KEY');
  });

  it('reads $${ as a literal ${, and says so when a variable is unset', () => {
    const { config } = parseYamlConfig('variants:\n  - promptTemplate: "Cost: $${price} for ${WHO}; $$ stays"\n', 'c.yaml', { WHO: 'Ann' });
    expect(config.variants[0]!.promptTemplate).toBe('Cost: ${price} for Ann; $$ stays');
    expect(errorOf(() => parseYamlConfig('variants:\n  - promptTemplate: "${price}"\n', 'c.yaml', {})).details.hint).toContain('$${');
  });

  it('rejects a typo or a wrong type at any depth, naming the field, its line and the nearest key', () => {
    const at = (text: string) => errorOf(() => parseYamlConfig(text, 'c.yaml', {})).details;
    expect(at('datasets: [a]\nsnapshot:\n  flagged:\n    feedback: { below: "low" }\n')).toMatchObject({
      field: 'snapshot.flagged.feedback.below', line: 4, expected: 'a number', found: '"low"',
    });
    expect(at('snapshot:\n  flagged:\n    tags: escalated\n')).toMatchObject({ field: 'snapshot.flagged.tags', line: 3, expected: 'a list', found: '"escalated"' });
    expect(at('snapshot:\n  flagged:\n    feedback:\n      belw: 0.3\n')).toMatchObject({
      field: 'snapshot.flagged.feedback.belw', line: 4, expected: 'one of below, names, falseIsFlag', hint: 'did you mean "below"?',
    });
    expect(at('snapshot:\n  diagnose:\n    retrival:\n      minScore: 0.5\n')).toMatchObject({
      field: 'snapshot.diagnose.retrival', line: 3, hint: 'did you mean "retrieval"?',
    });
    expect(at('gate:\n  confirm:\n    maxRun: 3\n')).toMatchObject({ field: 'gate.confirm.maxRun', line: 3, hint: 'did you mean "maxRuns"?' });
    expect(at('snapshot:\n  flagged:\n    attributes:\n      - { equals: 1 }\n')).toMatchObject({ field: 'snapshot.flagged.attributes[0].key', line: 4, found: 'nothing (the field is missing)' });
    expect(at('providers:\n  openai: [a]\n')).toMatchObject({ field: 'providers.openai', line: 2, expected: 'a mapping of keys to values' });
    expect(at('variants:\n  - name: a\n  - name: a\n')).toMatchObject({ field: 'variants[1].name', line: 3 });
    expect(at('evaluators:\n  - value: x\n')).toMatchObject({ field: 'evaluators[0].type', line: 2 });
  });

  it('an unknown option of a built-in evaluator is an error at its line, naming the option it meant', async () => {
    const { config, fields } = parseYamlConfig('evaluators:\n  - type: contains\n    valeu: refund\n', 'c.yaml');
    const resolver = await EvaluatorResolver.create(path.join(tmpdir(), 'no-evaluators-here'));
    const err = errorOf(() => resolver.resolveAll(config.evaluators, fields, ['evaluators']));
    expect(err.details).toMatchObject({ file: 'c.yaml', line: 3, field: 'evaluators[0].valeu', hint: 'did you mean "value"?' });
  });

  it('reads YAML empty values as absent and keeps 0.1 gate names', () => {
    const { config } = parseYamlConfig('run:\nsnapshot:\n  flagged:\ngate:\n  incidentsMustNotRegress: false\n  failOnErrors: true\nvariants: [{}, {}]\n', 'c.yaml');
    expect(config.run.concurrency).toBe(8);
    expect(config.snapshot).toEqual({ flagged: {}, redact: { patterns: [], fields: [] }, diagnose: {} });
    expect(config.gate).toMatchObject({ incidentsMustHold: false, maxErrorRate: 0 });
    expect(config.gate).not.toHaveProperty('failOnErrors');
    expect(config.variants.map((v) => v.name)).toEqual(['variant-1', 'variant-2']);
  });

  it('loads a TypeScript config through defineConfig', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-cfg-'));
    const src = path.resolve('src/config/schema.ts');
    writeFileSync(path.join(dir, 'evals.config.ts'), `import { defineConfig } from ${JSON.stringify(src)};\nexport default defineConfig({ datasets: ['x@2'], run: { repeat: 3 } });\n`);
    const loaded = await loadConfig(dir);
    expect(loaded.config.datasets).toEqual(['x@2']);
    expect(loaded.config.run.repeat).toBe(3);
  });

  it('defineConfig types the same schema: typos and wrong types do not compile (checked by npm run typecheck)', () => {
    const ok = defineConfig({ datasets: ['x'], run: { concurrency: 2 }, snapshot: { flagged: { feedback: { below: 0.3 } } }, evaluators: [{ type: 'contains', value: 'x' }] });
    // @ts-expect-error unknown key at depth
    defineConfig({ snapshot: { flagged: { feedback: { belw: 0.3 } } } });
    // @ts-expect-error a string where a list is expected
    defineConfig({ snapshot: { flagged: { tags: 'escalated' } } });
    // @ts-expect-error a string where a number is expected
    defineConfig({ run: { concurrency: 'lots' } });
    expect(ok.run?.concurrency).toBe(2);
  });

  it('says which config names it looked for when none exists', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-cfg-'));
    await expect(loadConfig(dir)).rejects.toThrow(/evals\.config\.yaml/);
  });
});
