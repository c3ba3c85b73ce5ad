/**
 * `POST /v1/embeddings`, wire-compatible with OpenAI's: a deterministic embedding per input, a
 * hashed bag of words (lower-cased letters/digits runs, FNV-1a into `DIMS` buckets, L2-normalised).
 * Texts sharing words are close, texts with no word in common are orthogonal (cosine 0), so
 * tests of `semantic-similarity` have known answers. Fault injection does not apply here.
 */

/** Vector length of every fake embedding. */
export const DIMS = 256;

/** The fake embedding of `text` (pure, deterministic). An empty text is the last unit vector. */
export function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) v[fnv1a(w) % DIMS]! += 1;
  const norm = Math.hypot(...v);
  if (norm === 0) {
    v[DIMS - 1] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}

/**
 * The response body for a request body, or an error message (status 400) when `model` or
 * `input` is missing or of the wrong shape. `input` is a string or an array of strings.
 */
export function renderEmbeddings(body: Record<string, unknown>): { ok: true; body: unknown } | { ok: false; message: string } {
  const model = body.model;
  if (typeof model !== 'string' || model === '') return { ok: false, message: 'missing required parameter: model' };
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(input) || input.length === 0 || input.some((t) => typeof t !== 'string')) {
    return { ok: false, message: "'input' must be a string or a non-empty array of strings" };
  }
  const texts = input as string[];
  const tokens = texts.reduce((n, t) => n + (t.match(/[\p{L}\p{N}]+/gu)?.length ?? 0), 0);
  return {
    ok: true,
    body: {
      object: 'list',
      data: texts.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t) })),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
