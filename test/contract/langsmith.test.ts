import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, NotFoundError } from '../../src/errors.js';
import { LangsmithApiSource, langsmithFilter } from '../../src/traces/sources/langsmith-api.js';
import { LangsmithRunsSource } from '../../src/traces/sources/langsmith-runs.js';
import { startFakeLangsmith } from '../support/fake-langsmith-api.js';
import { SCENARIO, uuidOf, type ScenarioTrace } from './scenario.js';
import { langsmithFeedback, langsmithRuns, langsmithTraceId } from './scenario-langsmith.js';
import { describeTraceSourceContract } from './trace-source.contract.js';

const ids = Object.fromEntries(SCENARIO.map((t) => [t.key, langsmithTraceId(t)])) as Record<ScenarioTrace['key'], string>;
const project = { id: uuidOf('langsmith:project'), name: 'refund-bot' };

describeTraceSourceContract('langsmith-runs (JSONL dump with feedback lines)', { feedback: true, steps: true }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evals-ls-contract-'));
  const file = join(dir, 'runs.jsonl');
  await writeFile(file, `${[...langsmithRuns(), ...langsmithFeedback()].map((r) => JSON.stringify(r)).join('\n')}\n`);
  return { source: new LangsmithRunsSource([file]), ids, close: () => rm(dir, { recursive: true, force: true }) };
});

describeTraceSourceContract('langsmith-api (fake server, page size 2)', { feedback: true, steps: true }, async () => {
  const fake = await startFakeLangsmith({ project, runs: langsmithRuns(), feedback: langsmithFeedback() });
  return { source: new LangsmithApiSource({ endpoint: fake.url, apiKey: 'lsv2_test', project: 'refund-bot', pageSize: 2 }), ids, close: fake.close };
});

describe('langsmith specifics', () => {
  it('builds the filter expression for the time window and tags', () => {
    expect(langsmithFilter({})).toBeUndefined();
    expect(langsmithFilter({ since: new Date(0), tags: ['a'] })).toBe('and(gte(start_time, "1970-01-01T00:00:00.000Z"), has(tags, "a"))');
  });

  it('follows cursors and turns a 401 into a ConfigError, an unknown project into NotFoundError', async () => {
    const fake = await startFakeLangsmith({ project, runs: langsmithRuns(), feedback: langsmithFeedback() });
    try {
      const src = new LangsmithApiSource({ endpoint: fake.url, apiKey: 'lsv2_test', project: 'refund-bot', pageSize: 1 });
      let n = 0;
      for await (const _ of src.traces({ tags: ['prod'] })) n++;
      expect(n).toBe(2);
      expect(fake.queries.some((q) => typeof q.cursor === 'string')).toBe(true);
      const drain = async (s: LangsmithApiSource): Promise<void> => {
        for await (const _ of s.traces()) void _;
      };
      await expect(drain(new LangsmithApiSource({ endpoint: fake.url, apiKey: 'nope', project: 'refund-bot' }))).rejects.toBeInstanceOf(ConfigError);
      await expect(drain(new LangsmithApiSource({ endpoint: fake.url, apiKey: 'lsv2_test', project: 'other' }))).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await fake.close();
    }
  });

  it('reads LangChain-serialized messages and generations, and trace facts from the root run', async () => {
    const fake = await startFakeLangsmith({ project, runs: langsmithRuns(), feedback: langsmithFeedback() });
    try {
      const src = new LangsmithApiSource({ endpoint: fake.url, apiKey: 'lsv2_test', project: 'refund-bot' });
      for await (const t of src.traces({ traceIds: [ids.rag] })) {
        const llm = t.spans.find((s) => s.step?.type === 'llm');
        expect(llm?.step).toMatchObject({ provider: 'openai', finishReason: 'stop', usage: { totalTokens: 61 } });
        expect(t.metadata).toEqual({ user_id: 'user-1', session_id: 'sess-1' });
        expect(t.spans[0]?.startTimeMs).toBe(Date.UTC(2025, 2, 1, 10, 0, 0));
      }
    } finally {
      await fake.close();
    }
  });
});
