/**
 * Encodes the scenario as Vercel AI SDK telemetry inside OTLP/JSON: each model call is an
 * `ai.generateText.doGenerate` span (`ai.prompt.messages`, `ai.response.text`, `ai.usage.*`,
 * `ai.settings.*`, plus the `gen_ai.*` keys the SDK adds), each tool an `ai.toolCall` span; the
 * app's own spans (root, retrieval) keep their OTel GenAI keys, as in a real AI SDK app.
 */
import { traceRequest } from './otlp-builders.js';
import type { ScenarioSpan, ScenarioTrace } from './scenario.js';
import { SCENARIO } from './scenario.js';
import { attributesOf, otlpSpecs } from './scenario-otlp.js';

function vercelAttributes(t: ScenarioTrace, s: ScenarioSpan): Record<string, string | number | boolean> {
  const common = { 'ai.telemetry.functionId': 'answer', 'resource.name': 'answer' };
  if (s.llm) {
    const messages = s.llm.input.map((m) => (m.role === 'system' ? m : { role: m.role, content: [{ type: 'text', text: m.content }] }));
    return {
      ...common,
      'operation.name': 'ai.generateText.doGenerate answer', 'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': `${s.llm.provider}.chat`, 'ai.model.id': s.llm.model, 'ai.settings.temperature': s.llm.temperature,
      'ai.prompt.messages': JSON.stringify(messages),
      'gen_ai.system': `${s.llm.provider}.chat`, 'gen_ai.request.model': s.llm.model, 'gen_ai.request.temperature': s.llm.temperature,
      ...(s.error ? {} : {
        'ai.response.text': s.llm.output, 'ai.response.finishReason': 'stop',
        'ai.usage.inputTokens': s.llm.inputTokens, 'ai.usage.outputTokens': s.llm.outputTokens,
        'gen_ai.usage.input_tokens': s.llm.inputTokens, 'gen_ai.usage.output_tokens': s.llm.outputTokens,
      }),
    };
  }
  if (s.tool) {
    return {
      ...common, 'operation.name': 'ai.toolCall answer', 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': s.tool.name,
      'ai.toolCall.id': `call-${s.key}`, 'ai.toolCall.args': JSON.stringify(s.tool.args), 'ai.toolCall.result': JSON.stringify(s.tool.result),
    };
  }
  return attributesOf(t, s);
}

/** JSONL lines: one trace per line, spans in END order. */
export function vercelTraceLines(): string[] {
  return SCENARIO.map((t) => JSON.stringify(traceRequest(otlpSpecs(t, vercelAttributes))));
}
