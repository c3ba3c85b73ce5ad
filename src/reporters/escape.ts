/**
 * Escaping for every output format. Trace content is untrusted: outputs, documents and prompts
 * may carry HTML, Markdown or XML written to break out of a report.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? ch);
}

/**
 * JSON for an inline `<script type="application/json">`: `<`, `>`, `&` and U+2028/U+2029 are
 * written as `\u` escapes so no content can close the script element or start a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// XML 1.0 allows tab, LF, CR and U+0020.. except surrogates (lone ones included) and U+FFFE/FFFF.
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for XML content and double- or single-quoted attributes; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '').replace(/[&<>"']/g, (ch) => (ch === "'" ? '&apos;' : (HTML_ENTITIES[ch] ?? ch)));
}

// A surrogate half without its partner (cut text, broken input) cannot be written as UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes inline Markdown so content renders as literal text on GitHub: Markdown punctuation is
 * backslash-escaped, HTML-significant characters become entities, newlines become spaces
 * (tables and list items are one line) and `|` is escaped for table cells.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(LONE_SURROGATE, '')
    .replace(/\r\n?|\n/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (ch) => `\\${ch}`)
    .replace(/[&<>"]/g, (ch) => HTML_ENTITIES[ch] ?? ch)
    .replace(/@(?=\w)/g, '@\u200B');
}

/** Cuts text to `max` characters (default 200) with an ellipsis, after collapsing whitespace. */
export function clip(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
