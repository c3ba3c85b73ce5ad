/**
 * RAG judges with fixed rubrics, through the shared {@link askJudge} path (same system prompt,
 * strict 0..1 verdict, one retry on an unreadable reply, then unscored):
 * - `answer-relevance`: does the answer address the user's question (not: is it correct)?
 * - `context-relevance`: are the retrieved documents relevant to the question? It grades the
 *   candidate's own retrieval when its pipeline re-ran one, else the case's recorded retrieval;
 *   a case with no retrieved document scores 1 ("nothing to grade"), without a call.
 * Options: `model`, `provider` and `temperature` (default: the suite's `judge:`),
 * `threshold` (0..1, default 0.5). Neither reads the reference, so both also grade
 * production's recorded answer.
 */
import type { CaseStep } from '../../datasets/case.js';
import type { EvaluatorFactory } from '../evaluator.js';
import { askJudge, readJudgeTemperature, userQuestion } from './judge.js';
import { outputText, readCommon } from './options.js';

export const ANSWER_RELEVANCE_RUBRIC =
  'Answer relevance. Score 1 when the answer directly addresses what the user asked; 0 when it is off-topic, evades the question or answers a different one; in between when it addresses only part of it. Do not judge whether the answer is correct, only whether it answers the question.';
export const CONTEXT_RELEVANCE_RUBRIC =
  'Context relevance. Score 1 when the retrieved documents contain what is needed to answer the user\'s question; 0 when none of them is about the question; in between for the share of relevant material. Grade the documents, not any answer.';
/** Characters of the documents shown to the judge. */
const MAX_CONTEXT = 12_000;

function readJudgeOptions(config: Parameters<EvaluatorFactory>[0], f: Parameters<EvaluatorFactory>[1], path: Parameters<EvaluatorFactory>[2]) {
  const { name } = readCommon(config, f, path, ['model', 'provider', 'threshold', 'temperature']);
  return {
    name,
    temperature: readJudgeTemperature(config, f, path),
    model: f.optString(config.model, [...path, 'model']) ?? 'gpt-4o-mini',
    provider: f.optString(config.provider, [...path, 'provider']),
    threshold: f.optNumber(config.threshold, [...path, 'threshold'], { min: 0, max: 1 }) ?? 0.5,
  };
}

export const answerRelevance: EvaluatorFactory = (config, f, path) => {
  const { name, model, provider, threshold, temperature } = readJudgeOptions(config, f, path);
  return {
    name,
    async evaluate({ case: c, actual, provider: providers }) {
      if (!providers) throw new Error('answer-relevance needs a provider (only available inside a run)');
      const user = [`Rubric:\n${ANSWER_RELEVANCE_RUBRIC}`, `User request:\n${userQuestion(c)}`, `Answer to grade:\n${outputText(actual) || '(empty)'}`].join('\n\n');
      const v = await askJudge(providers, { provider, model, user, temperature });
      return { name, score: v.score, pass: v.score >= threshold, reason: `answer relevance ${v.score.toFixed(2)}: ${v.reason}` };
    },
  };
};

export const contextRelevance: EvaluatorFactory = (config, f, path) => {
  const { name, model, provider, threshold, temperature } = readJudgeOptions(config, f, path);
  return {
    name,
    async evaluate({ case: c, actual, provider: providers }) {
      const own = (actual.steps ?? []).some((s) => s.step?.type === 'retrieval');
      const docs = retrievedDocuments(own ? (actual.steps ?? []) : c.context.steps);
      if (docs.length === 0) return { name, score: 1, pass: true, reason: 'no retrieved documents to grade' };
      if (!providers) throw new Error('context-relevance needs a provider (only available inside a run)');
      const shown = docs.map((d, i) => `[${i + 1}]${d.id ? ` (${d.id})` : ''} ${d.content}`).join('\n').slice(0, MAX_CONTEXT);
      const user = [`Rubric:\n${CONTEXT_RELEVANCE_RUBRIC}`, `User request:\n${userQuestion(c)}`, `Retrieved documents:\n${shown}`].join('\n\n');
      const v = await askJudge(providers, { provider, model, user, temperature });
      const whose = own ? 'the candidate\'s retrieval' : 'the recorded retrieval';
      return { name, score: v.score, pass: v.score >= threshold, reason: `context relevance ${v.score.toFixed(2)} of ${docs.length} document(s) from ${whose}: ${v.reason}` };
    },
  };
};

function retrievedDocuments(steps: CaseStep[]): Array<{ id?: string; content: string }> {
  const out: Array<{ id?: string; content: string }> = [];
  for (const s of steps) {
    if (s.step?.type !== 'retrieval') continue;
    for (const d of s.step.documents) out.push({ ...(d.id !== undefined ? { id: d.id } : {}), content: d.content ?? '' });
  }
  return out;
}
