import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/fake-provider/index.js';
import type { FakeProvider } from '../../src/fake-provider/index.js';

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('fake provider through the official openai SDK', () => {
  let provider: FakeProvider;
  let client: OpenAI;

  beforeAll(async () => {
    provider = await startFakeProvider({
      rules: [
        { when: { hasToolResult: true }, reply: { content: 'It is {{model}} sunny.' } },
        {
          when: { user: 'weather', api: 'chat' },
          reply: { content: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        },
        {
          when: { user: 'weather', api: 'responses' },
          reply: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo', days: 3 } }] },
        },
        { when: { system: 'pirate' }, reply: { content: 'Arr, you said: {{last_user}}' } },
        { when: { model: '^long-' }, reply: { content: 'one two three four five six seven eight nine ten' } },
      ],
    });
    client = new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: 'test', maxRetries: 0 });
  });
  afterAll(() => provider.close());

  it('listens on 127.0.0.1 with the port in the url', () => {
    expect(provider.url).toBe(`http://127.0.0.1:${provider.port}`);
    expect(provider.port).toBeGreaterThan(0);
  });

  it('answers a chat completion with the default echo reply and usage', async () => {
    const r = await client.chat.completions.create({
      model: 'fake-gpt',
      messages: [{ role: 'user', content: 'Hello there, friend' }],
    });
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]?.message.content).toBe('[fake:fake-gpt] Hello there, friend');
    expect(r.choices[0]?.finish_reason).toBe('stop');
    // "Hello there , friend" = 4 tokens; reply "[ fake : fake - gpt ] Hello there , friend" = 11.
    expect(r.usage).toEqual({ prompt_tokens: 4, completion_tokens: 11, total_tokens: 15 });
  });

  it('returns tool calls with finish_reason tool_calls', async () => {
    const r = await client.chat.completions.create({
      model: 'fake-gpt',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [weatherTool],
    });
    const choice = r.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Let me check.');
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
  });

  it('matches hasToolResult after a tool message', async () => {
    const r = await client.chat.completions.create({
      model: 'fake-gpt',
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: '21C' },
      ],
    });
    expect(r.choices[0]?.message.content).toBe('It is fake-gpt sunny.');
  });

  it('streams text and tool call deltas, then the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'fake-gpt',
      messages: [{ role: 'user', content: 'weather please' }],
      tools: [weatherTool],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let args = '';
    let name = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      const choice = chunk.choices[0];
      text += choice?.delta.content ?? '';
      for (const tc of choice?.delta.tool_calls ?? []) {
        name += tc.function?.name ?? '';
        args += tc.function?.arguments ?? '';
      }
      finish = choice?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(4);
    expect(text).toBe('Let me check.');
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(finish).toBe('tool_calls');
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
  });

  it('assembles a stream with the SDK chat stream helper', async () => {
    const runner = client.chat.completions.stream({
      model: 'fake-gpt',
      messages: [{ role: 'system', content: 'You are a pirate.' }, { role: 'user', content: 'hi' }],
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Arr, you said: hi');
  });

  it('cuts the reply at max_tokens and reports length', async () => {
    const r = await client.chat.completions.create({
      model: 'long-model',
      messages: [{ role: 'user', content: 'count' }],
      max_tokens: 3,
    });
    expect(r.choices[0]?.message.content).toBe('one two three');
    expect(r.choices[0]?.finish_reason).toBe('length');
    expect(r.usage?.completion_tokens).toBe(3);
    const r2 = await client.chat.completions.create({
      model: 'long-model',
      messages: [{ role: 'user', content: 'count' }],
      max_completion_tokens: 2,
      stream: true,
    });
    let text = '';
    let finish: string | null = null;
    for await (const c of r2) {
      text += c.choices[0]?.delta.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe('one two');
    expect(finish).toBe('length');
  });

  it('answers the Responses API without streaming, function calls as output items', async () => {
    const text = await client.responses.create({ model: 'fake-gpt', instructions: 'You are a pirate.', input: 'ahoy' });
    expect(text.status).toBe('completed');
    expect(text.output_text).toBe('Arr, you said: ahoy');
    expect(text.usage?.total_tokens).toBe((text.usage?.input_tokens ?? 0) + (text.usage?.output_tokens ?? 0));

    const calls = await client.responses.create({
      model: 'fake-gpt',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'weather in Oslo' }] }],
      tools: [{ type: 'function', name: 'get_weather', parameters: null, strict: false }],
    });
    const item = calls.output[0];
    expect(item?.type).toBe('function_call');
    if (item?.type !== 'function_call') throw new Error('expected a function call');
    expect(item.name).toBe('get_weather');
    expect(JSON.parse(item.arguments)).toEqual({ city: 'Oslo', days: 3 });
  });

  it('streams the Responses API as typed events', async () => {
    const stream = await client.responses.create({ model: 'fake-gpt', input: 'stream me', stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(types[0]).toBe('response.created');
    expect(types).toContain('response.output_item.added');
    expect(types.at(-1)).toBe('response.completed');
    expect(text).toBe('[fake:fake-gpt] stream me');

    const helper = client.responses.stream({ model: 'fake-gpt', input: 'weather?' });
    const final = await helper.finalResponse();
    const call = final.output.find((o) => o.type === 'function_call');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ city: 'Oslo', days: 3 });
  });

  it('marks a Responses reply cut by max_output_tokens as incomplete', async () => {
    const r = await client.responses.create({ model: 'long-x', input: 'count', max_output_tokens: 4 });
    expect(r.status).toBe('incomplete');
    expect(r.incomplete_details?.reason).toBe('max_output_tokens');
    expect(r.output_text).toBe('one two three four');
    const s = await client.responses.stream({ model: 'long-x', input: 'count', max_output_tokens: 4 }).finalResponse();
    expect(s.status).toBe('incomplete');
    expect(s.output_text).toBe('one two three four');
  });

  it('lists models and answers unknown paths with a 404 in the OpenAI error shape', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('fake-gpt');
    const err = await client.completions.create({ model: 'x', prompt: 'y' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({ type: 'invalid_request_error' });
  });

  it('records requests with their parsed body and counts statuses', () => {
    const last = provider.requests.at(-1);
    expect(last?.path).toBe('/v1/completions');
    expect(last?.status).toBe(404);
    const chat = provider.requests.find((r) => r.api === 'chat');
    expect(chat?.model).toBe('fake-gpt');
    expect(chat?.body).toMatchObject({ model: 'fake-gpt' });
    expect(provider.stats.total).toBe(provider.requests.length);
    expect(provider.stats.byStatus[404]).toBe(1);
  });
});
