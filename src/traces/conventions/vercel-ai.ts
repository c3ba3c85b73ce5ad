/**
 * Vercel AI SDK telemetry (`experimental_telemetry: { isEnabled: true }`, tracer scope `ai`).
 * Every span carries `ai.operationId`:
 *  - `ai.generateText.doGenerate`, `ai.streamText.doStream` (and the `generateObject` /
 *    `streamObject` ones): ONE provider call each — the LLM step. A tool loop has several.
 *    Provider and API from `ai.model.provider` (`openai.chat`, `openai.responses`,
 *    `anthropic.messages`…: provider before the dot), model `ai.model.id`, params
 *    `ai.settings.*`, messages `ai.prompt.messages`, tools `ai.prompt.tools`, answer
 *    `ai.response.text` / `ai.response.toolCalls` (or `ai.response.object`), finish reason
 *    `ai.response.finishReason` (the SDK's `tool-calls` spelling is read as OTel's `tool_call`),
 *    usage `ai.usage.*` (SDK ≤4: `promptTokens` / `completionTokens`).
 *  - `ai.generateText`, `ai.streamText`, … (the call the app made, wrapping the provider calls
 *    and tool executions): a `chain` step of kind `ai.generateText`, input `ai.prompt`
 *    (`{system?, prompt?, messages?}`), output the final `ai.response.text`. It is NOT a model call.
 *  - `ai.toolCall`: a tool step (`ai.toolCall.name/id/args/result`).
 *  - `ai.embed(Many).doEmbed`: an embedding step (`ai.usage.tokens`).
 * The same spans also carry `gen_ai.system` = `ai.model.provider` and `gen_ai.request.*` /
 * `gen_ai.usage.*`; this convention precedes `gen_ai` in the registry so the provider reads
 * `openai`, not `openai.chat`.
 */
import type { Attributes, LlmParams, RawSpan, Usage } from '../model.js';
import { compact, json, lookup, num, str, strList } from './attrs.js';
import { normalizeFinishReason } from './finish-reasons.js';
import { defineConvention, type StepPatch } from './types.js';
import { vercelMessages, vercelResponse, vercelTools } from './vercel-ai-messages.js';

const MODEL_CALL = /^ai\.(generateText|streamText|generateObject|streamObject)\.(doGenerate|doStream)$/;
const APP_CALL = /^ai\.(generateText|streamText|generateObject|streamObject)$/;
const EMBED_CALL = /^ai\.(embed|embedMany)\.doEmbed$/;

/** `ai.model.provider` suffix → `LlmStep.operation`, in OTel GenAI operation names. */
const API_OPERATIONS: Record<string, string> = {
  chat: 'chat', messages: 'chat', responses: 'responses', completion: 'text_completion',
};

/** The SDK's finish reasons spelled as the OTel set (`tool-calls` → `tool_call`). */
const FINISH_REASONS: Record<string, string> = { 'tool-calls': 'tool_call', 'content-filter': 'content_filter' };

function params(a: Attributes, streamed: boolean): LlmParams {
  return compact<LlmParams>({
    temperature: num(a, 'ai.settings.temperature'),
    maxTokens: num(a, 'ai.settings.maxOutputTokens') ?? num(a, 'ai.settings.maxTokens'),
    topP: num(a, 'ai.settings.topP'),
    topK: num(a, 'ai.settings.topK'),
    frequencyPenalty: num(a, 'ai.settings.frequencyPenalty'),
    presencePenalty: num(a, 'ai.settings.presencePenalty'),
    stop: strList(a, 'ai.settings.stopSequences'),
    seed: num(a, 'ai.settings.seed'),
    stream: streamed ? true : undefined,
  });
}

function usage(a: Attributes): Usage | undefined {
  const u = compact<Usage>({
    inputTokens: num(a, 'ai.usage.inputTokens') ?? num(a, 'ai.usage.promptTokens'),
    outputTokens: num(a, 'ai.usage.outputTokens') ?? num(a, 'ai.usage.completionTokens'),
    totalTokens: num(a, 'ai.usage.totalTokens'),
    cachedInputTokens: num(a, 'ai.usage.inputTokenDetails.cacheReadTokens') ?? num(a, 'ai.usage.cachedInputTokens'),
    cacheCreationInputTokens: num(a, 'ai.usage.inputTokenDetails.cacheWriteTokens'),
    reasoningTokens: num(a, 'ai.usage.outputTokenDetails.reasoningTokens') ?? num(a, 'ai.usage.reasoningTokens'),
  });
  return Object.keys(u).length > 0 ? u : undefined;
}

function finishReason(a: Attributes): string | undefined {
  const r = normalizeFinishReason(str(a, 'ai.response.finishReason'));
  return r === undefined ? undefined : (lookup(FINISH_REASONS, r) ?? r);
}

function modelCall(span: RawSpan, operationId: string): StepPatch {
  const a = span.attributes;
  const [provider, api] = (str(a, 'ai.model.provider') ?? '').split('.', 2);
  const tools = vercelTools(a['ai.prompt.tools']);
  const object = str(a, 'ai.response.object');
  return compact({
    type: 'llm' as const,
    provider: provider === '' ? undefined : provider?.toLowerCase(),
    model: str(a, 'ai.model.id'),
    responseModel: str(a, 'ai.response.model'),
    operation: api === undefined ? undefined : (lookup(API_OPERATIONS, api) ?? api),
    params: params(a, operationId.endsWith('.doStream')),
    tools: tools.length > 0 ? tools : undefined,
    input: vercelMessages(a['ai.prompt.messages']),
    output: vercelResponse(a['ai.response.text'] ?? object, a['ai.response.toolCalls']),
    finishReason: finishReason(a),
    usage: usage(a),
    responseId: str(a, 'ai.response.id'),
  });
}

function vercelView(span: RawSpan): StepPatch | undefined {
  const a = span.attributes;
  const op = str(a, 'ai.operationId') ?? '';
  if (MODEL_CALL.test(op)) return modelCall(span, op);
  if (op === 'ai.toolCall') {
    const args = json(a, 'ai.toolCall.args') ?? json(a, 'ai.toolCall.input');
    return compact({
      type: 'tool' as const,
      name: str(a, 'ai.toolCall.name') ?? span.name,
      callId: str(a, 'ai.toolCall.id'),
      arguments: args,
      result: json(a, 'ai.toolCall.result') ?? json(a, 'ai.toolCall.output'),
    });
  }
  if (EMBED_CALL.test(op)) {
    const tokens = num(a, 'ai.usage.tokens');
    return compact({ type: 'embedding' as const, model: str(a, 'ai.model.id'), usage: tokens === undefined ? undefined : { inputTokens: tokens } });
  }
  if (APP_CALL.test(op)) {
    return compact({
      type: 'chain' as const,
      kind: op,
      input: json(a, 'ai.prompt'),
      output: str(a, 'ai.response.text') ?? json(a, 'ai.response.object'),
    });
  }
  return undefined;
}

/** The Vercel AI SDK convention. Detects the `ai.operationId` every SDK span carries. */
export const vercelAiConvention = defineConvention({
  id: 'vercel_ai',
  detect: (span) => typeof span.attributes['ai.operationId'] === 'string',
  view: vercelView,
});
