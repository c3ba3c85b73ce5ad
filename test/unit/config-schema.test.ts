/**
 * schemas/config.schema.json, the JSON Schema editors use for evals.config.yaml: it is what
 * `npm run schema` generates from src/config/schema.ts today (not stale), it accepts this
 * repository's config and the one `evals init` writes, and it rejects what the loader rejects.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SCHEMA_FILE, configSchemaText } from '../support/config-schema.js';
import { configText } from '../../src/cli/init-files.js';
import { REPO } from '../support/cli.js';

const committed = readFileSync(CONFIG_SCHEMA_FILE, 'utf8');
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(committed) as object);

function errors(yaml: string): string[] {
  return validate(parse(yaml) ?? {}) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('schemas/config.schema.json', () => {
  it('is what `npm run schema` generates from src/config/schema.ts', () => {
    expect(committed, 'schemas/config.schema.json is stale: run `npm run schema` and commit it').toBe(configSchemaText());
  }, 120_000);

  it('carries the JSDoc of the schema as descriptions, and the built-in evaluator names', () => {
    const schema = JSON.parse(committed) as { properties: Record<string, { description?: string; anyOf?: Array<{ properties?: Record<string, { description?: string }> }> }> };
    expect(schema.properties.run!.anyOf![0]!.properties!.concurrency!.description).toBe('Cases in flight at once. Default 8.');
    expect(committed).toContain('"semantic-similarity"');
  });

  it("accepts this repository's evals.config.yaml and the config `evals init` writes", () => {
    expect(errors(readFileSync(path.join(REPO, 'evals.config.yaml'), 'utf8'))).toEqual([]);
    expect(errors(configText({ dataset: 'support' }))).toEqual([]);
    expect(errors(configText({ dataset: 'support', source: { input: 'langfuse://', because: 'test' } }))).toEqual([]);
  });

  it('rejects typos and wrong types at any depth, as the loader does', () => {
    expect(errors('snapshot:\n  flagged:\n    feedback: { below: low }\n').join()).toMatch(/\/snapshot\/flagged\/feedback/);
    expect(errors('snapshot:\n  flagged:\n    tags: escalated\n').join()).toMatch(/\/snapshot\/flagged\/tags/);
    expect(errors('snapshot:\n  flagged:\n    feedback: { belw: 0.3 }\n').join()).toMatch(/additional properties/);
    expect(errors('snapshot:\n  diagnose:\n    retrival: { minScore: 0.5 }\n').join()).toMatch(/additional properties/);
    expect(errors('evaluators:\n  - value: refund\n').join()).toMatch(/\/evaluators\/0 must have required property 'type'/);
    expect(errors('providers:\n  openai:\n    baseUrl: ftp://x\n').join()).toMatch(/baseUrl must match pattern/);
    expect(errors('evaluators:\n  - type: contains\n    valeu: refund\n').join()).toMatch(/\/evaluators\/0 must NOT have additional properties/);
    expect(errors('evaluators:\n  - type: contains\n    value: refund\n    weight: 2\n  - type: my-own-check\n    anything: 1\n')).toEqual([]);
    expect(errors('providers:\n  openai:\n    baseUrl: ${BASE_URL}\n')).toEqual([]);
  });
});
