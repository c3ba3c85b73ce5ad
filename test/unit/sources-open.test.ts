import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../src/errors.js';
import { detectFormatFromText } from '../../src/traces/sources/detect.js';
import { openSource } from '../../src/traces/sources/index.js';
import { LangfuseApiSource } from '../../src/traces/sources/langfuse-api.js';
import { LangsmithApiSource } from '../../src/traces/sources/langsmith-api.js';
import { TempoSource } from '../../src/traces/sources/tempo.js';
import { langfuseTraces } from '../contract/scenario-langfuse.js';
import { langsmithRuns } from '../contract/scenario-langsmith.js';
import { otlpLogLines, otlpTraceLines } from '../contract/scenario-otlp.js';

let dir: string;
const paths: Record<string, string> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evals-open-'));
  const files: Record<string, string> = {
    'spans.jsonl': otlpTraceLines().join('\n'),
    'logs.jsonl': otlpLogLines().join('\n'),
    'pretty.json': JSON.stringify(JSON.parse(otlpTraceLines()[0] ?? '{}'), null, 2),
    'lf.json': JSON.stringify(langfuseTraces(), null, 2),
    'lf-ui.json': JSON.stringify({ trace: { id: 't1', timestamp: '2025-01-01T00:00:00Z' }, observations: [] }),
    'runs.jsonl': langsmithRuns().map((r) => JSON.stringify(r)).join('\n'),
    'other.csv': 'a,b,c\n1,2,3\n',
  };
  for (const [name, text] of Object.entries(files)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name] as string, text);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('format detection', () => {
  it('recognises each format from the first line or the first bytes', () => {
    expect(detectFormatFromText('{"resourceSpans":[]}\n')).toBe('otlp-json');
    expect(detectFormatFromText('{\n  "resourceLogs": [\n')).toBe('otlp-json-logs');
    expect(detectFormatFromText('[{"trace":{"id":"x"},"observations":[]}]')).toBe('langfuse-export');
    expect(detectFormatFromText('{"id":"1","run_type":"llm","trace_id":"1"}')).toBe('langsmith-runs');
    expect(detectFormatFromText('{"foo":1}')).toBeUndefined();
  });

  it('opens the right file source, joining OTLP span and log files', () => {
    expect(openSource([paths['spans.jsonl'] as string, paths['logs.jsonl'] as string]).format).toBe('otlp-json');
    expect(openSource([paths['pretty.json'] as string]).format).toBe('otlp-json');
    expect(openSource([paths['lf.json'] as string]).format).toBe('langfuse-export');
    expect(openSource([paths['lf-ui.json'] as string]).format).toBe('langfuse-export');
    expect(openSource([paths['runs.jsonl'] as string]).format).toBe('langsmith-runs');
    expect(openSource([paths['other.csv'] as string], { format: 'otlp' }).format).toBe('otlp-json');
  });

  it('explains unknown content, unknown --format, mixed formats and missing files', () => {
    expect(() => openSource([paths['other.csv'] as string])).toThrow(/cannot tell the trace format[\s\S]*expected: one of otlp-json/);
    expect(() => openSource([paths['spans.jsonl'] as string], { format: 'jaeger' })).toThrow(InputError);
    expect(() => openSource([paths['spans.jsonl'] as string], { format: 'jaeger' })).toThrow(/expected: one of otlp-json, otlp,/);
    expect(() => openSource([paths['spans.jsonl'] as string, paths['runs.jsonl'] as string])).toThrow(/different formats/);
    expect(() => openSource([join(dir, 'nope.jsonl')])).toThrow(/file not found/);
  });
});

describe('URL inputs', () => {
  it('maps langfuse://, langsmith:// and tempo+http:// with env credentials', () => {
    const env = { LANGFUSE_HOST: 'http://127.0.0.1:1', LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk', LANGSMITH_API_KEY: 'k' };
    expect(openSource(['langfuse://'], { env })).toBeInstanceOf(LangfuseApiSource);
    expect(openSource(['langsmith://refund-bot'], { env })).toBeInstanceOf(LangsmithApiSource);
    expect(openSource(['tempo+http://127.0.0.1:3200'], { env })).toBeInstanceOf(TempoSource);
  });

  it('says which variable is missing', () => {
    expect(() => openSource(['langfuse://'], { env: {} })).toThrow(ConfigError);
    expect(() => openSource(['langfuse://'], { env: {} })).toThrow(/LANGFUSE_PUBLIC_KEY/);
    expect(() => openSource(['langsmith://p'], { env: {} })).toThrow(/LANGSMITH_API_KEY/);
    expect(() => openSource(['langsmith://'], { env: { LANGSMITH_API_KEY: 'k' } })).toThrow(/needs a project name/);
    expect(() => openSource(['langfuse://', paths['spans.jsonl'] as string], { env: {} })).toThrow(/cannot be combined/);
  });
});
