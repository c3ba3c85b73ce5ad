/**
 * What comparison produces: per case a verdict with its evidence, per evaluator a paired test,
 * and the gate's decision. Pure data; reporters render it.
 */
export type CaseVerdict =
  /** Confirmed: the candidate passes credibly less often than the baseline (see confirm.ts). */
  | 'regressed'
  /** The baseline failed every run, the candidate passed every run. */
  | 'fixed'
  /** Both sides mostly pass (no confirmed drop). */
  | 'unchanged-pass'
  /** Both sides mostly fail (no confirmed drop). */
  | 'unchanged-fail'
  /** Passed less often than the baseline at first, but re-runs showed noise, not a regression. */
  | 'flaky'
  /** Passed less often than the baseline and the evidence is not in yet (confirmation off, budget, or `evals compare`). */
  | 'unconfirmed'
  /** In the candidate, not in the baseline. */
  | 'new'
  /** In the baseline, not in the candidate. */
  | 'missing'
  /** Every candidate run failed to reach the model (provider errors after retries). */
  | 'errored'
  /** An evaluator errored or timed out on every run: the output was never judged. */
  | 'unscored'
  /** Never started: nothing to replay (no captured model call), or the cost budget was reached. */
  | 'skipped';

/** The re-runs that decided a flip. */
export interface CaseConfirmation {
  candPass: number;
  candRuns: number;
  basePass: number;
  baseRuns: number;
  /** One-sided p-value of the confirmation test. */
  pValue: number;
  /** Level it was tested at (α / flips). */
  alpha: number;
}

export interface CaseComparison {
  dataset: string;
  caseId: string;
  variant: string;
  verdict: CaseVerdict;
  /** Candidate pass rate over the first pass's evaluated runs (1 repeat → 0 or 1). */
  candidatePassRate: number;
  /** Baseline pass rate over its first-pass runs (the recorded output included); null when there is none. */
  baselinePassRate: number | null;
  /** True when the baseline mostly passed; null when there is none. */
  baselinePass: boolean | null;
  /** Evaluated runs on each side (first pass and confirmation). */
  runs: { candidate: number; baseline: number };
  confirmation?: CaseConfirmation;
  /** Candidate mean score minus baseline mean score, over all evaluators. */
  scoreDelta: number | null;
  /** True when the candidate's runs disagree (some pass, some fail). */
  flaky: boolean;
  /** Evaluators whose verdict flipped, e.g. `contains: pass → fail`. */
  changes: string[];
  /** Evaluators that errored or timed out on some run (unscored). */
  unscored?: string[];
  /** The case is tied to an incident: its expectations must hold in the candidate. */
  incident?: string;
  /** For incident cases: whether the candidate met them at the configured rate. */
  incidentHolds?: boolean;
  /** One sentence a reviewer understands: why this verdict. */
  evidence: string;
}

export interface MetricComparison {
  /** Evaluator name, or `pass` for the case's overall pass/fail. */
  name: string;
  variant: string;
  dataset: string;
  baselineMean: number | null;
  candidateMean: number;
  delta: number | null;
  /** 95% paired bootstrap interval of the mean per-case difference (cases resampled). */
  ci?: [number, number];
  baselinePassRate: number | null;
  candidatePassRate: number;
  /** One-sided p-value that the candidate is worse (McNemar for one binary run a side, else a paired sign-flip test over cases). */
  pValue?: number;
  /** `pValue` adjusted by Holm over every metric × variant × dataset test of the run. */
  pAdjusted?: number;
  test?: 'mcnemar' | 'sign-flip';
  /** Cases with data on both sides. */
  n: number;
}

export type GateStatus = 'pass' | 'fail' | 'inconclusive';

export interface GateResult {
  status: GateStatus;
  /** One sentence each: why the gate decided this (failures first). */
  reasons: string[];
  /** Nothing was evaluated at all (exit 3). */
  nothingEvaluated?: boolean;
}

export interface VariantSummary {
  variant: string;
  /** `baseline` for the sampled baseline (production replayed); absent for candidates. */
  role?: 'baseline';
  /** Case runs (case × repeat, confirmation runs included). */
  total: number;
  passed: number;
  failed: number;
  /** Provider errors after retries: the output was never produced. */
  errored: number;
  /** Runs that could not start (nothing to replay, budget reached). */
  skipped: number;
  /** Runs with an evaluator error or timeout. */
  unscored: number;
  /** Confirmation re-runs among `total`. */
  confirmationRuns: number;
  fixed: number;
  regressed: number;
  unchanged: number;
  flaky: number;
  unconfirmed: number;
  costUsd: number;
  cacheHits: number;
  /** Latency percentiles over non-cached results, ms. */
  latencyP50: number | null;
  latencyP95: number | null;
  inputTokens: number;
  outputTokens: number;
}

/** How the confirmation stage went, for the reports. */
export interface ConfirmationSummary {
  flips: number;
  alphaCase: number;
  runs: number;
  regressed: number;
  flaky: number;
  unconfirmed: number;
}

export interface Comparison {
  baseline: { kind: 'replay' | 'recorded' | 'run'; label: string };
  cases: CaseComparison[];
  metrics: MetricComparison[];
  variants: VariantSummary[];
  confirmation: ConfirmationSummary;
  gate: GateResult;
}
