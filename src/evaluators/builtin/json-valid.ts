/**
 * `json-valid`: the output is JSON (a fenced ```json block is accepted), optionally an object
 * with the `required` keys. Options: `required` (list of top-level keys), `allowFence` (default true).
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { readCommon } from './options.js';

export const jsonValid: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['required', 'allowFence']);
  const required = (f.optArray(config.required, [...path, 'required']) ?? []).map((k, i) => f.string(k, [...path, 'required', i]));
  const allowFence = f.optBoolean(config.allowFence, [...path, 'allowFence']) ?? true;
  return {
    name,
    evaluate({ actual }) {
      const text = (actual.output ?? '').trim();
      const body = allowFence ? stripFence(text) : text;
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch (err) {
        return { name, score: 0, pass: false, reason: `not valid JSON: ${(err as Error).message}` };
      }
      if (required.length === 0) return { name, score: 1, pass: true, reason: 'valid JSON' };
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return { name, score: 0, pass: false, reason: `valid JSON but not an object (required keys ${required.join(', ')})` };
      }
      const missing = required.filter((k) => !(k in (value as object)));
      const pass = missing.length === 0;
      return {
        name,
        score: (required.length - missing.length) / required.length,
        pass,
        reason: pass ? `valid JSON with ${required.join(', ')}` : `valid JSON but missing ${missing.join(', ')}`,
      };
    },
  };
};

function stripFence(text: string): string {
  const m = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(text);
  return m ? m[1]! : text;
}
