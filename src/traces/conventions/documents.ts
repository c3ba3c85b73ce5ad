/**
 * Retrieved documents from JSON values: OTel `gen_ai.retrieval.documents` entries
 * (`{id, score}` plus the `content`/`metadata` applications add), LangChain `Document`s
 * (`{page_content, metadata}`), and `{documents:[…]}` wrappers found in Langfuse outputs.
 */
import type { Json, RetrievedDocument } from '../model.js';
import { compact, isObject, parseLenient, toNumber } from './attrs.js';

/** One document; a bare string becomes its content. */
export function toDocument(raw: Json): RetrievedDocument {
  const d = parseLenient(raw);
  if (!isObject(d)) return { content: typeof d === 'string' ? d : JSON.stringify(d) };
  const id = d['id'] ?? d['doc_id'];
  const content = d['content'] ?? d['page_content'] ?? d['pageContent'] ?? d['text'] ?? d['document'];
  const metadata = parseLenient(d['metadata']);
  const metaScore = isObject(metadata) ? toNumber(metadata['score']) : undefined;
  return compact<RetrievedDocument>({
    id: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined,
    content: typeof content === 'string' ? content : content !== undefined ? JSON.stringify(content) : undefined,
    score: toNumber(d['score'] ?? d['relevance_score']) ?? metaScore,
    metadata: isObject(metadata) ? metadata : undefined,
  });
}

/** Documents from a list or a `{documents}` / `{results}` wrapper; anything else gives an empty list. */
export function toDocuments(value: Json | undefined): RetrievedDocument[] {
  const v = parseLenient(value);
  if (Array.isArray(v)) return v.map(toDocument);
  if (isObject(v)) {
    const inner = v['documents'] ?? v['results'];
    if (Array.isArray(inner)) return inner.map(toDocument);
  }
  return [];
}
