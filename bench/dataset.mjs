/**
 * Synthetic suite for the run benchmark: N realistic replay cases (system prompt with retrieved
 * context, a user question, the recorded answer), written as a real dataset version with the
 * product's own `writeVersion`, and a suite config pointing at the fake provider. Everything
 * lives in a temp dir; nothing is written to the repository.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const TOPICS = ['a damaged kettle', 'a late parcel', 'a double charge', 'a wrong size', 'a missing part', 'a cancelled order', 'an expired voucher', 'a broken screen'];
const ARTICLES = [
  'Refunds are issued to the original payment method within 5-7 business days after the return is received.',
  'Items damaged in transit can be returned free of charge within 30 days; attach a photo of the damage.',
  'Vouchers cannot be exchanged for cash and expire twelve months after issue unless stated otherwise.',
  'Orders can be cancelled free of charge until they are handed to the carrier; afterwards use the return flow.',
  'Duplicate charges are reversed automatically within 48 hours; contact support if it takes longer.',
];

/** Deterministic pseudo-random index for case `i` and salt `k` (no Math.random: reproducible data). */
function pick(i, k, n) {
  return ((i * 2654435761 + k * 40503) >>> 0) % n;
}

/** The chat-completion request of case `i` as the replay pipeline and the floor both send it. */
export function requestOf(i) {
  const topic = TOPICS[pick(i, 1, TOPICS.length)];
  const docs = [0, 1, 2].map((k) => `[doc ${pick(i, k + 2, 900) + 100}] ${ARTICLES[pick(i, k + 5, ARTICLES.length)]}`);
  const system = [
    'You are the support assistant of an online shop. Answer in two or three sentences, politely,',
    'using only the policy articles below. Quote the relevant article id. Never promise anything the',
    'articles do not say. If the question is not covered, say so and offer a human agent.',
    '',
    'Policy articles:',
    ...docs,
  ].join('\n');
  const user = `Hi, I need a refund for ${topic} (order #${100000 + i}). What are my options and how long will it take? I bought it ${pick(i, 9, 40) + 2} days ago.`;
  return {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    temperature: 0.2,
    max_tokens: 300,
  };
}

/** Case `i` without its id, shaped like `caseFromTrace` output for a one-call trace. */
export function caseOf(i, capturedAt) {
  const req = requestOf(i);
  const traceId = (BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, '0').slice(-32);
  return {
    schema: 'evals.case/v1',
    input: {
      query: req.messages[1].content,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      model: req.model,
      provider: 'openai',
      params: { temperature: req.temperature, maxTokens: req.max_tokens },
      llmSpanId: traceId.slice(0, 16),
    },
    context: { steps: [] },
    recorded: {
      output: `I'm sorry about that. Per our policy you can request a refund; it is issued to the original payment method within 5-7 business days after we receive the item.`,
      finishReason: 'stop',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { inputTokens: 180 + pick(i, 11, 60), outputTokens: 38, totalTokens: 218 + pick(i, 11, 60) },
      latencyMs: 800 + pick(i, 12, 900),
      status: 'ok',
    },
    labels: { flaggedBecause: ['bench'], tags: [], diagnosis: [] },
    provenance: { source: 'bench', traceId, tracedAt: capturedAt, capturedAt, toolVersion: 'bench' },
  };
}

/**
 * Writes dataset `bench` with `n` cases under `datasetsRoot` (default `<dir>/datasets`; chunks of
 * 2,000 cases per version keep the setup's memory small) and the suite config
 * `<dir>/evals.config.yaml` (cache dir: `$EVALS_BENCH_CACHE`, default `<dir>/cache`).
 * Resolves the config path.
 */
export async function writeSuite(dir, n, { baseUrl, concurrency = 50, datasetsRoot }) {
  const { writeVersion } = await import('../dist/datasets/storage/write-version.js');
  const root = datasetsRoot ?? join(dir, 'datasets');
  await mkdir(root, { recursive: true });
  const capturedAt = new Date('2026-11-20T10:00:00Z').toISOString();
  const chunk = 2000;
  for (let start = 0; start < n; start += chunk) {
    const add = [];
    for (let i = start; i < Math.min(n, start + chunk); i++) add.push(caseOf(i, capturedAt));
    await writeVersion(root, 'bench', { add, provenance: { source: 'bench' }, redact: false });
  }
  const config = [
    'datasets: [bench@latest]',
    `datasetsDir: ${JSON.stringify(root)}`,
    'providers:',
    '  fake:',
    '    type: openai',
    `    baseUrl: ${JSON.stringify(baseUrl)}`,
    '    apiKey: bench-no-key',
    'pipeline:',
    '  type: replay',
    // The floor sends one request per case. The default sampled baseline (production replayed)
    // would double evals\' requests in a fresh cache (it is cached across CI runs); the overhead
    // benchmark compares like for like, with the recorded answer as the baseline.
    'baseline: recorded',
    'variants:',
    '  - name: candidate',
    'evaluators:',
    '  - type: contains',
    '    value: refund',
    '    ignoreCase: true',
    'run:',
    `  concurrency: ${concurrency}`,
    // Each fresh run gets its own cache through the environment; the cached re-run reuses one.
    `  cacheDir: "\${EVALS_BENCH_CACHE:-${join(dir, 'cache')}}"`,
    `  outDir: ${JSON.stringify(join(dir, 'reports'))}`,
    '',
  ].join('\n');
  const file = join(dir, 'evals.config.yaml');
  await writeFile(file, config);
  return file;
}
