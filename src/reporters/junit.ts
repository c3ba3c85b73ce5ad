/**
 * JUnit XML for CI test views: one `<testsuite>` per dataset × variant (with the pass rate per
 * case tag and per named evaluator as `<properties>`), one `<testcase>` per case. Regressed or failing cases carry `<failure>` with the reasons, errored ones `<error>`,
 * missing ones `<skipped>`; the candidate output goes to `<system-out>`.
 */
import { formatRate, type Breakdowns } from './breakdown.js';
import { failureReasons } from './case-rows.js';
import type { ReportRow } from './case-rows.js';
import { escapeXml as x } from './escape.js';
import type { ReportInput } from './report-input.js';
import { asView, briefOf, suiteKey, summarizeView, type ReportView, type RowBrief } from './report-view.js';

/** Renders JUnit XML (pure). Timestamps come from the run record, so output is deterministic. */
export function renderJunit(input: ReportInput | ReportView): string {
  return [...renderJunitChunks(input)].join('');
}

/** JUnit XML in pieces (one per test case), loading one row at a time; joined, `renderJunit`. */
export function* renderJunitChunks(input: ReportInput | ReportView): Generator<string> {
  const view = asView(input);
  const breakdowns = summarizeView(view).suites;
  const totals = tally(view.briefs);
  const { run } = view;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="evals ${x(run.id)}" tests="${view.briefs.length}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(totals.time)}">\n`;
  for (const [name, rows] of junitSuites(view.briefs)) {
    const t = tally(rows.map((i) => view.briefs[i]!));
    const head = [`  <testsuite name="${x(name)}" tests="${rows.length}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${seconds(t.time)}" timestamp="${x(run.startedAt)}">`];
    head.push(...suiteProperties(breakdowns.get(name)!));
    yield `${head.join('\n')}\n`;
    for (const i of rows) yield `${testcase(view.row(i), name)}\n`;
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

/** The suites (`dataset.variant`) by name, each with its rows in report order: the order JUnit loads rows in. */
export function junitSuites(briefs: readonly RowBrief[]): Array<[string, number[]]> {
  const suites = new Map<string, number[]>();
  briefs.forEach((b, i) => {
    const key = suiteKey(b);
    const list = suites.get(key);
    if (list) list.push(i);
    else suites.set(key, [i]);
  });
  return [...suites].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Pass rate per case tag of one suite (`tag.<tag>.passRate`, `.passed`, `.cases`) and per named
 * evaluator (`evaluator.<name>.passRate`, `.meanScore`, `.runs`), as `<properties>`.
 */
function suiteProperties({ tags, evaluators }: Breakdowns): string[] {
  if (tags.length === 0 && evaluators.length === 0) return [];
  const score = (n: number | null): string => (n === null ? '–' : String(n));
  const props = evaluators.flatMap((m) => [
    `      <property name="${x(`evaluator.${m.evaluator}.passRate`)}" value="${x(formatRate(m.passRate))}"/>`,
    `      <property name="${x(`evaluator.${m.evaluator}.meanScore`)}" value="${x(score(m.meanScore))}"/>`,
    `      <property name="${x(`evaluator.${m.evaluator}.runs`)}" value="${m.runs}"/>`,
  ]);
  props.push(...tags.flatMap((g) => [
    `      <property name="${x(`tag.${g.group}.passRate`)}" value="${x(formatRate(g.passRate))}"/>`,
    `      <property name="${x(`tag.${g.group}.passed`)}" value="${g.passed}"/>`,
    `      <property name="${x(`tag.${g.group}.cases`)}" value="${g.cases}"/>`,
  ]));
  return ['    <properties>', ...props, '    </properties>'];
}

type Outcome = 'pass' | 'failure' | 'error' | 'skipped';

function outcome(row: Pick<RowBrief, 'verdict' | 'runs' | 'allPass'>): Outcome {
  if (row.verdict === 'missing' || row.verdict === 'skipped' || row.runs === 0) return 'skipped';
  if (row.verdict === 'errored' || row.verdict === 'unscored') return 'error';
  if (row.verdict === 'regressed' || !row.allPass) return 'failure';
  return 'pass';
}

function tally(rows: readonly RowBrief[]): { failures: number; errors: number; skipped: number; time: number } {
  const t = { failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const row of rows) {
    const o = outcome(row);
    if (o === 'failure') t.failures++;
    else if (o === 'error') t.errors++;
    else if (o === 'skipped') t.skipped++;
    t.time += row.latencySum;
  }
  return t;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testcase(row: ReportRow, classname: string): string {
  const time = row.results.reduce((s, r) => s + r.latencyMs, 0);
  const open = `    <testcase name="${x(row.title)}" classname="${x(classname)}" time="${seconds(time)}">`;
  const inner: string[] = [];
  const o = outcome(briefOf(row));
  const reasons = failureReasons(row);
  const message = `${row.verdict}${reasons[0] ? `: ${reasons[0]}` : ''}`;
  if (o === 'skipped') inner.push(`      <skipped message="${x(`missing: case ${row.caseId} has no candidate result`)}"/>`);
  if (o === 'failure') inner.push(`      <failure message="${x(message)}" type="${x(row.verdict)}">${x(reasons.join('\n'))}</failure>`);
  if (o === 'error') {
    const err = row.results.find((r) => r.error)?.error;
    inner.push(`      <error message="${x(err?.message ?? message)}" type="${x(err?.type ?? 'error')}">${x(reasons.join('\n'))}</error>`);
  }
  const first = row.results[0];
  if (first) {
    const out = [`case: ${row.caseId}`, `verdict: ${row.verdict}`, `output:`, first.output ?? '(none)'].join('\n');
    inner.push(`      <system-out>${x(out)}</system-out>`);
  }
  return inner.length ? `${open}\n${inner.join('\n')}\n    </testcase>` : `${open}</testcase>`;
}
