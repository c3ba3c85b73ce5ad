/**
 * Vercel AI SDK content as recorded by `experimental_telemetry`:
 *  - `ai.prompt.messages` (on `…doGenerate` / `…doStream` spans): the provider-neutral prompt,
 *    `[{role:'system', content:string}, {role:'user'|'assistant'|'tool', content:[part]}]` with
 *    parts `{type:'text', text}`, `{type:'tool-call', toolCallId, toolName, input}`,
 *    `{type:'tool-result', toolCallId, toolName, output:{type:'json'|'text'|…, value}}`
 *    (SDK ≤4: `args` / `result`), `{type:'reasoning'|'file'|'image', …}` (no text);
 *  - `ai.response.text` + `ai.response.toolCalls` (`[{toolCallId, toolName, input}]`, input a
 *    JSON string; SDK ≤4: `args`) → one assistant message;
 *  - `ai.prompt.tools`: a list of JSON strings `{type:'function', name, description, inputSchema}`
 *    (SDK ≤4: `parameters`).
 */
import type { Json, Message, ToolCall, ToolDefinition } from '../model.js';
import { isObject, parseLenient } from './attrs.js';
import { parseArguments, toRole } from './messages.js';

type Obj = { [key: string]: Json };

function toolCallOf(part: Obj): ToolCall | undefined {
  const name = part['toolName'];
  if (typeof name !== 'string') return undefined;
  const id = part['toolCallId'];
  return { ...(typeof id === 'string' ? { id } : {}), name, arguments: parseArguments(part['input'] ?? part['args']) };
}

/** Text of a tool result: `{type, value}` outputs give their value, JSON values are stringified. */
function resultText(part: Obj): string | null {
  const raw = part['output'] ?? part['result'];
  const value = isObject(raw) && typeof raw['type'] === 'string' && 'value' in raw ? raw['value'] : raw;
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One recorded prompt message as model messages (a tool message holds one message per result). */
function toMessages(raw: Json): Message[] {
  if (!isObject(raw)) return [];
  const role = toRole(raw['role'], 'user');
  const content = raw['content'];
  if (typeof content === 'string') return [{ role, content }];
  if (!Array.isArray(content)) return [{ role, content: null }];
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  const results: Message[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    if (!isObject(part)) continue;
    if (part['type'] === 'text' && typeof part['text'] === 'string') texts.push(part['text']);
    if (part['type'] === 'tool-call') {
      const call = toolCallOf(part);
      if (call) calls.push(call);
    }
    if (part['type'] === 'tool-result') {
      const id = part['toolCallId'];
      const name = part['toolName'];
      results.push({
        role: 'tool', content: resultText(part),
        ...(typeof id === 'string' ? { toolCallId: id } : {}), ...(typeof name === 'string' ? { name } : {}),
      });
    }
  }
  if (results.length > 0 && texts.length === 0 && calls.length === 0) return results;
  const own: Message = { role, content: texts.length > 0 ? texts.join('\n') : null, ...(calls.length > 0 ? { toolCalls: calls } : {}) };
  return [...results, own];
}

/** `ai.prompt.messages` (a JSON list) → messages. */
export function vercelMessages(value: Json | undefined): Message[] {
  const v = parseLenient(value);
  return Array.isArray(v) ? v.flatMap(toMessages) : [];
}

/** `ai.response.text` + `ai.response.toolCalls` → the assistant message (none when both are absent). */
export function vercelResponse(text: Json | undefined, toolCalls: Json | undefined): Message[] {
  const parsedCalls = parseLenient(toolCalls);
  const calls = Array.isArray(parsedCalls)
    ? parsedCalls.flatMap((c) => (isObject(c) ? [toolCallOf(c)].filter((x): x is ToolCall => x !== undefined) : []))
    : [];
  const content = typeof text === 'string' && text !== '' ? text : null;
  if (content === null && calls.length === 0) return [];
  return [{ role: 'assistant', content, ...(calls.length > 0 ? { toolCalls: calls } : {}) }];
}

/** `ai.prompt.tools` (a list of JSON strings or objects) → tool definitions. */
export function vercelTools(value: Json | undefined): ToolDefinition[] {
  const v = parseLenient(value);
  if (!Array.isArray(v)) return [];
  const out: ToolDefinition[] = [];
  for (const item of v) {
    const t = parseLenient(item);
    if (!isObject(t) || typeof t['name'] !== 'string') continue;
    const description = t['description'];
    const parameters = parseLenient(t['inputSchema'] ?? t['parameters']);
    out.push({
      name: t['name'],
      ...(typeof description === 'string' ? { description } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
    });
  }
  return out;
}
