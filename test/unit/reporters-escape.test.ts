import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeXml, jsonForScript } from '../../src/reporters/escape.js';
import { HOSTILE } from '../browser/synthetic-run.js';

describe('escapeHtml', () => {
  it('leaves no markup-significant character', () => {
    for (const h of HOSTILE) expect(escapeHtml(h)).not.toMatch(/[<>"']/);
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('jsonForScript', () => {
  it('cannot close the script element and parses back to the same value', () => {
    const value = { hostile: [...HOSTILE], nested: { '</script>': '<!--', amp: '&&' } };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('escapeXml', () => {
  it('escapes markup and removes characters XML 1.0 forbids', () => {
    const out = escapeXml(`a\u0000b\u0001c\u001bd\ud800e\uFFFEf <x a="1" b='2'>&]]>`);
    expect(out).toBe('abcdef &lt;x a=&quot;1&quot; b=&apos;2&apos;&gt;&amp;]]&gt;');
  });

  it('keeps tabs, newlines and astral characters', () => {
    expect(escapeXml('a\tb\nc\r😀')).toBe('a\tb\nc\r😀');
  });
});

describe('escapeMarkdown', () => {
  it('makes links, emphasis, HTML, tables and mentions literal', () => {
    const out = escapeMarkdown('**bold** [click](javascript:alert(4)) | pipe @octocat <!-- </details> `code`\nnext');
    expect(out).not.toMatch(/[<>\n]/);
    expect(out).not.toMatch(/(^|[^\\])[*[\]()|`]/);
    expect(out).toContain('\\*\\*bold\\*\\*');
    expect(out).toContain('\\[click\\]\\(javascript:alert\\(4\\)\\)');
    expect(out).toContain('&lt;\\!\\-\\- &lt;/details&gt;');
    expect(out).toContain('@\u200Boctocat');
  });

  it('escapes every hostile string so no raw < or newline survives', () => {
    for (const h of HOSTILE) expect(escapeMarkdown(h)).not.toMatch(/[<>\n\u0000]/);
  });
});

describe('escapeMarkdown and UTF-8', () => {
  it('drops lone surrogates but keeps pairs', () => {
    expect(escapeMarkdown('a\ud800b\udc00c😀')).toBe('abc😀');
  });
});
