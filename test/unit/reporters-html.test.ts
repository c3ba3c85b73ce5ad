import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml, renderHtmlChunks } from '../../src/reporters/html/render-html.js';
import type { CaseData, ReportIndex, RowDetail } from '../../src/reporters/html/report-data.js';
import { asView, summarizeView } from '../../src/reporters/report-view.js';
import { HOSTILE, syntheticRun } from '../browser/synthetic-run.js';

const sha = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('renderHtml', () => {
  const { input, expected } = syntheticRun(120);
  const html = renderHtml(input);

  it('has a strict CSP whose hashes match the inline script and style', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(3);
    const code = scripts.find((m) => m[1] === '')?.[2] ?? '';
    expect(csp).toBe(`default-src 'none'; script-src ${sha(code)}; style-src ${sha(style)}; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('loads nothing from the network and has no inline handlers or style attributes', () => {
    // The embedded data may mention URLs as text; only the markup around it must not load any.
    const markup = html.replace(/<script type="application\/json" id="(data|details)">[\s\S]*?<\/script>/g, '');
    expect(markup.length).toBeLessThan(html.length / 2);
    expect(markup).not.toMatch(/\b(src|href)="(?!data:)/);
    expect(markup).not.toMatch(/https?:\/\/|url\(|@import/);
    const tags = markup.replace(/<(script|style)>[\s\S]*?<\/\1>/g, '').match(/<[a-z][^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(20);
    expect(tags.filter((t) => /\s(on\w+|style)=/i.test(t))).toEqual([]);
  });

  it('never writes hostile content as markup', () => {
    for (const h of HOSTILE.slice(0, 4)) expect(html).not.toContain(h);
    for (const tag of ['<img', '<svg', '<iframe']) expect(html).not.toContain(tag);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).not.toMatch(/[\u2028\u2029]/);
  });

  it('embeds an index that parses back to the rows, and one JSON line per output, row detail and case', () => {
    const raw = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(raw).not.toMatch(/[<>&]/);
    const index = JSON.parse(raw) as ReportIndex;
    expect(index.rows).toHaveLength(240);
    expect(index.rows.filter((r) => index.verdicts[r[4]] === 'regressed')).toHaveLength(expected.regressed);
    expect(index.caseCount).toBe(120);
    const details = /<script type="application\/json" id="details">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(details).not.toMatch(/[<>&]/);
    const lines = details.split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toHaveLength(240 * 2 + 120);
    const outputs = lines.slice(0, 240) as Array<string | null>;
    expect(outputs.some((o) => o?.includes(HOSTILE[1]))).toBe(true);
    // Each row's output line belongs to that row: its case's order number is in it.
    index.rows.forEach((r, i) => {
      const n = r[0] === 'c_hostile00000001' ? 0 : Number.parseInt(r[0].slice(2), 16);
      if (outputs[i]?.startsWith('Yes')) expect(outputs[i]).toContain(`order ${1000 + n}.`);
    });
    const hostile = index.rows.findIndex((r) => r[0] === 'c_hostile00000001');
    const detail = lines[240 + hostile] as RowDetail;
    expect(detail.steps.map((st) => st.name)).toEqual(['replay default']);
    const hostileCase = lines[480 + (index.rows[hostile]?.[11] ?? -1)] as CaseData;
    expect(hostileCase.traceId).toBe('t0');
    expect(hostileCase.documents.map((d) => d.id)).toEqual(['doc-0-1', 'doc-0-2']);
  });

  it('yields the same document in chunks', () => {
    expect([...renderHtmlChunks(input)].join('')).toBe(html);
  });

  it('loads each row once for the index, output and detail blocks (and each case once)', () => {
    const view = asView(input);
    const loads: string[] = [];
    // The summary as a run view has it (computed with the comparison), so only the renderer loads rows here.
    const counted = { ...view, summary: summarizeView(view), row: (i: number, parts?: Parameters<typeof view.row>[1]) => (loads.push(`${i}:${parts ?? 'labels'}`), view.row(i, parts)) };
    expect([...renderHtmlChunks(counted)].join('')).toBe(html);
    expect(loads.filter((l) => !l.endsWith(':case'))).toHaveLength(240);
    expect(new Set(loads.filter((l) => !l.endsWith(':case'))).size).toBe(240);
    expect(loads.filter((l) => l.endsWith(':case'))).toHaveLength(120);
  });

  it('renders the verdict, header and counts server-side, escaped', () => {
    expect(html).toContain('<span id="verdict" class="gate gate-fail">gate: fail</span>');
    expect(html).toContain('refund-bot@4');
    expect(html).toContain('system prompt replaced &lt;img src=x onerror=&quot;window.__pwned=1;alert(1)&quot;&gt;');
    expect(html).toContain(`<div class="card bad" data-count="regressed"><span class="n">${expected.regressed}</span>`);
  });

  it('is a pure function of its input', () => {
    expect(renderHtml(input)).toBe(html);
  });
});
