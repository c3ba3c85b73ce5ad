/**
 * OpenInference (Arize Phoenix): `openinference.span.kind` decides the step; LLM spans carry
 * flattened `llm.input_messages.N.message.*` (incl. `contents.M.message_content.*` and
 * `tool_calls.M.tool_call.*`), `llm.output_messages…`, `llm.token_count.*`,
 * `llm.invocation_parameters` (JSON), `llm.tools.N.tool.json_schema`, `llm.prompt_template.*`;
 * retrievers `retrieval.documents.N.document.*`; rerankers `reranker.*`; tools `tool.*`;
 * everything else `input.value` / `output.value`.
 */
import type { Attributes, Json, Message, RawSpan, RetrievedDocument, ToolCall, ToolDefinition } from '../model.js';
import { hasCallEvidence } from './call-evidence.js';
import { compact, indexed, isObject, json, num, parseLenient, str } from './attrs.js';
import { normalizeFinishReason } from './finish-reasons.js';
import { paramsFromObject } from './params.js';
import { contentText, finishReasonOf, parseArguments, toRole, toToolDefinitions } from './messages.js';
import { defineConvention, type StepPatch } from './types.js';

const TEXT_TYPES = new Set(['text', 'input_text', 'output_text']);

function messages(attrs: Attributes, prefix: string, fallback: 'user' | 'assistant'): Message[] {
  return indexed(attrs, prefix).map((g): Message => {
    const texts = indexed(g, 'message.contents')
      // Chat Completions says `text`; the Responses API `input_text` / `output_text`.
      .filter((c) => TEXT_TYPES.has(str(c, 'message_content.type') ?? 'text'))
      .map((c) => str(c, 'message_content.text'))
      .filter((t): t is string => t !== undefined);
    const content = str(g, 'message.content') ?? (texts.length > 0 ? texts.join('\n') : null);
    const toolCalls = indexed(g, 'message.tool_calls').flatMap((c): ToolCall[] => {
      const name = str(c, 'tool_call.function.name');
      if (name === undefined) return [];
      const id = str(c, 'tool_call.id');
      return [{ ...(id !== undefined ? { id } : {}), name, arguments: parseArguments(c['tool_call.function.arguments']) }];
    });
    const toolCallId = str(g, 'message.tool_call_id');
    const name = str(g, 'message.name');
    // The Anthropic instrumentor records tool_result blocks as user messages with a tool_call_id.
    const role = toolCallId !== undefined ? 'tool' : toRole(g['message.role'], fallback);
    return {
      role,
      content,
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      ...(toolCallId !== undefined ? { toolCallId } : {}),
      ...(name !== undefined ? { name } : {}),
    };
  });
}

/** `prefix.N.document.{id,content,score,metadata}`. */
function documents(attrs: Attributes, prefix: string): RetrievedDocument[] {
  return indexed(attrs, prefix).map((g) => {
    const metadata = parseLenient(g['document.metadata']);
    return compact({
      id: str(g, 'document.id'),
      content: str(g, 'document.content'),
      score: num(g, 'document.score'),
      metadata: isObject(metadata) ? metadata : undefined,
    });
  });
}

function tools(attrs: Attributes): ToolDefinition[] {
  return toToolDefinitions(indexed(attrs, 'llm.tools').map((g) => parseLenient(g['tool.json_schema']) ?? null));
}

/**
 * Anthropic requests carry the system prompt as a request parameter, and the Anthropic
 * instrumentor leaves it only in `llm.invocation_parameters`: move it to a system message.
 */
function splitSystem(invocation: Json | undefined): { system: string | null; params: Json | undefined } {
  if (!isObject(invocation) || invocation['system'] === undefined) return { system: null, params: invocation };
  const { system, ...params } = invocation;
  return { system: contentText(system), params };
}

/**
 * The finish reason inside the raw response (`output.value`) when the span has no
 * `llm.finish_reason`: Chat `choices[].finish_reason`, Anthropic `stop_reason`, or a Responses
 * API `status` (`completed` → stop, `incomplete` for `max_output_tokens` → length).
 */
function finishFromResponse(output: Json | undefined): string | undefined {
  if (isObject(output) && output['object'] === 'response') {
    if (output['status'] === 'completed') return 'stop';
    const details = output['incomplete_details'];
    if (output['status'] === 'incomplete' && isObject(details) && details['reason'] === 'max_output_tokens') return 'length';
    return typeof output['status'] === 'string' ? output['status'] : undefined;
  }
  return finishReasonOf(output);
}

function llmView(a: Attributes): StepPatch {
  const usage = compact({
    inputTokens: num(a, 'llm.token_count.prompt'),
    outputTokens: num(a, 'llm.token_count.completion'),
    totalTokens: num(a, 'llm.token_count.total'),
    cachedInputTokens: num(a, 'llm.token_count.prompt_details.cache_read'),
    cacheCreationInputTokens: num(a, 'llm.token_count.prompt_details.cache_write'),
    reasoningTokens: num(a, 'llm.token_count.completion_details.reasoning'),
  });
  const variables = parseLenient(a['llm.prompt_template.variables']);
  const prompt = compact({
    template: str(a, 'llm.prompt_template.template'),
    version: str(a, 'llm.prompt_template.version'),
    variables: isObject(variables) ? variables : undefined,
  });
  const defs = tools(a);
  const invocation = json(a, 'llm.invocation_parameters');
  const { system, params } = splitSystem(invocation);
  const input = messages(a, 'llm.input_messages', 'user');
  return compact({
    type: 'llm' as const,
    provider: (str(a, 'llm.provider') ?? str(a, 'llm.system'))?.toLowerCase(),
    model: str(a, 'llm.model_name') ?? str(a, 'llm.request.model_name'),
    responseModel: str(a, 'llm.response.model_name'),
    params: paramsFromObject(params),
    tools: defs.length > 0 ? defs : undefined,
    input: system !== null && !input.some((m) => m.role === 'system') ? [{ role: 'system' as const, content: system }, ...input] : input,
    output: messages(a, 'llm.output_messages', 'assistant'),
    finishReason: normalizeFinishReason(str(a, 'llm.finish_reason') ?? finishFromResponse(json(a, 'output.value'))),
    usage: Object.keys(usage).length > 0 ? usage : undefined,
    prompt: Object.keys(prompt).length > 0 ? prompt : undefined,
  });
}

function view(span: RawSpan): StepPatch | undefined {
  const a = span.attributes;
  const kind = str(a, 'openinference.span.kind')?.toUpperCase();
  const input = json(a, 'input.value');
  const output = json(a, 'output.value');
  switch (kind) {
    case 'LLM':
      return llmView(a);
    case 'EMBEDDING':
      return compact({
        type: 'embedding' as const,
        model: str(a, 'embedding.model_name'),
        inputCount: indexed(a, 'embedding.embeddings').length || undefined,
      });
    case 'RETRIEVER':
      return compact({ type: 'retrieval' as const, query: str(a, 'input.value'), documents: documents(a, 'retrieval.documents') });
    case 'RERANKER':
      return compact({
        type: 'retrieval' as const,
        query: str(a, 'reranker.query'),
        store: str(a, 'reranker.model_name'),
        topK: num(a, 'reranker.top_k'),
        documents: documents(a, 'reranker.output_documents'),
      });
    case 'TOOL':
      return compact({
        type: 'tool' as const,
        name: str(a, 'tool.name') ?? str(a, 'tool_call.function.name') ?? span.name,
        callId: str(a, 'tool_call.id'),
        arguments: a['tool_call.function.arguments'] !== undefined ? parseArguments(a['tool_call.function.arguments']) : input,
        result: output,
      });
    case 'PROMPT': {
      const variables = parseLenient(a['llm.prompt_template.variables']);
      return compact({
        type: 'prompt' as const,
        template: str(a, 'llm.prompt_template.template'),
        version: str(a, 'llm.prompt_template.version'),
        variables: isObject(variables) ? variables : undefined,
      });
    }
    case undefined:
      return undefined;
    default:
      // CHAIN, AGENT, GUARDRAIL, EVALUATOR and unknown kinds group other steps.
      return compact({ type: 'chain' as const, kind: kind.toLowerCase(), input, output });
  }
}

/** The OpenInference convention; detected by `openinference.span.kind` or flattened `llm.*_messages` keys. */
export const openinferenceConvention = defineConvention({
  id: 'openinference',
  detect: (span) =>
    span.attributes['openinference.span.kind'] !== undefined ||
    Object.keys(span.attributes).some((k) => k.startsWith('llm.input_messages.') || k.startsWith('llm.output_messages.')),
  view: (span) => {
    const v = view(span);
    if (v !== undefined) return v;
    // Flattened messages without a kind: an LLM span from an older instrumentor, or an
    // application span that only carries the rendered messages (call-evidence.ts).
    const llm = llmView(span.attributes);
    if (hasCallEvidence(span) || llm.type !== 'llm') return llm;
    return compact({ type: 'prompt' as const, rendered: llm.input && llm.input.length > 0 ? llm.input : undefined });
  },
});
