/**
 * OpenLLMetry / Traceloop: decorator spans (`traceloop.span.kind` workflow|task|agent|tool with
 * `traceloop.entity.input/output`), legacy indexed LLM attributes (`gen_ai.prompt.N.*`,
 * `gen_ai.completion.N.*` incl. `tool_calls.M.*` and `function_call.*`, `llm.request.functions.N.*`,
 * older `llm.prompts.N.*` / `llm.completions.N.*`, `llm.*` params) and vector-DB spans whose hits
 * are `db.query.result` span events. Current OpenLLMetry LLM spans use gen_ai ≥1.37 keys and are
 * read by gen-ai.ts. Association properties are trace-level and read by trace-facts.ts.
 */
import type { Attributes, Json, LlmParams, Message, RawSpan, RetrievedDocument, ToolCall, ToolDefinition } from '../model.js';
import { hasCallEvidence } from './call-evidence.js';
import { bool, compact, hasPrefix, indexed, isObject, json, num, parseLenient, str, toNumber } from './attrs.js';
import { normalizeFinishReason } from './finish-reasons.js';
import { contentText, parseArguments, toRole } from './messages.js';
import { defineConvention, type StepPatch } from './types.js';

function indexedToolCalls(group: Attributes): ToolCall[] {
  const calls = indexed(group, 'tool_calls').flatMap((c): ToolCall[] => {
    const name = str(c, 'name');
    if (name === undefined) return [];
    const id = str(c, 'id');
    return [{ ...(id !== undefined ? { id } : {}), name, arguments: parseArguments(c['arguments']) }];
  });
  const fnName = str(group, 'function_call.name');
  if (fnName !== undefined) calls.push({ name: fnName, arguments: parseArguments(group['function_call.arguments']) });
  return calls;
}

/** Legacy indexed messages; content `"null"` (assistant tool-call turns) becomes null. */
function indexedMessages(attrs: Attributes, prefix: string, fallback: 'user' | 'assistant'): Message[] {
  return indexed(attrs, prefix).map((g) => {
    const raw = g['content'];
    const content = raw === 'null' ? null : contentText(parseLenient(raw));
    const toolCalls = indexedToolCalls(g);
    const toolCallId = str(g, 'tool_call_id');
    return {
      role: toRole(g['role'], fallback),
      content,
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      ...(toolCallId !== undefined ? { toolCallId } : {}),
    };
  });
}

function functions(attrs: Attributes): ToolDefinition[] {
  return indexed(attrs, 'llm.request.functions').flatMap((g): ToolDefinition[] => {
    const name = str(g, 'name');
    if (name === undefined) return [];
    const description = str(g, 'description');
    const parameters = parseLenient(g['parameters'] ?? g['arguments']);
    return [{ name, ...(description !== undefined ? { description } : {}), ...(parameters !== undefined ? { parameters } : {}) }];
  });
}

function legacyParams(a: Attributes): LlmParams {
  return compact({
    temperature: num(a, 'llm.temperature'),
    maxTokens: num(a, 'llm.request.max_tokens'),
    topP: num(a, 'llm.top_p'),
    frequencyPenalty: num(a, 'llm.frequency_penalty'),
    presencePenalty: num(a, 'llm.presence_penalty'),
    stream: bool(a, 'llm.is_streaming'),
  });
}

function llmView(span: RawSpan): StepPatch {
  const a = span.attributes;
  const input = [...indexedMessages(a, 'gen_ai.prompt', 'user'), ...indexedMessages(a, 'llm.prompts', 'user')];
  const outGroups = [...indexed(a, 'gen_ai.completion'), ...indexed(a, 'llm.completions')];
  const output = [...indexedMessages(a, 'gen_ai.completion', 'assistant'), ...indexedMessages(a, 'llm.completions', 'assistant')];
  const tools = functions(a);
  const promptKey = str(a, 'traceloop.prompt.key');
  const usage = compact({
    inputTokens: num(a, 'llm.usage.prompt_tokens'),
    outputTokens: num(a, 'llm.usage.completion_tokens'),
    totalTokens: num(a, 'llm.usage.total_tokens'),
  });
  return compact({
    type: 'llm' as const,
    provider: str(a, 'llm.vendor')?.toLowerCase(),
    model: str(a, 'llm.request.model'),
    responseModel: str(a, 'llm.response.model'),
    operation: str(a, 'llm.request.type'),
    params: legacyParams(a),
    tools: tools.length > 0 ? tools : undefined,
    input,
    output,
    finishReason: normalizeFinishReason(outGroups.map((g) => str(g, 'finish_reason')).find((r) => r !== undefined)),
    usage: Object.keys(usage).length > 0 ? usage : undefined,
    prompt:
      promptKey === undefined
        ? undefined
        : compact({ templateId: promptKey, version: str(a, 'traceloop.prompt.version') ?? str(a, 'traceloop.prompt.version_name') }),
  });
}

/** One `db.query.result` event per hit; `distance` is kept in metadata when there is no score. */
function vectorDbView(span: RawSpan): StepPatch {
  const a = span.attributes;
  const documents = span.events
    .filter((e) => e.name === 'db.query.result')
    .map((e): RetrievedDocument => {
      const ea = e.attributes;
      const metadata = parseLenient(ea['db.query.result.metadata']);
      const distance = toNumber(ea['db.query.result.distance']);
      const meta: Record<string, Json> = { ...(isObject(metadata) ? metadata : {}), ...(distance !== undefined ? { distance } : {}) };
      return compact({
        id: str(ea, 'db.query.result.id'),
        content: str(ea, 'db.query.result.document'),
        score: toNumber(ea['db.query.result.score']),
        metadata: Object.keys(meta).length > 0 ? meta : undefined,
      });
    });
  const key = (suffix: string): string | undefined => Object.keys(a).find((k) => k.startsWith('db.') && k.endsWith(suffix));
  const queryKey = key('.query_texts') ?? key('.query_text') ?? key('.query.text');
  const topKKey = key('.top_k') ?? key('.n_results') ?? key('.limit');
  const queryVal = queryKey === undefined ? undefined : parseLenient(a[queryKey]);
  return compact({
    type: 'retrieval' as const,
    query: Array.isArray(queryVal) ? queryVal.map(String).join('\n') : typeof queryVal === 'string' ? queryVal : undefined,
    store: str(a, 'db.collection.name') ?? str(a, 'db.system'),
    topK: topKKey === undefined ? undefined : num(a, topKKey),
    documents,
  });
}

/** Decorator input is `{args, kwargs}`: unwrap to the one thing a tool was called with. */
function unwrapArgs(v: Json | undefined): Json | undefined {
  if (!isObject(v) || !('args' in v)) return v;
  const args = Array.isArray(v['args']) ? v['args'] : [];
  const kwargs = isObject(v['kwargs']) ? v['kwargs'] : {};
  if (args.length === 0) return kwargs;
  if (args.length === 1 && Object.keys(kwargs).length === 0) return args[0];
  return v;
}

function view(span: RawSpan): StepPatch | undefined {
  const a = span.attributes;
  const kind = str(a, 'traceloop.span.kind');
  if (kind === 'tool') {
    return compact({
      type: 'tool' as const,
      name: str(a, 'traceloop.entity.name') ?? span.name.replace(/\.tool$/, ''),
      arguments: unwrapArgs(json(a, 'traceloop.entity.input')),
      result: json(a, 'traceloop.entity.output'),
    });
  }
  if (span.events.some((e) => e.name === 'db.query.result')) return vectorDbView(span);
  const legacyLlm =
    str(a, 'llm.request.type') !== undefined || hasPrefix(a, 'gen_ai.prompt.') || hasPrefix(a, 'gen_ai.completion.') ||
    hasPrefix(a, 'llm.prompts.') || hasPrefix(a, 'llm.completions.');
  if (legacyLlm) {
    const llm = llmView(span);
    if (hasCallEvidence(span) || llm.type !== 'llm') return llm;
    // Indexed prompt keys written by the application on its own span: what it rendered, not a call.
    return compact({
      type: 'prompt' as const,
      rendered: llm.input && llm.input.length > 0 ? llm.input : undefined,
      answer: llm.output && llm.output.length > 0 ? llm.output : undefined,
    });
  }
  if (kind !== undefined) {
    return compact({ type: 'chain' as const, kind, input: json(a, 'traceloop.entity.input'), output: json(a, 'traceloop.entity.output') });
  }
  return undefined;
}

/** The OpenLLMetry / Traceloop convention. */
export const openllmetryConvention = defineConvention({
  id: 'openllmetry',
  detect: (span) =>
    Object.keys(span.attributes).some(
      (k) => k.startsWith('traceloop.') || k.startsWith('llm.request.') || k.startsWith('llm.prompts.') ||
        k.startsWith('llm.completions.') || k.startsWith('gen_ai.prompt.') || k.startsWith('gen_ai.completion.') ||
        k === 'llm.usage.total_tokens' || k === 'llm.vendor',
    ) || span.events.some((e) => e.name === 'db.query.result'),
  view,
});
