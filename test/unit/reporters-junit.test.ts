import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/reporters/junit.js';
import { HOSTILE_CASE_ID, syntheticRun } from '../browser/synthetic-run.js';

interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A strict little XML reader: throws on anything not well-formed (enough for JUnit output). */
function parseXml(xml: string): XmlElement {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml)) throw new Error('invalid XML character');
  const decode = (s: string): string => {
    if (/[<]/.test(s) || /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(s)) throw new Error(`bad text: ${s.slice(0, 40)}`);
    return s.replace(/&(\w+);/g, (_, n: string) => ENTITY[n] ?? '');
  };
  let pos = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/y;
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt === -1 ? xml.length : lt);
    if (text.trim()) {
      const top = stack[stack.length - 1];
      if (!top) throw new Error('text outside the root');
      top.text += decode(text);
    } else if (text) decode(text);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`bad tag at ${lt}: ${xml.slice(lt, lt + 60)}`);
    const [, close, name = '', attrText = '', selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(/([\w.-]+)="([^"]*)"/g)) {
        if (a[1] && a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1] ?? ''] = decode(a[2] ?? '');
      }
      const el: XmlElement = { name, attrs, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) throw new Error('two roots');
      else root = el;
      if (!selfClose) stack.push(el);
    }
    pos = tag.lastIndex;
  }
  if (stack.length || !root) throw new Error('unclosed elements');
  return root;
}

describe('renderJunit', () => {
  const { input, expected } = syntheticRun(60);
  const xml = renderJunit(input);
  const root = parseXml(xml);

  it('the checker rejects broken XML', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a>x < y</a>')).toThrow();
    expect(() => parseXml('<a t="<"/>')).toThrow();
    expect(() => parseXml('<a>\u0001</a>')).toThrow();
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow();
  });

  it('has one suite per dataset × variant and one testcase per case', () => {
    expect(root.name).toBe('testsuites');
    expect(root.children.map((s) => s.attrs.name)).toEqual(['refund-bot.default', 'refund-bot.gpt-next']);
    const testcases = (suite: XmlElement): XmlElement[] => suite.children.filter((c) => c.name !== 'properties');
    for (const suite of root.children) {
      expect(testcases(suite)).toHaveLength(60);
      expect(suite.attrs.tests).toBe('60');
      expect(testcases(suite).every((tc) => tc.name === 'testcase' && tc.attrs.classname === suite.attrs.name)).toBe(true);
    }
    const all = root.children.flatMap(testcases);
    const count = (child: string): number => all.filter((tc) => tc.children.some((c) => c.name === child)).length;
    expect(count('error')).toBe(expected.errored);
    expect(count('skipped')).toBe(expected.missing);
    expect(count('failure')).toBe(expected.regressed + expected['unchanged-fail']);
    expect(root.attrs.failures).toBe(String(count('failure')));
    expect(root.attrs.errors).toBe(String(expected.errored));
  });

  it('carries reasons, output and hostile text intact after unescaping', () => {
    const hostile = root.children[0]?.children.find((tc) => tc.children.some((c) => c.text.includes(HOSTILE_CASE_ID)));
    expect(hostile?.attrs.name).toContain('#1000? <img src=x onerror="window');
    const failure = hostile?.children.find((c) => c.name === 'failure');
    expect(failure?.attrs.type).toBe('regressed');
    expect(failure?.text).toContain('contains: pass → fail');
    expect(failure?.text).toContain('missing "refund"');
    const out = hostile?.children.find((c) => c.name === 'system-out')?.text ?? '';
    expect(out).toContain('Sorry, no. "><svg onload=alert(3)>');
    expect(xml).not.toContain('\u0000');
  });

  it('is deterministic', () => {
    expect(renderJunit(input)).toBe(xml);
  });
});
