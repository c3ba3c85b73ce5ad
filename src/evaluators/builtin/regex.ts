/**
 * `regex`: the output matches a JavaScript regular expression.
 * Options: `pattern` (required), `flags` (e.g. `i`), `negate` (pass when it does NOT match; default false).
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon } from './options.js';

export const regex: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['pattern', 'flags', 'negate']);
  const pattern = f.string(config.pattern, [...path, 'pattern']);
  const flags = f.optString(config.flags, [...path, 'flags']) ?? '';
  const negate = f.optBoolean(config.negate, [...path, 'negate']) ?? false;
  let re: RegExp;
  try {
    re = new RegExp(pattern, flags.replace('g', ''));
  } catch (err) {
    f.fail([...path, 'pattern'], `is not a valid regular expression (${(err as Error).message})`, 'a JavaScript regular expression', pattern);
  }
  return {
    name,
    evaluate({ actual }) {
      const m = re.exec(outputText(actual));
      const pass = negate ? m === null : m !== null;
      const reason = m ? `matched ${JSON.stringify(m[0].slice(0, 80))}` : `no match for /${pattern}/${flags}`;
      return { name, score: pass ? 1 : 0, pass, reason: negate && m ? `forbidden pattern ${reason}` : reason };
    },
  };
};
