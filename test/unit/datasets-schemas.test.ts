import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateJson } from '../../src/datasets/format/json-schema.js';
import type { JsonSchema } from '../../src/datasets/format/json-schema.js';
import { caseSchema, publishedSchemas } from '../../src/datasets/format/schemas.js';
import { computeCaseId } from '../../src/datasets/case.js';
import { makeCase } from './datasets-fixtures.js';

describe('published schemas', () => {
  it.each(Object.keys(publishedSchemas))('schemas/%s matches the schema in code', async (file) => {
    const onDisk = JSON.parse(await readFile(join('schemas', file), 'utf8')) as unknown;
    expect(onDisk).toEqual(publishedSchemas[file as keyof typeof publishedSchemas]);
  });
});

describe('validateJson', () => {
  it('accepts a valid case and reports fields, expectations and findings', () => {
    const body = makeCase('t1');
    expect(validateJson({ ...body, id: computeCaseId(body) }, caseSchema)).toEqual([]);
    const bad = { ...body, id: 'nope', input: { messages: [{ role: 'robot', content: 3 }] } };
    expect(validateJson(bad, caseSchema)).toEqual([
      { field: 'input.messages[0].role', expected: 'one of "system", "user", "assistant", "tool"', found: '"robot"' },
      { field: 'input.messages[0].content', expected: 'string or null', found: 'integer 3' },
      { field: 'id', expected: 'a string matching /^c_[0-9a-f]{16}$/', found: '"nope"' },
    ]);
  });

  it('handles required, additionalProperties, minimum, anyOf and local refs', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['n'],
      additionalProperties: false,
      properties: { n: { type: 'integer', minimum: 1 }, x: { anyOf: [{ type: 'string' }, { $ref: '#/$defs/pair' }] } },
      $defs: { pair: { type: 'array', items: { type: 'number' } } },
    };
    expect(validateJson({ n: 2, x: [1, 2] }, schema)).toEqual([]);
    expect(validateJson({ n: 0, y: 1, x: [1, 'a'] }, schema).map((p) => p.field)).toEqual(['n', 'y', 'x[1]']);
    expect(validateJson({}, schema)).toEqual([{ field: 'n', expected: 'a value (required)', found: 'nothing' }]);
  });
});
