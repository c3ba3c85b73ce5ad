/**
 * `numbers-match`: the figures the output states (numbers, ranges, currencies, percentages,
 * durations, dates; see quantities.ts) equal the reference's — `expected.output`, else the
 * recorded output, or `value`. "90 days" vs "5-7 business days" fails; "5 to 7 business days"
 * vs "5-7 business days" passes. Options: `mode` (`equal`, default: the same set of figures;
 * `contains`: every reference figure present, others allowed), `value`.
 * Score: shared figures / all figures (`contains`: / the reference's); 1 when neither has any.
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon } from './options.js';
import { extractQuantities } from './quantities.js';

export const numbersMatch: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['mode', 'value']);
  const mode = config.mode === undefined ? 'equal' : f.oneOf(config.mode, [...path, 'mode'], ['equal', 'contains'] as const);
  const fixed = f.optString(config.value, [...path, 'value']);
  return {
    name,
    evaluate(ctx) {
      // Read the reference only when no fixed value is set (reading it makes this reference-based).
      const ref = fixed ?? ctx.reference;
      if (ref === null) return { name, score: 0, pass: false, reason: 'no reference: the case has no expected or recorded output' };
      const want = extractQuantities(ref);
      const got = extractQuantities(outputText(ctx.actual));
      const missing = want.filter((q) => !got.includes(q));
      const extra = mode === 'equal' ? got.filter((q) => !want.includes(q)) : [];
      const shared = want.length - missing.length;
      const denom = mode === 'equal' ? want.length + extra.length : want.length;
      const score = denom === 0 ? 1 : Math.round((shared / denom) * 1000) / 1000;
      const pass = missing.length === 0 && extra.length === 0;
      const list = (qs: string[]): string => qs.map((q) => JSON.stringify(q)).join(', ');
      const reason = pass
        ? want.length === 0 && got.length === 0
          ? 'no figures in either text'
          : `figures match: ${list(want.length ? want : got)}`
        : [missing.length ? `missing ${list(missing)}` : '', extra.length ? `states ${list(extra)} not in the reference` : ''].filter(Boolean).join('; ');
      return { name, score, pass, reason };
    },
  };
};
