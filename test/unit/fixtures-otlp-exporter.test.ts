/**
 * The OTLP JSON-lines exporters write one Collector-style request per export batch, append
 * (never interleave) and refuse exports after shutdown.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { JsonlLogRecordExporter, JsonlSpanExporter } from '../../examples/refund-bot/otlp-jsonl-exporter.js';
import { readLines, readLogs, readSpans } from '../fixtures/generate/lib/read-otlp.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'otlp-jsonl-'));

describe('JsonlSpanExporter', () => {
  it('writes one resourceSpans line per batch with hex ids, string times and typed values', async () => {
    const path = join(tmp(), 'nested', 'spans.jsonl');
    const exporter = new JsonlSpanExporter({ path });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'exporter-test' }),
      spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 2, scheduledDelayMillis: 10 })],
    });
    const tracer = provider.getTracer('exporter-test', '1.2.3');
    for (let i = 0; i < 5; i++) {
      const span = tracer.startSpan(`span-${i}`, { attributes: { i, ratio: 0.5, ok: true, tags: ['a', 'b'] } });
      span.end();
    }
    await provider.shutdown();
    const lines = readLines(path);
    expect(lines.length).toBe(3);
    const raw = readFileSync(path, 'utf8');
    expect(raw.endsWith('\n')).toBe(true);
    expect(raw).toContain('"startTimeUnixNano":"');
    const spans = readSpans(path);
    expect(spans.map((s) => s.name)).toEqual(['span-0', 'span-1', 'span-2', 'span-3', 'span-4']);
    expect(spans[1]).toMatchObject({ scope: 'exporter-test', attributes: { i: 1, ratio: 0.5, ok: true, tags: ['a', 'b'] } });
    expect(spans[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('truncates on creation unless told not to, and fails exports after shutdown', async () => {
    const path = join(tmp(), 'spans.jsonl');
    const exporter = new JsonlSpanExporter({ path });
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
    });
    provider.getTracer('t').startSpan('one').end();
    await provider.forceFlush();
    new JsonlSpanExporter({ path, truncate: false });
    expect(readLines(path)).toHaveLength(1);
    await exporter.shutdown();
    const result = await new Promise<ExportResult>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(readLines(path)).toHaveLength(1);
    new JsonlSpanExporter({ path });
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});

describe('JsonlLogRecordExporter', () => {
  it('writes resourceLogs lines with event names and structured bodies', async () => {
    const path = join(tmp(), 'logs.jsonl');
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: new JsonlLogRecordExporter({ path }) })] });
    provider.getLogger('log-test').emit({ eventName: 'gen_ai.choice', body: { index: 0, message: { content: 'hi' } } });
    await provider.shutdown();
    const logs = readLogs(path);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ scope: 'log-test', name: 'gen_ai.choice', body: { index: 0, message: { content: 'hi' } } });
  });
});
