import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          globalSetup: ['test/support/build.ts'],
        },
      },
      {
        // The example suite through the Vitest integration (test/example-suite/suite.eval.ts), as a user runs it;
        // the package's own name resolves to the source, so no build is needed.
        resolve: { alias: { '@evals-dev/evals/vitest': path.resolve(import.meta.dirname, 'src/vitest/index.ts') } },
        test: {
          name: 'example-suite',
          include: ['test/example-suite/*.eval.ts'],
          pool: 'forks',
          globalSetup: ['test/support/fake-provider-setup.ts'],
        },
      },
    ],
  },
});
