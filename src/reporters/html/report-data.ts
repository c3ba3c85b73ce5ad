/**
 * The data the report's client script renders, in two embedded blocks, so a report of 100,000
 * cases opens as fast as one of 1,000:
 *
 * - the index (`#data`, one JSON document, parsed at load): one compact array per row with
 *   what the table shows, filters and sorts; variant, dataset and verdict names are indices
 *   into tables;
 * - the details (`#details`, one JSON value per line, never parsed as a whole): first every
 *   row's output (line `r`), then every row's detail (line `rows + r`), then every case's
 *   content (line `2 × rows + c`). The client reads a line when a row is opened, and searches
 *   the outputs part as text.
 *
 * Long texts are clipped so no single field makes the file unwieldy.
 */
import type { Case, CaseStep } from '../../datasets/case.js';
import type { Score } from '../../evaluators/evaluator.js';
import { evidenceOf, VERDICT_ORDER, type ReportRow } from '../case-rows.js';

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

/**
 * One case × variant row of the table, by position: id, variant index, dataset index, title,
 * verdict index, pass rate, score delta, flaky (0/1), what changed, latency (ms), candidate
 * error, case index (into the case lines; -1 when the case is not loaded).
 */
export type IndexRow = [string, number, number, string, number, number | null, number | null, 0 | 1, string[], number | null, string | null, number];

/** The `#data` document. */
export interface ReportIndex {
  variants: string[];
  datasets: string[];
  /** Verdict names; a row's verdict index points here (order: `VERDICT_ORDER`). */
  verdicts: string[];
  rows: IndexRow[];
  /** Number of case lines after the row lines in `#details`. */
  caseCount: number;
}

/** A row's detail line: what the open panel needs of the result besides its output. */
export interface RowDetail {
  /** Provider the candidate ran on and its API, e.g. `anthropic (anthropic-messages)`. */
  provider: string | null;
  incident: string | null;
  scores: Score[];
  baselineScores: Score[];
  steps: StepData[];
}

/** A case's line, shared by the variants' rows. */
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

/** The index plus the order of the case lines (built in one pass over the rows). */
export interface ReportLayout {
  index: ReportIndex;
  /** The loaded cases, in case-line order. */
  cases: Case[];
}

/** Builds the index (pure). `rows` may be any iterable; it is read once. */
export function buildIndex(rows: Iterable<ReportRow>): ReportLayout {
  const variants = new Map<string, number>();
  const datasets = new Map<string, number>();
  const caseIndex = new Map<string, number>();
  const cases: Case[] = [];
  const verdicts = new Map(VERDICT_ORDER.map((v, i) => [v as string, i]));
  const slot = (m: Map<string, number>, key: string): number => {
    let i = m.get(key);
    if (i === undefined) m.set(key, (i = m.size));
    return i;
  };
  const out: IndexRow[] = [];
  for (const row of rows) {
    let c = -1;
    if (row.case) {
      c = caseIndex.get(row.caseId) ?? -1;
      if (c === -1) {
        caseIndex.set(row.caseId, (c = cases.length));
        cases.push(row.case);
      }
    }
    out.push(indexRow(row, slot(variants, row.variant), slot(datasets, row.dataset), c));
  }
  return { index: { variants: [...variants.keys()], datasets: [...datasets.keys()], verdicts: [...verdicts.keys()], rows: out, caseCount: cases.length }, cases };
}

/** A row's entry in the index, given its variant, dataset and case slots. */
export function indexRow(row: ReportRow, variant: number, dataset: number, caseLine: number): IndexRow {
  const first = row.results[0];
  const passRate = row.comparison?.candidatePassRate ?? (row.results.length ? row.results.filter((r) => r.pass).length / row.results.length : null);
  const evidence = evidenceOf(row);
  return [
    row.caseId,
    variant,
    dataset,
    clipText(row.title),
    VERDICT_ORDER.indexOf(row.verdict),
    passRate,
    row.comparison?.scoreDelta ?? null,
    row.comparison?.flaky ? 1 : 0,
    // The verdict's evidence first (why it is regressed, flaky, …), then the evaluators that flipped.
    [...(evidence !== undefined ? [evidence] : []), ...(row.comparison?.changes ?? [])].map(clipText),
    first ? first.latencyMs : null,
    first?.error ? clipText(`${first.error.type ? `${first.error.type}: ` : ''}${first.error.message}`) : null,
    caseLine,
  ];
}

/** The output line of a row (the first repeat's output, clipped). */
export function rowOutput(row: ReportRow): string | null {
  return clipNullable(row.results[0]?.output ?? null);
}

/** The detail line of a row. */
export function rowDetail(row: ReportRow): RowDetail {
  const first = row.results[0];
  return {
    provider: first?.provider !== undefined ? `${first.provider}${first.api !== undefined ? ` (${first.api})` : ''}` : null,
    incident: row.comparison?.incident ?? row.case?.labels.incident ?? null,
    scores: (first?.scores ?? []).map(clipScore),
    baselineScores: (row.results.find((r) => r.recorded)?.recorded?.scores ?? []).map(clipScore),
    steps: (first?.steps ?? []).map(stepData),
  };
}

/** The line of a case. */
export function caseData(c: Case): CaseData {
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
