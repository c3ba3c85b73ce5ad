/**
 * Which traces are worth snapshotting: flag rules (negative feedback, tags, errors, attribute
 * matches) that say why a trace was flagged, plus time-window and limit selection for
 * `--since/--until/--limit` over traces already built. Pure; the CLI reads and writes.
 */
import { UsageError } from '../errors.js';
import { canonicalJson } from '../datasets/case.js';
import type { Feedback, Json, Trace } from './model.js';

/** What makes a trace flagged. Each rule adds its own reasons; any reason flags the trace. */
export interface FlagRules {
  /**
   * Negative feedback. On by default (`{}` behaves as all defaults); `false` turns it off.
   * A feedback is negative when its score is strictly below `below` (`score < below`), or when
   * its value is `false`, `thumbs_down`, `negative`, `bad` (and similar) while `falseIsFlag` holds.
   */
  feedback?:
    | {
        /** Scores strictly below this flag. Default 0.5 (so 0 flags, 0.5 and 1 do not). */
        below?: number;
        /** Only feedback with these names (case-insensitive). Default: any name. */
        names?: string[];
        /** Whether a boolean `false` or a negative category flags. Default true. */
        falseIsFlag?: boolean;
      }
    | false;
  /** Flag traces carrying any of these tags (case-insensitive). Default: none. */
  tags?: string[];
  /**
   * Flag traces whose status is `error`. Default false: `--flagged` means "what users flagged";
   * turn this on to also capture every failed request.
   */
  error?: boolean;
  /**
   * Flag when any span attribute or trace metadata key `key` (dotted paths also reach into
   * nested metadata) equals `equals` (JSON equality; `true` also matches the string "true"), or
   * its text matches the regular expression `matches`; with neither, when the key is present.
   */
  attributes?: Array<{ key: string; equals?: Json; matches?: string }>;
}

// User thumbs, plus the evaluator labels the OTel GenAI semconv gives as examples for
// `gen_ai.evaluation.score.label` (pass/fail, correct/incorrect, relevant/not_relevant).
const NEGATIVE_VALUES = new Set(['false', 'thumbs_down', 'thumbsdown', 'thumbs-down', 'negative', 'bad', 'down', 'no', '👎',
  'fail', 'failed', 'incorrect', 'not_relevant', 'irrelevant']);
const POSITIVE_VALUES = new Set(['true', 'thumbs_up', 'thumbsup', 'thumbs-up', 'positive', 'good', 'up', 'yes', '👍',
  'pass', 'passed', 'correct', 'relevant']);

/**
 * Why a trace is flagged under `rules`: `feedback:user_feedback=0`, `tag:escalated`,
 * `status:error`, `attribute:app.flag=true`. Empty means not flagged. Throws a `UsageError` for
 * an attribute rule whose `matches` is not a valid regular expression.
 */
export function flagReasons(trace: Trace, rules: FlagRules = {}): string[] {
  const reasons: string[] = [];
  if (rules.feedback !== false) {
    for (const f of trace.feedback) {
      const shown = negativeFeedback(f, rules.feedback ?? {});
      if (shown !== undefined) reasons.push(`feedback:${f.name}=${shown}`);
    }
  }
  const tags = new Set(trace.tags.map((t) => t.toLowerCase()));
  for (const tag of rules.tags ?? []) if (tags.has(tag.toLowerCase())) reasons.push(`tag:${tag}`);
  if ((rules.error ?? false) && trace.status === 'error') reasons.push('status:error');
  (rules.attributes ?? []).forEach((rule, i) => {
    const re = rule.matches === undefined ? undefined : compile(rule.matches, `attributes[${i}].matches`);
    const hit = attributeValues(trace, rule.key).find((v) => attributeMatches(v, rule.equals, re));
    if (hit !== undefined) reasons.push(`attribute:${rule.key}=${clip(typeof hit === 'string' ? hit : JSON.stringify(hit))}`);
  });
  return [...new Set(reasons)];
}

/** The value to show when `f` is negative under the rule, else undefined. */
function negativeFeedback(f: Feedback, rule: { below?: number; names?: string[]; falseIsFlag?: boolean }): string | undefined {
  if (rule.names !== undefined && !rule.names.some((n) => n.toLowerCase() === f.name.toLowerCase())) return undefined;
  const falseIsFlag = rule.falseIsFlag ?? true;
  // A categorical or boolean value decides before the score sources derive from it (false → 0).
  if (typeof f.value === 'boolean') return !f.value && falseIsFlag ? 'false' : undefined;
  const category = typeof f.value === 'string' ? f.value.trim().toLowerCase() : undefined;
  if (category !== undefined && NEGATIVE_VALUES.has(category)) return falseIsFlag ? f.value as string : undefined;
  if (category !== undefined && POSITIVE_VALUES.has(category)) return undefined;
  const score = typeof f.score === 'number' ? f.score : category !== undefined && category !== '' ? Number(category) : NaN;
  if (Number.isFinite(score) && score < (rule.below ?? 0.5)) return String(score);
  return undefined;
}

/** Values of `key` on every span, then in trace metadata (flat key first, then a dotted path). */
function attributeValues(trace: Trace, key: string): Json[] {
  const out: Json[] = [];
  for (const s of trace.spans) {
    const v = s.attributes[key];
    if (v !== undefined) out.push(v);
  }
  if (key in trace.metadata) out.push(trace.metadata[key] as Json);
  else {
    let cur: Json | undefined = trace.metadata;
    for (const part of key.split('.')) {
      cur = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? cur[part] : undefined;
      if (cur === undefined) break;
    }
    if (cur !== undefined) out.push(cur);
  }
  return out;
}

function attributeMatches(value: Json, equals: Json | undefined, re: RegExp | undefined): boolean {
  if (value === null) return false;
  if (equals !== undefined) {
    const loose = equals !== null && typeof equals !== 'object' && typeof value === 'string' && String(equals) === value;
    if (!loose && canonicalJson(value) !== canonicalJson(equals)) return false;
  }
  if (re !== undefined && !re.test(typeof value === 'string' ? value : JSON.stringify(value))) return false;
  return true;
}

function compile(source: string, field: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new UsageError('the flag rule has an invalid regular expression', {
      field,
      expected: 'a JavaScript regular expression',
      found: source,
      cause: e,
    });
  }
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Options of `selectTraces`. Times are epoch milliseconds or `Date`s. */
export interface SelectOptions {
  /** Keep traces that started at or after this time. Default: no lower bound. */
  since?: number | Date;
  /** Keep traces that started before this time. Default: no upper bound. */
  until?: number | Date;
  /** Keep at most this many (the newest). Default: all. */
  limit?: number;
  /** Keep only flagged traces under these rules. Default: no flag filter (every reason list empty). */
  rules?: FlagRules;
}

/** A selected trace and why it was flagged (empty when no rules were given). */
export interface SelectedTrace {
  trace: Trace;
  reasons: string[];
}

/** True when the trace started inside `[since, until)`; usable as a streaming filter. */
export function inTimeWindow(trace: Trace, since?: number | Date, until?: number | Date): boolean {
  const start = trace.startTimeMs;
  if (since !== undefined && start < +since) return false;
  if (until !== undefined && start >= +until) return false;
  return true;
}

/** Traces in the time window (and flagged, when `rules` is given), newest first, at most `limit`. */
export function selectTraces(traces: Iterable<Trace>, options: SelectOptions = {}): SelectedTrace[] {
  const out: SelectedTrace[] = [];
  for (const trace of traces) {
    if (!inTimeWindow(trace, options.since, options.until)) continue;
    const reasons = options.rules === undefined ? [] : flagReasons(trace, options.rules);
    if (options.rules !== undefined && reasons.length === 0) continue;
    out.push({ trace, reasons });
  }
  out.sort((a, b) => b.trace.startTimeMs - a.trace.startTimeMs || a.trace.traceId.localeCompare(b.trace.traceId));
  return options.limit === undefined ? out : out.slice(0, Math.max(0, options.limit));
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;

/**
 * A duration in milliseconds: `500ms`, `90s`, `30m`, `24h`, `7d`, `2w`, combinations like
 * `1h30m`, or ISO 8601 `P7D` / `PT1H30M` / `P1W`. Throws a `UsageError` naming `field` otherwise.
 */
export function parseDuration(text: string, field = '--since'): number {
  const t = text.trim();
  const short = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/i.test(t) ? t.toLowerCase().match(/\d+(?:\.\d+)?(?:ms|s|m|h|d|w)/g) : null;
  if (short !== null) {
    return short.reduce((sum, part) => {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(part) as RegExpExecArray;
      return sum + Number(m[1]) * UNIT_MS[m[2] as Unit];
    }, 0);
  }
  const iso = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(t);
  if (iso !== null && t.length > 1 && !/T$/i.test(t)) {
    const [w, d, h, m, s] = iso.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number, number];
    return w * UNIT_MS.w + d * UNIT_MS.d + h * UNIT_MS.h + m * UNIT_MS.m + s * UNIT_MS.s;
  }
  throw new UsageError(`${field} is not a duration`, {
    field,
    expected: 'a duration such as 30m, 24h, 7d, 1h30m or ISO 8601 P7D / PT24H',
    found: text,
  });
}

/**
 * A `--since` / `--until` value as epoch milliseconds: a duration means that long before `nowMs`
 * (`7d` = seven days ago); otherwise an ISO date or date-time (`2026-11-01`, `2026-11-01T08:00:00Z`).
 */
export function parseTimeBound(text: string, nowMs: number = Date.now(), field = '--since'): number {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/i.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) return ms;
  }
  try {
    return nowMs - parseDuration(t, field);
  } catch {
    throw new UsageError(`${field} is neither a duration nor a date`, {
      field,
      expected: 'a duration (30m, 24h, 7d, P7D) or an ISO date/date-time (2026-11-01, 2026-11-01T08:00:00Z)',
      found: text,
    });
  }
}
