/**
 * Checks a parsed config against the schema (schema.ts) and fills defaults. The first problem
 * becomes a ConfigError naming the file, line and dotted field (through `Fields`, which knows
 * the YAML line of every field), what was expected and what was found; an unknown key also
 * names the nearest known one. Evaluator options are checked later by the evaluator registry,
 * which receives the same `Fields` so its errors point at the same file and line.
 */
import * as v from 'valibot';
import type { Fields } from './fields.js';
import { EvalsConfigSchema, type EvalsConfig } from './schema.js';

type Issue = v.BaseIssue<unknown>;

export function validateConfig(raw: unknown, f: Fields): EvalsConfig {
  const result = v.safeParse(EvalsConfigSchema, raw ?? {});
  if (result.success) return result.output;
  const { issue, path } = innermost(result.issues[0], keysOf(result.issues[0]));
  const { problem, expected, hint } = readMessage(issue);
  const unknownKey = issue.type === 'strict_object' && issue.expected === 'never';
  f.fail(path, problem, expected, unknownKey ? issue.input : valueAt(raw, path), hint);
}

/**
 * A union's own issue says only "none of the options"; when one option is a mapping that the
 * value is (`feedback: { belw: 1 }`), the problem inside that mapping is the useful one.
 */
function innermost(issue: Issue, path: Array<string | number>): { issue: Issue; path: Array<string | number> } {
  if (issue.type !== 'union' || !issue.issues) return { issue, path };
  const nested = issue.issues.find((sub) => (sub.path?.length ?? 0) > 0);
  return nested ? innermost(nested, [...path, ...keysOf(nested)]) : { issue, path };
}

function keysOf(issue: Issue): Array<string | number> {
  return (issue.path ?? []).map((item) => item.key as string | number);
}

/** Splits a schema-kit message (`problem\nexpected: …\nhint: …`); library messages pass through. */
function readMessage(issue: Issue): { problem: string; expected: string; hint?: string } {
  const [problem = issue.message, ...rest] = issue.message.split('\n');
  const field = (name: string): string | undefined => rest.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
  const hint = field('hint');
  return { problem, expected: field('expected') ?? issue.expected ?? 'a valid value', ...(hint ? { hint } : {}) };
}

function valueAt(raw: unknown, path: Array<string | number>): unknown {
  let at = raw;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}
