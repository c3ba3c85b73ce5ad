/**
 * `tool-sequence`: the answer's tool calls follow an expected sequence. Options: `tools` (list;
 * each a tool name or `{ tool, args }` with the argument matchers of arg-match.ts), `mode`:
 * `ordered` (default: exactly these calls in this order), `unordered` (exactly these calls, any
 * order), `subset` (these calls, any order, other calls allowed); `strictTypes` (default false).
 * Score: the share of expected calls matched.
 */
import type { ToolCall } from '../../traces/model.js';
import type { EvaluatorFactory } from '../evaluator.js';
import { compileArgs, type Matcher } from './arg-match.js';
import { readCommon } from './options.js';

const MODES = ['ordered', 'unordered', 'subset'] as const;

interface Expected {
  tool: string;
  args?: Matcher;
  label: string;
}

export const toolSequence: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['tools', 'mode', 'strictTypes']);
  const mode = config.mode === undefined ? 'ordered' : f.oneOf(config.mode, [...path, 'mode'], MODES);
  const strictTypes = f.optBoolean(config.strictTypes, [...path, 'strictTypes']) ?? false;
  const list = f.array(config.tools, [...path, 'tools']);
  if (list.length === 0) f.fail([...path, 'tools'], 'must not be empty', 'a non-empty list of tool names or { tool, args }', list);
  const expected: Expected[] = list.map((e, i) => {
    const at = [...path, 'tools', i];
    if (typeof e === 'string') return { tool: f.string(e, at), label: e };
    const o = f.object(e, at);
    f.knownKeys(o, at, ['tool', 'args']);
    const tool = f.string(o.tool, [...at, 'tool']);
    if (o.args === undefined || o.args === null) return { tool, label: tool };
    return { tool, args: compileArgs(o.args, f, [...at, 'args'], strictTypes), label: `${tool}(${JSON.stringify(o.args)})` };
  });
  return {
    name,
    evaluate({ actual }) {
      const calls = actual.toolCalls ?? [];
      const got = calls.map((c) => c.name).join(' → ') || 'no tool calls';
      const want = expected.map((e) => e.label).join(' → ');
      const matched = mode === 'ordered' ? orderedMatches(expected, calls) : bipartiteMatches(expected, calls);
      const sizeOk = mode === 'subset' || calls.length === expected.length;
      const pass = matched === expected.length && sizeOk;
      const score = Math.round((matched / Math.max(expected.length, mode === 'subset' ? 0 : calls.length, 1)) * 1000) / 1000;
      const reason = pass ? `${mode} match: ${got}` : `expected (${mode}) ${want}; got ${got}`;
      return { name, score, pass, reason };
    },
  };
};

const fits = (e: Expected, c: ToolCall): boolean => c.name === e.tool && (e.args === undefined || e.args(c.arguments));

/** Positions where the i-th call fits the i-th expected entry. */
function orderedMatches(expected: Expected[], calls: ToolCall[]): number {
  return expected.filter((e, i) => calls[i] !== undefined && fits(e, calls[i])).length;
}

/** Largest one-to-one assignment of expected entries to calls (augmenting paths). */
function bipartiteMatches(expected: Expected[], calls: ToolCall[]): number {
  const owner = new Array<number>(calls.length).fill(-1);
  const assign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < calls.length; j++) {
      if (seen[j] || !fits(expected[i]!, calls[j]!)) continue;
      seen[j] = true;
      if (owner[j] === -1 || assign(owner[j]!, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  let n = 0;
  for (let i = 0; i < expected.length; i++) if (assign(i, new Array<boolean>(calls.length).fill(false))) n++;
  return n;
}
