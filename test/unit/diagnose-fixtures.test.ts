/**
 * The diagnosis of every trace exported by the real instrumentation libraries (test/fixtures/otlp,
 * each flavour with its `.logs.jsonl` companion) and of the refund bot's production traces: the
 * exact label set per trace, each label naming a span of the trace and giving its evidence, and
 * no label at all on a clean trace. Retrieval relevance is judged the way `snapshot` does it,
 * against the population of the traces read together.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/datasets/case.js';
import { diagnose, retrievalPopulation } from '../../src/diagnose/diagnose.js';
import { buildTrace } from '../../src/traces/build.js';
import type { Trace } from '../../src/traces/model.js';
import { openSource } from '../../src/traces/sources/index.js';

const dir = join(import.meta.dirname, '../fixtures/otlp');
const production = join(import.meta.dirname, '../../examples/refund-bot/traces/production.jsonl');

/** The four scripted scenarios every fixture flavour records, and their labels (sorted). */
const scenarios: Record<string, string[]> = {
  'weather-agent': [],
  'joke-stream': [],
  // Outdated document, wrong answer, thumbs-down: nothing a span shows went wrong (the scores are fine).
  'refund-question': [],
  'failing-call': ['provider_error'],
};

/** The refund bot's production traces, by the question asked: `label@span name`, in diagnosis order. */
const refundBot: Record<string, string[]> = {
  'How long does shipping take?': [],
  // The injected gift-card note is retrieved, but the model only looks the order up.
  'Where is my order A1001?': ['injection_suspect@retrieval refund-kb'],
  'How long does a refund take after I return an item?': [],
  // The incident: an archived article answered "90 days"; nothing a span shows went wrong.
  'My blender arrived damaged. How long will the refund take?': [],
  'Can I use a gift card on my order A1002?': [
    'injection_suspect@retrieval refund-kb',
    'injection_followed@chat gpt-4o-mini',
    'injection_followed@chat gpt-4o-mini',
  ],
  'What is your return policy for electronics, in detail?': ['truncated@chat gpt-4o-mini', 'parser_fallback@parse_output refund-reply'],
  'Do your products have a warranty?': ['empty_retrieval@retrieval refund-kb', 'parser_fallback@parse_output refund-reply'],
  'Can I change my delivery address?': ['empty_retrieval@retrieval refund-kb', 'provider_error@invoke_agent refund-bot'],
};

/** The refund bot question a trace was asked, found in any string attribute of its spans. */
function refundBotQuestionIn(t: Trace): string | undefined {
  const texts = t.spans.flatMap((s) => Object.values(s.attributes).filter((v): v is string => typeof v === 'string'));
  return Object.keys(refundBot).find((q) => texts.some((x) => x.includes(q)));
}

const questionOf = (t: Trace): string => String(t.spans.find((s) => s.parentSpanId === undefined)?.attributes['input.value'] ?? '');

async function readAll(files: string[]): Promise<Trace[]> {
  const out: Trace[] = [];
  for await (const raw of openSource(files, {}).traces({})) out.push(buildTrace(raw));
  return out;
}

function diagnoseAll(traces: Trace[]): Map<Trace, Diagnosis[]> {
  const population = retrievalPopulation(traces);
  return new Map(traces.map((t) => [t, diagnose(t, { retrieval: { population } })]));
}

/** Every finding names a span of its trace and says why, quoting or counting its evidence. */
function expectEvidence(t: Trace, ds: Diagnosis[]): void {
  for (const d of ds) {
    const span = t.spans.find((s) => s.spanId === d.spanId);
    expect(span?.name, `${d.label} names a span of ${t.name}`).toBe(d.spanName);
    expect(d.reason.length).toBeGreaterThan(30);
  }
}

const flavourFiles = existsSync(dir)
  ? readdirSync(dir).filter((f) => f.endsWith('.jsonl') && !f.endsWith('.logs.jsonl')).sort()
  : [];

it('has fixture flavours to diagnose', () => {
  expect(flavourFiles.length).toBeGreaterThan(0);
});

for (const file of flavourFiles) {
  describe(`diagnosis of ${file}`, async () => {
    const logs = file.replace(/\.jsonl$/, '.logs.jsonl');
    const files = [join(dir, file), ...(existsSync(join(dir, logs)) ? [join(dir, logs)] : [])];
    const diagnosed = diagnoseAll(await readAll(files));

    for (const [t, ds] of diagnosed) {
      // The refund bot under another instrumentation: the labels its production trace gets.
      const question = t.name === 'invoke_agent refund-bot' ? refundBotQuestionIn(t) : undefined;
      const expected = scenarios[t.name ?? ''] ?? (question !== undefined ? [...new Set(refundBot[question]!.map((l) => l.split('@')[0]!))].sort() : undefined);
      const clean = t.status !== 'error' && !t.feedback.some((f) => f.score !== undefined && f.score < 0.5);
      it(`${t.name}: ${expected === undefined ? (clean ? 'clean, so no label' : 'labels name their spans') : JSON.stringify(expected)}`, () => {
        if (expected !== undefined) expect([...new Set(ds.map((d) => d.label))].sort()).toEqual(expected);
        else if (clean) expect(ds).toEqual([]);
        expectEvidence(t, ds);
      });
    }
  });
}

describe('diagnosis of the refund bot production traces', async () => {
  const diagnosed = diagnoseAll(await readAll([production]));

  it('covers every scenario', () => {
    const questions = [...diagnosed.keys()].map((t) => questionOf(t));
    expect(questions.sort()).toEqual(Object.keys(refundBot).sort());
  });

  for (const [t, ds] of diagnosed) {
    const question = questionOf(t);
    it(`"${question}"`, () => {
      expect(ds.map((d) => `${d.label}@${d.spanName}`)).toEqual(refundBot[question]);
      expectEvidence(t, ds);
    });
  }

  it('the followed injection names the tool call, its document, and the answer that did what it said', () => {
    const [t, ds] = [...diagnosed].find(([, d]) => d.some((x) => x.label === 'injection_followed'))!;
    const reasons = ds.filter((d) => d.label === 'injection_followed').map((d) => d.reason).join('\n');
    expect(reasons).toContain('"issue_refund"');
    expect(reasons).toContain('kb-gift-cards');
    expect(reasons).toMatch(/issued a full refund/);
    expect(t.spans.filter((s) => ds.some((d) => d.spanId === s.spanId && d.label === 'injection_followed')).map((s) => s.step?.type)).toEqual(['llm', 'llm']);
  });
});
