import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/fake-provider/index.js';
import type { FakeProvider } from '../../src/fake-provider/index.js';

const tools: Anthropic.Tool[] = [
  { name: 'lookup_order', input_schema: { type: 'object', properties: { id: { type: 'string' } } } },
];

describe('fake provider through the official @anthropic-ai/sdk', () => {
  let provider: FakeProvider;
  let client: Anthropic;

  beforeAll(async () => {
    provider = await startFakeProvider({
      rules: [
        { when: { api: 'chat' }, reply: { content: 'never for anthropic' } },
        { when: { hasToolResult: true }, reply: { content: 'Your order {{last_user}} shipped.' } },
        {
          when: { anyText: 'order \\d+', system: 'refund' },
          reply: { content: 'Looking it up.', toolCalls: [{ name: 'lookup_order', arguments: { id: '1234' } }] },
        },
        { when: { user: '^count' }, reply: { content: 'alpha beta gamma delta epsilon' } },
        { when: { user: '^halt' }, reply: { content: 'done', finishReason: 'stop_sequence' } },
      ],
    });
    client = new Anthropic({ baseURL: provider.url, apiKey: 'test', maxRetries: 0 });
  });
  afterAll(() => provider.close());

  it('answers a message with the default reply, end_turn and usage', async () => {
    const m = await client.messages.create({
      model: 'fake-claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi Claude' }],
    });
    expect(m.type).toBe('message');
    expect(m.content).toEqual([expect.objectContaining({ type: 'text', text: '[fake:fake-claude] Hi Claude' })]);
    expect(m.stop_reason).toBe('end_turn');
    expect(m.usage.input_tokens).toBe(2);
    // "[ fake : fake - claude ] Hi Claude" = 9 tokens.
    expect(m.usage.output_tokens).toBe(9);
  });

  it('returns tool_use blocks with stop_reason tool_use', async () => {
    const m = await client.messages.create({
      model: 'fake-claude',
      max_tokens: 100,
      system: 'You handle refund requests.',
      tools,
      messages: [{ role: 'user', content: 'Where is order 1234?' }],
    });
    expect(m.stop_reason).toBe('tool_use');
    const block = m.content.find((b) => b.type === 'tool_use');
    expect(block).toMatchObject({ type: 'tool_use', name: 'lookup_order', input: { id: '1234' } });
  });

  it('matches hasToolResult and reads the last user text, not the tool result', async () => {
    const m = await client.messages.create({
      model: 'fake-claude',
      max_tokens: 100,
      system: [{ type: 'text', text: 'You handle refund requests.' }],
      messages: [
        { role: 'user', content: 'status of 42' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'lookup_order', input: { id: '42' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'shipped' }] },
      ],
    });
    expect(m.content[0]).toMatchObject({ type: 'text', text: 'Your order status of 42 shipped.' });
  });

  it('streams events that the SDK assembles into the final message with tool input', async () => {
    const stream = client.messages.stream({
      model: 'fake-claude',
      max_tokens: 100,
      system: 'refund desk',
      tools,
      messages: [{ role: 'user', content: 'order 1234 is late' }],
    });
    const types: string[] = [];
    stream.on('streamEvent', (e) => types.push(e.type));
    const final = await stream.finalMessage();
    expect(types[0]).toBe('message_start');
    expect(types).toEqual(expect.arrayContaining(['content_block_start', 'content_block_delta', 'content_block_stop']));
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Looking it up.' });
    expect(final.content[1]).toMatchObject({ type: 'tool_use', name: 'lookup_order', input: { id: '1234' } });
    expect(final.usage.output_tokens).toBeGreaterThan(3);
  });

  it('streams raw events with create({ stream: true })', async () => {
    const stream = await client.messages.create({
      model: 'fake-claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'plain stream' }],
      stream: true,
    });
    let text = '';
    let stop: string | null = null;
    for await (const e of stream) {
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
      if (e.type === 'message_delta') stop = e.delta.stop_reason;
    }
    expect(text).toBe('[fake:fake-claude] plain stream');
    expect(stop).toBe('end_turn');
  });

  it('cuts at max_tokens with stop_reason max_tokens, streamed or not', async () => {
    const body = { model: 'fake-claude', max_tokens: 2, messages: [{ role: 'user' as const, content: 'count' }] };
    const m = await client.messages.create(body);
    expect(m.stop_reason).toBe('max_tokens');
    expect(m.content[0]).toMatchObject({ text: 'alpha beta' });
    expect(m.usage.output_tokens).toBe(2);
    const s = await client.messages.stream(body).finalMessage();
    expect(s.stop_reason).toBe('max_tokens');
    expect(s.content[0]).toMatchObject({ text: 'alpha beta' });
  });

  it('translates a rule finishReason into the Anthropic spelling', async () => {
    const m = await client.messages.create({
      model: 'fake-claude',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'halt now' }],
    });
    expect(m.stop_reason).toBe('end_turn');
  });

  it('answers unknown paths with a 404 in the Anthropic error shape', async () => {
    const err = await client.messages.countTokens({ model: 'x', messages: [{ role: 'user', content: 'y' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect((err as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });

  it('lists models in the Anthropic shape', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('fake-claude');
    expect(page.data[0]?.type).toBe('model');
  });
});
