/**
 * Field-by-field fidelity of the cases built from the real-library fixtures
 * (test/fixtures/otlp): for every flavour and scripted trace, what the case says (the replayable
 * call, system and user messages, the short query, the recorded answer and finish reason, tools
 * offered, tool calls, usage, retrieval documents with ids and scores) against what the scenario
 * scripts actually did. Used by the fidelity test and to compute the README's flavour table.
 */
import { join } from 'node:path';
import { caseFromTrace } from '../../src/datasets/exchange/from-trace.js';
import type { Case } from '../../src/datasets/case.js';
import { buildTrace } from '../../src/traces/build.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';
import { flaggedDocs } from '../fixtures/generate/lib/openai-scenarios.js';
import {
  ragAnswer, ragDocs, ragQuestion, ragSystem, renderRagUser, responsesAnswer, responsesQuestion, responsesSystem,
} from '../fixtures/generate/lib/fidelity-scenarios.js';

const dir = join(import.meta.dirname, '../fixtures/otlp');

/** Every fixture flavour: its files and the API its scripts called. */
export const FLAVOURS = {
  'otel-contrib-openai': { files: ['otel-contrib-openai.jsonl', 'otel-contrib-openai.logs.jsonl'], vendor: 'openai' },
  'traceloop-openai': { files: ['traceloop-openai.jsonl'], vendor: 'openai' },
  'traceloop-openai-legacy': { files: ['traceloop-openai-legacy.jsonl'], vendor: 'openai' },
  'openinference-openai': { files: ['openinference-openai.jsonl'], vendor: 'openai' },
  'traceloop-anthropic': { files: ['traceloop-anthropic.jsonl'], vendor: 'anthropic' },
  'openinference-anthropic': { files: ['openinference-anthropic.jsonl'], vendor: 'anthropic' },
  'anthropic-sdk': { files: ['anthropic-sdk.jsonl'], vendor: 'anthropic' },
  'langfuse-otel': { files: ['langfuse-otel.jsonl'], vendor: 'openai' },
  mixed: { files: ['mixed.jsonl'], vendor: 'openai' },
} as const satisfies Record<string, { files: string[]; vendor: 'openai' | 'anthropic' }>;

export type Flavour = keyof typeof FLAVOURS;

/** Fields scored, in table order, with their column headings. */
export const FIELDS = {
  call: 'provider / API / model',
  system: 'system prompt',
  user: 'user message',
  query: 'query',
  answer: 'answer',
  finishReason: 'finish reason',
  toolsOffered: 'tools offered',
  toolCalls: 'tool calls',
  usage: 'usage',
  retrieval: 'retrieval ids + scores',
} as const;

export type Field = keyof typeof FIELDS;

/** One scored field of one case. */
export interface FieldResult {
  flavour: Flavour;
  trace: string;
  field: Field;
  expected: unknown;
  found: unknown;
  ok: boolean;
}

const vendors = {
  openai: { call: 'openai/openai-chat/gpt-4o-mini', stop: 'stop' },
  anthropic: { call: 'anthropic/anthropic-messages/claude-sonnet-4-6', stop: 'end_turn' },
} as const;

type Expected = Partial<Record<Field, unknown>>;

/** What each scripted trace did (fidelity-scenarios.ts, openai/anthropic/langfuse-scenarios.ts). */
function expectations(flavour: Flavour): Record<string, Expected> {
  const v = vendors[FLAVOURS[flavour].vendor];
  const ragTools = flavour === 'langfuse-otel' || flavour === 'mixed' ? ['get_weather'] : [];
  return {
    'weather-agent': {
      call: v.call, system: 'You are a weather assistant. Use tools.', user: 'What is the weather in Paris?',
      query: 'What is the weather in Paris?', answer: 'It is 18°C and sunny in Paris right now.', finishReason: v.stop,
      toolsOffered: ['get_weather'], toolCalls: [['get_weather', { city: 'Paris' }]], usage: true, retrieval: [],
    },
    'joke-stream': {
      call: v.call, system: null, user: 'Tell me a joke', query: 'Tell me a joke',
      answer: 'Why did the refund cross the road? To reach the other statement.', finishReason: v.stop, toolsOffered: [], toolCalls: [],
      retrieval: [],
    },
    'refund-question': {
      call: v.call, system: `Answer from the context.\n${flaggedDocs.map((d) => d.content).join('\n')}`,
      user: 'My kettle arrived damaged, how long does the refund take?', query: 'My kettle arrived damaged, how long does the refund take?',
      answer: 'Refunds for damaged items take up to 90 days.', finishReason: v.stop, toolsOffered: [], toolCalls: [], usage: true,
      retrieval: flaggedDocs.map((d) => [d.id, d.score]),
    },
    'failing-call': { query: 'Hello?', answer: null, toolCalls: [] },
    'rag-prompt': {
      call: v.call, system: ragSystem, user: renderRagUser(ragDocs, ragQuestion), query: ragQuestion, answer: ragAnswer,
      finishReason: v.stop, toolsOffered: ragTools, toolCalls: [], usage: true, retrieval: ragDocs.map((d) => [d.id, d.score]),
    },
    'responses-question': {
      call: 'openai/openai-responses/gpt-4o-mini', system: responsesSystem, user: responsesQuestion, query: responsesQuestion,
      answer: responsesAnswer, finishReason: 'stop', toolsOffered: [], toolCalls: [], usage: true, retrieval: [],
    },
  };
}

/** The value of `field` in a case, in the shape of the expectations. */
export function fieldOf(c: Omit<Case, 'id'>, field: Field): unknown {
  const i = c.input;
  switch (field) {
    case 'call':
      return i.model === undefined ? null : `${i.provider}/${i.api}/${i.model}`;
    case 'system':
      return i.messages.find((m) => m.role === 'system')?.content ?? null;
    case 'user':
      return [...i.messages].reverse().find((m) => m.role === 'user')?.content ?? null;
    case 'query':
      return i.query ?? null;
    case 'answer':
      return c.recorded.output;
    case 'finishReason':
      return c.recorded.finishReason ?? null;
    case 'toolsOffered':
      return (i.tools ?? []).map((t) => t.name);
    case 'toolCalls':
      return (c.recorded.toolCalls ?? []).map((t) => [t.name, t.arguments]);
    case 'usage':
      return c.recorded.usage?.inputTokens !== undefined && c.recorded.usage.outputTokens !== undefined;
    case 'retrieval':
      return c.context.steps.flatMap((s) => (s.step?.type === 'retrieval' ? s.step.documents.map((d) => [d.id, d.score]) : []));
  }
}

/** The cases of a flavour's fixture, by trace name. */
export async function flavourCases(flavour: Flavour): Promise<Map<string, Omit<Case, 'id'>>> {
  const out = new Map<string, Omit<Case, 'id'>>();
  const source = new OtlpFileSource(FLAVOURS[flavour].files.map((f) => join(dir, f)));
  for await (const raw of source.traces()) {
    const trace = buildTrace(raw);
    out.set(trace.name ?? trace.traceId, caseFromTrace(trace, { capturedAt: '2026-01-01T00:00:00Z', toolVersion: 'test' }));
  }
  return out;
}

/** Every scored field of a flavour. */
export async function fieldResults(flavour: Flavour): Promise<FieldResult[]> {
  const cases = await flavourCases(flavour);
  const out: FieldResult[] = [];
  for (const [trace, expected] of Object.entries(expectations(flavour))) {
    const c = cases.get(trace);
    if (!c) continue;
    for (const [field, value] of Object.entries(expected) as Array<[Field, unknown]>) {
      const found = fieldOf(c, field);
      out.push({ flavour, trace, field, expected: value, found, ok: JSON.stringify(found) === JSON.stringify(value) });
    }
  }
  return out;
}

/** True when a scored value says something (not absent, empty or false). */
function says(value: unknown): boolean {
  return value !== null && value !== false && !(Array.isArray(value) && value.length === 0);
}

/**
 * One cell of the flavour table: `✓` when every trace that has the field reads it right, `–`
 * when no trace of the flavour records it, else `partial` with the traces missing it.
 */
function cell(results: readonly FieldResult[]): string {
  const relevant = results.filter((r) => says(r.expected));
  if (relevant.length === 0) return '–';
  const missed = relevant.filter((r) => !r.ok);
  if (missed.length === 0) return '✓';
  if (missed.length === relevant.length) return '–';
  return `partial (not: ${missed.map((r) => r.trace).join(', ')})`;
}

/** The README table: one row per flavour, one column per field. */
export function flavourTable(results: readonly FieldResult[]): string {
  const fields = Object.keys(FIELDS) as Field[];
  const lines = [
    `| flavour | ${fields.map((f) => FIELDS[f]).join(' | ')} |`,
    `|---|${fields.map(() => '---').join('|')}|`,
  ];
  for (const flavour of Object.keys(FLAVOURS) as Flavour[]) {
    const mine = results.filter((r) => r.flavour === flavour);
    lines.push(`| \`${flavour}\` | ${fields.map((f) => cell(mine.filter((r) => r.field === f))).join(' | ')} |`);
  }
  return lines.join('\n');
}
