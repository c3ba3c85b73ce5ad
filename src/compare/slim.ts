/**
 * A result line reduced to what comparison and confirmation read (verdicts, metrics, variant
 * summaries, the case's incident): no output, no steps, no reasons, no error message; names
 * interned. `compareResults` and `findFlips` over slim results give the same answers as over
 * the full lines, at a fraction of the memory, so a run of 100,000 cases is confirmed and
 * compared without holding its results.
 */
import type { Score } from '../evaluators/evaluator.js';
import type { CaseResult } from '../runner/result.js';

/**
 * Shares one string per distinct evaluator, variant and dataset name, and one slim score list
 * per distinct list of (name, score, pass, state, weight): on a suite where most cases score
 * alike, 100,000 results hold a handful of score objects instead of 200,000. Slim results are
 * read, never changed, so sharing is safe.
 */
export class Interner {
  private readonly seen = new Map<string, string>();
  private readonly lists = new Map<string, Score[]>();
  of(s: string): string {
    const hit = this.seen.get(s);
    if (hit !== undefined) return hit;
    this.seen.set(s, s);
    return s;
  }
  scores(list: readonly Score[]): Score[] {
    let key = '';
    for (const s of list) key += `${s.name}\u0000${s.score}\u0000${s.pass}\u0000${s.state ?? ''}\u0000${s.weight ?? ''}\u0001`;
    const hit = this.lists.get(key);
    if (hit) return hit;
    const out = list.map((s) => slimScore(s, this));
    this.lists.set(key, out);
    return out;
  }
}

function slimScore(s: Score, names: Interner): Score {
  return { name: names.of(s.name), score: s.score, pass: s.pass, reason: '', ...(s.state !== undefined ? { state: s.state } : {}), ...(s.weight !== undefined ? { weight: s.weight } : {}) };
}

/** The slim copy of `r` (see the file comment). */
export function slimResult(r: CaseResult, names: Interner): CaseResult {
  const out: CaseResult = {
    caseId: r.caseId,
    variant: names.of(r.variant),
    repeat: r.repeat,
    dataset: names.of(r.dataset),
    output: null,
    latencyMs: r.latencyMs,
    scores: names.scores(r.scores),
    pass: r.pass,
    startedAt: '',
  };
  if (r.role !== undefined) out.role = r.role;
  if (r.phase !== undefined) out.phase = r.phase;
  if (r.costUsd !== undefined) out.costUsd = r.costUsd;
  if (r.cached !== undefined) out.cached = r.cached;
  if (r.incident !== undefined) out.incident = names.of(r.incident);
  if (r.usage) {
    // Built field by field: spreading conditional literals gave every copy a hidden class of its own (≈150 B each).
    const usage: NonNullable<CaseResult['usage']> = {};
    if (r.usage.inputTokens !== undefined) usage.inputTokens = r.usage.inputTokens;
    if (r.usage.outputTokens !== undefined) usage.outputTokens = r.usage.outputTokens;
    out.usage = usage;
  }
  if (r.error) out.error = { message: '', ...(r.error.type !== undefined ? { type: names.of(r.error.type) } : {}), ...(r.error.source !== undefined ? { source: r.error.source } : {}) };
  if (r.recorded) out.recorded = { scores: names.scores(r.recorded.scores), pass: r.recorded.pass, output: null, ...(r.recorded.answerMissing ? { answerMissing: true } : {}) };
  return out;
}
