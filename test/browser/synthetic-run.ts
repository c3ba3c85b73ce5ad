/**
 * A synthetic finished run for reporter tests: `caseCount` cases × two variants with every
 * verdict, retrieval and LLM steps, repeats, and hostile content (HTML/script injection,
 * Markdown, XML-breaking and control characters) spread through every field a report shows.
 */
import type { CaseComparison, CaseVerdict, MetricComparison } from '../../src/compare/types.js';
import { CASE_SCHEMA, type Case } from '../../src/datasets/case.js';
import type { CaseResult } from '../../src/runner/result.js';
import { RUN_SCHEMA, type RunRecord } from '../../src/runner/run-record.js';
import type { ReportInput } from '../../src/reporters/report-input.js';

/** Strings that break out of HTML, script, Markdown or XML when not escaped. */
export const HOSTILE = [
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '</script><script>window.__pwned=2;alert(2)</script>',
  '"><svg onload=alert(3)>',
  '<iframe src="https://evil.example/"></iframe>',
  '**bold** [click](javascript:alert(4)) | pipe | @octocat <!-- </details>',
  ']]> &amp; \u2028line\u2029sep \u0000\u0001\u001b[31m ctrl \ud800 lone',
] as const;

/** The id of the case whose every field is hostile. */
export const HOSTILE_CASE_ID = 'c_hostile00000001';

export const VARIANTS = ['default', 'gpt-next'] as const;

/** What the generator assigned, counted independently of the reporters. */
export interface SyntheticRun {
  input: ReportInput;
  /** Rows per verdict, over both variants. */
  expected: Record<CaseVerdict, number>;
}

function verdictFor(i: number, v: number): CaseVerdict {
  if (i === 0) return 'regressed';
  if ((i + v) % 17 === 0) return 'regressed';
  if ((i + v) % 23 === 1) return 'errored';
  if ((i + v) % 11 === 2) return 'fixed';
  if ((i + v) % 53 === 3) return 'missing';
  if ((i + v) % 41 === 4) return 'new';
  return (i + v) % 5 === 0 ? 'unchanged-fail' : 'unchanged-pass';
}

function makeCase(i: number, hostile: boolean): Case {
  const h = (k: number): string => (hostile ? HOSTILE[k % HOSTILE.length] ?? '' : '');
  const id = i === 0 ? HOSTILE_CASE_ID : `c_${i.toString(16).padStart(16, '0')}`;
  const query = `Can I get a refund for order #${1000 + i}? ${h(0)}`;
  return {
    schema: CASE_SCHEMA,
    id,
    input: {
      query,
      messages: [
        { role: 'system', content: `You are a refund assistant. Policy v${i % 3}. ${h(1)}` },
        { role: 'user', content: query },
      ],
      model: 'gpt-4o-mini',
    },
    context: {
      steps: [
        { spanId: `s${i}a`, name: `handle ${h(2)}`, offsetMs: 0, durationMs: 900, status: 'ok', step: { type: 'chain', kind: 'workflow' } },
        {
          spanId: `s${i}b`, parentSpanId: `s${i}a`, name: 'retrieve', offsetMs: 10, durationMs: 120, status: 'ok',
          step: {
            type: 'retrieval', store: 'policies', documents: [
              { id: `doc-${i}-1`, score: 0.91, content: `Refunds within 30 days. ${h(3)}` },
              { id: `doc-${i}-2`, score: 0.47, content: `Shipping policy ${h(4)}` },
            ],
          },
        },
        { spanId: `s${i}c`, parentSpanId: `s${i}a`, name: 'chat gpt-4o-mini', offsetMs: 140, durationMs: 700, status: i % 23 === 1 ? 'error' : 'ok' },
      ],
    },
    recorded: { output: `Yes, you can get a refund within 30 days of order ${1000 + i}. ${h(0)}`, latencyMs: 900, status: 'ok' },
    ...(hostile ? { expected: { output: `Refund approved ${h(2)}` } } : {}),
    labels: {
      flaggedBecause: [`feedback:thumbs=0 ${h(1)}`],
      tags: ['refund'],
      diagnosis: hostile ? [{ label: 'injection_suspect', spanId: `s${i}b`, spanName: 'retrieve', reason: `document carries markup ${h(1)}` }] : [],
      ...(i % 100 === 0 ? { incident: `INC-${i} ${h(5)}` } : {}),
    },
    provenance: { source: 'otlp-json', traceId: `t${i}`, capturedAt: '2026-11-01T00:00:00Z', toolVersion: '0.1.0' },
  };
}

/**
 * Builds the synthetic run (deterministic). Every 97th case and case 0 carry hostile content.
 * `variantCount` (1 or 2) limits the rows to the first variant(s).
 */
export function syntheticRun(caseCount = 1000, variantCount: number = VARIANTS.length): SyntheticRun {
  const variants = VARIANTS.slice(0, variantCount);
  const cases = new Map<string, Case>();
  const results: CaseResult[] = [];
  const comparisons: CaseComparison[] = [];
  const expected: Record<CaseVerdict, number> = { regressed: 0, fixed: 0, 'unchanged-pass': 0, 'unchanged-fail': 0, new: 0, missing: 0, errored: 0, skipped: 0, flaky: 0, unconfirmed: 0, unscored: 0 };
  for (let i = 0; i < caseCount; i++) {
    const hostile = i % 97 === 0;
    const c = makeCase(i, hostile);
    cases.set(c.id, c);
    variants.forEach((variant, v) => {
      const verdict = verdictFor(i, v);
      expected[verdict]++;
      const candPass = verdict === 'fixed' || verdict === 'unchanged-pass' || verdict === 'new';
      const basePass = verdict === 'regressed' || verdict === 'unchanged-pass' || verdict === 'missing';
      const reason = (pass: boolean): string => `${pass ? 'contains "refund"' : 'missing "refund"'} ${hostile ? HOSTILE[0] : ''}`;
      comparisons.push({
        dataset: 'refund-bot', caseId: c.id, variant, verdict, candidatePassRate: candPass ? 1 : 0, baselinePass: verdict === 'new' ? null : basePass,
        baselinePassRate: verdict === 'new' ? null : basePass ? 1 : 0, runs: { candidate: 2, baseline: 1 }, evidence: `${verdict} ${hostile ? HOSTILE[4] : ''}`,
        scoreDelta: verdict === 'regressed' ? -0.5 : verdict === 'fixed' ? 0.5 : 0, flaky: false,
        changes: verdict === 'regressed' ? [`contains: pass → fail ${hostile ? HOSTILE[4] : ''}`] : verdict === 'fixed' ? ['contains: fail → pass'] : [],
        ...(c.labels.incident ? { incident: c.labels.incident } : {}),
      });
      if (verdict === 'missing') return;
      const errored = verdict === 'errored';
      for (let repeat = 0; repeat < 2; repeat++) {
        results.push({
          caseId: c.id, variant, repeat, dataset: 'refund-bot',
          output: errored ? null : candPass ? `Yes, a refund is possible within 30 days for order ${1000 + i}. ${hostile ? HOSTILE[1] : ''}` : `Sorry, no. ${hostile ? HOSTILE[2] : ''}`,
          latencyMs: 400 + (i % 300), model: variant === 'default' ? 'gpt-4o-mini' : 'gpt-next',
          ...(errored ? { error: { type: 'provider_error', message: `HTTP 500 ${hostile ? HOSTILE[3] : ''}` } } : {}),
          scores: errored ? [] : [{ name: 'contains', score: candPass ? 1 : 0, pass: candPass, reason: reason(candPass) }],
          pass: candPass && !errored,
          ...(repeat === 0 ? { recorded: { scores: [{ name: 'contains', score: basePass ? 1 : 0, pass: basePass, reason: reason(basePass) }], pass: basePass, output: c.recorded.output } } : {}),
          steps: [{ spanId: `r${i}`, name: `replay ${variant}`, offsetMs: 0, durationMs: 400 + (i % 300), status: errored ? 'error' : 'ok', step: { type: 'llm', params: {}, input: [], output: [] } }],
          startedAt: '2026-11-27T10:00:00Z',
        });
      }
    });
  }
  const metrics: MetricComparison[] = variants.map((variant) => ({
    name: 'contains', variant, dataset: 'refund-bot', baselineMean: 0.82, candidateMean: 0.79, delta: -0.03, ci: [-0.05, -0.01], baselinePassRate: 0.82, candidatePassRate: 0.79, pValue: 0.012, n: caseCount, test: 'mcnemar',
  }));
  const run: RunRecord = {
    schema: RUN_SCHEMA, id: 'run-2026-11-27-abc123', startedAt: '2026-11-27T10:00:00Z', finishedAt: '2026-11-27T10:05:00Z', status: 'completed',
    toolVersion: '0.1.0', config: { file: 'evals.config.yaml', hash: 'cfg' },
    datasets: [{ name: 'refund-bot', version: 4, hash: 'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f0', cases: caseCount }],
    variants: [
      { name: 'default', pipeline: 'replay', model: 'gpt-4o-mini' },
      { name: 'gpt-next', pipeline: 'replay', model: 'gpt-next', description: `system prompt replaced ${HOSTILE[0]}` },
    ],
    repeat: 2, counts: { total: results.length, completed: results.length, errored: 0, cached: 0 }, costUsd: 1.2345, durationMs: 300000,
    comparison: {
      baseline: { kind: 'recorded', label: 'production output' },
      cases: comparisons, metrics, variants: [], confirmation: { flips: 0, alphaCase: 0, runs: 0, regressed: 0, flaky: 0, unconfirmed: 0 },
      gate: { status: 'fail', reasons: [`incident case INC-0 regressed ${HOSTILE[1]}`, 'contains dropped by 0.03 (95% CI [-0.05, -0.01])'] },
    },
  };
  return { input: { run, results, cases }, expected };
}
