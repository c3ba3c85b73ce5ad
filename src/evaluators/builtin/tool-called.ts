/**
 * `tool-called` / `not-tool-called`: the answer calls (or does not call) a tool, optionally with
 * arguments that include the given ones. Options: `tool` (name, required), `args` (a mapping
 * every key of which must match the call's argument: deep-equal ignoring key order, or a
 * matcher `{ $any }`, `{ $regex }`, `{ $number, tolerance }`; see arg-match.ts), `strictTypes`
 * (default false: "42" equals 42; true: types must agree).
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { compileArgs } from './arg-match.js';
import { readCommon } from './options.js';

export const toolCalled: EvaluatorFactory = (config, f, path) => build(config, f, path, false);
export const notToolCalled: EvaluatorFactory = (config, f, path) => build(config, f, path, true);

const build = (...[config, f, path, negate]: [...Parameters<EvaluatorFactory>, boolean]): ReturnType<EvaluatorFactory> => {
  const { name } = readCommon(config, f, path, ['tool', 'args', 'strictTypes']);
  const tool = f.string(config.tool, [...path, 'tool']);
  const strictTypes = f.optBoolean(config.strictTypes, [...path, 'strictTypes']) ?? false;
  const args = config.args === undefined || config.args === null ? undefined : compileArgs(config.args, f, [...path, 'args'], strictTypes);
  return {
    name,
    evaluate({ actual }) {
      const calls = (actual.toolCalls ?? []).filter((c) => c.name === tool);
      const matching = args ? calls.filter((c) => args(c.arguments)) : calls;
      const called = matching.length > 0;
      const pass = negate ? !called : called;
      const what = args ? `${tool}(${JSON.stringify(config.args)})` : tool;
      const reason = called ? `called ${what}` : calls.length ? `called ${tool} with other arguments: ${JSON.stringify(calls[0]?.arguments).slice(0, 120)}` : `did not call ${tool}`;
      return { name, score: pass ? 1 : 0, pass, reason };
    },
  };
};
