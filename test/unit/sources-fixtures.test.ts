import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFileFormat } from '../../src/traces/sources/detect.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'otlp');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl') || f.endsWith('.json')) : [];
const spanFiles = files.filter((f) => !f.includes('.logs.'));

describe.runIf(spanFiles.length > 0)('real exported OTLP fixtures', () => {
  it.each(spanFiles)('%s reads without error (with its .logs file when there is one)', async (name) => {
    const logs = name.replace(/\.jsonl?$/, '.logs.jsonl');
    const inputs = [join(dir, name), ...(files.includes(logs) ? [join(dir, logs)] : [])];
    expect(detectFileFormat(inputs[0] as string)).toBe('otlp-json');
    const source = new OtlpFileSource(inputs);
    let traces = 0;
    let logRecords = 0;
    for await (const t of source.traces()) {
      traces++;
      expect(t.spans.length).toBeGreaterThan(0);
      for (const s of t.spans) {
        expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(Number.isFinite(s.startTimeMs) && s.endTimeMs >= s.startTimeMs).toBe(true);
        logRecords += s.logs.length;
      }
    }
    expect(traces).toBeGreaterThan(0);
    expect(source.stats.skipped).toBe(0);
    if (inputs.length > 1) expect(logRecords).toBeGreaterThan(0);
  });
});
