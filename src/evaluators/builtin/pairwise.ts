/**
 * `pairwise`: is the candidate's answer at least as good as production's? A judge sees the
 * request, the rubric and both answers as "A" and "B" and names the better one; it is asked
 * twice, with the answers in both orders, so position bias cannot decide: when the two replies
 * disagree the result is a tie. Score: 1 candidate better, 0.5 tie, 0 production better; passes
 * unless production wins (`allowTie: false`: only a win passes). The candidate's output equal to
 * production's is a tie without a call. Options: `rubric` (required), `model`, `provider`
 * and `temperature` (default: the suite's `judge:`), `allowTie` (default true).
 * The reply must be JSON `{"winner": "A" | "B" | "tie", "reason": "…"}`; anything else leaves the
 * score unscored, as does a case with no recorded answer.
 */
import type { Json } from '../../traces/model.js';
import type { EvaluatorFactory } from '../evaluator.js';
import { judgeParams, readJudgeTemperature } from './judge.js';
import { outputText, readCommon } from './options.js';

const SYSTEM = [
  'You compare two answers of an AI assistant to the same request, against a rubric.',
  'Reply with JSON only: {"winner": "A" | "B" | "tie", "reason": "<one sentence>"}.',
].join(' ');

type Outcome = 'win' | 'tie' | 'loss';
const SCORE: Record<Outcome, number> = { win: 1, tie: 0.5, loss: 0 };

export const pairwise: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['rubric', 'model', 'provider', 'allowTie', 'temperature']);
  const temperature = readJudgeTemperature(config, f, path);
  const rubric = f.string(config.rubric, [...path, 'rubric']);
  const model = f.optString(config.model, [...path, 'model']) ?? 'gpt-4o-mini';
  const provider = f.optString(config.provider, [...path, 'provider']);
  const allowTie = f.optBoolean(config.allowTie, [...path, 'allowTie']) ?? true;
  return {
    name,
    async evaluate({ case: c, actual, provider: providers }) {
      const baseline = c.recorded.outputMissing === undefined ? c.recorded.output : null;
      if (baseline === null) throw new Error('pairwise needs production\'s recorded answer, and this case has none');
      const candidate = outputText(actual);
      const done = (o: Outcome, reason: string) => ({ name, score: SCORE[o], pass: o === 'win' || (allowTie && o === 'tie'), reason });
      if (candidate.trim() === baseline.trim()) return done('tie', 'tie: the same answer as production');
      if (!providers) throw new Error('pairwise needs a provider (only available inside a run)');
      const question = c.input.query ?? [...c.input.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
      const ask = async (a: string, b: string) => {
        const user = [`Rubric:\n${rubric}`, `User request:\n${question}`, `Answer A:\n${a || '(empty)'}`, `Answer B:\n${b || '(empty)'}`].join('\n\n');
        const res = await providers(provider).complete({
          model,
          messages: [
            { role: 'system', content: SYSTEM },
            { role: 'user', content: user },
          ],
          params: judgeParams(temperature),
        });
        return parseWinner(res.content ?? '');
      };
      const first = await ask(candidate, baseline);
      const second = await ask(baseline, candidate);
      const o1: Outcome = first.winner === 'tie' ? 'tie' : first.winner === 'A' ? 'win' : 'loss';
      const o2: Outcome = second.winner === 'tie' ? 'tie' : second.winner === 'B' ? 'win' : 'loss';
      if (o1 !== o2) return done('tie', `tie: the judge disagreed with itself across orders (${o1} then ${o2} for the candidate): ${first.reason}`);
      const word = o1 === 'win' ? 'better than production' : o1 === 'loss' ? 'worse than production' : 'tie with production';
      return done(o1, `${word} in both orders: ${first.reason}`);
    },
  };
};

/** Reads `{winner, reason}`; throws (unscored) on anything else. */
export function parseWinner(text: string): { winner: 'A' | 'B' | 'tie'; reason: string } {
  const m = /\{[^{}]*\}/.exec(text);
  let v: Json = null;
  try {
    v = m ? (JSON.parse(m[0]) as Json) : null;
  } catch {
    v = null;
  }
  const w = v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.winner === 'string' ? v.winner.trim() : '';
  const winner = w.toUpperCase() === 'A' ? 'A' : w.toUpperCase() === 'B' ? 'B' : w.toLowerCase() === 'tie' ? 'tie' : undefined;
  if (!winner) throw new Error(`pairwise judge reply was not {"winner": "A" | "B" | "tie"} JSON: ${JSON.stringify(text.slice(0, 120))}`);
  const reason = v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.reason === 'string' ? v.reason : '';
  return { winner, reason };
}
