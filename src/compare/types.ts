/**
 * What comparison produces: per case a verdict against the baseline, per evaluator a delta,
 * and the gate's decision. Pure data; reporters render it.
 */
export type CaseVerdict =
  /** Baseline failed, candidate passes. */
  | 'fixed'
  /** Baseline passed, candidate fails. */
  | 'regressed'
  /** Both pass. */
  | 'unchanged-pass'
  /** Both fail. */
  | 'unchanged-fail'
  /** In the candidate, not in the baseline. */
  | 'new'
  /** In the baseline, not in the candidate. */
  | 'missing'
  /** Candidate call failed (provider error…): not counted as a regression of the output. */
  | 'errored'
  /** Never started: nothing to replay (no captured model call), or the cost budget was reached. */
  | 'skipped';

export interface CaseComparison {
  caseId: string;
  variant: string;
  verdict: CaseVerdict;
  /** Pass rate over repeats (1 repeat → 0 or 1). */
  candidatePassRate: number;
  baselinePass: boolean | null;
  /** Candidate mean score minus baseline mean score, over all evaluators. */
  scoreDelta: number | null;
  /** True when repeats disagree (some pass, some fail). */
  flaky: boolean;
  /** Evaluators whose verdict flipped, e.g. `contains: pass → fail`. */
  changes: string[];
  /** The case is tied to an incident (must never regress). */
  incident?: string;
}

export interface MetricComparison {
  /** Evaluator name. */
  name: string;
  variant: string;
  baselineMean: number | null;
  candidateMean: number;
  delta: number | null;
  /** 95% bootstrap interval of the paired mean difference, when paired data exists. */
  ci?: [number, number];
  baselinePassRate: number | null;
  candidatePassRate: number;
  /** Exact McNemar p-value on pass/fail flips, when paired data exists. */
  pValue?: number;
  n: number;
}

export type GateStatus = 'pass' | 'fail' | 'inconclusive';

export interface GateResult {
  status: GateStatus;
  /** One line each: why the gate decided this. */
  reasons: string[];
}

export interface VariantSummary {
  variant: string;
  total: number;
  passed: number;
  failed: number;
  errored: number;
  /** Runs that could not start for this case (e.g. nothing to replay); not counted as errors. */
  skipped: number;
  fixed: number;
  regressed: number;
  unchanged: number;
  costUsd: number;
  cacheHits: number;
  /** Latency percentiles over non-cached results, ms. */
  latencyP50: number | null;
  latencyP95: number | null;
  inputTokens: number;
  outputTokens: number;
}

export interface Comparison {
  baseline: { kind: 'recorded' | 'run'; label: string };
  cases: CaseComparison[];
  metrics: MetricComparison[];
  variants: VariantSummary[];
  gate: GateResult;
}
