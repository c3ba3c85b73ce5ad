/**
 * Reduces a request body of any of the three APIs to a `NormalizedRequest`, so rules match
 * the same way whichever SDK sent it. Unknown shapes are tolerated: missing fields read as
 * empty, because the fake provider must not be stricter than it needs to be.
 */
import type { FakeApi, NormalizedRequest } from './types.js';

type Json = Record<string, unknown>;

interface Turn {
  role: string;
  text: string;
}

/** Normalizes a parsed request body for `api`. */
export function normalizeRequest(api: FakeApi, body: Json): NormalizedRequest {
  const turns: Turn[] = [];
  const systemParts: string[] = [];
  let hasToolResult = false;
  let maxTokens: number | undefined;

  if (api === 'chat') {
    for (const m of asArray(body['messages'])) {
      const role = String(asObject(m)['role'] ?? '');
      const text = textOf(asObject(m)['content']);
      if (role === 'system' || role === 'developer') systemParts.push(text);
      else turns.push({ role, text });
      if (role === 'tool' || role === 'function') hasToolResult = true;
    }
    maxTokens = asNumber(body['max_completion_tokens']) ?? asNumber(body['max_tokens']);
  } else if (api === 'responses') {
    if (typeof body['instructions'] === 'string') systemParts.push(body['instructions']);
    const input = body['input'];
    if (typeof input === 'string') turns.push({ role: 'user', text: input });
    for (const item of asArray(input)) {
      const o = asObject(item);
      const type = o['type'];
      if (type === 'function_call_output' || type === 'custom_tool_call_output') {
        hasToolResult = true;
        turns.push({ role: 'tool', text: textOf(o['output']) });
      } else if (type === undefined || type === 'message') {
        const role = String(o['role'] ?? '');
        const text = textOf(o['content']);
        if (role === 'system' || role === 'developer') systemParts.push(text);
        else turns.push({ role, text });
      }
    }
    maxTokens = asNumber(body['max_output_tokens']);
  } else {
    const system = body['system'];
    if (system !== undefined) systemParts.push(textOf(system));
    for (const m of asArray(body['messages'])) {
      const o = asObject(m);
      const content = o['content'];
      // Tool results ride inside user messages here; split them out so "last user message"
      // means the same as in the OpenAI APIs, where they are separate tool turns.
      for (const block of asArray(content)) {
        const b = asObject(block);
        if (b['type'] === 'tool_result') {
          hasToolResult = true;
          turns.push({ role: 'tool', text: textOf(b['content']) });
        }
      }
      turns.push({ role: String(o['role'] ?? ''), text: textOf(content) });
    }
    maxTokens = asNumber(body['max_tokens']);
  }

  const system = systemParts.join('\n');
  let lastUser = '';
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i];
    if (t !== undefined && t.role === 'user' && t.text !== '') {
      lastUser = t.text;
      break;
    }
  }
  const allText = [system, ...turns.map((t) => t.text)].filter((s) => s !== '').join('\n');
  const streamOptions = asObject(body['stream_options']);
  const result: NormalizedRequest = {
    api,
    model: typeof body['model'] === 'string' ? body['model'] : '',
    system,
    lastUser,
    allText,
    hasToolResult,
    stream: body['stream'] === true,
    includeUsage: streamOptions['include_usage'] === true,
  };
  if (maxTokens !== undefined) result.maxTokens = maxTokens;
  return result;
}

/**
 * Text of a message content in any of the shapes the APIs use: a string, or an array of
 * parts with `text` (text, input_text, output_text). Tool-use and tool-result blocks
 * contribute nothing: they are not the message's own text.
 */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  const parts: string[] = [];
  for (const part of asArray(content)) {
    if (typeof part === 'string') {
      parts.push(part);
      continue;
    }
    const o = asObject(part);
    if (typeof o['text'] === 'string') parts.push(o['text']);
  }
  return parts.filter((p) => p !== '').join('\n');
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function asObject(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
