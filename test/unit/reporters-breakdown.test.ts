/** Pass rate per dataset and per tag, per variant, in run.json, summary.md, report.html and junit.xml. */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import { buildBreakdowns } from '../../src/reporters/breakdown.js';
import type { ReportRow } from '../../src/reporters/case-rows.js';
import { renderHtml } from '../../src/reporters/html/render-html.js';
import { buildRunJson } from '../../src/reporters/json.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import type { ReportInput } from '../../src/reporters/report-input.js';
import type { CaseResult } from '../../src/runner/result.js';
import { syntheticRun } from '../browser/synthetic-run.js';

const HOSTILE_TAG = '<img src=x onerror=alert(1)>|x';

function row(caseId: string, variant: string, dataset: string, tags: string[], passes: boolean[]): ReportRow {
  return {
    caseId, variant, dataset, title: caseId, verdict: 'new',
    results: passes.map((pass) => ({ pass, scores: [] }) as unknown as CaseResult),
    case: { labels: { tags } } as unknown as Case,
  } as ReportRow;
}

describe('buildBreakdowns', () => {
  it('counts rows with a result per dataset and per tag, per variant; a row passes when every repeat did', () => {
    const b = buildBreakdowns([
      row('a', 'v1', 'refunds', ['billing', 'vip'], [true, true]),
      row('b', 'v1', 'refunds', ['billing'], [true, false]),
      row('c', 'v1', 'shipping', [], [false]),
      row('d', 'v1', 'shipping', ['vip', 'vip'], []),
      row('a', 'v2', 'refunds', ['billing', 'vip'], [true]),
    ]);
    expect(b.datasets).toEqual([
      { group: 'refunds', variant: 'v1', cases: 2, passed: 1, failed: 1, passRate: 0.5 },
      { group: 'refunds', variant: 'v2', cases: 1, passed: 1, failed: 0, passRate: 1 },
      { group: 'shipping', variant: 'v1', cases: 1, passed: 0, failed: 1, passRate: 0 },
    ]);
    expect(b.tags).toEqual([
      { group: 'billing', variant: 'v1', cases: 2, passed: 1, failed: 1, passRate: 0.5 },
      { group: 'billing', variant: 'v2', cases: 1, passed: 1, failed: 0, passRate: 1 },
      // d has no result: listed, nothing counted; a tag repeated on one case counts once
      { group: 'vip', variant: 'v1', cases: 1, passed: 1, failed: 0, passRate: 1 },
      { group: 'vip', variant: 'v2', cases: 1, passed: 1, failed: 0, passRate: 1 },
    ]);
    expect(buildBreakdowns([])).toEqual({ datasets: [], tags: [], evaluators: [] });
  });

  it('gives each named evaluator its pass rate and mean score per variant, over first-pass scored runs', () => {
    const result = (scores: Array<[string, number, boolean, ('unscored' | 'not_applicable')?]>, phase?: 'confirm') =>
      ({ pass: true, ...(phase ? { phase } : {}), scores: scores.map(([name, score, pass, state]) => ({ name, score, pass, reason: '', ...(state ? { state } : {}) })) }) as CaseResult;
    const rows = [
      { ...row('a', 'v1', 'd', [], []), results: [result([['policy', 1, true], ['tone', 0.4, false]]), result([['policy', 0.5, false], ['tone', 0, false, 'unscored']])] },
      // a confirmation re-run samples a flip: not counted; not applicable: not counted
      { ...row('b', 'v1', 'd', [], []), results: [result([['policy', 0, false], ['tone', 0, false, 'not_applicable']]), result([['policy', 0, false]], 'confirm')] },
      { ...row('a', 'v2', 'd', [], []), results: [result([['policy', 1, true]])] },
    ] as ReportRow[];
    expect(buildBreakdowns(rows).evaluators).toEqual([
      { evaluator: 'policy', variant: 'v1', runs: 3, passed: 1, passRate: 0.3333, meanScore: 0.5, unscored: 0 },
      { evaluator: 'policy', variant: 'v2', runs: 1, passed: 1, passRate: 1, meanScore: 1, unscored: 0 },
      { evaluator: 'tone', variant: 'v1', runs: 1, passed: 0, passRate: 0, meanScore: 0.4, unscored: 1 },
    ]);
  });
});

describe('breakdowns in every report format', () => {
  const base = syntheticRun(60).input;
  // Even cases also carry `billing`; case 0 a hostile tag.
  const cases = new Map<string, Case>();
  [...base.cases.values()].forEach((c, i) => {
    const tags = [...c.labels.tags, ...(i % 2 === 0 ? ['billing'] : []), ...(i === 0 ? [HOSTILE_TAG] : [])];
    cases.set(c.id, { ...c, labels: { ...c.labels, tags } });
  });
  const input: ReportInput = { ...base, cases };
  const evenIds = new Set([...cases.values()].filter((c) => c.labels.tags.includes('billing')).map((c) => c.id));

  /** Expected numbers, from the results alone. */
  function expected(variant: string, only?: Set<string>) {
    const byCase = new Map<string, boolean>();
    for (const r of input.results) {
      if (r.variant !== variant || (only && !only.has(r.caseId))) continue;
      byCase.set(r.caseId, (byCase.get(r.caseId) ?? true) && r.pass);
    }
    const passed = [...byCase.values()].filter(Boolean).length;
    return { cases: byCase.size, passed };
  }

  it('run.json summary.breakdowns', () => {
    const b = buildRunJson(input).summary.breakdowns;
    const e = expected('default');
    expect(b.datasets.find((g) => g.group === 'refund-bot' && g.variant === 'default')).toMatchObject(e);
    expect(b.tags.find((g) => g.group === 'billing' && g.variant === 'gpt-next')).toMatchObject(expected('gpt-next', evenIds));
    expect(b.tags.map((g) => g.group)).toContain(HOSTILE_TAG);
  });

  it('summary.md: one table, Markdown-escaped', () => {
    const text = renderMarkdown(input);
    const e = expected('gpt-next', evenIds);
    expect(text).toContain('| By | Group | Variant | Passing | Cases | Pass rate |');
    expect(text).toContain(`| tag | billing | gpt\\-next | ${e.passed} | ${e.cases} | ${((e.passed / e.cases) * 100).toFixed(1)}% |`);
    const d = expected('default');
    expect(text).toContain(`| dataset | refund\\-bot | default | ${d.passed} | ${d.cases} |`);
    expect(text).not.toContain('<img src=x');
  });

  it('report.html: a #breakdown table, escaped, no new script or style', () => {
    const html = renderHtml(input);
    const section = /<table id="breakdown">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    const e = expected('default', evenIds);
    expect(section).toContain(`<td>tag</td><td>billing</td><td>default</td><td class="num">${e.passed}</td><td class="num">${e.cases}</td>`);
    expect(section).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html.match(/<script/g)).toHaveLength(3);
  });

  it('junit.xml: tag pass rates as suite properties', () => {
    const xml = renderJunit(input);
    const e = expected('default', evenIds);
    const suite = xml.slice(xml.indexOf('<testsuite name="refund-bot.default"'), xml.indexOf('</testsuite>'));
    expect(suite).toContain(`<property name="tag.billing.passed" value="${e.passed}"/>`);
    expect(suite).toContain(`<property name="tag.billing.cases" value="${e.cases}"/>`);
    expect(suite.indexOf('<properties>')).toBeLessThan(suite.indexOf('<testcase'));
    expect(xml).not.toContain('<img');
  });

  /** The `contains` evaluator's first-pass numbers for a variant, from the results alone. */
  function evaluatorExpected(variant: string) {
    const ss = input.results.filter((r) => r.variant === variant && r.phase !== 'confirm').flatMap((r) => r.scores.filter((s) => s.name === 'contains' && s.state === undefined));
    return { runs: ss.length, passed: ss.filter((s) => s.pass).length, mean: ss.reduce((a, s) => a + s.score, 0) / ss.length };
  }

  it('the named evaluator as its own metric in run.json, summary.md, report.html and junit.xml', () => {
    const e = evaluatorExpected('gpt-next');
    expect(e.runs).toBeGreaterThan(10);
    expect(e.passed).toBeGreaterThan(0);
    expect(e.passed).toBeLessThan(e.runs);
    const rate = `${((e.passed / e.runs) * 100).toFixed(1)}%`;
    expect(buildRunJson(input).summary.breakdowns.evaluators.find((m) => m.evaluator === 'contains' && m.variant === 'gpt-next')).toMatchObject({ runs: e.runs, passed: e.passed });
    expect(renderMarkdown(input)).toContain(`| contains | gpt\\-next | ${e.runs} | ${e.passed} | ${rate} | ${e.mean.toFixed(3)} | 0 |`);
    const table = /<table id="evaluator-rates">[\s\S]*?<\/table>/.exec(renderHtml(input))?.[0] ?? '';
    expect(table).toContain(`<td class="mono">contains</td><td>gpt-next</td><td class="num">${e.runs}</td><td class="num">${e.passed}</td><td class="num">${rate}</td>`);
    const xml = renderJunit(input);
    const d = evaluatorExpected('default');
    const suite = xml.slice(xml.indexOf('<testsuite name="refund-bot.default"'), xml.indexOf('</testsuite>'));
    expect(suite).toContain(`<property name="evaluator.contains.runs" value="${d.runs}"/>`);
    expect(suite).toContain(`<property name="evaluator.contains.passRate" value="${((d.passed / d.runs) * 100).toFixed(1)}%"/>`);
  });
});
