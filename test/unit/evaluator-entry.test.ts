/**
 * `@evals-dev/evals/evaluator` is the light entry for evaluator authors: importing it (through
 * the package's own exports map, as a user's evaluator does) loads no provider SDK. A resolve
 * hook in a child process lists every module the import pulls in; the main entry, which loads
 * other packages (and the SDKs only on a provider's first call), shows the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { modulesLoadedBy } from '../support/modules-loaded.js';


const sdk = (urls: string[]) => urls.filter((u) => /node_modules\/(openai|@anthropic-ai\/sdk)\//.test(u));

describe('the light evaluator entry', () => {
  it('@evals-dev/evals/evaluator gives defineEvaluator without loading openai or @anthropic-ai/sdk', () => {
    const urls = modulesLoadedBy('@evals-dev/evals/evaluator', 'defineEvaluator');
    expect(urls.some((u) => u.endsWith('/dist/evaluator.js'))).toBe(true);
    expect(sdk(urls)).toEqual([]);
    expect(urls.filter((u) => u.includes('/node_modules/'))).toEqual([]);
  });

  it('the main entry loads other packages (so the check can fail), but no SDK before a provider call', () => {
    const urls = modulesLoadedBy('@evals-dev/evals', 'defineEvaluator');
    expect(urls.filter((u) => u.includes('/node_modules/')).length).toBeGreaterThan(0);
    // Each provider imports its SDK on its first call (src/providers/sdk-call.ts, lazyClient).
    expect(sdk(urls)).toEqual([]);
  });
});
