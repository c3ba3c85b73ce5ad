/**
 * Turns the chat-message shapes vendor APIs store (OpenAI chat, Anthropic content blocks,
 * LangChain serialized and dict messages) into the model's `Message`. Used by the Langfuse and
 * LangSmith sources, which set typed steps themselves. Pure.
 */
import type { Json, Message, Role, ToolCall } from '../model.js';

type JsonObj = { [key: string]: Json };

/** True for a plain JSON object. */
export function isJsonObj(v: Json | undefined): v is JsonObj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ROLE_ALIASES: Record<string, Role> = {
  system: 'system', developer: 'system', human: 'user', user: 'user', ai: 'assistant',
  assistant: 'assistant', model: 'assistant', tool: 'tool', function: 'tool',
  systemmessage: 'system', humanmessage: 'user', aimessage: 'assistant', aimessagechunk: 'assistant', toolmessage: 'tool',
};

function roleOf(raw: Json | undefined): Role | undefined {
  return typeof raw === 'string' ? ROLE_ALIASES[raw.toLowerCase()] : undefined;
}

/** Parses tool-call arguments when they are a JSON string; keeps the raw string otherwise. */
export function parseArguments(args: Json | undefined): Json {
  if (typeof args !== 'string') return args ?? null;
  try {
    return JSON.parse(args) as Json;
  } catch {
    return args;
  }
}

/** Text of a content value: a string, or text parts (`{type:'text', text}`) joined by newlines. */
export function textOf(content: Json | undefined): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.flatMap((p) => (typeof p === 'string' ? [p] : isJsonObj(p) && typeof p.text === 'string' ? [p.text] : []));
    return parts.length > 0 ? parts.join('\n') : null;
  }
  return null;
}

function toolCallsOf(m: JsonObj): ToolCall[] {
  const calls: ToolCall[] = [];
  const raw = m.tool_calls ?? (isJsonObj(m.additional_kwargs) ? m.additional_kwargs.tool_calls : undefined);
  if (Array.isArray(raw)) {
    for (const c of raw) {
      if (!isJsonObj(c)) continue;
      const fn = isJsonObj(c.function) ? c.function : c;
      if (typeof fn.name !== 'string') continue;
      const call: ToolCall = { name: fn.name, arguments: parseArguments(fn.arguments ?? fn.args) };
      if (typeof c.id === 'string') call.id = c.id;
      calls.push(call);
    }
  }
  if (Array.isArray(m.content)) {
    for (const b of m.content) {
      if (isJsonObj(b) && b.type === 'tool_use' && typeof b.name === 'string') {
        const call: ToolCall = { name: b.name, arguments: b.input ?? null };
        if (typeof b.id === 'string') call.id = b.id;
        calls.push(call);
      }
    }
  }
  return calls;
}

/** Converts one message in any supported shape; undefined when it is not a message. */
export function toMessage(v: Json | undefined, fallbackRole: Role = 'user'): Message | undefined {
  if (typeof v === 'string') return { role: fallbackRole, content: v };
  if (!isJsonObj(v)) return undefined;
  // LangChain serialized: {lc:1, type:'constructor', id:[…,'HumanMessage'], kwargs:{content,…}}.
  if (v.lc !== undefined && Array.isArray(v.id) && isJsonObj(v.kwargs)) {
    const cls = v.id[v.id.length - 1];
    return toMessage({ ...v.kwargs, role: roleOf(cls) ?? roleOf(v.kwargs.type) ?? fallbackRole }, fallbackRole);
  }
  // LangChain dict: {type:'human', data:{content,…}} or {type:'ai', content}.
  const body = isJsonObj(v.data) && v.role === undefined ? v.data : v;
  const role = roleOf(v.role) ?? roleOf(v.type) ?? roleOf(body.type) ?? (typeof v.content === 'string' || body.content !== undefined ? fallbackRole : undefined);
  if (!role) return undefined;
  const msg: Message = { role, content: textOf(body.content) };
  const calls = toolCallsOf(body);
  if (calls.length > 0) msg.toolCalls = calls;
  if (typeof body.tool_call_id === 'string') msg.toolCallId = body.tool_call_id;
  if (typeof body.name === 'string' && body.name !== '') msg.name = body.name;
  return msg;
}

/**
 * Converts a list of messages (LangChain batches `[[…]]` are flattened), an object holding
 * `messages`, or a bare prompt string. Unknown shapes give an empty list.
 */
export function toMessages(v: Json | undefined, fallbackRole: Role = 'user'): Message[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [{ role: fallbackRole, content: v }];
  if (Array.isArray(v)) {
    const flat = v.length > 0 && v.every(Array.isArray) ? (v as Json[][]).flat() : v;
    return flat.flatMap((m) => toMessage(m, fallbackRole) ?? []);
  }
  if (isJsonObj(v)) {
    if (Array.isArray(v.messages)) return toMessages(v.messages, fallbackRole);
    const one = toMessage(v, fallbackRole);
    return one ? [one] : [];
  }
  return [];
}

/**
 * Output messages of a model call: OpenAI `choices[].message`, LangChain `generations[][]`,
 * Anthropic `{role, content:[blocks]}`, a single message, or a plain string.
 */
export function outputMessages(v: Json | undefined): Message[] {
  if (isJsonObj(v)) {
    if (Array.isArray(v.choices)) {
      return v.choices.flatMap((c) => (isJsonObj(c) ? (toMessage(c.message ?? c.text ?? null, 'assistant') ?? []) : []));
    }
    if (Array.isArray(v.generations)) {
      const gens = (v.generations as Json[]).flatMap((g) => (Array.isArray(g) ? g : [g]));
      return gens.flatMap((g) => (isJsonObj(g) ? (toMessage(g.message ?? g.text ?? null, 'assistant') ?? []) : []));
    }
    if (v.output !== undefined && v.role === undefined && v.content === undefined) return outputMessages(v.output);
  }
  return toMessages(v ?? null, 'assistant');
}
