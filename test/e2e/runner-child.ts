/**
 * Child process of the kill -9 test: runs a plan of `n` cases against the fake provider at
 * `url`, resuming whatever `runDir` already holds. Usage: tsx runner-child.ts <runDir> <url> <n>
 */
import { runSuite } from '../../src/runner/run.js';
import { makePlan } from './runner-fixtures.js';

const [runDir, url, n] = process.argv.slice(2);
if (!runDir || !url || !n) throw new Error('usage: runner-child.ts <runDir> <url> <n>');
const out = await runSuite(makePlan(runDir, url, Number(n), { resume: true, concurrency: 4 }), { handleSigint: true });
process.stdout.write(`${JSON.stringify(out.counts)}\n`);
