/**
 * `injection_suspect`: instruction-like text inside content the pipeline fetched (retrieved
 * documents, tool results) rather than content a person wrote. The span that brought the text
 * in is the one named; tool results that only appear as `tool` messages in a model input are
 * scanned too and named on that model call.
 */
import type { Diagnosis } from '../datasets/case.js';
import type { Span, Trace } from '../traces/model.js';
import { stepsOf } from '../traces/model.js';
import { matchPatterns, scoreHits, type InjectionPattern, type PatternHit } from './diagnose-patterns.js';
import { clip, finding, textOf } from './diagnose-span.js';
import { instructionRegion } from './injection-echo.js';

/** One piece of fetched content that reads like orders to the model. */
export interface InjectionSuspect {
  span: Span;
  /** `document "kb-17"`, `the result of tool "lookup_order"`… */
  where: string;
  text: string;
  hits: PatternHit[];
  score: number;
  /** The text around the matches: where the injected payload (tool names, URLs, quotes) is read from. */
  window: string;
  /** From the first match to a little past the last: where a payload the answer may repeat is read from. */
  payloadWindow: string;
  /** The sentences from the first match to the one after the last (injection-echo.ts): what the text orders. */
  instruction: string;
}

/** A piece of fetched content, before scanning. */
export interface Fetched {
  span: Span;
  where: string;
  text: string;
}

/** Characters of context kept on each side of the matches for `window`. */
const WINDOW = 300;
/** Characters after the last match searched for a payload (quoted text, URL, e-mail address). */
const PAYLOAD_TAIL = 200;

/** Every fetched text in the trace (documents and tool results), suspect or not, in span order. */
export function fetchedContent(trace: Trace): Fetched[] {
  const out: Fetched[] = [];
  const toolResults = new Set<string>();
  const toolCallIds = new Set<string>();
  for (const span of trace.spans) {
    const step = span.step;
    if (step?.type === 'retrieval') {
      step.documents.forEach((d, i) => {
        if (d.content !== undefined && d.content.trim() !== '') {
          out.push({ span, where: d.id !== undefined ? `document "${d.id}"` : `document #${i + 1}`, text: d.content });
        }
      });
    } else if (step?.type === 'tool') {
      const text = textOf(step.result ?? null);
      if (step.callId !== undefined) toolCallIds.add(step.callId);
      if (text.trim() !== '') {
        toolResults.add(text.trim());
        out.push({ span, where: `the result of tool "${step.name}"`, text });
      }
    }
  }
  // Tool messages fed back to a model, when the tool itself left no span (or a different text).
  for (const span of stepsOf(trace, 'llm')) {
    for (const m of span.step.input) {
      if (m.role !== 'tool' || m.content === null || m.content.trim() === '') continue;
      if ((m.toolCallId !== undefined && toolCallIds.has(m.toolCallId)) || toolResults.has(m.content.trim())) continue;
      toolResults.add(m.content.trim());
      out.push({ span, where: `the tool result${m.name !== undefined ? ` of "${m.name}"` : ''} sent to the model`, text: m.content });
    }
  }
  return out;
}

/** Scans fetched content; returns every suspect piece (one span may hold several). */
export function findInjectionSuspects(
  trace: Trace,
  threshold = 1,
  patterns?: readonly InjectionPattern[],
): InjectionSuspect[] {
  return scanFetched(fetchedContent(trace), threshold, patterns);
}

/** Scans pieces of fetched content (from a trace or a case); returns the suspect ones. */
export function scanFetched(fetched: readonly Fetched[], threshold = 1, patterns?: readonly InjectionPattern[]): InjectionSuspect[] {
  const out: InjectionSuspect[] = [];
  for (const f of fetched) {
    const hits = matchPatterns(f.text, patterns);
    const score = scoreHits(hits);
    if (hits.length === 0 || score < threshold) continue;
    const first = Math.min(...hits.map((h) => h.index));
    const last = Math.max(...hits.map((h) => h.index + h.phrase.length));
    const window = f.text.slice(Math.max(0, first - WINDOW), last + WINDOW);
    const instruction = instructionRegion(f.text, first, last);
    out.push({ ...f, hits, score, window, payloadWindow: f.text.slice(first, last + PAYLOAD_TAIL), instruction });
  }
  return out;
}

/** injection_suspect findings: one per span, quoting the strongest phrase and naming the document. */
export function suspectFindings(suspects: InjectionSuspect[]): Diagnosis[] {
  const bySpan = new Map<string, InjectionSuspect[]>();
  for (const s of suspects) bySpan.set(s.span.spanId, [...(bySpan.get(s.span.spanId) ?? []), s]);
  const out: Diagnosis[] = [];
  for (const list of bySpan.values()) {
    const first = list[0] as InjectionSuspect;
    const strongest = [...first.hits].sort((a, b) => b.weight - a.weight || a.index - b.index)[0] as PatternHit;
    const more = list.length > 1 ? ` (and ${list.length - 1} more: ${list.slice(1).map((s) => s.where).join(', ')})` : '';
    out.push(
      finding(
        first.span,
        'injection_suspect',
        `${capitalize(first.where)} contains instruction-like text aimed at the model: "${clip(strongest.phrase, 80)}"${more}.`,
      ),
    );
  }
  return out;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
