/**
 * `@evals-dev/evals/vitest`: a suite's cases as Vitest tests. The only entry point that imports
 * `vitest` (an optional peer dependency); the main entry never does.
 */
export { describeSuite } from './describe-suite.js';
export type { DescribeSuiteOptions, EvalsTestMeta } from './describe-suite.js';
export { checkCase, diagnosisLines } from './verdict.js';
export type { CaseCheck, CaseCheckStatus, CheckOptions } from './verdict.js';
export { caseLinkFragment } from '../reporters/html/case-link.js';
