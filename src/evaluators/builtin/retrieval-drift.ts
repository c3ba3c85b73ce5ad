/**
 * `retrieval-drift`: for pipelines that re-run retrieval (a module pipeline recording
 * `{ type: 'retrieval', documents }` steps), compares the documents the candidate retrieved with
 * the case's recorded retrieval. Documents are identified by `id` (else `metadata.id`,
 * `metadata.source`, else their first 200 characters), taken over every retrieval step in
 * order, duplicates once, cut at depth `k` (default: the recorded count).
 * - overlap: share of the recorded top-k the candidate also returned in its top-k;
 * - rank agreement: rank-biased overlap (RBO, persistence 0.9) of the two top-k lists,
 *   normalised so identical lists give 1.
 * Score: the overlap. Options: `threshold` (min overlap, default 0.8), `rankThreshold` (min rank
 * agreement, default none), `k`. Passes, saying so, when the case recorded no retrieval or the
 * candidate ran none (a replay does not re-run retrieval).
 */
import type { CaseStep } from '../../datasets/case.js';
import type { RetrievedDocument } from '../../traces/model.js';
import type { EvaluatorFactory } from '../evaluator.js';
import { readCommon } from './options.js';

export const retrievalDrift: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['threshold', 'rankThreshold', 'k']);
  const threshold = f.optNumber(config.threshold, [...path, 'threshold'], { min: 0, max: 1 }) ?? 0.8;
  const rankThreshold = f.optNumber(config.rankThreshold, [...path, 'rankThreshold'], { min: 0, max: 1 });
  const k = f.optNumber(config.k, [...path, 'k'], { min: 1, integer: true });
  return {
    name,
    evaluate({ case: c, actual }) {
      const recordedSteps = retrievals(c.context.steps);
      if (recordedSteps === 0) return { name, score: 1, pass: true, reason: 'the case recorded no retrieval' };
      if (retrievals(actual.steps ?? []) === 0) return { name, score: 1, pass: true, reason: 'the candidate ran no retrieval (nothing to compare)' };
      const depth = k ?? Math.max(documentIds(c.context.steps).length, 1);
      const rec = documentIds(c.context.steps).slice(0, depth);
      const got = documentIds(actual.steps ?? []).slice(0, depth);
      const { overlap, rank } = compareRankings(rec, got);
      const pass = overlap >= threshold && (rankThreshold === undefined || rank >= rankThreshold);
      const lost = rec.filter((d) => !got.includes(d));
      const added = got.filter((d) => !rec.includes(d));
      const diff = [lost.length ? `lost ${lost.slice(0, 3).join(', ')}${lost.length > 3 ? '…' : ''}` : '', added.length ? `new ${added.slice(0, 3).join(', ')}${added.length > 3 ? '…' : ''}` : ''].filter(Boolean).join('; ');
      const limits = `threshold ${threshold}${rankThreshold !== undefined ? `, rank ≥ ${rankThreshold}` : ''}`;
      return { name, score: round(overlap), pass, reason: `overlap@${depth} ${round(overlap)}, rank agreement ${round(rank)} (${limits})${diff ? `: ${diff}` : ''}` };
    },
  };
};

function retrievals(steps: readonly CaseStep[]): number {
  return steps.filter((s) => s.step?.type === 'retrieval').length;
}

/** Document identities over every retrieval step, in order, each once. */
export function documentIds(steps: readonly CaseStep[]): string[] {
  const ids = steps.flatMap((s) => (s.step?.type === 'retrieval' ? s.step.documents.map(docId) : []));
  return [...new Set(ids)];
}

function docId(d: RetrievedDocument): string {
  const meta = d.metadata ?? {};
  const id = d.id ?? meta.id ?? meta.doc_id ?? meta.source;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : (d.content ?? '').slice(0, 200);
}

/** Overlap of `got` with `rec` (share of `rec` found), and normalised rank-biased overlap. */
export function compareRankings(rec: readonly string[], got: readonly string[], p = 0.9): { overlap: number; rank: number } {
  if (rec.length === 0) return got.length === 0 ? { overlap: 1, rank: 1 } : { overlap: 0, rank: 0 };
  const overlap = rec.filter((d) => got.includes(d)).length / rec.length;
  const depth = Math.max(rec.length, got.length);
  let sum = 0;
  let norm = 0;
  const seenA = new Set<string>();
  const seenB = new Set<string>();
  let common = 0;
  for (let d = 1; d <= depth; d++) {
    const a = rec[d - 1];
    const b = got[d - 1];
    if (a !== undefined) {
      if (seenB.has(a)) common++;
      seenA.add(a);
    }
    if (b !== undefined) {
      if (seenA.has(b)) common++;
      seenB.add(b);
    }
    const w = p ** (d - 1);
    sum += (w * common) / d;
    norm += w;
  }
  return { overlap, rank: sum / norm };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
