// The repository's own example suite (evals.config.yaml, datasets/, evaluators/) as Vitest
// tests: one per case × variant. `npm test` runs it (project "example-suite" in
// vitest.config.ts), against the local fake provider its global setup starts.
import { inject } from 'vitest';
import { describeSuite } from '@evals-dev/evals/vitest';

describeSuite({ env: { EVALS_OPENAI_BASE_URL: `${inject('fakeProviderUrl')}/v1` } });
