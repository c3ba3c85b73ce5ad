/**
 * `semantic-similarity`: cosine similarity of the embeddings of the output and the reference
 * (the case's `expected.output`, else the recorded production output), through a configured
 * provider's embeddings endpoint (`POST /embeddings` via the `openai` SDK). Options: `provider`
 * (default: the run's judge provider), `model` (default `text-embedding-3-small`), `threshold`
 * (0..1, default 0.8).
 *
 * Both texts go in one request, through the run's response cache (a re-run is free) and its
 * spend. A negative cosine scores 0. Each text is cut to its first {@link MAX_CHARS} characters
 * (embedding models take a few thousand tokens). A provider without an embeddings endpoint
 * (Anthropic) is an evaluator error, recorded as unscored.
 */
import type { EvaluatorFactory } from '../evaluator.js';
import { outputText, readCommon } from './options.js';

/** Characters of each text embedded. */
export const MAX_CHARS = 8_000;
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';

export const semanticSimilarity: EvaluatorFactory = (config, f, path) => {
  const { name } = readCommon(config, f, path, ['provider', 'model', 'threshold']);
  const provider = f.optString(config.provider, [...path, 'provider']);
  const model = f.optString(config.model, [...path, 'model']) ?? DEFAULT_EMBEDDING_MODEL;
  const threshold = f.optNumber(config.threshold, [...path, 'threshold'], { min: 0, max: 1 }) ?? 0.8;
  return {
    name,
    async evaluate(ctx) {
      const { actual, case: c, provider: providers } = ctx;
      if (!providers) throw new Error('semantic-similarity needs a provider (only available inside a run)');
      const ref = ctx.reference;
      if (ref === null) return { name, score: 0, pass: false, reason: 'no reference: the case has no expected or recorded output' };
      const against = c.expected?.output !== undefined ? 'expected output' : 'recorded output';
      const text = outputText(actual);
      if (text.trim() === '') return { name, score: 0, pass: false, reason: `no output to compare with ${against}` };
      const p = providers(provider);
      if (!p.embed) {
        throw new Error(`semantic-similarity: provider "${p.name}" (${p.api}) has no embeddings endpoint; set \`provider\` to an OpenAI-compatible one`);
      }
      const { vectors } = await p.embed([text.slice(0, MAX_CHARS), ref.slice(0, MAX_CHARS)], model);
      const score = round(Math.max(0, cosine(vectors[0]!, vectors[1]!)));
      return { name, score, pass: score >= threshold, reason: `semantic similarity ${score.toFixed(2)} to ${against} (${model}, threshold ${threshold})` };
    },
  };
};

/** Cosine of two vectors; throws when their lengths differ, 0 when either is all zeros. */
export function cosine(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new Error(`embeddings of different lengths (${a.length} and ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
