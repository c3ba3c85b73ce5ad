import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LangfuseExportSource } from '../../src/traces/sources/langfuse-export.js';
import { SCENARIO, type ScenarioTrace } from './scenario.js';
import { langfuseTraceId, langfuseTraces } from './scenario-langfuse.js';
import { describeTraceSourceContract } from './trace-source.contract.js';

const ids = Object.fromEntries(SCENARIO.map((t) => [t.key, langfuseTraceId(t)])) as Record<ScenarioTrace['key'], string>;

describeTraceSourceContract('langfuse-export ({trace, observations} per line)', { feedback: true, steps: true }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evals-lf-contract-'));
  const file = join(dir, 'export.jsonl');
  const lines = langfuseTraces().map(({ observations, ...trace }) => JSON.stringify({ trace, observations }));
  await writeFile(file, `${lines.join('\n')}\n`);
  return { source: new LangfuseExportSource([file]), ids, close: () => rm(dir, { recursive: true, force: true }) };
});

describeTraceSourceContract('langfuse-export (pretty JSON array of TraceWithFullDetails)', { feedback: true, steps: true }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evals-lf-contract-'));
  const file = join(dir, 'export.json');
  await writeFile(file, JSON.stringify(langfuseTraces(), null, 2));
  return { source: new LangfuseExportSource([file]), ids, close: () => rm(dir, { recursive: true, force: true }) };
});
