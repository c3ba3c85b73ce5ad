import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { HOSTILE, syntheticRun } from '../browser/synthetic-run.js';

describe('renderMarkdown', () => {
  it('puts the verdict, counts, metrics, regressed then fixed cases, and collapses the rest', () => {
    const { input, expected } = syntheticRun(40);
    const md = renderMarkdown(input);
    expect(md.split('\n')[0]).toBe('## ❌ evals: gate **FAIL**');
    expect(md).toContain(`| ${expected.regressed} | ${expected.unconfirmed} | ${expected.fixed} | ${expected['unchanged-pass'] + expected['unchanged-fail']} | ${expected.flaky} | ${expected.new} | ${expected.missing} | ${expected.errored} |`);
    expect(md).toContain('| contains | default | refund\\-bot | 40 | 0.820 | 0.790 | -0.030 | [-0.050, -0.010] | 0.0120 |');
    const reg = md.indexOf(`### Regressed (${expected.regressed})`);
    const fix = md.indexOf(`### Fixed (${expected.fixed})`);
    const rest = md.indexOf('<details><summary>Other cases');
    expect(reg).toBeGreaterThan(0);
    expect(fix).toBeGreaterThan(reg);
    expect(rest).toBeGreaterThan(fix);
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
    const regressedLines = md.slice(reg, fix).split('\n').filter((l) => l.startsWith('- '));
    expect(regressedLines).toHaveLength(expected.regressed);
    expect(regressedLines.every((l) => l.startsWith('- **regressed**'))).toBe(true);
    expect(regressedLines[0]).toContain('contains: pass → fail');
    // The evidence sentence leads: why the case counts as regressed.
    expect(regressedLines[0]).toMatch(/— regressed/);
  });

  it('escapes hostile content: no raw HTML tags or links from traces', () => {
    const md = renderMarkdown(syntheticRun(40).input);
    for (const tag of ['<img', '<script', '</script', '<svg', '<iframe', '<!--']) expect(md).not.toContain(tag);
    expect(md).not.toMatch(/[^\\]\[click\]/);
    expect(md).not.toContain(HOSTILE[4]);
    const allowedTags = md.match(/<\/?[a-z][^>]*>/g) ?? [];
    expect(new Set(allowedTags)).toEqual(new Set(['<details>', '<summary>', '</summary>', '</details>']));
  });

  it('truncates under the limit with a note and closes an open <details>', () => {
    const { input } = syntheticRun(3000);
    const md = renderMarkdown(input);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md.length).toBeGreaterThan(50_000);
    expect(md).toMatch(/\*\*Truncated:\*\* \d+ more case lines are not shown/);
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
    const small = renderMarkdown(input, { maxChars: 5_000, reportName: 'out/report.html' });
    expect(small.length).toBeLessThanOrEqual(5_000);
    expect(small).toContain('see `out/report.html`');
    expect(small.startsWith('## ❌ evals: gate **FAIL**')).toBe(true);
  });

  it('says when there is no comparison', () => {
    const { input } = syntheticRun(5);
    const { comparison: _drop, ...run } = input.run;
    const md = renderMarkdown({ ...input, run });
    expect(md.split('\n')[0]).toBe('## evals: not compared with a baseline');
    expect(md).not.toContain('Truncated');
  });
});
