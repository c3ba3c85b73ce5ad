import { describe, expect, it } from 'vitest';
import { build, score } from './evaluators-helpers.js';

describe('json-valid fences', () => {
  const shapes = [
    '{"answer": 1}',
    '```json\n{"answer": 1}\n```',
    '```JSON\n{"answer": 1}\n```',
    'Here is the result:\n```json\n{"answer": 1}\n```',
    '```json\n{"answer": 1}\n```\nLet me know if you need more.',
    '~~~json\n{"answer": 1}\n~~~',
    '```{"answer": 1}```',
    '```json {"answer": 1}```',
    '```\n{"answer": 1}\n```',
  ];
  it.each(shapes)('accepts %j', async (output) => {
    expect((await score({ type: 'json-valid', required: ['answer'] }, { output })).pass).toBe(true);
  });

  it('fails prose, a broken fenced body, and fences when allowFence is false', async () => {
    expect((await score({ type: 'json-valid' }, { output: 'The answer is 1.' })).pass).toBe(false);
    expect((await score({ type: 'json-valid' }, { output: '```json\n{"answer": }\n```' })).pass).toBe(false);
    expect((await score({ type: 'json-valid', allowFence: false }, { output: '```json\n{"answer": 1}\n```' })).pass).toBe(false);
    expect(build({ type: 'json-valid' }).name).toBe('json-valid');
  });
});
