#!/usr/bin/env node
/**
 * The `evals` executable. `evals`, `--help`, `--version` and `<command> --help` print text
 * recorded from commander at build time (known-output.ts) without loading commander; every
 * other command line goes to run-main.ts (commander, the commands, exit codes 0 pass,
 * 1 regression, 2 usage or input error, 3 run error). Commands load their implementation only
 * when invoked, so `evals --help` stays fast. In dist/, `npm run build` bundles run-main.js and
 * everything it imports from this package into one file plus chunks that each command loads on
 * demand (esbuild, packages left external): a command starts by loading about ten files instead
 * of resolving some 150 modules.
 */
import { printKnownOutput } from './known-output.js';

const argv = process.argv.slice(2);
if (!printKnownOutput(argv)) await (await import('./run-main.js')).runMain(argv);
