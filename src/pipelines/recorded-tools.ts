/**
 * The tool results a case recorded, for answering a replayed model's tool calls. They come
 * from tool steps (name, arguments, result) and from later model calls' inputs (an assistant
 * tool call followed by the tool message answering it), since some instrumentations record
 * only one of the two.
 */
import type { Case } from '../datasets/case.js';
import type { Json } from '../traces/model.js';
import { canonicalJson } from '../datasets/case.js';

export interface RecordedTools {
  /** The recorded result for this exact call, or undefined. */
  find(name: string, args: Json): Json | undefined;
  readonly size: number;
}

export function recordedToolResults(c: Case): RecordedTools {
  const byKey = new Map<string, Json>();
  for (const s of c.context.steps) {
    const step = s.step;
    if (step?.type === 'tool' && step.result !== undefined && step.arguments !== undefined) {
      byKey.set(toolCallKey(step.name, step.arguments), step.result);
    }
    if (step?.type !== 'llm') continue;
    const calls = new Map<string, { name: string; args: Json }>();
    for (const m of step.input) {
      for (const tc of m.toolCalls ?? []) if (tc.id) calls.set(tc.id, { name: tc.name, args: tc.arguments });
      if (m.role === 'tool' && m.toolCallId && m.content !== null) {
        const call = calls.get(m.toolCallId);
        const key = call ? toolCallKey(call.name, call.args) : undefined;
        if (key && !byKey.has(key)) byKey.set(key, parseMaybe(m.content));
      }
    }
  }
  return { find: (name, args) => byKey.get(toolCallKey(name, args)), size: byKey.size };
}

function parseMaybe(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** Key for matching tool calls: name plus canonical arguments (parsed when they are a JSON string). */
export function toolCallKey(name: string, args: Json): string {
  let value = args;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as Json;
    } catch {
      /* keep the raw string */
    }
  }
  return `${name}\u0000${canonicalJson(value)}`;
}
