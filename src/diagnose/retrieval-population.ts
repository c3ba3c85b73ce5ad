/**
 * Retrieval relevance judged against the population, not one global constant. Retrieval scores
 * have no common scale: cosine similarity (−1..1, good matches anywhere from 0.3 to 0.9 by
 * embedding model), distances (lower is better), rerank logits (negative to positive), BM25
 * (unbounded), keyword overlap (0..1, a right answer at 0.33). On the fixtures a fixed 0.5 fired
 * on half of the refund bot's traces, including ones users rated well. So by default a retrieval
 * is low-relevance only when its best score is an outlier among the best scores of the other
 * retrievals from the same store read in the same command:
 *  - below Q1 − 1.5 × IQR (Tukey's lower fence) of the population's best scores, and
 *  - at least 25% of the median's size below the median (a real drop, not a tight cluster's tail),
 * with at least `MIN_POPULATION` scored retrievals from that store; fewer: not judged.
 * The orientation is detected per store: when the multi-document retrievals list their scores
 * in ascending order, the scores are distances and both rules are mirrored (above the upper
 * fence and 25% above the median).
 * A configured `snapshot.diagnose.retrieval.minScore` replaces all this with an absolute bound.
 */
import type { RetrievalStep, Span, Trace } from '../traces/model.js';

/** Scored retrievals a store needs before its population can judge one of them. */
export const MIN_POPULATION = 5;

/** Best-score samples per retrieval store, with the detected score orientation. */
export interface RetrievalPopulation {
  /** Store key (`RetrievalStep.store`, else the span name) → samples. */
  stores: Map<string, StoreSamples>;
}

interface StoreSamples {
  /** Highest score of each retrieval (the best when higher is better). */
  maxes: number[];
  /** Lowest score of each retrieval (the best when scores are distances). */
  mins: number[];
  /** Multi-document retrievals listed in ascending / descending score order. */
  ascending: number;
  descending: number;
}

/** The key retrievals are grouped by: the store name, else the span name. */
export function storeKey(span: Span, step: RetrievalStep): string {
  return step.store ?? span.name;
}

/** Finite scores of a retrieval step, in the order returned. */
export function scoresOf(step: RetrievalStep): number[] {
  return step.documents.map((d) => d.score).filter((s): s is number => typeof s === 'number' && Number.isFinite(s));
}

/** An empty population; add traces with `addToPopulation`. */
export function emptyPopulation(): RetrievalPopulation {
  return { stores: new Map() };
}

/** Adds every scored retrieval of `trace` (cheap: a few numbers per trace, traces are not kept). */
export function addToPopulation(population: RetrievalPopulation, trace: Trace): RetrievalPopulation {
  for (const span of trace.spans) {
    if (span.step?.type !== 'retrieval') continue;
    const scores = scoresOf(span.step);
    if (scores.length === 0) continue;
    const key = storeKey(span, span.step);
    const entry = population.stores.get(key) ?? { maxes: [], mins: [], ascending: 0, descending: 0 };
    const first = scores[0] as number;
    const last = scores[scores.length - 1] as number;
    if (scores.length > 1 && first < last) entry.ascending++;
    if (scores.length > 1 && first > last) entry.descending++;
    entry.maxes.push(Math.max(...scores));
    entry.mins.push(Math.min(...scores));
    population.stores.set(key, entry);
  }
  return population;
}

/** A population built from `traces`. */
export function retrievalPopulation(traces: Iterable<Trace>): RetrievalPopulation {
  const p = emptyPopulation();
  for (const t of traces) addToPopulation(p, t);
  return p;
}

/** Why this retrieval's best score is an outlier in its store's population, or undefined. */
export function lowAgainstPopulation(population: RetrievalPopulation, span: Span, step: RetrievalStep): string | undefined {
  const entry = population.stores.get(storeKey(span, step));
  const scores = scoresOf(step);
  if (entry === undefined || scores.length === 0) return undefined;
  const lowerIsBetter = entry.ascending > entry.descending;
  const samples = lowerIsBetter ? entry.mins : entry.maxes;
  if (samples.length < MIN_POPULATION) return undefined;
  const best = lowerIsBetter ? Math.min(...scores) : Math.max(...scores);
  const sorted = [...samples].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const median = quantile(sorted, 0.5);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  if (!lowerIsBetter) {
    const fence = q1 - 1.5 * iqr;
    if (best < fence && best <= median - 0.25 * Math.abs(median)) return `its best score ${round(best)} is an outlier among ${samples.length} retrievals from "${storeKey(span, step)}" (median ${round(median)}, lower fence ${round(fence)})`;
  } else {
    const fence = q3 + 1.5 * iqr;
    if (best > fence && best >= median + 0.25 * Math.abs(median)) return `its best (lowest) distance ${round(best)} is an outlier among ${samples.length} retrievals from "${storeKey(span, step)}" (median ${round(median)}, upper fence ${round(fence)})`;
  }
  return undefined;
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
