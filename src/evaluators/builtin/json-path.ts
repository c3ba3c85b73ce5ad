/**
 * `json-path`: a value inside the output's JSON (fences accepted, as `json-valid`) exists, equals
 * or matches. Options: `path` (required; dotted and bracket steps: `answer`, `$.refund.days`,
 * `items[0].id`, `["key with spaces"]`), `value` (plain JSON compared deep-equal ignoring key
 * order, or a matcher `{ $regex }`, `{ $number, tolerance }`, `{ $any }`; absent: the path must
 * exist), `strictTypes` (default false: "42" equals 42), `allowFence` (default true).
 */
import type { Json } from '../../traces/model.js';
import type { EvaluatorFactory } from '../evaluator.js';
import { compileMatcher } from './arg-match.js';
import { readJson } from './json-extract.js';
import { readCommon } from './options.js';

export const jsonPath: EvaluatorFactory = (config, f, at) => {
  const { name } = readCommon(config, f, at, ['path', 'value', 'strictTypes', 'allowFence']);
  const expr = f.string(config.path, [...at, 'path']);
  const steps = parsePath(expr) ?? f.fail([...at, 'path'], 'is not a valid path', 'dotted or bracket steps such as $.items[0].id or answer', expr);
  const strictTypes = f.optBoolean(config.strictTypes, [...at, 'strictTypes']) ?? false;
  const allowFence = f.optBoolean(config.allowFence, [...at, 'allowFence']) ?? true;
  const match = config.value === undefined ? undefined : compileMatcher(config.value, f, [...at, 'value'], strictTypes);
  return {
    name,
    evaluate({ actual }) {
      const read = readJson(actual.output ?? '', allowFence);
      if (!read.ok) return { name, score: 0, pass: false, reason: `not valid JSON: ${read.error}` };
      const found = lookup(read.value, steps);
      if (found === undefined) return { name, score: 0, pass: false, reason: `${expr} not found` };
      const shown = JSON.stringify(found).slice(0, 80);
      if (!match) return { name, score: 1, pass: true, reason: `${expr} = ${shown}` };
      const pass = match(found);
      return { name, score: pass ? 1 : 0, pass, reason: pass ? `${expr} = ${shown}` : `${expr} = ${shown}, expected ${JSON.stringify(config.value)}` };
    },
  };
};

/** Splits a path into keys and indices; undefined when it does not parse. */
export function parsePath(expr: string): Array<string | number> | undefined {
  const steps: Array<string | number> = [];
  let s = expr.trim().replace(/^\$/, '');
  if (s === '') return steps;
  const STEP = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\])/;
  while (s.length > 0) {
    const m = STEP.exec(s);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1'));
    s = s.slice(m[0].length);
  }
  return steps;
}

function lookup(v: Json, steps: Array<string | number>): Json | undefined {
  let cur: Json | undefined = v;
  for (const step of steps) {
    if (typeof step === 'number') cur = Array.isArray(cur) ? cur[step] : undefined;
    else cur = cur !== null && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, step) ? cur[step] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}
