/**
 * Budgets: `max-latency` (`ms`), `max-tokens` (`output`, `total`), `max-cost` (`usd`).
 * Cache hits have no latency figure and pass `max-latency` (they say so in the reason).
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { readCommon } from './options.js';

export const maxLatency: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['ms']);
  const ms = f.number(config.ms, [...path, 'ms'], { min: 0 });
  return {
    name,
    evaluate({ actual }) {
      if (actual.latencyMs === undefined || actual.latencyMs === 0) return { name, score: 1, pass: true, reason: 'no latency measured (cache hit)' };
      const pass = actual.latencyMs <= ms;
      return { name, score: pass ? 1 : Math.max(0, ms / actual.latencyMs), pass, reason: `${Math.round(actual.latencyMs)} ms (budget ${ms} ms)` };
    },
  };
};

export const maxTokens: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['output', 'total']);
  const output = f.optNumber(config.output, [...path, 'output'], { min: 0, integer: true });
  const total = f.optNumber(config.total, [...path, 'total'], { min: 0, integer: true });
  if (output === undefined && total === undefined) f.fail([...path, 'output'], 'needs a limit', '`output` and/or `total` token limits', undefined);
  return {
    name,
    evaluate({ actual }) {
      const u = actual.usage ?? {};
      const out = u.outputTokens ?? 0;
      const tot = u.totalTokens ?? (u.inputTokens ?? 0) + out;
      const over = [output !== undefined && out > output ? `output ${out} > ${output}` : '', total !== undefined && tot > total ? `total ${tot} > ${total}` : ''].filter(Boolean);
      return { name, score: over.length ? 0 : 1, pass: over.length === 0, reason: over.length ? over.join('; ') : `output ${out}, total ${tot} tokens` };
    },
  };
};

export const maxCost: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['usd']);
  const usd = f.number(config.usd, [...path, 'usd'], { min: 0 });
  return {
    name,
    evaluate({ actual }) {
      if (actual.costUsd === undefined) return { name, score: 1, pass: true, reason: 'no cost known for this model' };
      const pass = actual.costUsd <= usd;
      return { name, score: pass ? 1 : 0, pass, reason: `$${actual.costUsd.toFixed(6)} (budget $${usd})` };
    },
  };
};
