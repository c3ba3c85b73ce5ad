import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../src/errors.js';
import {
  countTokens,
  createFaultPicker,
  loadRules,
  parseRules,
  runFakeProvider,
  truncateToTokens,
} from '../../src/fake-provider/index.js';
import { createLatencyPicker, parseFaultHeader } from '../../src/fake-provider/faults.js';
import { normalizeRequest } from '../../src/fake-provider/normalize.js';
import { compileRules, planReply } from '../../src/fake-provider/rules.js';
import { splitForStream } from '../../src/fake-provider/tokens.js';

describe('token estimate', () => {
  it('counts words and punctuation and truncates on token boundaries', () => {
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens('')).toBe(0);
    expect(truncateToTokens('Hello, world! Bye', 2)).toBe('Hello,');
    expect(truncateToTokens('short', 10)).toBe('short');
    expect(splitForStream(' a  b, c ').join('')).toBe(' a  b, c ');
    expect(splitForStream('one two')).toEqual(['one', ' two']);
  });
});

describe('request normalization', () => {
  it('reads system, last user text and tool results from every API', () => {
    const chat = normalizeRequest('chat', {
      model: 'g',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'first' }] },
        { role: 'tool', tool_call_id: 'x', content: 'result' },
      ],
      max_completion_tokens: 5,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(chat).toMatchObject({ system: 'Be brief.', lastUser: 'first', hasToolResult: true, maxTokens: 5, includeUsage: true });
    expect(chat.allText).toBe('Be brief.\nfirst\nresult');

    const responses = normalizeRequest('responses', {
      model: 'g',
      instructions: 'Sys',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'q' }] },
        { type: 'function_call_output', call_id: 'c', output: 'out' },
      ],
      max_output_tokens: 9,
    });
    expect(responses).toMatchObject({ system: 'Sys', lastUser: 'q', hasToolResult: true, maxTokens: 9, stream: false });

    const messages = normalizeRequest('messages', {
      model: 'c',
      system: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }],
      messages: [
        { role: 'user', content: 'ask' },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'r' }] }] },
      ],
      max_tokens: 3,
    });
    expect(messages).toMatchObject({ system: 'A\nB', lastUser: 'ask', hasToolResult: true, maxTokens: 3 });
  });
});

describe('rules', () => {
  const req = normalizeRequest('chat', {
    model: 'gpt-x',
    messages: [{ role: 'system', content: 'refund desk' }, { role: 'user', content: 'my order 77' }],
  });

  it('takes the first matching rule, with every condition required', () => {
    const rules = compileRules([
      { when: { model: '^claude' }, reply: { content: 'A' } },
      { when: { system: 'refund', user: 'nothing-like-this' }, reply: { content: 'B' } },
      { when: { api: 'messages' }, reply: { content: 'C' } },
      { when: { hasToolResult: true }, reply: { content: 'D' } },
      { when: { anyText: 'desk', user: 'order \\d+' }, reply: { content: '{{model}} / {{ last_user }}' } },
      { reply: { content: 'fallback' } },
    ]);
    expect(planReply(rules, req).content).toBe('gpt-x / my order 77');
  });

  it('falls back to the deterministic default reply', () => {
    const plan = planReply([], req);
    expect(plan.content).toBe('[fake:gpt-x] my order 77');
    expect(plan.finishReason).toBe('stop');
    expect(plan.inputTokens).toBe(countTokens('refund desk\nmy order 77'));
  });

  it('defaults finish to tool_calls with tool calls, and drops them when max_tokens cuts the text', () => {
    const rules = compileRules([{ reply: { content: 'a b c d', toolCalls: [{ name: 'f', arguments: { x: 1 } }] } }]);
    expect(planReply(rules, req).finishReason).toBe('tool_calls');
    const cut = planReply(rules, { ...req, maxTokens: 2 });
    expect(cut).toMatchObject({ content: 'a b', toolCalls: [], finishReason: 'length', outputTokens: 2 });
  });

  it('rejects an invalid regex with a ConfigError naming the field', () => {
    expect(() => compileRules([{ reply: {} }, { when: { user: '(' }, reply: {} }])).toThrow(ConfigError);
    expect(() => compileRules([{ reply: {} }, { when: { user: '(' }, reply: {} }])).toThrow(/rules\[1\]\.when\.user/);
  });
});

describe('loading rules from files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fake-rules-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads YAML and JSON rule files', async () => {
    const yamlFile = join(dir, 'rules.yaml');
    await writeFile(yamlFile, 'rules:\n  - when: { user: refund }\n    reply:\n      content: ok\n');
    expect(await loadRules(yamlFile)).toEqual([{ when: { user: 'refund' }, reply: { content: 'ok' } }]);
    const jsonFile = join(dir, 'rules.json');
    await writeFile(jsonFile, JSON.stringify([{ reply: { toolCalls: [{ name: 't', arguments: {} }] } }]));
    expect(await loadRules(jsonFile)).toEqual([{ reply: { toolCalls: [{ name: 't', arguments: {} }] } }]);
  });

  it('names the file and the field in errors', async () => {
    const cases: Array<[string, RegExp]> = [
      ['- reply: { content: 3 }', /\[0\]\.reply\.content/],
      ['rules:\n  - when: { api: grpc }\n    reply: {}', /rules\[0\]\.when\.api/],
      ['- when: { user: "(" }\n  reply: {}', /\[0\]\.when\.user/],
      ['- reply: { toolCalls: [{ name: x, arguments: 1 }] }', /\[0\]\.reply\.toolCalls\[0\]\.arguments/],
      ['- reply: {}\n  extra: 1', /\[0\]\.extra/],
      ['{ nope: 1 }', /\(root\)/],
    ];
    for (const [text, field] of cases) {
      const err = (() => {
        try {
          parseRules(text, 'my-rules.yaml');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, text).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/^my-rules\.yaml/);
      expect((err as Error).message).toMatch(field);
    }
    expect(() => parseRules('- reply: [', 'bad.yaml')).toThrow(/bad\.yaml, line \d+/);
    await expect(loadRules(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml/);
  });
});

describe('fault picker', () => {
  it('is deterministic for a seed and follows the rates', () => {
    const draw = (seed: number): Array<string | undefined> => {
      const pick = createFaultPicker({ rate429: 0.3, hangRate: 0.2, seed });
      return Array.from({ length: 2000 }, () => pick());
    };
    const a = draw(5);
    expect(draw(5)).toEqual(a);
    expect(draw(6)).not.toEqual(a);
    const share = (kind: string): number => a.filter((f) => f === kind).length / a.length;
    expect(share('429')).toBeGreaterThan(0.25);
    expect(share('429')).toBeLessThan(0.35);
    expect(share('hang')).toBeGreaterThan(0.16);
    expect(share('hang')).toBeLessThan(0.24);
  });
});

describe('latency picker', () => {
  it('adds seeded jitter within [latency, latency + jitter) and honours the header', () => {
    const a = createLatencyPicker(100, 50, 9);
    const b = createLatencyPicker(100, 50, 9);
    const xs = Array.from({ length: 200 }, () => a());
    expect(Array.from({ length: 200 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...xs)).toBeLessThan(150);
    expect(new Set(xs).size).toBeGreaterThan(10);
    expect(a('7')).toBe(7);
    expect(createLatencyPicker(30)()).toBe(30);
  });

  it('parses only known fault names from the header', () => {
    expect(parseFaultHeader('hang')).toBe('hang');
    expect(parseFaultHeader(['503'])).toBe('503');
    expect(parseFaultHeader('418')).toBeUndefined();
    expect(parseFaultHeader(undefined)).toBeUndefined();
  });
});

describe('runFakeProvider', () => {
  it('starts the server from a rules file and prints the listening line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-run-'));
    const file = join(dir, 'rules.yaml');
    await writeFile(file, '- reply: { content: from file }\n');
    const lines: string[] = [];
    const provider = await runFakeProvider({ rulesFile: file, log: (l) => lines.push(l) });
    try {
      expect(lines).toEqual([`fake provider listening on http://127.0.0.1:${provider.port}`]);
      const res = await fetch(`${provider.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
      });
      const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
      expect(body.choices[0]?.message.content).toBe('from file');
      const bad = await fetch(`${provider.url}/v1/chat/completions`, { method: 'POST', body: 'not json' });
      expect(bad.status).toBe(400);
    } finally {
      await provider.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
