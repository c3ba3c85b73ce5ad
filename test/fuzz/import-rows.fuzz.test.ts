/**
 * Fuzzed `datasets import` rows (JSONL and CSV): hand-written cases mutated as JSON and as
 * text, parsed as the import does. Bad rows are exit 2 naming the file and the line.
 */
import { describe, it } from 'vitest';
import { parseImport } from '../../src/datasets/exchange/import-cases.js';
import { expectClean, guarded, mutateJson, mutateText, rng } from './fuzz-harness.js';

const ROWS = [
  { input: 'Where is my refund for order 1042?', expected: 'Refunds take 5-7 business days.', tags: ['refund'], incident: 'INC-1' },
  { input: { messages: [{ role: 'user', content: 'hi' }] }, assertions: [{ type: 'contains', value: 'refund' }], note: 'n' },
  { input: 'Cancel my order', variables: { order: '1042' }, assertions: '[{"type":"regex","pattern":"\\\\d+"}]' },
];
const CSV = 'input,expected,tags,assertions,incident,note,order\n"Where is my refund?","5-7 business days","a;b","[{""type"":""contains"",""value"":""x""}]",INC-2,"a note",1042\n';
const CASES = 200;

describe('fuzz: import rows', () => {
  it(`${CASES} mutated JSONL and CSV imports end in exit 0 or a located exit 2`, async () => {
    const rnd = rng(42);
    for (let i = 0; i < CASES; i++) {
      const csv = i % 4 === 3;
      const file = csv ? 'rows.csv' : 'rows.jsonl';
      let text: string;
      if (csv) text = mutateText(mutateText(CSV, rnd), rnd);
      else if (i % 4 === 0) text = ROWS.map((r) => JSON.stringify(r)).map((l) => mutateText(l, rnd)).join('\n');
      else text = ROWS.map((r) => JSON.stringify(rnd() < 0.7 ? mutateJson(r, rnd) : r)).join('\n');
      const outcome = await guarded(async () => parseImport(text, file, '2026-12-01T00:00:00Z'));
      expectClean(outcome, file, text);
    }
  }, 60_000);
});
