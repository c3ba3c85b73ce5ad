/**
 * Langfuse OTel attributes (Python SDK v3+, JS SDK v4+): `langfuse.observation.type` decides the
 * step (generation → llm, retriever → retrieval, tool, embedding; span/agent/chain/event/
 * evaluator/guardrail → chain); `langfuse.observation.{input,output}` are JSON strings;
 * `…model.name`, `…model.parameters` (JSON), `…usage_details` (JSON), `…prompt.name/version`;
 * observation metadata `finish_reason` / `stop_reason` (generations) and `tool_call_id` (tools)
 * fill fields Langfuse has no attribute for.
 * Errors (`…level` = ERROR with `…status_message`) are read by span-error.ts; trace-level keys
 * (`langfuse.trace.*`, `user.id`, `session.id`) by trace-facts.ts.
 */
import type { Attributes, Json, Message, RawSpan, Usage } from '../model.js';
import { compact, isObject, json, parseLenient, str, toNumber, withPrefix } from './attrs.js';
import { toDocuments } from './documents.js';
import { normalizeFinishReason } from './finish-reasons.js';
import { finishReasonOf, toMessages, toToolDefinitions } from './messages.js';
import { paramsFromObject } from './params.js';
import { defineConvention, type StepPatch } from './types.js';

const P = 'langfuse.observation.';

/** `usage_details` keys: Langfuse's own (`input`, `output`, `total`, `input_cached_tokens`…) and provider names passed through. */
function usage(value: Json | undefined): Usage | undefined {
  const v = parseLenient(value);
  if (!isObject(v)) return undefined;
  const pick = (...keys: string[]): number | undefined => {
    for (const k of keys) {
      const n = toNumber(v[k]);
      if (n !== undefined) return n;
    }
    return undefined;
  };
  const u = compact<Usage>({
    inputTokens: pick('input', 'input_tokens', 'prompt_tokens', 'promptTokens'),
    outputTokens: pick('output', 'output_tokens', 'completion_tokens', 'completionTokens'),
    totalTokens: pick('total', 'total_tokens', 'totalTokens'),
    cachedInputTokens: pick('input_cached_tokens', 'cache_read_input_tokens', 'input_cache_read'),
    cacheCreationInputTokens: pick('cache_creation_input_tokens', 'input_cache_creation'),
    reasoningTokens: pick('output_reasoning_tokens', 'reasoning_tokens', 'output_reasoning'),
  });
  return Object.keys(u).length > 0 ? u : undefined;
}

/** A retriever's query: the input string, or `{query}` / `{input}` / `{question}`. */
function queryOf(input: Json | undefined): string | undefined {
  if (typeof input === 'string') return input;
  if (!isObject(input)) return undefined;
  const q = input['query'] ?? input['input'] ?? input['question'];
  return typeof q === 'string' ? q : undefined;
}

/** Observation metadata: one JSON object and/or flattened `…metadata.<k>` keys (flattened win). */
function metadataOf(a: Attributes): { [key: string]: Json } {
  const whole = json(a, `${P}metadata`);
  const out: { [key: string]: Json } = isObject(whole) ? { ...whole } : {};
  for (const [k, v] of Object.entries(withPrefix(a, `${P}metadata.`))) out[k] = parseLenient(v) ?? null;
  return out;
}

function metaString(meta: { [key: string]: Json }, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = meta[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/**
 * Messages of a generation's input or output. A plain string is one message as written, even
 * when it is itself JSON (a model answering in JSON); a value in no message shape is kept as
 * its recorded text rather than dropped.
 */
function generationMessages(parsed: Json | undefined, raw: string | undefined, role: 'user' | 'assistant'): Message[] {
  if (typeof parsed === 'string') return parsed === '' ? [] : [{ role, content: parsed }];
  const messages = toMessages(parsed, role);
  if (messages.length > 0 || parsed === undefined || parsed === null || raw === undefined) return messages;
  return [{ role, content: raw }];
}

function view(span: RawSpan): StepPatch | undefined {
  const a = span.attributes;
  // Callers (and Langfuse's integrations) put what has no attribute of its own here.
  const meta = metadataOf(a);
  const type = str(a, `${P}type`)?.toLowerCase();
  const model = str(a, `${P}model.name`);
  const input = json(a, `${P}input`);
  const output = json(a, `${P}output`);
  if (type === undefined && model === undefined) return undefined;
  if (type === 'generation' || ((type === undefined || type === 'span') && model !== undefined)) {
    const promptName = str(a, `${P}prompt.name`);
    // `{messages, tools}` inputs (the request as the app passed it) also say which tools were offered.
    const tools = isObject(input) ? toToolDefinitions(input['tools']) : [];
    return compact({
      type: 'llm' as const,
      model,
      params: paramsFromObject(a[`${P}model.parameters`]),
      tools: tools.length > 0 ? tools : undefined,
      input: generationMessages(input, str(a, `${P}input`), 'user'),
      output: generationMessages(output, str(a, `${P}output`), 'assistant'),
      finishReason: normalizeFinishReason(finishReasonOf(output) ?? metaString(meta, 'finish_reason', 'stop_reason')),
      usage: usage(a[`${P}usage_details`]),
      prompt: promptName === undefined ? undefined : compact({ templateId: promptName, version: str(a, `${P}prompt.version`) }),
    });
  }
  switch (type) {
    case 'embedding':
      return compact({ type: 'embedding' as const, model, usage: usage(a[`${P}usage_details`]) });
    case 'retriever':
      return compact({ type: 'retrieval' as const, query: queryOf(input), documents: toDocuments(output) });
    case 'tool':
      return compact({
        type: 'tool' as const, name: span.name, callId: metaString(meta, 'tool_call_id', 'toolCallId'), arguments: input, result: output,
      });
    default:
      return compact({ type: 'chain' as const, kind: type, input, output });
  }
}

/** The Langfuse convention; detected by any `langfuse.observation.*` key. */
export const langfuseConvention = defineConvention({
  id: 'langfuse',
  detect: (span) => Object.keys(span.attributes).some((k) => k.startsWith(P)),
  view,
});
