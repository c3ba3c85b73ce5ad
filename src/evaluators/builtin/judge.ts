/**
 * `judge`: a model grades the output against a rubric (LLM-as-judge). The judge sees the user's
 * request, the reference answer when there is one, and the output; it must answer with JSON
 * `{"score": 0..1, "reason": "…"}`. Options: `rubric` (required), `model` (default
 * `gpt-4o-mini`), `provider` (default: the variant's), `threshold` (default 0.5),
 * `withReference` (show the reference to the judge; default true).
 * Judge calls go through the run's cache (re-runs are free) and count towards its spend.
 */
import type { Json } from '../../traces/model.js';
import type { EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon } from './options.js';

const SYSTEM = [
  'You are a strict evaluator of an AI assistant\'s answer. Grade the answer against the rubric.',
  'Reply with JSON only: {"score": <number from 0 to 1>, "reason": "<one sentence>"}.',
].join(' ');

export const judge: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['rubric', 'model', 'provider', 'threshold', 'withReference']);
  const rubric = f.string(config.rubric, [...path, 'rubric']);
  const model = f.optString(config.model, [...path, 'model']) ?? 'gpt-4o-mini';
  const provider = f.optString(config.provider, [...path, 'provider']);
  const threshold = f.optNumber(config.threshold, [...path, 'threshold'], { min: 0, max: 1 }) ?? 0.5;
  const withReference = f.optBoolean(config.withReference, [...path, 'withReference']) ?? true;
  return {
    name,
    async evaluate({ case: c, actual, reference, provider: providers }) {
      if (!providers) return { name, score: 0, pass: false, reason: 'judge needs a provider (only available inside a run)' };
      const question = c.input.query ?? [...c.input.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      const user = [
        `Rubric:\n${rubric}`,
        `User request:\n${question}`,
        ...(withReference && reference !== null ? [`Reference answer:\n${reference}`] : []),
        `Answer to grade:\n${outputText(actual) || '(empty)'}`,
      ].join('\n\n');
      const res = await providers(provider).complete({
        model,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: user },
        ],
        params: { temperature: 0 },
      });
      const verdict = parseVerdict(res.content ?? '');
      if (!verdict) return { name, score: 0, pass: false, reason: `judge reply was not {"score", "reason"} JSON: ${JSON.stringify((res.content ?? '').slice(0, 120))}` };
      return { name, score: verdict.score, pass: verdict.score >= threshold, reason: `judge ${verdict.score.toFixed(2)}: ${verdict.reason}` };
    },
  };
};

/** Reads `{score, reason}` from a reply, tolerating a fenced block or text around the JSON. */
export function parseVerdict(text: string): { score: number; reason: string } | undefined {
  const m = /\{[\s\S]*\}/.exec(text);
  if (!m) return undefined;
  let v: Json;
  try {
    v = JSON.parse(m[0]) as Json;
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const score = typeof v.score === 'number' ? v.score : typeof v.score === 'string' ? Number(v.score) : NaN;
  if (!Number.isFinite(score)) return undefined;
  return { score: Math.min(1, Math.max(0, score)), reason: typeof v.reason === 'string' ? v.reason : '' };
}
