/**
 * What redaction looks for: one detector per kind of sensitive value, in priority order (secrets
 * with a recognisable prefix first, loose patterns such as phone numbers last), plus the checksum
 * tests (Luhn, IBAN mod-97) that keep order ids and dates from being mistaken for cards or IBANs.
 */
import { isIPv6 } from 'node:net';

/** One kind of sensitive value. `regex` must have the `g` flag; `group` selects the part to replace. */
export interface Detector {
  /** Lower-case kind; counted in the manifest and upper-cased in placeholders. */
  kind: string;
  regex: RegExp;
  /** Capture group holding the sensitive part (default 0, the whole match). */
  group?: number;
  /** Rejects look-alikes (checksums, digit counts). */
  validate?: (value: string) => boolean;
  /** Canonical form for the placeholder hash, so formatting variants map to one token. */
  normalize?: (value: string) => string;
  /**
   * Cheap pre-check, a necessary condition of a match: the detector runs only on texts where this
   * matches (most texts are prose), which spares a scan of a long text per absent kind.
   */
  hint?: RegExp;
}

/** A config-provided pattern: `{ kind: 'customer_id', pattern: 'CUST-\\d{6}' }`. */
export interface CustomPattern {
  kind: string;
  pattern: string | RegExp;
}

const digits = (s: string): string => s.replace(/\D/g, '');

/** Number of ASCII digits in `s`, without building a string (validators run once per match). */
function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

const digitCount = (min: number, max: number) => (s: string) => {
  const n = countDigits(s);
  return n >= min && n <= max;
};

/** Luhn checksum over the digits of `value` (13–19 of them, not all the same). */
export function luhnValid(value: string): boolean {
  const count = countDigits(value);
  if (count < 13 || count > 19) return false;
  let sum = 0;
  let i = 0;
  let first = -1;
  let same = true;
  for (let k = value.length - 1; k >= 0; k--) {
    const c = value.charCodeAt(k);
    if (c < 48 || c > 57) continue;
    let n = c - 48;
    if (first === -1) first = n;
    else if (n !== first) same = false;
    if (i++ % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return !same && sum % 10 === 0;
}

/** ISO 13616 IBAN check: length 15–34 and mod-97 of the rearranged number equals 1. */
export function ibanValid(value: string): boolean {
  const s = value.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const n = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of n) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

const SECRET_NAMES =
  'api[_-]?key|apikey|x-api-key|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|secret[_-]?key|secret|password|passwd|pwd|token';

/** Object keys whose string values are secrets whatever they look like. */
export const SENSITIVE_KEY = new RegExp(`^(?:${SECRET_NAMES}|authorization|cookie|set-cookie|private[_-]?key)$`, 'i');

/** The built-in detectors, highest priority first. */
export const builtinDetectors: readonly Detector[] = [
  { kind: 'private_key', hint: /PRIVATE KEY/, regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  { kind: 'jwt', hint: /eyJ/, regex: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { kind: 'anthropic_key', hint: /sk-ant-/, regex: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: 'openai_key', hint: /sk-/, regex: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { kind: 'aws_access_key', hint: /A[KSBC][IC]A/, regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  {
    kind: 'aws_secret',
    hint: /secret/i,
    regex: /(?:aws_?secret_?access_?key|aws_?secret|secret_?access_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  { kind: 'github_token', hint: /gh[pousr]_|github_pat_/, regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'slack_token', hint: /xox/, regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'bearer', hint: /Bearer/, regex: /\bBearer\s+([A-Za-z0-9._~+/=-]{12,})/g, group: 1 },
  { kind: 'secret', hint: /key|token|secret|passw|pwd/i, regex: new RegExp(`\\b(?:${SECRET_NAMES})\\b["']?\\s*[:=]\\s*["']?([^\\s"'&,;<>]{4,})`, 'gi'), group: 1 },
  {
    kind: 'email',
    hint: /@/,
    // The lookbehind starts a match only where a local part starts, keeping long texts linear.
    regex: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g,
    normalize: (s) => s.toLowerCase(),
  },
  {
    kind: 'iban',
    hint: /[A-Z]{2}\d{2}/,
    regex: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g,
    validate: ibanValid,
    normalize: (s) => s.replace(/ /g, '').toUpperCase(),
  },
  { kind: 'card', hint: /\d{4}/, regex: /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w-]|\.\d)/g, validate: luhnValid, normalize: digits },
  {
    kind: 'ip',
    hint: /\d\.\d/,
    regex: /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)/g,
  },
  {
    kind: 'ip',
    // Two colons at least, the first followed by a hex digit or the second (`a:b…`, `::1`).
    hint: /:[0-9A-Fa-f:]/,
    regex: /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|::?)(?:[0-9A-Fa-f]{0,4}:){1,7}[0-9A-Fa-f]{0,4}(?![\w:])/g,
    validate: (s) => isIPv6(s) && (s.match(/[0-9A-Fa-f]/g)?.length ?? 0) >= 2,
    normalize: (s) => s.toLowerCase(),
  },
  // International: "+" then 8–15 digits in groups.
  { kind: 'phone', hint: /\+\d/, regex: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?![\w-]|\.\d)/g, validate: digitCount(8, 15), normalize: digits },
  // North American 3-3-4 (dates are 4-2-2, so they do not fit).
  { kind: 'phone', hint: /\d{3}[-. ]\d{4}/, regex: /(?<![\w.+/-])(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-]|\.\d)/g, normalize: digits },
  // National numbers with a trunk 0 and separators (UK, FR, DE…): 9–11 digits rules out dd.mm.yyyy.
  { kind: 'phone', hint: /\d[ .-]\d\d/, regex: /(?<![\w.+/#-])0\d{1,4}(?:[ .-]\d{2,4}){2,4}(?![\w-]|\.\d)/g, validate: digitCount(9, 11), normalize: digits },
  // Bare digit runs only next to a word that says "phone".
  {
    kind: 'phone',
    hint: /phone|tel|mobile|cell|call|whatsapp|fax/i,
    regex: /\b(?:phone|tel|telephone|mobile|cell|call(?: me)?(?: at| on)?|whatsapp|fax)\b[:#.]?\s*(\+?\d{9,15})(?!\w)/gi,
    group: 1,
    normalize: digits,
  },
];

/** Turns config patterns into detectors (global flag added; kind lower-cased). */
export function customDetectors(patterns: readonly CustomPattern[] = []): Detector[] {
  return patterns.map((p) => {
    const source = typeof p.pattern === 'string' ? p.pattern : p.pattern.source;
    const flags = typeof p.pattern === 'string' ? 'g' : p.pattern.flags.includes('g') ? p.pattern.flags : `${p.pattern.flags}g`;
    return { kind: p.kind.toLowerCase().replace(/[^a-z0-9_]/g, '_'), regex: new RegExp(source, flags) };
  });
}
