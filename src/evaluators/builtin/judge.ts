/**
 * `judge`: a model grades the output against a rubric (LLM-as-judge). The judge sees the user's
 * request, the reference answer when there is one, and the output; it must answer with JSON
 * `{"score": 0..1, "reason": "…"}`. Options: `rubric` (required), `model` and `provider` (default:
 * the suite's `judge:`, see judge-settings.ts; the same for every variant), `threshold` (default 0.5),
 * `withReference` (show the reference to the judge; default true), `scale` (`[min, max]` the
 * rubric is graded on, default `[0, 1]`: the judge is asked for a number in it, a reply outside
 * it is an error, and the evaluator's score is the verdict mapped to 0..1; `threshold` is then
 * on that scale, default its midpoint).
 * Judge calls go through the run's cache (re-runs are free) and count towards its spend.
 * A reply with no readable verdict is asked again once; a score outside 0..1 is an error (see
 * {@link askJudge}).
 */
import type { Case } from '../../datasets/case.js';
import type { Json, LlmParams, Message } from '../../traces/model.js';
import type { EvalContext, EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon } from './options.js';

/** The scale a rubric is graded on, `[min, max]`. */
export type JudgeScale = readonly [number, number];
const UNIT: JudgeScale = [0, 1];

function systemPrompt([min, max]: JudgeScale): string {
  return [
    'You are a strict evaluator of an AI assistant\'s answer. Grade the answer against the rubric.',
    `Reply with JSON only: {"score": <number from ${min} to ${max}>, "reason": "<one sentence>"}.`,
  ].join(' ');
}

export const judge: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['rubric', 'model', 'provider', 'threshold', 'withReference', 'scale', 'temperature']);
  const temperature = readJudgeTemperature(config, f, path);
  const rubric = f.string(config.rubric, [...path, 'rubric']);
  const model = f.optString(config.model, [...path, 'model']) ?? 'gpt-4o-mini';
  const provider = f.optString(config.provider, [...path, 'provider']);
  const scale = readScale(config.scale, f, [...path, 'scale']);
  const [lo, hi] = scale;
  const threshold = f.optNumber(config.threshold, [...path, 'threshold'], { min: lo, max: hi }) ?? (lo + hi) / 2;
  const withReference = f.optBoolean(config.withReference, [...path, 'withReference']) ?? true;
  return {
    name,
    async evaluate(ctx) {
      const { case: c, actual, provider: providers } = ctx;
      if (!providers) throw new Error('judge needs a provider (only available inside a run)');
      const reference = withReference ? ctx.reference : null;
      const question = userQuestion(c);
      const user = [
        `Rubric:\n${rubric}`,
        `User request:\n${question}`,
        ...(withReference && reference !== null ? [`Reference answer:\n${reference}`] : []),
        `Answer to grade:\n${outputText(actual) || '(empty)'}`,
      ].join('\n\n');
      const verdict = await askJudge(providers, { provider, model, user, scale, temperature });
      const raw = lo + verdict.score * (hi - lo);
      const shown = scale === UNIT ? verdict.score.toFixed(2) : `${round(raw)} on ${lo}..${hi}`;
      // Mapping to 0..1 and back may cost the last bit: 4 on 1..5 must meet a threshold of 4.
      const pass = scale === UNIT ? verdict.score >= threshold : raw >= threshold - 1e-9;
      return { name, score: verdict.score, pass, reason: `judge ${shown}: ${verdict.reason}` };
    },
  };
};

/** A judge entry's `temperature` (0..2, default 0; the suite's `judge.temperature` is filled in by the resolver). */
export function readJudgeTemperature(config: Parameters<EvaluatorFactory>[0], f: Parameters<EvaluatorFactory>[1], path: Array<string | number>): number {
  return f.optNumber(config.temperature, [...path, 'temperature'], { min: 0, max: 2 }) ?? 0;
}

/**
 * The judge's sampling: at temperature 0 a fixed seed too (the same judge for every variant);
 * above 0 no seed, so each repeat (its own cache key) is a fresh sample of the judge.
 */
export function judgeParams(temperature: number): LlmParams {
  return temperature === 0 ? { temperature: 0, seed: 0 } : { temperature };
}

/** `scale: [min, max]` (numbers, min < max); default [0, 1]. */
function readScale(v: unknown, f: Parameters<EvaluatorFactory>[1], path: Array<string | number>): JudgeScale {
  if (v === undefined) return UNIT;
  const list = f.array(v, path);
  const nums = list.map((x, i) => f.number(x, [...path, i]));
  if (nums.length !== 2 || !(nums[0]! < nums[1]!)) f.fail(path, 'must be [min, max] with min < max', 'e.g. [1, 5] or [0, 10]', v);
  return [nums[0]!, nums[1]!];
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The user's request of a case: its `query`, else its last user message. */
export function userQuestion(c: Case): string {
  return c.input.query ?? [...c.input.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

/**
 * One judge call: the fixed system prompt, `user` as the request, temperature 0 and seed 0 unless set (the
 * same judge for every variant). A reply with no readable verdict (prose, a refusal) is asked
 * again once, with the reply and a reminder of the format (a different request, so the cache
 * does not hand back the same reply); a score outside 0..1 is not retried. Either then throws:
 * not a failing answer, the runner records it as unscored. Shared by `judge` and `grounded`.
 */
export async function askJudge(
  providers: NonNullable<EvalContext['provider']>,
  opts: { provider: string | undefined; model: string; user: string; scale?: JudgeScale; temperature?: number },
): Promise<{ score: number; reason: string }> {
  const scale = opts.scale ?? UNIT;
  const messages: Message[] = [
    { role: 'system', content: systemPrompt(scale) },
    { role: 'user', content: opts.user },
  ];
  const params = judgeParams(opts.temperature ?? 0);
  const first = (await providers(opts.provider).complete({ model: opts.model, messages, params })).content ?? '';
  let read = readVerdict(first, scale);
  let reply = first;
  if (read.kind === 'unreadable') {
    const again = [...messages, { role: 'assistant' as const, content: first }, { role: 'user' as const, content: retryPrompt(scale) }];
    reply = (await providers(opts.provider).complete({ model: opts.model, messages: again, params })).content ?? '';
    read = readVerdict(reply, scale);
  }
  if (read.kind === 'ok') return read.verdict;
  const range = `${scale[0]}..${scale[1]}`;
  const why = read.kind === 'out_of_scale' ? `a score outside ${range} (${read.found})` : `no {"score": ${range}, "reason"} JSON${reply === first ? '' : ', twice'}`;
  throw new Error(`judge reply had ${why}: ${JSON.stringify(reply.slice(0, 120))}`);
}

function retryPrompt([min, max]: JudgeScale): string {
  return `Your reply did not contain the verdict. Reply with JSON only: {"score": <number from ${min} to ${max}>, "reason": "<one sentence>"}.`;
}

type VerdictRead = { kind: 'ok'; verdict: { score: number; reason: string } } | { kind: 'out_of_scale'; found: string } | { kind: 'unreadable' };

/**
 * Reads `{score, reason}` from a reply, tolerating a fenced block, text around the JSON, a
 * second object or a stray brace: the first object that parses and has a `score` wins.
 */
export function readVerdict(text: string, [min, max]: JudgeScale = UNIT): VerdictRead {
  const candidates = [/\{[\s\S]*\}/.exec(text)?.[0], ...[...text.matchAll(/\{[^{}]*\}/g)].map((m) => m[0])];
  for (const c of candidates) {
    if (c === undefined) continue;
    let v: Json;
    try {
      v = JSON.parse(c) as Json;
    } catch {
      continue;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !('score' in v)) continue;
    const score = typeof v.score === 'number' ? v.score : typeof v.score === 'string' && v.score.trim() !== '' ? Number(v.score) : NaN;
    // Outside the scale is an error, never clamped: 3 (of 10?) is not 1.0.
    if (!Number.isFinite(score)) return { kind: 'unreadable' };
    if (score < min || score > max) return { kind: 'out_of_scale', found: JSON.stringify(v.score) };
    // The verdict's score is mapped to 0..1 (identity on the default scale).
    return { kind: 'ok', verdict: { score: min === 0 && max === 1 ? score : (score - min) / (max - min), reason: typeof v.reason === 'string' ? v.reason : '' } };
  }
  return { kind: 'unreadable' };
}

/** The verdict of a reply, or undefined when it has none in 0..1 (see {@link readVerdict}). */
export function parseVerdict(text: string): { score: number; reason: string } | undefined {
  const r = readVerdict(text);
  return r.kind === 'ok' ? r.verdict : undefined;
}
