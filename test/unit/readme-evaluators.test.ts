/** Every built-in evaluator has an example entry in the README's config reference, and nothing there names one that does not exist. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinEvaluators } from '../../src/evaluators/registry.js';

const README = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const reference = README.slice(README.indexOf('## Config reference'), README.indexOf('## Writing an evaluator'));

describe('README evaluator examples', () => {
  it('shows a `- type: <name>` entry for every built-in (aliases may be named in a comment)', () => {
    const entries = new Set([...reference.matchAll(/^\s+- type: ([a-z-]+)/gm)].map((m) => m[1]!));
    const aliases: Record<string, string> = { faithfulness: 'grounded' };
    const missing = Object.keys(builtinEvaluators).filter((t) => !entries.has(t) && !(aliases[t] && entries.has(aliases[t]) && reference.includes(`alias ${t}`)));
    expect(missing).toEqual([]);
  });
});
