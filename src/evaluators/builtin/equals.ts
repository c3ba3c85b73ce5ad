/**
 * `equals`: the output equals `value` (or the reference when `value` is absent), after trimming.
 * Options: `value`, `ignoreCase` (default false).
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon } from './options.js';

export const equals: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['value', 'ignoreCase']);
  const value = f.optString(config.value, [...path, 'value']);
  const ignoreCase = f.optBoolean(config.ignoreCase, [...path, 'ignoreCase']) ?? false;
  const norm = (s: string): string => (ignoreCase ? s.trim().toLowerCase() : s.trim());
  return {
    name,
    evaluate(ctx) {
      const { actual } = ctx;
      const want = value ?? ctx.reference;
      if (want === null) return { name, score: 0, pass: false, reason: 'no value to compare with' };
      const pass = norm(outputText(actual)) === norm(want);
      return { name, score: pass ? 1 : 0, pass, reason: pass ? 'equal' : `differs from ${JSON.stringify(want.slice(0, 60))}` };
    },
  };
};
