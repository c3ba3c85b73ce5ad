import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Fields } from '../../src/config/fields.js';
import { jsonSchema } from '../../src/evaluators/builtin/json-schema.js';
import { parsePath } from '../../src/evaluators/builtin/json-path.js';
import { ConfigError } from '../../src/errors.js';
import { build, makeCase, score } from './evaluators-helpers.js';

const schema = {
  type: 'object',
  required: ['answer', 'refund_days'],
  properties: { answer: { type: 'string' }, refund_days: { type: 'array', items: { type: 'integer' }, minItems: 2 } },
  additionalProperties: false,
};

describe('json-schema', () => {
  it('passes a matching (fenced) output and fails one that breaks the schema', async () => {
    expect((await score({ type: 'json-schema', schema }, { output: 'Here:\n```json\n{"answer":"ok","refund_days":[5,7]}\n```' })).pass).toBe(true);
    const bad = await score({ type: 'json-schema', schema }, { output: '{"answer":1,"refund_days":[90],"extra":true}' });
    expect(bad).toMatchObject({ pass: false, score: 0 });
    expect(bad.reason).toContain('/answer must be string');
    expect(bad.reason).toContain('/refund_days must NOT have fewer than 2 items');
    expect(bad.reason).toContain('(extra)');
    expect((await score({ type: 'json-schema', schema }, { output: 'not json' })).reason).toContain('not valid JSON');
  });

  it('reads a schema file relative to the config file (JSON or YAML)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'evals-schema-'));
    writeFileSync(path.join(dir, 'answer.schema.yaml'), 'type: object\nrequired: [answer]\n');
    const f = new Fields(path.join(dir, 'evals.config.yaml'));
    const ev = jsonSchema({ type: 'json-schema', file: 'answer.schema.yaml' }, f, ['evaluators', 0]);
    const ctx = (output: string) => ({ case: makeCase(), actual: { output }, reference: null });
    expect((await ev.evaluate(ctx('{"answer":"x"}'))).pass).toBe(true);
    expect((await ev.evaluate(ctx('{"other":"x"}'))).reason).toContain("must have required property 'answer'");
    expect(() => jsonSchema({ type: 'json-schema', file: 'missing.json' }, f, ['evaluators', 0])).toThrow(/cannot read the schema file/);
  });

  it('rejects a bad schema or both/neither of schema and file', () => {
    expect(() => build({ type: 'json-schema', schema: { type: 'objekt' } })).toThrow(ConfigError);
    expect(() => build({ type: 'json-schema' })).toThrow(/exactly one of/);
    expect(() => build({ type: 'json-schema', schema: {}, file: 'x.json' })).toThrow(/exactly one of/);
  });
});

describe('json-path', () => {
  const output = '```json\n{"refund":{"days":"7","policy id":"P-12"},"items":[{"id":"A1002","price":12.49}]}\n```';
  it('finds values by dotted and bracket paths and compares them', async () => {
    expect((await score({ type: 'json-path', path: '$.refund.days', value: 7 }, { output })).pass).toBe(true);
    expect((await score({ type: 'json-path', path: 'refund.days', value: 7, strictTypes: true }, { output })).pass).toBe(false);
    expect((await score({ type: 'json-path', path: 'items[0].id', value: { $regex: '^A\\d+$' } }, { output })).pass).toBe(true);
    expect((await score({ type: 'json-path', path: 'items[0].price', value: { $number: 12.5, tolerance: 0.01 } }, { output })).pass).toBe(true);
    expect((await score({ type: 'json-path', path: 'refund["policy id"]' }, { output })).pass).toBe(true);
  });

  it('fails a wrong value or a missing path', async () => {
    const wrong = await score({ type: 'json-path', path: 'refund.days', value: 90 }, { output });
    expect(wrong).toMatchObject({ pass: false, score: 0 });
    expect(wrong.reason).toContain('expected 90');
    expect((await score({ type: 'json-path', path: 'items[1].id' }, { output })).reason).toBe('items[1].id not found');
  });

  it('parses paths and rejects bad ones', () => {
    expect(parsePath("$.a['b c'][2].d")).toEqual(['a', 'b c', 2, 'd']);
    expect(parsePath('a..b')).toBeUndefined();
    expect(() => build({ type: 'json-path', path: 'a[x]' })).toThrow(ConfigError);
  });
});
