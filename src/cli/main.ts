#!/usr/bin/env node
/**
 * The `evals` executable. `evals`, `--help`, `--version` and `<command> --help` print text
 * recorded from commander at build time (known-output.ts) without loading commander; every
 * other command line goes to run-main.ts (commander, the commands, exit codes 0 pass,
 * 1 regression, 2 usage or input error, 3 run error). Commands load their implementation only
 * when invoked, so `evals --help` stays fast. In dist/, `npm run build` bundles run-main.js and
 * everything it imports into one file plus chunks that each command loads on demand (esbuild):
 * a command starts by loading about thirty files instead of resolving some 200 modules. The
 * dependencies are bundled too (the `openai` SDK alone is some 130 modules, loaded before the
 * first request): that moved the first request of `evals run` about 90 ms closer to a bare
 * SDK script's. Left external: `tsx` (it loads the user's TypeScript), `vitest`, `esbuild`, and
 * the `@opentelemetry/*` packages of `--otlp` (CommonJS that esbuild's dynamic-import interop
 * does not reproduce); a `require` made with `createRequire` serves the bundled CommonJS.
 */
import { printKnownOutput } from './known-output.js';

const argv = process.argv.slice(2);
if (!printKnownOutput(argv)) await (await import('./run-main.js')).runMain(argv);
