/**
 * Encodes the scenario as OTLP/JSON the way the Collector file exporter writes it: spans in END
 * order, the RAG trace split over three lines, two traces in one line, GenAI attributes with
 * JSON inside string values, and log records in a separate logs file.
 */
import { logsRequest, traceRequest, type SpanSpec } from './otlp-builders.js';
import { hexId, SCENARIO, type ScenarioSpan, type ScenarioTrace } from './scenario.js';

/** OTLP trace id of a scenario trace. */
export function otlpTraceId(t: ScenarioTrace): string {
  return hexId(`trace:${t.key}`, 16);
}

/** OTLP span id of a scenario span. */
export function otlpSpanId(t: ScenarioTrace, key: string): string {
  return hexId(`span:${t.key}:${key}`, 8);
}

/** The OTel GenAI attributes of a scenario span. */
export function attributesOf(t: ScenarioTrace, s: ScenarioSpan): Record<string, string | number | boolean> {
  const a: Record<string, string | number | boolean> = {};
  if (!s.parent) Object.assign(a, { 'user.id': t.userId, 'session.id': t.sessionId });
  if (s.input) a['input.value'] = s.input;
  if (s.output) a['output.value'] = s.output;
  if (s.retrieval) {
    Object.assign(a, {
      'gen_ai.operation.name': 'retrieval', 'gen_ai.retrieval.query.text': s.retrieval.query,
      'gen_ai.retrieval.documents': JSON.stringify(s.retrieval.docs.map((d) => ({ id: d.id, content: d.content, score: d.score }))),
    });
  }
  if (s.llm) {
    Object.assign(a, {
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': s.llm.provider, 'gen_ai.request.model': s.llm.model,
      'gen_ai.request.temperature': s.llm.temperature, 'gen_ai.usage.input_tokens': s.llm.inputTokens, 'gen_ai.usage.output_tokens': s.llm.outputTokens,
      'gen_ai.input.messages': JSON.stringify(s.llm.input.map((m) => ({ role: m.role, parts: [{ type: 'text', content: m.content }] }))),
    });
    if (s.llm.output) a['gen_ai.output.messages'] = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: s.llm.output }], finish_reason: 'stop' }]);
  }
  if (s.tool) {
    Object.assign(a, {
      'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': s.tool.name,
      'gen_ai.tool.call.arguments': JSON.stringify(s.tool.args), 'gen_ai.tool.call.result': JSON.stringify(s.tool.result),
    });
  }
  if (s.error) a['error.type'] = s.error;
  return a;
}

/** The spans of one scenario trace as builder specs, in END order (children first); `attrs` encodes each span. */
export function otlpSpecs(t: ScenarioTrace, attrs: typeof attributesOf = attributesOf): SpanSpec[] {
  const specs = t.spans.map((s): SpanSpec & { end: number } => {
    const spec: SpanSpec & { end: number } = {
      traceId: otlpTraceId(t), spanId: otlpSpanId(t, s.key), name: s.name,
      startMs: t.startMs + s.offsetMs, endMs: t.startMs + s.offsetMs + s.durationMs, end: t.startMs + s.offsetMs + s.durationMs,
      attributes: attrs(t, s),
    };
    if (s.parent) spec.parentSpanId = otlpSpanId(t, s.parent);
    if (s.error) spec.error = s.error;
    return spec;
  });
  return specs.sort((a, b) => a.end - b.end);
}

/** JSONL lines of the span file: RAG trace over three lines, then the other two in one line. */
export function otlpTraceLines(): string[] {
  const [rag, errored, plain] = SCENARIO as [ScenarioTrace, ScenarioTrace, ScenarioTrace];
  const ragSpecs = otlpSpecs(rag);
  return [
    JSON.stringify(traceRequest(ragSpecs.slice(0, 2))),
    JSON.stringify(traceRequest(ragSpecs.slice(2, 3))),
    JSON.stringify(traceRequest([...otlpSpecs(errored), ...otlpSpecs(plain)])),
    JSON.stringify(traceRequest(ragSpecs.slice(3))),
  ];
}

/** JSONL lines of the logs file: the RAG answer as a `gen_ai.choice` event on the llm span. */
export function otlpLogLines(): string[] {
  const rag = SCENARIO[0] as ScenarioTrace;
  const chat = rag.spans.find((s) => s.key === 'chat') as ScenarioSpan;
  return [
    JSON.stringify(
      logsRequest([{ traceId: otlpTraceId(rag), spanId: otlpSpanId(rag, 'chat'), name: 'gen_ai.choice', timeMs: rag.startMs + chat.offsetMs + chat.durationMs, body: chat.llm?.output ?? '' }]),
    ),
  ];
}
