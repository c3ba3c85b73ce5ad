/**
 * Redaction, pure: walks every string of a case (recursively, including JSON inside strings and
 * the values of secret-named keys) and replaces sensitive values with deterministic placeholders.
 *
 * Placeholder scheme: `<KIND_xxxxxxxx>` where `xxxxxxxx` is the first 8 hex digits of
 * HMAC-SHA256(salt, kind + "\0" + normalized value). The salt lives in `dataset.yaml`, so the
 * same e-mail maps to the same token in every snapshot into that dataset (and evaluators can
 * still tell two customers apart), while the value itself is never written. Field rules blank a
 * path outright with `<REDACTED>`.
 */
import { computeCaseId } from '../case.js';
import type { Case, RedactionCounts } from '../case.js';
import { builtinDetectors, customDetectors, SENSITIVE_KEY } from './redact-detectors.js';
import type { CustomPattern, Detector } from './redact-detectors.js';
import { PlaceholderMac } from './placeholder-mac.js';
import { PlaceholderTokens } from './placeholder-tokens.js';
import { forEachMarked, markSensitive, withIndices } from './find-sensitive.js';

/** Options of {@link redactCase}. */
export interface RedactOptions {
  /** Per-dataset key of the placeholder HMAC (hex). */
  salt: string;
  /** Extra patterns from config, applied after the built-ins. */
  patterns?: readonly CustomPattern[];
  /** Paths to blank whatever they hold: `input.variables.name`, `context.steps[*].step.documents[*].content`. */
  fields?: readonly string[];
  /** Built-in kinds to switch off (e.g. `['ip']`). Default none. */
  disable?: readonly string[];
}

/** One sensitive value found in a text. Offsets are UTF-16 indices into that text. */
export interface Finding {
  kind: string;
  start: number;
  end: number;
  value: string;
  normalized: string;
}

const IS_PLACEHOLDER = /^<(?:[A-Z][A-Z0-9_]*_[0-9a-f]{8}|REDACTED)>$/;
/** Structural fields: ids and timestamps that must stay as they are for the case to work. */
const SKIP_KEYS = new Set(['schema', 'id', 'spanId', 'parentSpanId', 'traceId', 'llmSpanId', 'callId', 'toolCallId', 'capturedAt', 'tracedAt', 'toolVersion', 'redaction', 'role', 'type', 'status', 'label']);

/** The detectors in effect for these options, built-ins first. */
export function detectorsFor(opts: Pick<RedactOptions, 'patterns' | 'disable'> = {}): Detector[] {
  const off = new Set(opts.disable ?? []);
  return [...builtinDetectors.filter((d) => !off.has(d.kind)), ...customDetectors(opts.patterns)].map(withIndices);
}

/** Finds sensitive values in `text`, in text order; existing placeholders are never matched again. */
export function findSensitive(text: string, detectors: readonly Detector[] = builtinDetectors): Finding[] {
  const tags = markSensitive(text, detectors);
  const found: Finding[] = [];
  if (tags === undefined) return found;
  forEachMarked(tags, detectors, (d, start, end) => {
    const value = text.slice(start, end);
    found.push({ kind: d.kind, start, end, value, normalized: d.normalize ? d.normalize(value) : value });
  });
  return found;
}

/** The placeholder for one value: `<EMAIL_1a2b3c4d>`. */
export function placeholderFor(kind: string, normalized: string, salt: string): string {
  return placeholderWith(macFor(salt), kind, normalized);
}

function placeholderWith(mac: PlaceholderMac, kind: string, normalized: string): string {
  return `<${kind.toUpperCase()}_${mac.hex8Joined(kind, normalized)}>`;
}

let lastMac: { salt: string; mac: PlaceholderMac } | undefined;

/** The MAC of `salt`, kept for the next call (the pad blocks are hashed once per salt). */
function macFor(salt: string): PlaceholderMac {
  if (lastMac?.salt !== salt) lastMac = { salt, mac: new PlaceholderMac(salt) };
  return lastMac.mac;
}

interface Ctx {
  /** Placeholders computed lately in this value. */
  tokens: PlaceholderTokens;
  detectors: Detector[];
  fields: RegExp[];
  counts: RedactionCounts;
}

function bump(counts: RedactionCounts, kind: string, n = 1): void {
  counts[kind] = (counts[kind] ?? 0) + n;
}

function redactText(text: string, ctx: Ctx): string {
  const parsed = parseEmbeddedJson(text);
  if (parsed !== undefined) {
    const redacted = walk(parsed, ctx, []);
    if (JSON.stringify(redacted) === JSON.stringify(parsed)) return text;
    return JSON.stringify(redacted, null, text.includes('\n') ? 2 : undefined);
  }
  const tags = markSensitive(text, ctx.detectors);
  if (tags === undefined) return text;
  // The pieces are joined every `JOIN_EVERY` values: pieces held until the end of a long text
  // would all survive young-generation collections (most of the time on dense text).
  const chunks: string[] = [];
  let parts: string[] = [];
  let pos = 0;
  const counts = ctx.counts;
  forEachMarked(tags, ctx.detectors, (d, start, end) => {
    counts[d.kind] = (counts[d.kind] ?? 0) + 1;
    parts.push(text.slice(pos, start), ctx.tokens.tokenFor(d, text.slice(start, end)));
    pos = end;
    if (parts.length >= 2 * JOIN_EVERY) {
      chunks.push(parts.join(''));
      parts = [];
    }
  });
  parts.push(text.slice(pos));
  if (chunks.length === 0) return parts.join('');
  chunks.push(parts.join(''));
  return chunks.join('');
}

const JOIN_EVERY = 1024;

/** Tool arguments, HTTP bodies and metadata often arrive as JSON text; redact inside it. */
function parseEmbeddedJson(text: string): object | undefined {
  const t = text.trim();
  if (t.length < 2 || !((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']')))) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

function blank(value: unknown, ctx: Ctx): unknown {
  if (typeof value === 'string') {
    if (value !== '<REDACTED>') bump(ctx.counts, 'field');
    return '<REDACTED>';
  }
  if (Array.isArray(value)) return value.map((v) => blank(v, ctx));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v, ctx)]));
  }
  return value;
}

function walk(value: unknown, ctx: Ctx, path: string[]): unknown {
  const dotted = path.join('.');
  if (path.length > 0 && ctx.fields.some((f) => f.test(dotted))) return blank(value, ctx);
  if (typeof value === 'string') return redactText(value, ctx);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, ctx, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SKIP_KEYS.has(key) && typeof v !== 'object') out[key] = v;
    else if (SENSITIVE_KEY.test(key) && typeof v === 'string' && v !== '' && !IS_PLACEHOLDER.test(v)) {
      bump(ctx.counts, 'secret');
      out[key] = ctx.tokens.compute('secret', v);
    } else out[key] = walk(v, ctx, [...path, key]);
  }
  return out;
}

/** Compiles `a.b[*].c` / `a.*.c` / `a[0]` paths to anchored matchers over dotted paths. */
export function compileFieldRule(rule: string): RegExp {
  const parts = rule.replace(/\[(\*|\d+)\]/g, '.$1').split('.').filter((p) => p !== '');
  const body = parts.map((p) => (p === '*' ? '[^.]+' : p.replace(/[\\^$.|?+()[\]{}-]/g, '\\$&'))).join('\\.');
  return new RegExp(`^${body}$`);
}

/** Redacts any JSON-like value; returns the new value and counts by kind. */
export function redactValue<T>(value: T, opts: RedactOptions): { value: T; counts: RedactionCounts } {
  const ctx: Ctx = { tokens: new PlaceholderTokens(macFor(opts.salt)), detectors: detectorsFor(opts), fields: (opts.fields ?? []).map(compileFieldRule), counts: {} };
  return { value: walk(value, ctx, []) as T, counts: ctx.counts };
}

/**
 * Redacts a case before it is written. Structural fields (ids, span ids, timestamps) are kept;
 * `provenance.redaction` adds this pass's counts to any earlier ones; the id is recomputed from
 * the redacted content, so one trace snapshotted twice still gives one id.
 */
export function redactCase(c: Case, opts: RedactOptions): { case: Case; counts: RedactionCounts } {
  const { id: _id, ...rest } = c;
  const { value, counts } = redactValue(rest, opts);
  const merged: RedactionCounts = { ...(c.provenance.redaction ?? {}) };
  for (const [k, n] of Object.entries(counts)) bump(merged, k, n);
  const provenance = { ...value.provenance };
  if (Object.keys(merged).length > 0) provenance.redaction = merged;
  const body = { ...value, provenance };
  return { case: { ...body, id: computeCaseId(body) }, counts };
}

/** A sensitive value still present in a stored value, located by dotted path. */
export interface ScanFinding {
  path: string;
  kind: string;
  /** First and last characters only, so the report does not leak the value. */
  masked: string;
}

/** Masks a value for reports: `jo…om (16 chars)`. */
export function maskValue(v: string): string {
  return v.length <= 6 ? `${'*'.repeat(v.length)}` : `${v.slice(0, 2)}…${v.slice(-2)} (${v.length} chars)`;
}

/** Lists sensitive values in a text (for `evals datasets scan`). */
export function scanText(text: string, opts: Pick<RedactOptions, 'patterns' | 'disable'> = {}): Finding[] {
  return findSensitive(text, detectorsFor(opts));
}

/** Lists sensitive values anywhere in a value (skipping structural fields, as redaction does). */
export function scanValue(value: unknown, opts: Pick<RedactOptions, 'patterns' | 'disable'> = {}): ScanFinding[] {
  const out: ScanFinding[] = [];
  const detectors = detectorsFor(opts);
  const visit = (v: unknown, path: string[]): void => {
    if (typeof v === 'string') {
      for (const f of findSensitive(v, detectors)) out.push({ path: path.join('.'), kind: f.kind, masked: maskValue(f.value) });
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, String(i)]));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (SKIP_KEYS.has(k) && typeof x !== 'object') continue;
        if (SENSITIVE_KEY.test(k) && typeof x === 'string' && x !== '' && !IS_PLACEHOLDER.test(x)) {
          out.push({ path: [...path, k].join('.'), kind: 'secret', masked: maskValue(x) });
        } else visit(x, [...path, k]);
      }
    }
  };
  visit(value, []);
  return out;
}
