/**
 * The data the report's client script renders, embedded as JSON. Built once from the rows;
 * long texts are clipped so a run of thousands of cases stays a file a browser opens quickly.
 */
import type { Case, CaseStep } from '../../datasets/case.js';
import type { Score } from '../../evaluators/evaluator.js';
import { evidenceOf, type ReportRow } from '../case-rows.js';

/** Longest text kept per field, in characters. */
const MAX_TEXT = 20_000;

/** One timeline bar. */
export interface StepData {
  name: string;
  type: string;
  offsetMs: number;
  durationMs: number;
  status: 'ok' | 'error';
}

/** One case × variant row of the table, with what the detail panel needs of the result. */
export interface RowData {
  id: string;
  variant: string;
  dataset: string;
  title: string;
  verdict: string;
  passRate: number | null;
  scoreDelta: number | null;
  flaky: boolean;
  changes: string[];
  incident: string | null;
  latencyMs: number | null;
  /** Provider the candidate ran on and its API, e.g. `anthropic (anthropic-messages)`. */
  provider: string | null;
  output: string | null;
  error: string | null;
  scores: Score[];
  baselineScores: Score[];
  steps: StepData[];
}

/** Per case, shared by the variants' rows. */
export interface CaseData {
  query: string | null;
  messages: Array<{ role: string; content: string }>;
  documents: Array<{ id: string; score: number | null; content: string; store: string }>;
  recordedOutput: string | null;
  recordedError: string | null;
  expectedOutput: string | null;
  diagnosis: Array<{ label: string; span: string; reason: string }>;
  steps: StepData[];
  traceId: string;
  source: string;
  flaggedBecause: string[];
  tags: string[];
}

/** The embedded JSON document. */
export interface ReportData {
  rows: RowData[];
  cases: Record<string, CaseData>;
}

/** Builds the embedded data from the rows (pure). */
export function buildReportData(rows: readonly ReportRow[]): ReportData {
  const cases: Record<string, CaseData> = {};
  const out: RowData[] = [];
  for (const row of rows) {
    if (row.case && !(row.caseId in cases)) cases[row.caseId] = caseData(row.case);
    const first = row.results[0];
    const passRate = row.comparison?.candidatePassRate ?? (row.results.length ? row.results.filter((r) => r.pass).length / row.results.length : null);
    out.push({
      id: row.caseId,
      variant: row.variant,
      dataset: row.dataset,
      title: clipText(row.title),
      verdict: row.verdict,
      passRate,
      scoreDelta: row.comparison?.scoreDelta ?? null,
      flaky: row.comparison?.flaky ?? false,
      // The verdict's evidence first (why it is regressed, flaky, …), then the evaluators that flipped.
      changes: [...(evidenceOf(row) !== undefined ? [evidenceOf(row)!] : []), ...(row.comparison?.changes ?? [])].map(clipText),
      incident: row.comparison?.incident ?? row.case?.labels.incident ?? null,
      latencyMs: first ? first.latencyMs : null,
      provider: first?.provider !== undefined ? `${first.provider}${first.api !== undefined ? ` (${first.api})` : ''}` : null,
      output: first ? clipNullable(first.output) : null,
      error: first?.error ? clipText(`${first.error.type ? `${first.error.type}: ` : ''}${first.error.message}`) : null,
      scores: (first?.scores ?? []).map(clipScore),
      baselineScores: (row.results.find((r) => r.recorded)?.recorded?.scores ?? []).map(clipScore),
      steps: (first?.steps ?? []).map(stepData),
    });
  }
  return { rows: out, cases };
}

function caseData(c: Case): CaseData {
  const documents: CaseData['documents'] = [];
  for (const s of c.context.steps) {
    if (s.step?.type !== 'retrieval') continue;
    for (const d of s.step.documents) {
      documents.push({ id: d.id ?? '', score: d.score ?? null, content: clipText(d.content ?? ''), store: s.step.store ?? s.name });
    }
  }
  const err = c.recorded.error;
  return {
    query: clipNullable(c.input.query ?? null),
    messages: c.input.messages.map((m) => ({
      role: m.role,
      content: clipText(
        [m.content ?? '', ...(m.toolCalls ?? []).map((t) => `→ ${t.name}(${JSON.stringify(t.arguments)})`)].filter(Boolean).join('\n'),
      ),
    })),
    documents,
    recordedOutput: clipNullable(c.recorded.output),
    recordedError: err ? clipText(`${err.type ? `${err.type}: ` : ''}${err.message}`) : null,
    expectedOutput: clipNullable(c.expected?.output ?? null),
    diagnosis: c.labels.diagnosis.map((d) => ({ label: d.label, span: d.spanName, reason: clipText(d.reason) })),
    steps: c.context.steps.map(stepData),
    traceId: c.provenance.traceId,
    source: c.provenance.source,
    flaggedBecause: c.labels.flaggedBecause,
    tags: c.labels.tags,
  };
}

function stepData(s: CaseStep): StepData {
  return { name: clipText(s.name), type: s.step?.type ?? 'span', offsetMs: s.offsetMs, durationMs: s.durationMs, status: s.status };
}

function clipScore(s: Score): Score {
  return { name: s.name, score: s.score, pass: s.pass, reason: clipText(s.reason) };
}

function clipText(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… [${text.length - MAX_TEXT} more characters]` : text;
}

function clipNullable(text: string | null): string | null {
  return text === null ? null : clipText(text);
}
