/**
 * Per-step output problems: `truncated` (the model hit its token limit), `parser_fallback`
 * (the parser gave up), `empty_retrieval` and `low_relevance_retrieval`.
 */
import type { Diagnosis } from '../datasets/case.js';
import type { LlmStep, ParseStep, Trace } from '../traces/model.js';
import { stepsOf } from '../traces/model.js';
import { fallbackFlagIn } from '../traces/conventions/parse-signals.js';
import { clip, finding } from './diagnose-span.js';
import { lowAgainstPopulation, scoresOf, type RetrievalPopulation } from './retrieval-population.js';

/** Finish reasons meaning "stopped at the token limit" once lower-cased (OpenAI, Anthropic, Gemini, Responses API). */
const LIMIT_REASONS = new Set(['length', 'max_tokens', 'max_output_tokens', 'model_context_window_exceeded']);

/** Finish reasons meaning the model ended on its own; they outrank a coincidental token count. */
const NATURAL_REASONS = new Set(['stop', 'end_turn', 'stop_sequence', 'tool_calls', 'tool_call', 'tool_use', 'function_call', 'eos']);

/** truncated: a limit finish reason, or output tokens reaching the requested max tokens. */
export function diagnoseTruncation(trace: Trace): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const span of stepsOf(trace, 'llm')) {
    const reasons = finishReasons(span.step);
    const limit = reasons.find((r) => LIMIT_REASONS.has(r));
    const max = span.step.params.maxTokens;
    const used = span.step.usage?.outputTokens;
    if (limit !== undefined) {
      const tokens = used !== undefined && max !== undefined ? ` after ${used} of ${max} output tokens` : '';
      out.push(finding(span, 'truncated', `The model stopped at its token limit (finish reason "${span.step.finishReason ?? limit}")${tokens}, so the answer is cut off.`));
    } else if (max !== undefined && max > 0 && used !== undefined && used >= max && !reasons.some((r) => NATURAL_REASONS.has(r))) {
      out.push(finding(span, 'truncated', `The model used ${used} output tokens, the full max_tokens of ${max}, so the answer is probably cut off.`));
    }
  }
  return out;
}

/**
 * The parser said it fell back, or it failed yet still returned something. Shared with the
 * `inspect` tree, so the tree line and the diagnosis never disagree.
 */
export function parserFellBack(step: ParseStep): boolean {
  return step.fallback || (step.error !== undefined && step.output !== undefined && step.output !== null);
}

/**
 * parser_fallback: a parse step that fell back (`parserFellBack`); without one, a chain step
 * (root, workflow, task) whose output JSON carries a `parse_fallback: true`-style flag.
 */
export function diagnoseParserFallback(trace: Trace): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const span of stepsOf(trace, 'parse')) {
    const { error, output } = span.step;
    const hasOutput = output !== undefined && output !== null;
    if (!parserFellBack(span.step)) continue;
    const why = error !== undefined ? ` after "${clip(error.message, 100)}"` : '';
    const used = hasOutput ? `: it returned ${clip(JSON.stringify(output), 80)}` : '';
    out.push(finding(span, 'parser_fallback', `The parser could not read the model output and fell back to a default${why}${used}.`));
  }
  if (out.length > 0) return out;
  for (const span of stepsOf(trace, 'chain')) {
    if (fallbackFlagIn(span.step.output ?? null, false) !== true) continue;
    out.push(finding(span, 'parser_fallback', `The step's output says the parser fell back (${clip(JSON.stringify(span.step.output), 80)}).`));
    break;
  }
  return out;
}

/**
 * empty_retrieval and low_relevance_retrieval, one per retrieval step at most. Relevance is
 * judged against `minScore` when the config sets one, else against the population of other
 * retrievals from the same store (retrieval-population.ts); with neither, it is not judged.
 */
export function diagnoseRetrieval(trace: Trace, minScore: number | undefined, population?: RetrievalPopulation): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const span of stepsOf(trace, 'retrieval')) {
    const { documents, query, error } = span.step;
    const asked = query !== undefined ? ` for "${clip(query, 60)}"` : '';
    if (documents.length === 0) {
      const failed = error !== undefined ? ` (the retrieval failed: ${clip(error.message, 100)})` : '';
      out.push(finding(span, 'empty_retrieval', `Retrieval${asked} returned no documents${failed}.`));
      continue;
    }
    const scores = scoresOf(span.step);
    if (scores.length === 0) continue; // no scores, no judgement
    const best = Math.max(...scores);
    if (minScore !== undefined) {
      if (best < minScore) {
        out.push(finding(span, 'low_relevance_retrieval', `Every retrieved document${asked} scored below ${minScore} (snapshot.diagnose.retrieval.minScore); the best score was ${round(best)} across ${scores.length} scored document(s).`));
      }
    } else if (population !== undefined) {
      const why = lowAgainstPopulation(population, span, span.step);
      if (why !== undefined) out.push(finding(span, 'low_relevance_retrieval', `Retrieval${asked} found little of relevance: ${why}.`));
    }
  }
  return out;
}

/** Finish reasons as lower-case tokens; sources sometimes join several choices' reasons. */
function finishReasons(step: LlmStep): string[] {
  if (step.finishReason === undefined) return [];
  return step.finishReason
    .toLowerCase()
    .split(/[\s,;|]+/)
    .map((r) => r.replace(/^finish_reason_|^stop_reason_/, ''))
    .filter((r) => r !== '');
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
