/**
 * `similarity`: Dice-coefficient similarity (string-similarity) between the output and the
 * reference: the case's `expected.output` when a person set one, else the recorded production
 * output. Options: `threshold` (0..1, default 0.7), `value` (compare against this text instead).
 */
import stringSimilarity from 'string-similarity';
import type { EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon } from './options.js';

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
      const text = outputText(actual);
      const score = round(stringSimilarity.compareTwoStrings(normalize(text), normalize(ref)));
      const against = fixed !== undefined ? 'the configured value' : c.expected?.output !== undefined ? 'expected output' : 'recorded output';
      const pass = score >= threshold;
      return { name, score, pass, reason: `similarity ${score.toFixed(2)} to ${against} (threshold ${threshold})` };
    },
  };
};

function normalize(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
