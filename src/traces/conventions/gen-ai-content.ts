/**
 * Message content of OTel GenAI spans, in all three generations of the conventions:
 *  - ≤1.27: span events `gen_ai.content.prompt` / `gen_ai.content.completion` carrying
 *    `gen_ai.prompt` / `gen_ai.completion` (JSON), or those keys directly on the span
 *    (OpenLIT-JS ≤1.7 also writes `gen_ai.content.prompt` as "role: text" lines).
 *  - 1.28–1.36: one log record per message (`gen_ai.system.message`, `gen_ai.user.message`,
 *    `gen_ai.assistant.message`, `gen_ai.tool.message`, `gen_ai.choice`), joined as `span.logs`.
 *  - ≥1.37: `gen_ai.system_instructions` / `gen_ai.input.messages` / `gen_ai.output.messages`
 *    as JSON strings on the span, or structured on the `gen_ai.client.inference.operation.details` log.
 */
import type { Attributes, AttrValue, Json, Message, RawSpan, Role } from '../model.js';
import { isObject, lookup, parseLenient, str } from './attrs.js';
import { contentText, finishReasonOf, toMessages, toMessagesFromObject } from './messages.js';

/** Messages and finish reason recovered from whichever generation the span used. */
export interface GenAiContent {
  input: Message[];
  output: Message[];
  finishReason?: string;
}

/** A span event or a joined log record, seen the same way. */
interface Record_ {
  name: string;
  attributes: Attributes;
  body: AttrValue;
}

/** Span events and joined logs in time order, because per-message events arrive in either. */
export function recordsOf(span: RawSpan): Record_[] {
  const events = span.events.map((e) => ({ name: e.name, attributes: e.attributes, body: null, t: e.timeMs }));
  const logs = span.logs.map((l) => ({ name: l.name, attributes: l.attributes, body: l.body, t: l.timeMs }));
  return [...events, ...logs].sort((a, b) => a.t - b.t);
}

const PER_MESSAGE_ROLES: Record<string, Role> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

/** The 1.28–1.36 body, or (for emitters that put fields in attributes) the attributes. */
function bodyOf(r: Record_): { [key: string]: Json } {
  const body = parseLenient(r.body);
  if (isObject(body)) return body;
  if (typeof body === 'string') return { content: body };
  return r.attributes;
}

function fromPerMessage(records: Record_[]): GenAiContent | undefined {
  const input: Message[] = [];
  const output: Message[] = [];
  let finishReason: string | undefined;
  for (const r of records) {
    const role = lookup(PER_MESSAGE_ROLES, r.name);
    if (role !== undefined) {
      input.push(...toMessagesFromObject({ ...bodyOf(r), role: bodyOf(r)['role'] ?? role }, role));
    } else if (r.name === 'gen_ai.choice') {
      const body = bodyOf(r);
      const message = isObject(body['message']) ? body['message'] : {};
      output.push(...toMessagesFromObject({ ...message, role: message['role'] ?? 'assistant' }, 'assistant'));
      const fr = body['finish_reason'];
      if (finishReason === undefined && typeof fr === 'string') finishReason = fr;
    }
  }
  if (input.length === 0 && output.length === 0) return undefined;
  return { input, output, ...(finishReason !== undefined ? { finishReason } : {}) };
}

function fromCurrent(attrs: Attributes): GenAiContent | undefined {
  const rawIn = attrs['gen_ai.input.messages'];
  const rawOut = attrs['gen_ai.output.messages'];
  const rawSys = attrs['gen_ai.system_instructions'];
  if (rawIn === undefined && rawOut === undefined && rawSys === undefined) return undefined;
  const system = contentText(parseLenient(rawSys));
  const messages = unpackJsonPrompt(toMessages(rawIn, 'user'));
  // Some emitters also repeat the instructions as a system message: show the prompt once.
  const repeated = system !== null && messages.some((m) => m.role === 'system' && m.content === system);
  const input = [...(system !== null && !repeated ? [{ role: 'system' as const, content: system }] : []), ...messages];
  const finishReason = finishReasonOf(rawOut);
  return { input, output: toMessages(rawOut, 'assistant'), ...(finishReason !== undefined ? { finishReason } : {}) };
}

/**
 * OpenLLMetry records a Responses API `input` list as one user message whose text is the
 * JSON of that list; unpack it back into the messages it holds (system turns included).
 */
function unpackJsonPrompt(messages: Message[]): Message[] {
  if (messages.length !== 1 || messages[0]!.role !== 'user') return messages;
  const text = messages[0]!.content?.trim();
  if (text === undefined || !text.startsWith('[') || !text.endsWith(']')) return messages;
  const parsed = parseLenient(text);
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((m) => isObject(m) && (typeof m['role'] === 'string' || typeof m['type'] === 'string'))) {
    return messages;
  }
  const unpacked = toMessages(parsed, 'user');
  return unpacked.length > 0 ? unpacked : messages;
}

/** OpenLIT-JS writes the prompt as "role: text" lines; split them back when every line says a role. */
function fromRoleLines(text: string): Message[] {
  const lines = text.split('\n');
  const re = /^(system|user|assistant|tool): ?(.*)$/;
  const msgs: Message[] = [];
  for (const line of lines) {
    const m = re.exec(line);
    if (m) msgs.push({ role: m[1] as Role, content: m[2] ?? '' });
    else if (msgs.length > 0) msgs[msgs.length - 1]!.content += `\n${line}`;
    else return [{ role: 'user', content: text }];
  }
  return msgs;
}

function fromLegacy(span: RawSpan, records: Record_[]): GenAiContent | undefined {
  const promptEvent = records.find((r) => r.name === 'gen_ai.content.prompt');
  const completionEvent = records.find((r) => r.name === 'gen_ai.content.completion');
  const prompt = promptEvent?.attributes['gen_ai.prompt'] ?? span.attributes['gen_ai.prompt'];
  const completion = completionEvent?.attributes['gen_ai.completion'] ?? span.attributes['gen_ai.completion'];
  const openlitPrompt = str(span.attributes, 'gen_ai.content.prompt');
  if (prompt === undefined && completion === undefined && openlitPrompt === undefined) return undefined;
  const parsedPrompt = parseLenient(prompt);
  const input =
    typeof parsedPrompt === 'string' || (parsedPrompt === undefined && openlitPrompt !== undefined)
      ? fromRoleLines(typeof parsedPrompt === 'string' ? parsedPrompt : (openlitPrompt ?? ''))
      : toMessages(parsedPrompt, 'user');
  const finishReason = finishReasonOf(completion);
  return { input, output: toMessages(completion, 'assistant'), ...(finishReason !== undefined ? { finishReason } : {}) };
}

/**
 * Span attributes first, then every `…operation.details` record (attributes or structured
 * body). OTel contrib writes two for one Responses call: the request's `gen_ai.input.messages`
 * when it starts and the response's `gen_ai.output.messages` when it ends.
 */
function detailsAttributes(span: RawSpan, records: Record_[]): Attributes {
  const details = records.filter((r) => r.name === 'gen_ai.client.inference.operation.details');
  if (details.length === 0) return span.attributes;
  const merged: Attributes = {};
  for (const d of details) {
    const body = parseLenient(d.body);
    for (const [k, v] of Object.entries({ ...(isObject(body) ? body : {}), ...d.attributes })) if (merged[k] === undefined) merged[k] = v;
  }
  return { ...merged, ...span.attributes };
}

/** Content of an OTel GenAI span from the newest generation present, falling back to older ones. */
export function genAiContent(span: RawSpan): GenAiContent | undefined {
  const records = recordsOf(span);
  return fromCurrent(detailsAttributes(span, records)) ?? fromPerMessage(records) ?? fromLegacy(span, records);
}
