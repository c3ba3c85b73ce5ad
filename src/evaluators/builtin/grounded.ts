/**
 * `grounded` (alias `faithfulness`): the answer's claims are supported by the context the
 * pipeline retrieved. Two stages:
 * 1. a cheap lexical pre-check, always: the share of the answer's content words (three letters
 *    or more, stop words left out, plural `s` ignored) and numbers that occur in the context.
 *    A number the context never states fails the check on its own (`strictNumbers`, default true).
 * 2. with `judge: true`, and only when the pre-check passed, a judge (the `judge` evaluator's call
 *    path: cached, fixed temperature and seed) grades faithfulness with a fixed rubric; its score
 *    is the evaluator's.
 * Context: the documents of the retrieval steps (the candidate's own when it re-ran retrieval,
 * else the case's), tool results, and the request's messages (RAG prompts inline documents).
 * Options: `threshold` (pre-check minimum share, default 0.6), `strictNumbers`, `judge`,
 * `judgeThreshold` (default 0.5), `model`, `provider`, `temperature` (default: the suite's `judge:`).
 */
import type { Case, CaseStep } from '../../datasets/case.js';
import type { EvaluatedOutput, EvaluatorFactory } from '../evaluator.js';
import { askJudge, readJudgeTemperature } from './judge.js';
import { outputText, readCommon } from './options.js';

const STOP = new Set(
  'the and for are but not you your yours with this that these those from have has had was were will would can could should shall may might must our ours their theirs them they its it\'s his her hers him she what which who whom when where why how all any each few more most other some such only own same than too very just also into onto over under about above below again then once here there been being does did doing done out off per via yes get got let please thank thanks sure hello dear regards'.split(' '),
);
const RUBRIC =
  'Faithfulness. Score 1 when every factual claim in the answer (figures, dates, names, conditions, promises) is supported by the context; 0 when any claim contradicts the context or appears nowhere in it; in between for partly supported answers. Wording and politeness do not matter.';
const MAX_CONTEXT = 12_000;

export const grounded: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['threshold', 'strictNumbers', 'judge', 'judgeThreshold', 'model', 'provider', 'temperature']);
  const temperature = readJudgeTemperature(config, f, path);
  const threshold = f.optNumber(config.threshold, [...path, 'threshold'], { min: 0, max: 1 }) ?? 0.6;
  const strictNumbers = f.optBoolean(config.strictNumbers, [...path, 'strictNumbers']) ?? true;
  const useJudge = f.optBoolean(config.judge, [...path, 'judge']) ?? false;
  const judgeThreshold = f.optNumber(config.judgeThreshold, [...path, 'judgeThreshold'], { min: 0, max: 1 }) ?? 0.5;
  const model = f.optString(config.model, [...path, 'model']) ?? 'gpt-4o-mini';
  const provider = f.optString(config.provider, [...path, 'provider']);
  return {
    name,
    async evaluate({ case: c, actual, provider: providers }) {
      const context = groundingContext(c, actual);
      if (context.trim() === '') return { name, score: 1, pass: true, reason: 'no retrieved context or tool results to ground against' };
      const answer = outputText(actual);
      const check = lexicalSupport(answer, context);
      const lexPass = check.share >= threshold && (!strictNumbers || check.missingNumbers.length === 0);
      const detail = `${Math.round(check.share * 100)}% of ${check.total} content words and numbers found in the context`;
      const missing = [...check.missingNumbers.map((n) => `number ${n}`), ...check.missingWords.slice(0, 5)];
      if (!lexPass || !useJudge) {
        const reason = `${detail} (threshold ${threshold})${missing.length ? `; not in the context: ${missing.join(', ')}` : ''}`;
        return { name, score: round(check.share), pass: lexPass, reason };
      }
      if (!providers) throw new Error('grounded with judge: true needs a provider (only available inside a run)');
      const user = [`Rubric:\n${RUBRIC}`, `Context:\n${context.slice(0, MAX_CONTEXT)}`, `Answer to grade:\n${answer || '(empty)'}`].join('\n\n');
      const verdict = await askJudge(providers, { provider, model, user, temperature });
      return { name, score: verdict.score, pass: verdict.score >= judgeThreshold, reason: `judge ${verdict.score.toFixed(2)}: ${verdict.reason} (pre-check: ${detail})` };
    },
  };
};

/** The text the answer may draw on (see the file comment). */
export function groundingContext(c: Case, actual: EvaluatedOutput): string {
  const own = (actual.steps ?? []).some((s) => s.step?.type === 'retrieval');
  const steps: CaseStep[] = own ? [...(actual.steps ?? []), ...c.context.steps.filter((s) => s.step?.type !== 'retrieval')] : c.context.steps;
  const parts: string[] = [];
  for (const s of steps) {
    if (s.step?.type === 'retrieval') for (const d of s.step.documents) parts.push(d.content ?? '');
    if (s.step?.type === 'tool' && s.step.result !== undefined) parts.push(typeof s.step.result === 'string' ? s.step.result : JSON.stringify(s.step.result));
  }
  for (const m of c.input.messages) if (m.content) parts.push(m.content);
  return parts.filter(Boolean).join('\n');
}

/** Share of the answer's content tokens present in the context, and what is missing. */
export function lexicalSupport(answer: string, context: string): { share: number; total: number; missingWords: string[]; missingNumbers: string[] } {
  const ctx = tokens(context);
  const words = new Set(ctx.words.map(stem));
  const numbers = new Set(ctx.numbers);
  const a = tokens(answer);
  const missingWords = [...new Set(a.words.filter((w) => !words.has(stem(w))))];
  const missingNumbers = [...new Set(a.numbers.filter((n) => !numbers.has(n)))];
  const total = new Set(a.words).size + new Set(a.numbers).size;
  const share = total === 0 ? 1 : 1 - (missingWords.length + missingNumbers.length) / total;
  return { share, total, missingWords, missingNumbers };
}

function tokens(text: string): { words: string[]; numbers: string[] } {
  const t = text.normalize('NFKC').toLowerCase();
  const words = (t.match(/\p{L}[\p{L}'’-]{2,}/gu) ?? []).map((w) => w.replace(/['’]s$/, '')).filter((w) => !STOP.has(w));
  const numbers = (t.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/,(?=\d{3}\b)/g, ''));
  return { words, numbers };
}

function stem(w: string): string {
  return w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
