/**
 * What one Vitest test (a case × variant) concludes from its runs, and the message it fails
 * with. Pure: no Vitest, no I/O.
 *
 * The rule, per test: every run must produce an answer (no error) that every evaluator scored
 * (an unscored evaluator never passes) and at least one evaluator judged (a run nothing judged
 * fails), and every evaluator must pass, except that a failure
 * production's own recorded answer shared (same evaluator failed on it) is a *known failure*:
 * reported, not counted, like the `unchanged-fail` verdict of `evals run`. Incident cases are
 * absolute (their expectations must hold whatever production did), and `strict` counts every
 * failure. The statistical gate with confirmation re-runs lives in `evals run`, not here.
 */
import type { Case } from '../datasets/case.js';
import type { Score } from '../evaluators/evaluator.js';
import type { CaseResult } from '../runner/result.js';

/** `pass`: counted and green; `known-failure`: failed only where production failed too; `fail`: an assertion failure. */
export type CaseCheckStatus = 'pass' | 'known-failure' | 'fail';

export interface CaseCheck {
  status: CaseCheckStatus;
  /** The assertion message (`fail`), the note of a known failure, or a one-line summary (`pass`). */
  message: string;
}

export interface CheckOptions {
  /** Count failures production shared too. Default false. */
  strict?: boolean;
  /** Where the case is in the run's report.html (a file:// URL with its fragment). */
  reportLink?: string;
}

/** One evaluator's failures over the runs of a test. */
interface Failure {
  name: string;
  runs: number;
  score: number;
  reason: string;
  unscored: boolean;
  /** Production's recorded answer failed this evaluator too. */
  shared: boolean;
}

const OUTPUT_EXCERPT = 300;

function failed(s: Score): boolean {
  return s.state === 'unscored' || (s.state === undefined && !s.pass);
}

/** Evaluators production's recorded answer (validly scored) failed. */
function productionFailures(results: readonly CaseResult[]): Set<string> {
  const rec = results.find((r) => r.recorded)?.recorded;
  if (!rec || rec.answerMissing) return new Set();
  return new Set(rec.scores.filter((s) => s.state === undefined && !s.pass).map((s) => s.name));
}

function collectFailures(results: readonly CaseResult[], shared: Set<string>): Failure[] {
  const byName = new Map<string, Failure>();
  for (const r of results) {
    for (const s of r.scores.filter(failed)) {
      const f = byName.get(s.name);
      if (f) f.runs++;
      else byName.set(s.name, { name: s.name, runs: 1, score: s.score, reason: s.reason, unscored: s.state === 'unscored', shared: s.state !== 'unscored' && shared.has(s.name) });
    }
  }
  return [...byName.values()];
}

/** Judges the runs of one case × variant (at least one). */
export function checkCase(c: Case, results: readonly CaseResult[], opts: CheckOptions = {}): CaseCheck {
  const runs = results.length;
  const errored = results.filter((r) => r.error);
  const countKnown = opts.strict === true || c.labels.incident !== undefined;
  const failures = collectFailures(results, productionFailures(results));
  const counted = failures.filter((f) => countKnown || !f.shared);
  // A run no evaluator scored (none configured, or every one not applicable) checked nothing:
  // red, like `evals run`'s "nothing evaluated", never a silent green.
  const unchecked = results.filter((r) => !r.error && !r.scores.some((s) => s.state === undefined));
  const status: CaseCheckStatus = errored.length > 0 || counted.length > 0 || unchecked.length > 0 ? 'fail' : failures.length > 0 ? 'known-failure' : 'pass';
  const evaluated = new Set(results.flatMap((r) => r.scores.map((s) => s.name)));
  if (status === 'pass') return { status, message: `passed ${evaluated.size} evaluator(s) in ${runs} run(s)` };
  if (status === 'known-failure') {
    const list = failures.map((f) => `${f.name}: ${f.reason}`).join('; ');
    return { status, message: `known failure, not counted: production's recorded answer failed the same evaluator(s): ${list} (strict: true counts it)` };
  }

  const head = `${c.id} [${results[0]!.variant}]${c.labels.incident ? ` (incident ${c.labels.incident}: its expectations must hold)` : ''}`;
  const lines = [`${head} failed${runs > 1 ? ` in ${runs} run(s)` : ''}:`];
  for (const r of errored.slice(0, 3)) lines.push(`  ✗ error${r.error!.source ? ` (${r.error!.source})` : ''}: ${r.error!.message}`);
  if (errored.length > 3) lines.push(`  … ${errored.length - 3} more errored run(s)`);
  if (unchecked.length > 0) lines.push(`  ✗ nothing evaluated in ${unchecked.length} run(s): no evaluator scored the output (none configured for this case, or every one not applicable)`);
  for (const f of failures) {
    const what = f.unscored ? 'unscored' : `score ${f.score.toFixed(2)}`;
    const share = runs > 1 ? `, ${f.runs}/${runs} runs` : '';
    lines.push(`  ✗ ${f.name} (${what}${share}): ${f.reason}${f.shared ? '  [production failed it too]' : ''}`);
  }
  const passed = [...evaluated].filter((n) => !failures.some((f) => f.name === n));
  if (passed.length > 0) lines.push(`  ✓ ${passed.join(', ')}`);
  const out = results.find((r) => !r.error)?.output;
  if (out !== undefined) lines.push(`output: ${out === null ? '(none)' : JSON.stringify(out.length > OUTPUT_EXCERPT ? `${out.slice(0, OUTPUT_EXCERPT)}…` : out)}`);
  lines.push(...diagnosisLines(c));
  if (opts.reportLink) lines.push(`report: ${opts.reportLink}`);
  return { status, message: lines.join('\n') };
}

/** The case's diagnosis from snapshot time (which layer failed in production), one line each. */
export function diagnosisLines(c: Case): string[] {
  const d = c.labels.diagnosis;
  if (d.length === 0) return ['diagnosis (production trace): nothing found'];
  return ['diagnosis (production trace):', ...d.map((x) => `  - ${x.label} in "${x.spanName}": ${x.reason}`)];
}
