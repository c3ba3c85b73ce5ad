/**
 * `similarity`: Dice-coefficient similarity of character bigrams (string-similarity) between the
 * output and the reference: the case's `expected.output` when a person set one, else the
 * recorded production output. Options: `threshold` (0..1, default 0.7), `value` (compare
 * against this text instead).
 *
 * Text is normalised first — Unicode NFKC, lower case, runs of whitespace to one word
 * separator — and word boundaries are kept (string-similarity alone drops whitespace, so
 * "5-7business" scored 1.0 against "5-7 business"). Each side is cut to its first
 * {@link MAX_CHARS} characters, so a megabyte of output costs what 20 000 characters do.
 * An output with no text (null, no tool calls) scores 0, never 1 against an empty reference.
 * Limits: Dice counts shared bigrams, not meaning — a changed figure or a negation can still
 * score high; pair it with `numbers-match` or a `judge`.
 */
import stringSimilarity from 'string-similarity';
import type { EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon } from './options.js';

/** Characters of each text compared. */
export const MAX_CHARS = 20_000;
/** Stands for whitespace: string-similarity strips whitespace, this keeps word boundaries. */
const SEP = '\u2581';

export const similarity: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['threshold', 'value']);
  const threshold = f.optNumber(config.threshold, [...path, 'threshold'], { min: 0, max: 1 }) ?? 0.7;
  const fixed = f.optString(config.value, [...path, 'value']);
  return {
    name,
    evaluate(ctx) {
      const { actual, case: c } = ctx;
      // Read the reference only when no fixed value is set: reading it marks the evaluator as
      // reference-based (not applicable to production's own recorded output).
      const ref = fixed ?? ctx.reference;
      if (ref === null) return { name, score: 0, pass: false, reason: 'no reference: the case has no expected or recorded output' };
      const against = fixed !== undefined ? 'the configured value' : c.expected?.output !== undefined ? 'expected output' : 'recorded output';
      if (actual.output === null && !actual.toolCalls?.length) return { name, score: 0, pass: false, reason: `no output to compare with ${against}` };
      const score = round(diceSimilarity(outputText(actual), ref));
      const pass = score >= threshold;
      const cut = outputText(actual).length > MAX_CHARS || ref.length > MAX_CHARS ? ` (first ${MAX_CHARS} characters compared)` : '';
      return { name, score, pass, reason: `similarity ${score.toFixed(2)} to ${against} (threshold ${threshold})${cut}` };
    },
  };
};

/** Dice similarity of the normalised, bounded texts (1 only when they normalise equal). */
export function diceSimilarity(a: string, b: string): number {
  const x = normalize(a);
  const y = normalize(b);
  if (x === y) return 1;
  if (x === '' || y === '') return 0;
  return stringSimilarity.compareTwoStrings(x, y);
}

export function normalize(s: string): string {
  return s.slice(0, MAX_CHARS).normalize('NFKC').toLowerCase().trim().replace(/\s+/g, SEP);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
