/**
 * The vendor-neutral scenario every trace source is tested on: a RAG trace (retrieval + llm +
 * tool, with feedback), an errored trace and a plain one, an hour apart. Each source's test
 * encodes it in that source's format (OTLP, Langfuse, LangSmith) and runs the contract.
 */

export interface ScenarioMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One step of a scenario trace. Offsets are ms after the trace start. */
export interface ScenarioSpan {
  key: string;
  parent?: string;
  name: string;
  kind: 'chain' | 'retrieval' | 'llm' | 'tool';
  offsetMs: number;
  durationMs: number;
  error?: string;
  llm?: { model: string; provider: string; temperature: number; input: ScenarioMessage[]; output: string; inputTokens: number; outputTokens: number };
  retrieval?: { query: string; docs: Array<{ id: string; content: string; score: number }> };
  tool?: { name: string; args: Record<string, string>; result: Record<string, string> };
  input?: string;
  output?: string;
}

export interface ScenarioTrace {
  key: 'rag' | 'errored' | 'plain';
  name: string;
  startMs: number;
  userId: string;
  sessionId: string;
  tags: string[];
  spans: ScenarioSpan[];
  feedback?: { name: string; score: number; comment: string };
}

/** Start of the first trace: 2025-03-01T10:00:00Z. Traces are one hour apart. */
export const T0 = Date.UTC(2025, 2, 1, 10, 0, 0);
export const HOUR = 3_600_000;

const question: ScenarioMessage = { role: 'user', content: 'Can I get a refund for order A1?' };

/** The three traces, oldest first. */
export const SCENARIO: ScenarioTrace[] = [
  {
    key: 'rag', name: 'answer', startMs: T0, userId: 'user-1', sessionId: 'sess-1', tags: ['prod', 'refunds'],
    feedback: { name: 'thumbs', score: 1, comment: 'helpful' },
    spans: [
      { key: 'root', name: 'answer', kind: 'chain', offsetMs: 0, durationMs: 900, input: question.content, output: 'Yes, within 30 days.' },
      {
        key: 'retrieve', parent: 'root', name: 'retrieve', kind: 'retrieval', offsetMs: 10, durationMs: 90,
        retrieval: { query: 'refund policy', docs: [{ id: 'doc-1', content: 'Refunds are accepted within 30 days.', score: 0.91 }, { id: 'doc-2', content: 'Shipping takes 5 days.', score: 0.42 }] },
      },
      {
        key: 'chat', parent: 'root', name: 'chat gpt-4o-mini', kind: 'llm', offsetMs: 120, durationMs: 600,
        llm: {
          model: 'gpt-4o-mini', provider: 'openai', temperature: 0.2,
          input: [{ role: 'system', content: 'Answer from the policy: {"max_days":30}' }, question],
          output: 'Yes, within 30 days.', inputTokens: 52, outputTokens: 9,
        },
      },
      { key: 'lookup', parent: 'root', name: 'lookup_order', kind: 'tool', offsetMs: 750, durationMs: 100, tool: { name: 'lookup_order', args: { order_id: 'A1' }, result: { status: 'shipped' } } },
    ],
  },
  {
    key: 'errored', name: 'answer', startMs: T0 + HOUR, userId: 'user-2', sessionId: 'sess-2', tags: ['prod'],
    spans: [
      { key: 'root', name: 'answer', kind: 'chain', offsetMs: 0, durationMs: 300, input: 'Where is my parcel?', error: 'upstream failed' },
      {
        key: 'chat', parent: 'root', name: 'chat gpt-4o-mini', kind: 'llm', offsetMs: 20, durationMs: 200, error: 'rate limited',
        llm: { model: 'gpt-4o-mini', provider: 'openai', temperature: 0.2, input: [{ role: 'user', content: 'Where is my parcel?' }], output: '', inputTokens: 0, outputTokens: 0 },
      },
    ],
  },
  {
    key: 'plain', name: 'answer', startMs: T0 + 2 * HOUR, userId: 'user-1', sessionId: 'sess-3', tags: ['staging'],
    spans: [
      { key: 'root', name: 'answer', kind: 'chain', offsetMs: 0, durationMs: 400, input: 'Hi', output: 'Hello!' },
      {
        key: 'chat', parent: 'root', name: 'chat gpt-4o-mini', kind: 'llm', offsetMs: 5, durationMs: 300,
        llm: { model: 'gpt-4o-mini', provider: 'openai', temperature: 0.2, input: [{ role: 'user', content: 'Hi' }], output: 'Hello!', inputTokens: 3, outputTokens: 2 },
      },
    ],
  },
];

/** Deterministic hex id of `bytes` bytes derived from a label (not random: tests stay stable). */
export function hexId(label: string, bytes: 16 | 8): string {
  let out = '';
  for (let round = 0; out.length < bytes * 2; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, bytes * 2);
}

/** Deterministic UUID derived from a label. */
export function uuidOf(label: string): string {
  const h = hexId(label, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
