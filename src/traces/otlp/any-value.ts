/**
 * Decoding of the scalar pieces of OTLP/JSON: AnyValue, key-value lists, ids, timestamps and
 * enums. Real exporters disagree on encodings (ints as numbers or strings, upper/lower-case
 * hex, base64 ids from generic protobuf JSON), so every decoder accepts all of them.
 */
import type { AttrValue, Attributes, SpanStatusCode } from '../model.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes an OTLP 64-bit int given as number or decimal string; non-safe values stay strings. */
function decodeInt(v: unknown): AttrValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return typeof v === 'string' ? v : null;
}

/** Decodes `doubleValue`, which protobuf JSON may write as "NaN"/"Infinity" strings. */
function decodeDouble(v: unknown): AttrValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  }
  return null;
}

/**
 * Turns an OTLP AnyValue into plain JSON: kvlist → object, array → array, bytes (base64) →
 * decoded UTF-8 string, `{}` → null. Strings are kept as written (JSON inside them is not parsed).
 */
export function decodeAnyValue(value: unknown): AttrValue {
  if (!isObj(value)) return value === undefined ? null : (value as AttrValue);
  if ('stringValue' in value) return typeof value.stringValue === 'string' ? value.stringValue : String(value.stringValue);
  if ('boolValue' in value) return value.boolValue === true || value.boolValue === 'true';
  if ('intValue' in value) return decodeInt(value.intValue);
  if ('doubleValue' in value) return decodeDouble(value.doubleValue);
  if ('arrayValue' in value) {
    const values = isObj(value.arrayValue) ? value.arrayValue.values : undefined;
    return Array.isArray(values) ? values.map(decodeAnyValue) : [];
  }
  if ('kvlistValue' in value) {
    const values = isObj(value.kvlistValue) ? value.kvlistValue.values : undefined;
    return decodeKeyValues(values);
  }
  if ('bytesValue' in value) {
    return typeof value.bytesValue === 'string' ? Buffer.from(value.bytesValue, 'base64').toString('utf8') : null;
  }
  return null;
}

/** Decodes `[{key, value}]` into an attribute map; entries without a string key are dropped. */
export function decodeKeyValues(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (isObj(kv) && typeof kv.key === 'string') out[kv.key] = decodeAnyValue(kv.value);
  }
  return out;
}

/**
 * Normalises a trace or span id to lower-case hex. Accepts hex in any case and base64 (generic
 * protobuf JSON: 24 chars for 16 bytes, 12 chars for 8 bytes). Empty or missing → undefined.
 */
export function normalizeId(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  if (/^[0-9a-fA-F]+$/.test(id) && (id.length === 32 || id.length === 16)) return id.toLowerCase();
  if ((id.length === 24 || id.length === 12) && /^[A-Za-z0-9+/_-]+={0,2}$/.test(id)) {
    const bytes = Buffer.from(id.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 16 || bytes.length === 8) return bytes.toString('hex');
  }
  // Unknown shapes (UUIDs from other systems, odd lengths) are kept, only lower-cased.
  return /^[0-9a-fA-F-]+$/.test(id) ? id.toLowerCase() : id;
}

/**
 * Converts a Unix-epoch nanosecond time (decimal string or number) into fractional epoch ms.
 * Strings go through BigInt because 19-digit nanosecond values exceed double precision.
 * Returns undefined for missing or unparseable values.
 */
export function nanosToMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value / 1e6 : undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  const ns = BigInt(value);
  const ms = ns / 1_000_000n;
  const rest = ns % 1_000_000n;
  return Number(ms) + Number(rest) / 1e6;
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

/** Span kind int (or `SPAN_KIND_*` name) → lower-case name; 0/unknown → undefined. */
export function spanKindName(kind: unknown): string | undefined {
  if (typeof kind === 'number') return kind > 0 ? KINDS[kind] : undefined;
  if (typeof kind === 'string') {
    const name = kind.replace(/^SPAN_KIND_/i, '').toLowerCase();
    return name === 'unspecified' || name === '' ? undefined : name;
  }
  return undefined;
}

/** Status code int (or `STATUS_CODE_*` name) → 'unset' | 'ok' | 'error'. */
export function statusCodeName(code: unknown): SpanStatusCode {
  if (code === 1 || code === '1' || (typeof code === 'string' && /OK$/i.test(code))) return 'ok';
  if (code === 2 || code === '2' || (typeof code === 'string' && /ERROR$/i.test(code))) return 'error';
  return 'unset';
}
