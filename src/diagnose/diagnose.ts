/**
 * The first diagnosis of a trace: which layer failed, in which span, and why, as findings a
 * reviewer reads next to the case. Pure: a function of the `Trace` (and options) only.
 *
 * Labels and their rules (each finding names the span and says why in one sentence):
 * - `provider_error`: an llm step with an error or an error status; an errored span without a
 *   typed view that carries GenAI request attributes or a model-API host (unless it sits under
 *   an llm step, which is then the one named); or an errored chain/unrecognised span with no
 *   errored span beneath it whose error is unmistakably a provider's (SDK error class,
 *   `openai.`/`anthropic.` prefix, rate-limit/overload/context-length codes): the failing call
 *   itself never reached the trace.
 * - `tool_error`: a tool step with an error or an error status.
 * - `truncated`: an llm finish reason of `length` / `max_tokens` / `max_output_tokens` (any
 *   case), or output tokens ≥ the requested max tokens when no natural finish reason
 *   (`stop`, `end_turn`, `tool_calls`…) says otherwise.
 * - `parser_fallback`: a parse step with `fallback: true`, or with an error yet an output (the
 *   conventions read every shape apps record it in: traces/conventions/parse-signals.ts); else a
 *   root/workflow output flagged `parse_fallback: true`.
 * - `empty_retrieval`: a retrieval step with no documents.
 * - `low_relevance_retrieval`: every scored document below `retrieval.minScore` when set; by
 *   default, a best score that is an outlier among the other retrievals from the same store
 *   (`retrieval.population`, retrieval-population.ts); never without scores, never with neither.
 * - `injection_suspect`: a retrieved document or tool result whose instruction-like phrases
 *   (weighted patterns, diagnose-patterns.ts) reach `injection.threshold`.
 * - `injection_followed`: after a suspect, a later model call (or, when model output is not
 *   captured, a tool span) runs a tool the user's request does not mention (by name words or
 *   synonyms) while the injected text does; or a later answer repeats the injected payload (a
 *   quoted reply, URL or e-mail address the user never wrote), or reproduces 12+ words of its
 *   system prompt after text that asked to reveal it. Needs the user's request in the trace.
 * - `slow_step`: a non-chain step over `slow.absoluteMs`, or over `slow.factor` × the median of
 *   ≥ 3 same-type steps and over `slow.minMs`, or a non-root step taking ≥ `slow.shareOfTrace` of
 *   a trace longer than `slow.minTraceMs`; the innermost slow step only.
 *
 * Findings are ordered by span start (then span order in the trace, then the list above).
 */
import type { Diagnosis, DiagnosisLabel } from '../datasets/case.js';
import type { Trace } from '../traces/model.js';
import { diagnoseProviderErrors, diagnoseToolErrors } from './diagnose-errors.js';
import { diagnoseInjectionFollowed } from './diagnose-followed.js';
import { findInjectionSuspects, suspectFindings } from './diagnose-injection.js';
import type { InjectionPattern } from './diagnose-patterns.js';
import { diagnoseSlowSteps, type SlowOptions } from './diagnose-slow.js';
import { diagnoseParserFallback, diagnoseRetrieval, diagnoseTruncation } from './diagnose-steps.js';
import type { RetrievalPopulation } from './retrieval-population.js';

export type { SlowOptions } from './diagnose-slow.js';
export { addToPopulation, emptyPopulation, retrievalPopulation, type RetrievalPopulation } from './retrieval-population.js';
export { INJECTION_PATTERNS, type InjectionPattern } from './diagnose-patterns.js';

/** Options of `diagnose`. Every field is optional; defaults are given per field. */
export interface DiagnoseOptions {
  retrieval?: {
    /**
     * Absolute bound: `low_relevance_retrieval` fires when every document score is below this.
     * Default: none (scales differ by scorer; the population decides).
     */
    minScore?: number;
    /**
     * Best scores of the retrievals read in the same command (`retrievalPopulation(traces)`); a
     * retrieval is low-relevance when its best score is an outlier there. Default: none (not judged).
     */
    population?: RetrievalPopulation;
  };
  /** `slow_step` thresholds. Defaults: 10,000 ms absolute, 3× median above 2,000 ms, 60% of a trace over 5,000 ms. */
  slow?: SlowOptions;
  injection?: {
    /** Sum of pattern weights that makes a text suspect. Default 1 (one strong pattern or two weak ones). */
    threshold?: number;
    /** Replaces the built-in pattern set (`INJECTION_PATTERNS`). Default: the built-in set. */
    patterns?: readonly InjectionPattern[];
  };
  /** Only report these labels. Default: all. */
  labels?: DiagnosisLabel[];
}

/** Rule order; also the tie-break between findings on the same span. */
const LABEL_ORDER: readonly DiagnosisLabel[] = [
  'provider_error',
  'tool_error',
  'truncated',
  'parser_fallback',
  'empty_retrieval',
  'low_relevance_retrieval',
  'injection_suspect',
  'injection_followed',
  'slow_step',
];

/**
 * Diagnoses one trace: every finding the rules above support, ordered by span start. An empty
 * array means nothing went visibly wrong, not that the answer was right.
 */
export function diagnose(trace: Trace, options: DiagnoseOptions = {}): Diagnosis[] {
  const suspects = findInjectionSuspects(trace, options.injection?.threshold ?? 1, options.injection?.patterns);
  const all = [
    ...diagnoseProviderErrors(trace),
    ...diagnoseToolErrors(trace),
    ...diagnoseTruncation(trace),
    ...diagnoseParserFallback(trace),
    ...diagnoseRetrieval(trace, options.retrieval?.minScore, options.retrieval?.population),
    ...suspectFindings(suspects),
    ...diagnoseInjectionFollowed(trace, suspects),
    ...diagnoseSlowSteps(trace, options.slow),
  ];
  const wanted = options.labels === undefined ? undefined : new Set(options.labels);
  const order = new Map(trace.spans.map((s, i) => [s.spanId, { start: s.startTimeMs, index: i }]));
  const rank = (d: Diagnosis): { start: number; index: number } => order.get(d.spanId) ?? { start: Infinity, index: Infinity };
  return all
    .filter((d) => wanted === undefined || wanted.has(d.label))
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const ra = rank(a.d);
      const rb = rank(b.d);
      return (
        ra.start - rb.start ||
        ra.index - rb.index ||
        LABEL_ORDER.indexOf(a.d.label) - LABEL_ORDER.indexOf(b.d.label) ||
        a.i - b.i
      );
    })
    .map(({ d }) => d);
}
