/**
 * `tool-called` / `not-tool-called`: the answer calls (or does not call) a tool, optionally with
 * arguments that include the given ones. Options: `tool` (name, required), `args` (a mapping
 * every key of which must equal the call's argument).
 */
import type { Json } from '../../traces/model.js';
import type { EvaluatorFactory } from '../evaluator.js';
import { readCommon } from './options.js';

export const toolCalled: EvaluatorFactory = (config, f, path) => build(config, f, path, false);
export const notToolCalled: EvaluatorFactory = (config, f, path) => build(config, f, path, true);

const build = (...[config, f, path, negate]: [...Parameters<EvaluatorFactory>, boolean]): ReturnType<EvaluatorFactory> => {
  const { name } = readCommon(config, f, path, ['tool', 'args']);
  const tool = f.string(config.tool, [...path, 'tool']);
  const args = f.optObject(config.args, [...path, 'args']) as Record<string, Json> | undefined;
  return {
    name,
    evaluate({ actual }) {
      const calls = (actual.toolCalls ?? []).filter((c) => c.name === tool);
      const matching = args ? calls.filter((c) => includesArgs(c.arguments, args)) : calls;
      const called = matching.length > 0;
      const pass = negate ? !called : called;
      const what = args ? `${tool}(${JSON.stringify(args)})` : tool;
      const reason = called ? `called ${what}` : calls.length ? `called ${tool} with other arguments` : `did not call ${tool}`;
      return { name, score: pass ? 1 : 0, pass, reason };
    },
  };
};

function includesArgs(actual: Json, want: Record<string, Json>): boolean {
  let obj: Json = actual;
  if (typeof obj === 'string') {
    try {
      obj = JSON.parse(obj) as Json;
    } catch {
      return false;
    }
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return false;
  const o = obj;
  return Object.entries(want).every(([k, v]) => JSON.stringify(o[k]) === JSON.stringify(v));
}
