/**
 * `judge`: a model grades the output against a rubric (LLM-as-judge). The judge sees the user's
 * request, the reference answer when there is one, and the output; it must answer with JSON
 * `{"score": 0..1, "reason": "…"}`. Options: `rubric` (required), `model` (default
 * `gpt-4o-mini`), `provider` (default: the suite's first provider, the same for every variant), `threshold` (default 0.5),
 * `withReference` (show the reference to the judge; default true).
 * Judge calls go through the run's cache (re-runs are free) and count towards its spend.
 */
import type { Json } from '../../traces/model.js';
import type { EvalContext, EvaluatorFactory } from '../evaluator.js';
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
    async evaluate(ctx) {
      const { case: c, actual, provider: providers } = ctx;
      if (!providers) throw new Error('judge needs a provider (only available inside a run)');
      const reference = withReference ? ctx.reference : null;
      const question = c.input.query ?? [...c.input.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      const user = [
        `Rubric:\n${rubric}`,
        `User request:\n${question}`,
        ...(withReference && reference !== null ? [`Reference answer:\n${reference}`] : []),
        `Answer to grade:\n${outputText(actual) || '(empty)'}`,
      ].join('\n\n');
      const verdict = await askJudge(providers, { provider, model, user });
      return { name, score: verdict.score, pass: verdict.score >= threshold, reason: `judge ${verdict.score.toFixed(2)}: ${verdict.reason}` };
    },
  };
};

/**
 * One judge call: the fixed system prompt, `user` as the request, temperature 0 and seed 0 (the
 * same judge for every variant). Throws on an unreadable verdict: not a failing answer, the
 * runner records it as unscored. Shared by `judge` and `grounded`.
 */
export async function askJudge(
  providers: NonNullable<EvalContext['provider']>,
  opts: { provider: string | undefined; model: string; user: string },
): Promise<{ score: number; reason: string }> {
  const res = await providers(opts.provider).complete({
    model: opts.model,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: opts.user },
    ],
    params: { temperature: 0, seed: 0 },
  });
  const verdict = parseVerdict(res.content ?? '');
  if (!verdict) throw new Error(`judge reply was not {"score": 0..1, "reason"} JSON: ${JSON.stringify((res.content ?? '').slice(0, 120))}`);
  return verdict;
}

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
  // Outside the scale is an error, never clamped: 3 (of 10?) is not 1.0.
  if (!Number.isFinite(score) || score < 0 || score > 1) return undefined;
  if (typeof v.score === 'string' && v.score.trim() === '') return undefined;
  return { score, reason: typeof v.reason === 'string' ? v.reason : '' };
}
