/**
 * The same app (examples/refund-bot) traced by four libraries gives the same cases: every
 * scored field (test/support/fidelity-fields.ts) of the cases built from
 * test/fixtures/otlp/refund-bot-<flavour>.jsonl equals the one built from the bot's production
 * traces (OpenLLMetry 0.27), except what a library does not record (listed). Cases are paired
 * by the customer's user id.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/datasets/case.js';
import { caseFromTrace } from '../../src/datasets/exchange/from-trace.js';
import { buildTrace } from '../../src/traces/build.js';
import { OtlpFileSource } from '../../src/traces/sources/otlp-file.js';
import { FIELDS, fieldOf, type Field } from '../support/fidelity-fields.js';

const REPO = join(import.meta.dirname, '../..');

async function casesByUser(files: string[]): Promise<Map<string, Omit<Case, 'id'>>> {
  const out = new Map<string, Omit<Case, 'id'>>();
  for await (const raw of new OtlpFileSource(files.map((f) => join(REPO, f))).traces()) {
    const trace = buildTrace(raw);
    out.set(trace.userId ?? trace.traceId, caseFromTrace(trace, { capturedAt: '2026-01-01T00:00:00Z', toolVersion: 'test' }));
  }
  return out;
}

/** `user.field` that differ for a stated reason. */
const DIFFERENT: Record<string, { files: string[]; fields: Record<string, string> }> = {
  'otel-contrib-openai': {
    files: ['test/fixtures/otlp/refund-bot-otel-contrib-openai.jsonl', 'test/fixtures/otlp/refund-bot-otel-contrib-openai.logs.jsonl'],
    fields: {
      // The contrib instrumentation writes no tool definitions.
      ...Object.fromEntries(['u-1001', 'u-1002', 'u-1003', 'u-2047', 'u-3310', 'u-4120', 'u-5008'].map((u) => [`${u}.toolsOffered`, 'no tool definitions'])),
      // It records the call that failed with HTTP 500, which OpenLLMetry drops: more, not less.
      'u-6001.call': 'failed call recorded', 'u-6001.system': 'failed call recorded',
    },
  },
  'openinference-openai': { files: ['test/fixtures/otlp/refund-bot-openinference-openai.jsonl'], fields: {} },
  'traceloop-openai-legacy': { files: ['test/fixtures/otlp/refund-bot-traceloop-openai-legacy.jsonl'], fields: {} },
};

describe('refund bot under several instrumentations', () => {
  for (const [flavour, { files, fields }] of Object.entries(DIFFERENT)) {
    it(`${flavour}: every field as in the production traces`, async () => {
      const reference = await casesByUser(['examples/refund-bot/traces/production.jsonl']);
      const cases = await casesByUser(files);
      expect(cases.size).toBe(reference.size);
      const mismatches: string[] = [];
      let scored = 0;
      for (const [user, ref] of reference) {
        const c = cases.get(user);
        for (const field of Object.keys(FIELDS) as Field[]) {
          scored++;
          const want = JSON.stringify(fieldOf(ref, field));
          const got = JSON.stringify(c ? fieldOf(c, field) : undefined);
          if (want !== got && fields[`${user}.${field}`] === undefined) mismatches.push(`${user}.${field}: want ${want} got ${got}`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(1 - Object.keys(fields).length / scored).toBeGreaterThanOrEqual(0.88);
    });
  }
});
