/**
 * OTel GenAI semantic conventions (`gen_ai.*`), every generation from 1.26 to current:
 * step type from `gen_ai.operation.name`, provider from `gen_ai.provider.name` (≥1.37) or
 * `gen_ai.system`, request parameters, usage under old and new names, finish reasons,
 * retrieval, tool, embedding and agent/workflow spans. Content is read by gen-ai-content.ts.
 */
import type { Attributes, Json, LlmParams, RawSpan, Usage } from '../model.js';
import { bool, compact, json, lookup, nonEmptyRecord, num, parseLenient, str, strList, withPrefix } from './attrs.js';
import { normalizeFinishReason } from './finish-reasons.js';
import { hasCallEvidence, LLM_OPERATIONS } from './call-evidence.js';
import { genAiContent, recordsOf, type GenAiContent } from './gen-ai-content.js';
import { toDocuments } from './documents.js';
import { parseArguments, toToolDefinitions } from './messages.js';
import { defineConvention, type StepPatch } from './types.js';

const CHAIN_OPERATIONS: Record<string, string> = {
  invoke_agent: 'agent',
  create_agent: 'agent',
  invoke_workflow: 'workflow',
};

const KNOWN_REQUEST_KEYS = new Set([
  'model', 'max_tokens', 'temperature', 'top_p', 'top_k', 'frequency_penalty', 'presence_penalty',
  'stop_sequences', 'seed', 'stream',
]);

/** `gen_ai.request.*` → `LlmParams`; unknown request keys (choice.count, reasoning.level…) go to `extra`. */
export function genAiParams(attrs: Attributes): LlmParams {
  const extra: Record<string, Json | undefined> = {};
  for (const [k, v] of Object.entries(withPrefix(attrs, 'gen_ai.request.'))) {
    if (!KNOWN_REQUEST_KEYS.has(k)) extra[k] = parseLenient(v);
  }
  const outputType = str(attrs, 'gen_ai.output.type');
  if (outputType !== undefined) extra['output_type'] = outputType;
  const extras = nonEmptyRecord(extra);
  return compact({
    temperature: num(attrs, 'gen_ai.request.temperature'),
    maxTokens: num(attrs, 'gen_ai.request.max_tokens'),
    topP: num(attrs, 'gen_ai.request.top_p'),
    topK: num(attrs, 'gen_ai.request.top_k'),
    frequencyPenalty: num(attrs, 'gen_ai.request.frequency_penalty'),
    presencePenalty: num(attrs, 'gen_ai.request.presence_penalty'),
    stop: strList(attrs, 'gen_ai.request.stop_sequences'),
    seed: num(attrs, 'gen_ai.request.seed'),
    stream: bool(attrs, 'gen_ai.request.stream'),
    extra: extras,
  });
}

/**
 * Usage under every name seen: current (`input_tokens`, `cache_read.input_tokens`,
 * `cache_creation.input_tokens`, `reasoning.output_tokens`), ≤1.26 (`prompt_tokens`,
 * `completion_tokens`), Anthropic SDK `cache_write.input_tokens`, Traceloop underscored
 * `cache_read_input_tokens`, vendor `total_tokens` and OpenLLMetry `llm.usage.total_tokens`.
 */
export function genAiUsage(attrs: Attributes): Usage | undefined {
  const u = compact<Usage>({
    inputTokens: num(attrs, 'gen_ai.usage.input_tokens') ?? num(attrs, 'gen_ai.usage.prompt_tokens'),
    outputTokens: num(attrs, 'gen_ai.usage.output_tokens') ?? num(attrs, 'gen_ai.usage.completion_tokens'),
    totalTokens: num(attrs, 'gen_ai.usage.total_tokens') ?? num(attrs, 'llm.usage.total_tokens'),
    cachedInputTokens: num(attrs, 'gen_ai.usage.cache_read.input_tokens') ?? num(attrs, 'gen_ai.usage.cache_read_input_tokens'),
    cacheCreationInputTokens:
      num(attrs, 'gen_ai.usage.cache_creation.input_tokens') ??
      num(attrs, 'gen_ai.usage.cache_write.input_tokens') ??
      num(attrs, 'gen_ai.usage.cache_creation_input_tokens'),
    reasoningTokens: num(attrs, 'gen_ai.usage.reasoning.output_tokens'),
  });
  return Object.keys(u).length > 0 ? u : undefined;
}

function finishReasonFromAttrs(attrs: Attributes): string | undefined {
  // OpenLIT-JS ≤1.7 wrote the singular key.
  return (strList(attrs, 'gen_ai.response.finish_reasons') ?? strList(attrs, 'gen_ai.response.finish_reason'))?.[0];
}

function llmView(span: RawSpan): StepPatch {
  const a = span.attributes;
  const content = genAiContent(span);
  const provider = (str(a, 'gen_ai.provider.name') ?? str(a, 'gen_ai.system'))?.toLowerCase();
  const tools = toToolDefinitions(a['gen_ai.tool.definitions']);
  return compact({
    type: 'llm' as const,
    provider,
    model: str(a, 'gen_ai.request.model'),
    responseModel: str(a, 'gen_ai.response.model'),
    operation: str(a, 'gen_ai.operation.name'),
    params: genAiParams(a),
    tools: tools.length > 0 ? tools : undefined,
    input: content?.input ?? [],
    output: content?.output ?? [],
    finishReason: normalizeFinishReason(finishReasonFromAttrs(a) ?? content?.finishReason),
    usage: genAiUsage(a),
    responseId: str(a, 'gen_ai.response.id'),
  });
}

/**
 * Step type from `gen_ai.operation.name`; spans without one are LLM calls only with evidence of
 * a provider call, and prompt steps when they merely carry messages.
 */
function genAiView(span: RawSpan): StepPatch | undefined {
  const a = span.attributes;
  const op = str(a, 'gen_ai.operation.name');
  if (op === 'embeddings' || op === 'embedding') {
    return compact({ type: 'embedding' as const, model: str(a, 'gen_ai.request.model'), usage: genAiUsage(a) });
  }
  if (op === 'retrieval' || (op === undefined && a['gen_ai.retrieval.documents'] !== undefined)) {
    return compact({
      type: 'retrieval' as const,
      query: str(a, 'gen_ai.retrieval.query.text'),
      store: str(a, 'gen_ai.data_source.id'),
      topK: num(a, 'gen_ai.retrieval.top_k') ?? num(a, 'gen_ai.request.top_k'),
      documents: toDocuments(a['gen_ai.retrieval.documents']),
    });
  }
  const toolName = str(a, 'gen_ai.tool.name');
  if (op === 'execute_tool' || (op === undefined && toolName !== undefined && str(a, 'gen_ai.request.model') === undefined)) {
    const args = a['gen_ai.tool.call.arguments'];
    const result = a['gen_ai.tool.call.result'];
    return compact({
      type: 'tool' as const,
      name: toolName ?? span.name.replace(/^execute_tool\s+/, ''),
      callId: str(a, 'gen_ai.tool.call.id'),
      arguments: args === undefined ? undefined : parseArguments(args),
      result: parseLenient(result),
    });
  }
  if (op !== undefined && lookup(CHAIN_OPERATIONS, op) !== undefined) {
    return compact({
      type: 'chain' as const,
      kind: lookup(CHAIN_OPERATIONS, op),
      // Agent roots rarely carry messages; apps put the request/answer in the generic IO keys.
      input: json(a, 'gen_ai.input.messages') ?? json(a, 'input.value'),
      output: json(a, 'gen_ai.output.messages') ?? json(a, 'output.value'),
    });
  }
  if ((op !== undefined && LLM_OPERATIONS.has(op)) || str(a, 'gen_ai.request.model') !== undefined) return llmView(span);
  const content = genAiContent(span);
  if (content === undefined) return undefined;
  if (hasCallEvidence(span)) return llmView(span);
  return content.input.length > 0 ? renderedPromptView(span, content) : undefined;
}

/**
 * An application span (prompt rendering, parse, chain, task) that carries messages but no sign
 * of a provider call: a prompt step holding what was about to be sent (and the tools offered),
 * never the model call itself (call-evidence.ts).
 */
function renderedPromptView(span: RawSpan, content: GenAiContent): StepPatch {
  const tools = toToolDefinitions(span.attributes['gen_ai.tool.definitions']);
  return compact({
    type: 'prompt' as const,
    rendered: content.input.length > 0 ? content.input : undefined,
    tools: tools.length > 0 ? tools : undefined,
    answer: content.output.length > 0 ? content.output : undefined,
  });
}

/** Names of span events / logs that belong to this convention. */
const GEN_AI_RECORD = /^gen_ai\./;

/** The OTel GenAI convention. Detects any `gen_ai.*` attribute, span event or joined log. */
export const genAiConvention = defineConvention({
  id: 'gen_ai',
  detect: (span) =>
    Object.keys(span.attributes).some((k) => k.startsWith('gen_ai.')) ||
    recordsOf(span).some((r) => GEN_AI_RECORD.test(r.name) && r.name !== 'gen_ai.evaluation.result'),
  view: genAiView,
});
