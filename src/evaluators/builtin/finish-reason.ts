/**
 * `finish-reason`: the answer was not cut off. Fails when the finish reason says the token limit
 * was hit (`length`, `max_tokens`, `max_output_tokens`, `MAX_TOKENS`, `incomplete`). Options:
 * `allowed` (list: pass only for these finish reasons instead, e.g. `[stop, tool_calls]`).
 * An output with no recorded finish reason passes (nothing says it was truncated; the reason
 * says so).
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { readCommon } from './options.js';

const TRUNCATED = new Set(['length', 'max_tokens', 'max_output_tokens', 'model_length', 'incomplete']);

export const finishReason: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['allowed']);
  const allowed = f.optArray(config.allowed, [...path, 'allowed'])?.map((v, i) => f.string(v, [...path, 'allowed', i]).toLowerCase());
  if (allowed?.length === 0) f.fail([...path, 'allowed'], 'must not be empty', 'a non-empty list of finish reasons', []);
  return {
    name,
    evaluate({ actual }) {
      const raw = actual.finishReason;
      if (raw === undefined || raw === '') return { name, score: 1, pass: true, reason: 'no finish reason recorded' };
      const r = raw.toLowerCase();
      const pass = allowed ? allowed.includes(r) : !TRUNCATED.has(r);
      const reason = pass
        ? `finished with ${JSON.stringify(raw)}`
        : allowed
          ? `finished with ${JSON.stringify(raw)}, not one of ${allowed.join(', ')}`
          : `truncated: finished with ${JSON.stringify(raw)} (the token limit was hit)`;
      return { name, score: pass ? 1 : 0, pass, reason };
    },
  };
};
