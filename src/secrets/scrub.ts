/**
 * The one secret scrubber, used at every boundary that writes or prints: results.jsonl,
 * run.json, the reports, dataset manifests (notes, incident ids), the terminal. It removes
 * - the values of credentials this process was given (provider API keys, trace-store keys),
 *   registered with {@link registerSecret} where they are read;
 * - key-shaped strings (the secret detectors of redaction: `sk-…`, `sk-ant-…`, JWTs, AWS,
 *   GitHub and Slack tokens, Bearer tokens, `password=…`);
 * - the user:password part of URLs (`http://pk:sk@host` → `http://***@host`).
 * With `pii: true` (free text a person typed: notes, incident ids) e-mails, phones, cards and
 * the rest of redaction's detectors are masked too.
 * Pure apart from the registry of known values, which only grows.
 */
import { builtinDetectors } from '../datasets/redaction/redact-detectors.js';
import type { Detector } from '../datasets/redaction/redact-detectors.js';

/** Kinds of redaction's detectors that are credentials. */
const SECRET_KINDS = new Set(['private_key', 'jwt', 'anthropic_key', 'openai_key', 'aws_access_key', 'aws_secret', 'github_token', 'slack_token', 'bearer', 'secret']);
const withIndices = (d: Detector): Detector => ({ ...d, regex: new RegExp(d.regex.source, d.regex.flags.includes('d') ? d.regex.flags : `${d.regex.flags}d`) });
const SECRET_DETECTORS = builtinDetectors.filter((d) => SECRET_KINDS.has(d.kind)).map(withIndices);
const ALL_DETECTORS = builtinDetectors.map(withIndices);
/** Quick pre-check: most texts hold none of these and skip the detectors. */
const MAYBE_SECRET = /sk-|eyJ|PRIVATE KEY|A[KSBC][IC]A|secret|gh[pousr]_|github_pat_|xox|Bearer|passw|pwd|(?:key|token)["']?\s*[:=]/i;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/** The mask that replaces a secret. */
export const MASK = '[REDACTED]';

const known = new Set<string>();
let knownPattern: RegExp | undefined;

/**
 * Remembers a credential's value so that it is scrubbed wherever it appears. Values shorter
 * than 8 characters are ignored (a test key `k` must not blank every letter k).
 */
export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < 8 || known.has(value)) return;
  known.add(value);
  const alternatives = [...known].sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  knownPattern = new RegExp(alternatives.join('|'), 'g');
}

/** The registered credential values, in the order they were registered (to hand to a worker thread). */
export function registeredSecrets(): string[] {
  return [...known];
}

/** `text` with only the registered credential values masked (cheap; safe inside any markup). */
export function scrubKnownValues(text: string): string {
  return knownPattern ? text.replace(knownPattern, MASK) : text;
}

/** Options of {@link scrubText}. */
export interface ScrubOptions {
  /** Also mask personal data (e-mails, phones, cards, IPs…): for free text such as notes. */
  pii?: boolean;
}

/**
 * `text` with known credentials, key-shaped strings and URL passwords masked. Safe on JSON text
 * (a mask never swallows an escape), so a serialized record can be scrubbed in one pass.
 */
export function scrubText(text: string, opts: ScrubOptions = {}): string {
  let out = knownPattern ? text.replace(knownPattern, MASK) : text;
  if (out.includes('://')) out = out.replace(URL_CREDENTIALS, `$1***@`);
  if (!opts.pii && !MAYBE_SECRET.test(out)) return out;
  return maskFindings(out, opts.pii ? ALL_DETECTORS : SECRET_DETECTORS);
}

function maskFindings(text: string, detectors: readonly Detector[]): string {
  const spans: Array<[number, number]> = [];
  for (const d of detectors) {
    if (d.hint !== undefined && !d.hint.test(text)) continue;
    d.regex.lastIndex = 0;
    for (const m of text.matchAll(d.regex)) {
      const span = m.indices?.[d.group ?? 0];
      if (span === undefined) continue;
      let [start, end] = span;
      // Never swallow a trailing backslash: in escaped text it belongs to the next character.
      while (end > start && text[end - 1] === '\\') end--;
      if (end - start < 4 || (d.validate !== undefined && !d.validate(text.slice(start, end)))) continue;
      if (spans.some(([a, b]) => start < b && end > a)) continue;
      spans.push([start, end]);
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  for (const [s, e] of spans) {
    out += text.slice(pos, s) + MASK;
    pos = e;
  }
  return out + text.slice(pos);
}

/**
 * `value` with every string scrubbed (object keys are kept). Copy on write: an object or array
 * none of whose strings needed masking is returned as it is (the same reference), so scrubbing
 * clean records allocates nothing; one that did is copied along the path to each change. Treat
 * the result as read-only. Depth-safe and cycle-safe (a longer cycle through an object that
 * needed no copy keeps pointing at the original; records written as JSON have none).
 */
export function scrubValue<T>(value: T, opts: ScrubOptions = {}): T {
  const seen = new Map<object, unknown>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return scrubText(v, opts);
    if (v === null || typeof v !== 'object' || depth > 200) return v;
    if (seen.has(v)) return seen.get(v);
    if (v instanceof Map || v instanceof Set || v instanceof Date) return v;
    // A cycle back to `v` while it is walked resolves to `v` itself (a copy, if one is made, is
    // patched below).
    seen.set(v, v);
    let copy: Record<string | number, unknown> | undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        const y = walk(x, depth + 1);
        if (y !== x) (copy ??= v.slice() as unknown as Record<number, unknown>)[i] = y;
      }
    } else {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        const y = walk(x, depth + 1);
        if (y !== x) (copy ??= { ...(v as Record<string, unknown>) })[k] = y;
      }
    }
    if (copy === undefined) return v;
    seen.set(v, copy);
    // Direct self-references walked before the copy existed: point them at the copy.
    for (const k of Object.keys(copy)) if (copy[k] === v) copy[k] = copy;
    return copy;
  };
  return walk(value, 0) as T;
}
