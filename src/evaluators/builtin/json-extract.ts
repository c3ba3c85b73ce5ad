/**
 * Reads the JSON an answer carries: the whole output, or (when fences are allowed) the first
 * fenced block that parses. Fence shapes accepted: ```` ``` ```` and `~~~`, any info string
 * (`json`, `JSON`, `jsonc`, none), prose before the fence and text after it, and one-line
 * fences (```` ```{"a":1}``` ````, ```` ```json {"a":1}``` ````). Shared by `json-valid`,
 * `json-schema` and `json-path`.
 */
import type { Json } from '../../traces/model.js';

export type JsonRead = { ok: true; value: Json; fenced: boolean } | { ok: false; error: string };

// A fence: ``` or ~~~ (3+), an optional info word, then the body up to the same fence.
const FENCE = /(`{3,}|~{3,})[ \t]*([A-Za-z][\w+-]*)?[ \t]*\r?\n?([\s\S]*?)\1/g;

/** Parses `text` as JSON, else the body of its first fence that parses. */
export function readJson(text: string, allowFence: boolean): JsonRead {
  const whole = tryParse(text.trim());
  if (whole.ok) return { ok: true, value: whole.value, fenced: false };
  if (!allowFence) return { ok: false, error: whole.error };
  let firstError: string | undefined;
  for (const m of text.matchAll(FENCE)) {
    const info = m[2] ?? '';
    const body = m[3] ?? '';
    // With no newline after it, the "info word" may be the start of the value (```true```).
    const candidates = info === '' || /^json[c5]?$/i.test(info) ? [body, `${info}${body}`] : [`${info}${body}`, body];
    for (const cand of candidates) {
      const r = tryParse(cand.trim());
      if (r.ok) return { ok: true, value: r.value, fenced: true };
      firstError ??= r.error;
    }
  }
  return { ok: false, error: firstError ?? whole.error };
}

function tryParse(s: string): { ok: true; value: Json } | { ok: false; error: string } {
  if (s === '') return { ok: false, error: 'empty output' };
  try {
    return { ok: true, value: JSON.parse(s) as Json };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
