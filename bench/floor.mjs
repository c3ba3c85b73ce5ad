/**
 * The floor: the least a program can do to send the suite's N chat completions at the same
 * concurrency with the official SDK. No dataset files, no cache, no evaluators, no reports.
 *
 *   node bench/floor.mjs <baseUrl> <n> [concurrency=50]
 *
 * Prints one JSON line `{ n, ok, failed, ms }` and exits 1 if any request failed.
 */
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { requestOf } from './dataset.mjs';

const [baseURL, nText, concText = '50'] = process.argv.slice(2);
const n = Number(nText);
if (!baseURL || !Number.isInteger(n) || n < 1) {
  process.stderr.write('usage: node bench/floor.mjs <baseUrl> <n> [concurrency]\n');
  process.exit(2);
}
const client = new OpenAI({ baseURL, apiKey: 'bench-no-key', maxRetries: 0 });
const limit = pLimit(Number(concText));
const t0 = performance.now();
let ok = 0;
let failed = 0;
// Same lazy shape as the runner: at most 2× concurrency requests built ahead of the limiter.
let inflight = 0;
let wake;
const settle = () => {
  inflight--;
  wake?.();
  wake = undefined;
};
for (let i = 0; i < n; i++) {
  while (inflight >= limit.concurrency * 2) await new Promise((r) => (wake = r));
  inflight++;
  limit(() => client.chat.completions.create(requestOf(i)))
    .then((res) => {
      if (typeof res.choices?.[0]?.message?.content === 'string') ok++;
      else failed++;
    })
    .catch(() => failed++)
    .finally(settle);
}
while (inflight > 0) await new Promise((r) => (wake = r));
process.stdout.write(`${JSON.stringify({ n, ok, failed, ms: Math.round(performance.now() - t0) })}\n`);
process.exit(failed > 0 ? 1 : 0);
