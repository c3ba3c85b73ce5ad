/**
 * Encodes the scenario as LangSmith runs (what `client.listRuns` returns) plus feedback, with
 * the encodings seen in practice: naive ISO times with microseconds, epoch ms, ISO with `Z`;
 * LangChain-serialized messages and generations, and OpenAI-shaped inputs/outputs.
 */
import { SCENARIO, uuidOf, type ScenarioMessage, type ScenarioSpan, type ScenarioTrace } from './scenario.js';

type Obj = Record<string, unknown>;

const RUN_TYPES: Record<ScenarioSpan['kind'], string> = { chain: 'chain', llm: 'llm', retrieval: 'retriever', tool: 'tool' };

/** LangSmith run id of a scenario span (the root's id is the trace id). */
export function langsmithRunId(t: ScenarioTrace, key: string): string {
  return uuidOf(`langsmith:${t.key}:${key}`);
}

/** LangSmith trace id (= root run id) of a scenario trace. */
export function langsmithTraceId(t: ScenarioTrace): string {
  return langsmithRunId(t, 'root');
}

function time(t: ScenarioTrace, ms: number): string | number {
  if (t.key === 'errored') return ms;
  const iso = new Date(ms).toISOString();
  return t.key === 'rag' ? iso.replace(/\.(\d{3})Z$/, '.$1000') : iso;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '$1000Z');
}

function lcMessage(m: ScenarioMessage): Obj {
  const cls = m.role === 'system' ? 'SystemMessage' : m.role === 'user' ? 'HumanMessage' : 'AIMessage';
  return { lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', cls], kwargs: { content: m.content, type: m.role === 'user' ? 'human' : m.role } };
}

function llmIo(t: ScenarioTrace, s: ScenarioSpan): { inputs: Obj; outputs: Obj | null } {
  const llm = s.llm as NonNullable<ScenarioSpan['llm']>;
  const usage = { input_tokens: llm.inputTokens, output_tokens: llm.outputTokens, total_tokens: llm.inputTokens + llm.outputTokens };
  if (s.error) return { inputs: { messages: llm.input }, outputs: null };
  if (t.key === 'rag') {
    const message = { ...lcMessage({ role: 'assistant', content: llm.output }), kwargs: { content: llm.output, type: 'ai', usage_metadata: usage } };
    return {
      inputs: { messages: [llm.input.map(lcMessage)] },
      outputs: { generations: [[{ text: llm.output, type: 'ChatGeneration', message, generation_info: { finish_reason: 'stop' } }]], llm_output: null },
    };
  }
  return {
    inputs: { model: llm.model, messages: llm.input, temperature: llm.temperature },
    outputs: { choices: [{ index: 0, message: { role: 'assistant', content: llm.output }, finish_reason: 'stop' }], usage_metadata: usage },
  };
}

function run(t: ScenarioTrace, s: ScenarioSpan, sessionId: string): Obj {
  const start = t.startMs + s.offsetMs;
  const chain = s.parent ? [t.spans.find((x) => !x.parent) as ScenarioSpan, s] : [s];
  const meta: Obj = s.parent ? { ls_run_depth: 1 } : { user_id: t.userId, session_id: t.sessionId, ls_run_depth: 0 };
  let inputs: Obj = {};
  let outputs: Obj | null = null;
  if (s.kind === 'chain') {
    inputs = { question: s.input ?? '' };
    outputs = s.output ? { output: s.output } : null;
  } else if (s.retrieval) {
    inputs = { query: s.retrieval.query };
    outputs = { documents: s.retrieval.docs.map((d) => ({ page_content: d.content, type: 'Document', metadata: { id: d.id, score: d.score } })) };
  } else if (s.tool) {
    inputs = s.tool.args;
    outputs = s.tool.result;
  } else if (s.llm) {
    ({ inputs, outputs } = llmIo(t, s));
    Object.assign(meta, { ls_provider: s.llm.provider, ls_model_name: s.llm.model, ls_model_type: 'chat', ls_temperature: s.llm.temperature });
  }
  return {
    id: langsmithRunId(t, s.key), trace_id: langsmithTraceId(t), parent_run_id: s.parent ? langsmithRunId(t, s.parent) : null,
    dotted_order: chain.map((c) => `${stamp(t.startMs + c.offsetMs)}${langsmithRunId(t, c.key)}`).join('.'),
    name: s.name, run_type: RUN_TYPES[s.kind], start_time: time(t, start), end_time: time(t, start + s.durationMs),
    inputs, outputs, error: s.error ?? null, extra: { metadata: meta, runtime: { sdk: 'langsmith-js' } },
    tags: s.parent ? [] : t.tags, session_id: sessionId, status: s.error ? 'error' : 'success',
  };
}

/** Every run of the scenario, in the order a project listing might return them (newest first). */
export function langsmithRuns(sessionId = uuidOf('langsmith:project')): Obj[] {
  return [...SCENARIO].reverse().flatMap((t) => t.spans.map((s) => run(t, s, sessionId)));
}

/** Feedback records of the scenario. */
export function langsmithFeedback(): Obj[] {
  return SCENARIO.filter((t) => t.feedback).map((t) => ({
    id: uuidOf(`langsmith:fb:${t.key}`), run_id: langsmithTraceId(t), trace_id: langsmithTraceId(t), key: t.feedback?.name,
    score: t.feedback?.score, value: null, comment: t.feedback?.comment, correction: null, feedback_source: { type: 'app' },
    created_at: new Date(t.startMs + 5000).toISOString(),
  }));
}
