/**
 * Option readers shared by the built-in evaluators: every built-in accepts `name` (the label in
 * reports) and rejects options it does not know, so a typo in a config fails loudly.
 */
import type { Fields } from '../../config/fields.js';
import type { AssertionConfig } from '../../datasets/case.js';

export function readCommon(
  config: AssertionConfig,
  f: Fields,
  path: Array<string | number>,
  known: readonly string[],
): { name: string } {
  f.knownKeys(config, path, ['type', 'name', ...known]);
  return { name: f.optString(config.name, [...path, 'name']) ?? config.type };
}

/** `value` as one string or a list of strings. */
export function readStrings(v: unknown, f: Fields, path: Array<string | number>): string[] {
  if (typeof v === 'string') return [f.string(v, path)];
  const list = f.array(v, path);
  if (list.length === 0) f.fail(path, 'must not be empty', 'a string or a non-empty list of strings', v);
  return list.map((x, i) => f.string(x, [...path, i]));
}

/** The text an evaluator looks at: the output, or the tool calls' JSON when there is no text. */
export function outputText(actual: { output: string | null; toolCalls?: unknown[] }): string {
  if (actual.output !== null) return actual.output;
  return actual.toolCalls && actual.toolCalls.length > 0 ? JSON.stringify(actual.toolCalls) : '';
}
