/**
 * Vitest global setup of the example-suite project (test/example-suite/suite.eval.ts): starts the local fake
 * provider with the refund bot's rules on a free port of 127.0.0.1 and hands its URL to the
 * tests (`inject('fakeProviderUrl')`); closes it when the run ends. In watch mode it stays up
 * across re-runs and closes on exit.
 */
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadRules, startFakeProvider } from '../../src/fake-provider/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    fakeProviderUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = path.resolve(import.meta.dirname, '../..');
  const fake = await startFakeProvider({ rules: await loadRules(path.join(root, 'examples/refund-bot/rules.json')) });
  project.provide('fakeProviderUrl', fake.url);
  return () => fake.close();
}
