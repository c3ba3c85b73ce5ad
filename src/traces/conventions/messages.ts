/**
 * Message normalisation: every message shape found in traces becomes model.ts `Message`.
 * Shapes handled: OTel GenAI ≥1.37 `{role, parts:[…]}`, OpenAI chat `{role, content, tool_calls,
 * tool_call_id}`, Anthropic `{role, content:[text|tool_use|tool_result blocks]}`, the 1.28–1.36
 * log bodies, plain strings, and wrappers such as `{messages:[…]}` or `{choices:[…]}`.
 */
import type { Json, Message, Role, ToolCall, ToolDefinition } from '../model.js';
import { isObject, lookup, parseLenient } from './attrs.js';

type Obj = { [key: string]: Json };

const ROLE_ALIASES: Record<string, Role> = {
  system: 'system', developer: 'system',
  user: 'user', human: 'user',
  assistant: 'assistant', ai: 'assistant', model: 'assistant', bot: 'assistant',
  tool: 'tool', function: 'tool', ipython: 'tool',
};

/** Maps a recorded role (`human`, `developer`, `model`…) to a `Role`; unknown gives `fallback`. */
export function toRole(value: Json | undefined, fallback: Role): Role {
  return typeof value === 'string' ? (lookup(ROLE_ALIASES, value.toLowerCase()) ?? fallback) : fallback;
}

/** Parses tool-call arguments: JSON strings become values, other strings stay strings. */
export function parseArguments(value: Json | undefined): Json {
  if (value === undefined) return {};
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Json;
    } catch {
      return value;
    }
  }
  return value;
}

/** Text of a content value: strings as-is, text parts joined with newlines, other JSON stringified. */
export function contentText(value: Json | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const texts = value.map(partText).filter((t): t is string => t !== undefined);
    if (texts.length > 0) return texts.join('\n');
    // Typed parts with no text (reasoning, image, blob) carry no text content; untyped data does.
    const allTyped = value.every((p) => isObject(p) && typeof p['type'] === 'string');
    return value.length === 0 || allTyped ? null : JSON.stringify(value);
  }
  if (isObject(value)) return partText(value) ?? JSON.stringify(value);
  return String(value);
}

function partText(part: Json): string | undefined {
  if (typeof part === 'string') return part;
  if (!isObject(part)) return undefined;
  const type = part['type'];
  if (type !== undefined && type !== 'text' && type !== 'input_text' && type !== 'output_text') return undefined;
  const text = part['text'] ?? part['content'];
  return typeof text === 'string' ? text : undefined;
}

/** A tool call from OpenAI `{id, function:{name, arguments}}`, OTel `{id, name, arguments}` or Anthropic `tool_use`. */
export function toToolCall(value: Json): ToolCall | undefined {
  if (!isObject(value)) return undefined;
  const fn = isObject(value['function']) ? value['function'] : value;
  const name = fn['name'];
  if (typeof name !== 'string') return undefined;
  const id = value['id'];
  const args = fn['arguments'] ?? fn['input'] ?? value['input'];
  return { ...(typeof id === 'string' ? { id } : {}), name, arguments: parseArguments(args) };
}

/** Tool calls from a list (OpenAI `tool_calls`, OTel parts filtered to calls). */
export function toToolCalls(value: Json | undefined): ToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.map(toToolCall).filter((c): c is ToolCall => c !== undefined);
}

const CALL_PART_TYPES = new Set(['tool_call', 'tool_use', 'server_tool_use', 'mcp_tool_use', 'function_call']);
const RESULT_PART_TYPES = new Set(['tool_call_response', 'tool_result', 'function_call_output']);

/**
 * One recorded message as one or more `Message`s: tool results embedded in a user turn
 * (Anthropic `tool_result` blocks, OTel `tool_call_response` parts) become `tool` messages.
 */
export function toMessagesFromObject(obj: Obj, fallbackRole: Role): Message[] {
  // A message answering a tool call is a tool message whatever role the recorder gave it.
  const role = typeof obj['tool_call_id'] === 'string' ? 'tool' : toRole(obj['role'], fallbackRole);
  const raw = obj['parts'] ?? obj['content'];
  const content = parseLenient(raw);
  const name = typeof obj['name'] === 'string' ? obj['name'] : undefined;
  const toolCalls = toToolCalls(obj['tool_calls']);
  const results: Message[] = [];
  let textParts: Json = content ?? null;
  if (Array.isArray(content)) {
    const rest: Json[] = [];
    for (const part of content) {
      const type = isObject(part) ? part['type'] : undefined;
      if (isObject(part) && typeof type === 'string' && CALL_PART_TYPES.has(type)) {
        const call = toToolCall(part);
        if (call) toolCalls.push(call);
      } else if (isObject(part) && typeof type === 'string' && RESULT_PART_TYPES.has(type)) {
        const id = part['id'] ?? part['tool_use_id'] ?? part['call_id'];
        results.push({
          role: 'tool',
          content: contentText(part['response'] ?? part['result'] ?? part['content'] ?? part['output']),
          ...(typeof id === 'string' ? { toolCallId: id } : {}),
        });
      } else {
        rest.push(part);
      }
    }
    textParts = rest;
  }
  const callId = obj['tool_call_id'] ?? (role === 'tool' ? obj['id'] : undefined);
  const text = contentText(textParts);
  const own: Message = {
    role,
    content: text,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(typeof callId === 'string' ? { toolCallId: callId } : {}),
    ...(name !== undefined ? { name } : {}),
  };
  const keepOwn = text !== null || toolCalls.length > 0 || results.length === 0;
  // Tool results answer the previous assistant turn, so they come before the user's own text.
  return keepOwn ? [...results, own] : results;
}

/**
 * Normalises any recorded message value to a list of messages. Strings become one message
 * of `fallbackRole`; `{messages}` / `{choices}` / `{message}` wrappers are unwrapped; values
 * with no recognisable message give an empty list.
 */
export function toMessages(value: Json | undefined, fallbackRole: Role): Message[] {
  const v = parseLenient(value);
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [{ role: fallbackRole, content: v }];
  if (Array.isArray(v)) return v.flatMap((m) => toMessages(m, fallbackRole));
  if (!isObject(v)) return [];
  if (Array.isArray(v['messages'])) return toMessages(v['messages'], fallbackRole);
  if (Array.isArray(v['choices'])) return toMessages(v['choices'], fallbackRole);
  if (isObject(v['message'])) return toMessages(v['message'], fallbackRole);
  // OpenAI Responses API input/output items that are not messages.
  if (v['type'] === 'function_call') {
    const call = toToolCall({ ...v, id: v['call_id'] ?? v['id'] ?? null });
    return call ? [{ role: 'assistant', content: null, toolCalls: [call] }] : [];
  }
  if (v['type'] === 'function_call_output') {
    const id = v['call_id'];
    return [{ role: 'tool', content: contentText(v['output']), ...(typeof id === 'string' ? { toolCallId: id } : {}) }];
  }
  if ('role' in v || 'parts' in v || 'content' in v || 'tool_calls' in v) return toMessagesFromObject(v, fallbackRole);
  if (typeof v['text'] === 'string') return [{ role: fallbackRole, content: v['text'] }];
  return [];
}

/** Finish reason from a recorded output (`finish_reason` on OTel output messages or OpenAI choices, Anthropic `stop_reason`). */
export function finishReasonOf(value: Json | undefined): string | undefined {
  const v = parseLenient(value);
  if (Array.isArray(v)) {
    for (const item of v) {
      const r = finishReasonOf(item);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (!isObject(v)) return undefined;
  const r = v['finish_reason'] ?? v['stop_reason'] ?? v['finishReason'];
  if (typeof r === 'string') return r;
  return Array.isArray(v['choices']) ? finishReasonOf(v['choices']) : undefined;
}

/** Tool definitions from OTel `[{type, name, description, parameters}]`, OpenAI `{function:{…}}` or Anthropic `input_schema`. */
export function toToolDefinitions(value: Json | undefined): ToolDefinition[] {
  const v = parseLenient(value);
  if (!Array.isArray(v)) return [];
  const out: ToolDefinition[] = [];
  for (const item of v) {
    const t = parseLenient(item);
    if (!isObject(t)) continue;
    const fn = isObject(t['function']) ? t['function'] : t;
    const name = fn['name'];
    if (typeof name !== 'string') continue;
    const description = fn['description'];
    const parameters = parseLenient(fn['parameters'] ?? fn['input_schema'] ?? fn['arguments']);
    out.push({
      name,
      ...(typeof description === 'string' ? { description } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
    });
  }
  return out;
}
