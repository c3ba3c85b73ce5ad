/**
 * `contains` / `not-contains`: the output includes (or avoids) one or more strings.
 * Options: `value` (string or list), `ignoreCase` (default false), `any` (contains: pass when
 * any value is found instead of all; default false).
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon, readStrings } from './options.js';

export const contains: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['value', 'ignoreCase', 'any']);
  const values = readStrings(config.value, f, [...path, 'value']);
  const ignoreCase = f.optBoolean(config.ignoreCase, [...path, 'ignoreCase']) ?? false;
  const any = f.optBoolean(config.any, [...path, 'any']) ?? false;
  return {
    name,
    evaluate({ actual }) {
      const text = norm(outputText(actual), ignoreCase);
      const found = values.filter((v) => text.includes(norm(v, ignoreCase)));
      const missing = values.filter((v) => !found.includes(v));
      const score = found.length / values.length;
      const pass = any ? found.length > 0 : missing.length === 0;
      const reason = pass
        ? `found ${found.map(q).join(', ')}`
        : `missing ${missing.map(q).join(', ')}${found.length ? `; found ${found.map(q).join(', ')}` : ''}`;
      return { name, score, pass, reason };
    },
  };
};

export const notContains: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['value', 'ignoreCase']);
  const values = readStrings(config.value, f, [...path, 'value']);
  const ignoreCase = f.optBoolean(config.ignoreCase, [...path, 'ignoreCase']) ?? false;
  return {
    name,
    evaluate({ actual }) {
      const text = norm(outputText(actual), ignoreCase);
      const found = values.filter((v) => text.includes(norm(v, ignoreCase)));
      const pass = found.length === 0;
      return {
        name,
        score: 1 - found.length / values.length,
        pass,
        reason: pass ? `none of ${values.map(q).join(', ')} present` : `found forbidden ${found.map(q).join(', ')}`,
      };
    },
  };
};

function norm(s: string, ignoreCase: boolean): string {
  return ignoreCase ? s.toLowerCase() : s;
}

function q(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 59)}…` : s);
}
