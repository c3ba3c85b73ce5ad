/**
 * `json-valid`: the output is JSON (a fenced block is accepted: ```` ```json ````, ```` ```JSON ````,
 * `~~~`, one-line fences, prose before or after; see json-extract.ts), optionally an object with
 * the `required` keys. Options: `required` (list of top-level keys), `allowFence` (default true).
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { readJson } from './json-extract.js';
import { readCommon } from './options.js';

export const jsonValid: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['required', 'allowFence']);
  const required = (f.optArray(config.required, [...path, 'required']) ?? []).map((k, i) => f.string(k, [...path, 'required', i]));
  const allowFence = f.optBoolean(config.allowFence, [...path, 'allowFence']) ?? true;
  return {
    name,
    evaluate({ actual }) {
      const read = readJson(actual.output ?? '', allowFence);
      if (!read.ok) return { name, score: 0, pass: false, reason: `not valid JSON: ${read.error}` };
      const value = read.value;
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
