/**
 * Encodes the scenario as Langfuse `TraceWithFullDetails` objects (public API and export
 * shape): the trace carries the root's input/output; other spans become observations.
 */
import type { LangfuseTraceDoc } from '../support/fake-langfuse-api.js';
import { SCENARIO, uuidOf, type ScenarioSpan, type ScenarioTrace } from './scenario.js';

const TYPES: Record<ScenarioSpan['kind'], string> = { chain: 'SPAN', llm: 'GENERATION', retrieval: 'RETRIEVER', tool: 'TOOL' };

/** Langfuse trace id of a scenario trace. */
export function langfuseTraceId(t: ScenarioTrace): string {
  return uuidOf(`langfuse:${t.key}`);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function observation(t: ScenarioTrace, s: ScenarioSpan): Record<string, unknown> {
  const start = t.startMs + s.offsetMs;
  const o: Record<string, unknown> = {
    id: uuidOf(`langfuse:${t.key}:${s.key}`), traceId: langfuseTraceId(t), type: TYPES[s.kind], name: s.name,
    startTime: iso(start), endTime: iso(start + s.durationMs), completionStartTime: null,
    parentObservationId: s.parent && s.parent !== 'root' ? uuidOf(`langfuse:${t.key}:${s.parent}`) : null,
    input: null, output: null, metadata: {}, level: s.error ? 'ERROR' : 'DEFAULT', statusMessage: s.error ?? null,
    version: null, model: null, modelParameters: null, usage: { input: 0, output: 0, total: 0, unit: 'TOKENS' },
    usageDetails: {}, costDetails: {}, promptId: null, environment: 'default',
  };
  if (s.llm) {
    Object.assign(o, {
      model: s.llm.model, modelParameters: { temperature: String(s.llm.temperature), max_tokens: 'Infinity' },
      input: s.llm.input, output: s.llm.output ? { role: 'assistant', content: s.llm.output } : null,
      usage: { input: s.llm.inputTokens, output: s.llm.outputTokens, total: s.llm.inputTokens + s.llm.outputTokens, unit: 'TOKENS' },
      usageDetails: { input: s.llm.inputTokens, output: s.llm.outputTokens, total: s.llm.inputTokens + s.llm.outputTokens },
    });
  }
  if (s.retrieval) Object.assign(o, { input: { query: s.retrieval.query }, output: { documents: s.retrieval.docs.map((d) => ({ pageContent: d.content, metadata: { id: d.id, score: d.score } })) } });
  if (s.tool) Object.assign(o, { input: s.tool.args, output: s.tool.result });
  return o;
}

/** One scenario trace as TraceWithFullDetails. */
export function langfuseTrace(t: ScenarioTrace): LangfuseTraceDoc {
  const root = t.spans.find((s) => !s.parent) as ScenarioSpan;
  return {
    id: langfuseTraceId(t), timestamp: iso(t.startMs), name: t.name, input: root.input ?? null, output: root.output ?? null,
    sessionId: t.sessionId, userId: t.userId, release: null, version: null, metadata: { team: 'support' }, tags: t.tags,
    public: false, environment: 'default', htmlPath: `/project/p/traces/${langfuseTraceId(t)}`, latency: root.durationMs / 1000, totalCost: 0,
    observations: t.spans.filter((s) => s.parent).map((s) => observation(t, s)),
    scores: t.feedback
      ? [{ id: uuidOf(`score:${t.key}`), traceId: langfuseTraceId(t), name: t.feedback.name, value: t.feedback.score, dataType: 'NUMERIC', source: 'ANNOTATION', comment: t.feedback.comment, timestamp: iso(t.startMs + 5000), observationId: null }]
      : [],
  };
}

/** All scenario traces, oldest first. */
export function langfuseTraces(): LangfuseTraceDoc[] {
  return SCENARIO.map(langfuseTrace);
}
