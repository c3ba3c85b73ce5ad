import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';
import { SCENARIO, type ScenarioTrace } from './scenario.js';
import { otlpLogLines, otlpTraceId, otlpTraceLines } from './scenario-otlp.js';
import { describeTraceSourceContract } from './trace-source.contract.js';

const ids = Object.fromEntries(SCENARIO.map((t) => [t.key, otlpTraceId(t)])) as Record<ScenarioTrace['key'], string>;
const attributes = {
  chat: { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 52, 'gen_ai.request.temperature': 0.2 },
  retrieve: { 'gen_ai.operation.name': 'retrieval' },
  lookup: { 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.call.arguments': '{"order_id":"A1"}' },
};

describeTraceSourceContract('otlp-file (JSONL spans + logs file)', { feedback: false, steps: false }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evals-otlp-contract-'));
  const spans = join(dir, 'traces.jsonl');
  const logs = join(dir, 'logs.jsonl');
  await writeFile(spans, `${otlpTraceLines().join('\n')}\n`);
  await writeFile(logs, `${otlpLogLines().join('\n')}\n`);
  return { source: new OtlpFileSource([spans, logs]), ids, attributes, close: () => rm(dir, { recursive: true, force: true }) };
});

describeTraceSourceContract('otlp-file (one pretty-printed JSON array)', { feedback: false, steps: false }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evals-otlp-contract-'));
  const file = join(dir, 'traces.json');
  await writeFile(file, JSON.stringify(otlpTraceLines().map((l) => JSON.parse(l) as unknown), null, 2));
  return { source: new OtlpFileSource([file]), ids, attributes, close: () => rm(dir, { recursive: true, force: true }) };
});
