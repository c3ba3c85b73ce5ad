/**
 * Feedback recorded inside traces. Sources, all optional:
 *  - OTel GenAI `gen_ai.evaluation.result`, as a span event (Anthropic flavour) or a joined log
 *    record (contrib flavour; fields in attributes or body): `gen_ai.evaluation.name`,
 *    `gen_ai.evaluation.score.value`, `gen_ai.evaluation.score.label`,
 *    `gen_ai.evaluation.explanation` → `{name, score, value: label, comment, source: 'eval'}`.
 *  - OpenInference `trace.annotations.N.annotation.{name,score,label,explanation}` (also the
 *    `span.` and `session.` scopes) → `source: 'annotation'`.
 *  - OpenLLMetry `traceloop.custom_metric.<name>` (a number, on any span: the SDK's
 *    `reportCustomMetric(name, value)`) → `{name, score: value, source: 'metric'}`.
 *  - Application keys on the ROOT span only, under `feedback.` or `user.feedback.`:
 *    `name` (default `user_feedback`), `score` (number; booleans → 1/0), `value` (string or
 *    boolean; `up`/`thumbs_up`/`positive`/`true` give score 1 and `down`/`thumbs_down`/
 *    `negative`/`false` score 0 when no score is given), `comment`, `source` (default `user`).
 */
import type { Attributes, Feedback, Json, RawSpan } from '../model.js';
import { compact, indexed, isObject, parseLenient, str, toNumber, withPrefix } from './attrs.js';

function evalFeedback(attrs: Attributes, spanId: string): Feedback | undefined {
  const name = str(attrs, 'gen_ai.evaluation.name');
  if (name === undefined) return undefined;
  return compact<Feedback>({
    name,
    score: toNumber(attrs['gen_ai.evaluation.score.value']),
    value: str(attrs, 'gen_ai.evaluation.score.label'),
    comment: str(attrs, 'gen_ai.evaluation.explanation'),
    source: 'eval',
    spanId,
  });
}

function annotationFeedback(attrs: Attributes, spanId: string): Feedback[] {
  return (['trace', 'span', 'session'] as const).flatMap((scope) =>
    indexed(attrs, `${scope}.annotations`).flatMap((g): Feedback[] => {
      const name = str(g, 'annotation.name');
      if (name === undefined) return [];
      return [
        compact<Feedback>({
          name,
          score: toNumber(g['annotation.score']),
          value: str(g, 'annotation.label'),
          comment: str(g, 'annotation.explanation'),
          source: 'annotation',
          spanId: scope === 'span' ? spanId : undefined,
        }),
      ];
    }),
  );
}

const POSITIVE = new Set(['up', 'thumbs_up', 'positive', 'true', 'good']);
const NEGATIVE = new Set(['down', 'thumbs_down', 'negative', 'false', 'bad']);

function appFeedback(attrs: Attributes, prefix: string, spanId: string): Feedback | undefined {
  const f = withPrefix(attrs, prefix);
  if (Object.keys(f).length === 0) return undefined;
  const rawValue = f['value'];
  const value = typeof rawValue === 'boolean' ? rawValue : typeof rawValue === 'string' ? rawValue : undefined;
  const rawScore = f['score'];
  const key = typeof value === 'string' ? value.toLowerCase() : String(value);
  const implied = POSITIVE.has(key) ? 1 : NEGATIVE.has(key) ? 0 : undefined;
  const score = typeof rawScore === 'boolean' ? (rawScore ? 1 : 0) : (toNumber(rawScore) ?? implied);
  if (score === undefined && value === undefined && str(f, 'comment') === undefined) return undefined;
  return compact<Feedback>({
    name: str(f, 'name') ?? 'user_feedback',
    score,
    value,
    comment: str(f, 'comment'),
    source: str(f, 'source') ?? 'user',
    spanId,
  });
}

function customMetrics(attrs: Attributes, spanId: string): Feedback[] {
  return Object.entries(withPrefix(attrs, 'traceloop.custom_metric.')).flatMap(([name, v]): Feedback[] => {
    const score = toNumber(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return score === undefined ? [] : [{ name, score, source: 'metric', spanId }];
  });
}

function logAttributes(attributes: Attributes, body: Json): Attributes {
  const parsed = parseLenient(body);
  return isObject(parsed) ? { ...parsed, ...attributes } : attributes;
}

/** All feedback found in `spans`; `root` is the span whose `feedback.*` keys count. */
export function feedbackOf(spans: RawSpan[], root: RawSpan | undefined): Feedback[] {
  const out: Feedback[] = [];
  for (const span of spans) {
    for (const e of span.events) {
      if (e.name !== 'gen_ai.evaluation.result') continue;
      const f = evalFeedback(e.attributes, span.spanId);
      if (f) out.push(f);
    }
    for (const l of span.logs) {
      if (l.name !== 'gen_ai.evaluation.result') continue;
      const f = evalFeedback(logAttributes(l.attributes, l.body), span.spanId);
      if (f) out.push(f);
    }
    out.push(...annotationFeedback(span.attributes, span.spanId));
    out.push(...customMetrics(span.attributes, span.spanId));
  }
  if (root) {
    for (const prefix of ['user.feedback.', 'feedback.']) {
      const f = appFeedback(root.attributes, prefix, root.spanId);
      if (f) out.push(f);
    }
  }
  return out;
}
