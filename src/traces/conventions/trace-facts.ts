/**
 * Trace-level facts carried on span attributes. Spans are scanned root first, then in start
 * order; for scalar facts the first span that has one wins, for metadata the first value per key.
 *  - userId:    `user.id`, `langfuse.user.id`, `traceloop.association.properties.user_id`, `enduser.id`
 *  - sessionId: `session.id`, `langfuse.session.id`, `traceloop.association.properties.session_id`,
 *               then `gen_ai.conversation.id` (a conversation is the closest OTel has to a session)
 *  - name:      `langfuse.trace.name` (Langfuse lets the SDK rename the trace)
 *  - tags:      `langfuse.trace.tags`, OpenInference `tag.tags` (list or JSON string), Traceloop
 *               association property `tags` (list, JSON string or comma-separated) — union, in order
 *  - metadata:  `traceloop.association.properties.<k>`, `langfuse.trace.metadata.<k>` and the
 *               JSON object `langfuse.trace.metadata`, OpenInference `metadata` (JSON object),
 *               `langfuse.environment` / `langfuse.release` as `environment` / `release`
 */
import type { Attributes, Json, RawSpan } from '../model.js';
import { isObject, json, parseLenient, str, toStringList, withPrefix } from './attrs.js';

/** Trace-level facts found on spans. */
export interface TraceFacts {
  name?: string;
  userId?: string;
  sessionId?: string;
  tags: string[];
  metadata: Record<string, Json>;
}

const ASSOC = 'traceloop.association.properties.';
const USER_KEYS = ['user.id', 'langfuse.user.id', `${ASSOC}user_id`, 'enduser.id'];
const SESSION_KEYS = ['session.id', 'langfuse.session.id', `${ASSOC}session_id`, 'gen_ai.conversation.id'];

function first(spans: RawSpan[], keys: string[]): string | undefined {
  for (const key of keys) {
    for (const s of spans) {
      const v = str(s.attributes, key);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

function tagsOf(attrs: Attributes): string[] {
  const out: string[] = [];
  for (const key of ['langfuse.trace.tags', 'tag.tags', `${ASSOC}tags`]) {
    const v = parseLenient(attrs[key]);
    // A plain (non-JSON) string from an association property may be comma-separated.
    const list = typeof v === 'string' ? v.split(',').map((t) => t.trim()).filter((t) => t !== '') : toStringList(v);
    if (list) out.push(...list);
  }
  return out;
}

function metadataOf(attrs: Attributes): Record<string, Json> {
  const out: Record<string, Json> = {};
  const whole = json(attrs, 'langfuse.trace.metadata');
  if (isObject(whole)) Object.assign(out, whole);
  const oi = json(attrs, 'metadata');
  if (isObject(oi)) Object.assign(out, oi);
  for (const [k, v] of Object.entries(withPrefix(attrs, 'langfuse.trace.metadata.'))) out[k] = parseLenient(v) ?? null;
  for (const [k, v] of Object.entries(withPrefix(attrs, ASSOC))) out[k] = parseLenient(v) ?? null;
  for (const k of ['environment', 'release'] as const) {
    const v = str(attrs, `langfuse.${k}`);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Trace-level facts from `spans`, which must be ordered root first (see module doc). */
export function traceFactsOf(spans: RawSpan[]): TraceFacts {
  const tags: string[] = [];
  const metadata: Record<string, Json> = {};
  for (const s of spans) {
    for (const t of tagsOf(s.attributes)) if (!tags.includes(t)) tags.push(t);
    for (const [k, v] of Object.entries(metadataOf(s.attributes))) if (!(k in metadata)) metadata[k] = v;
  }
  const name = first(spans, ['langfuse.trace.name']);
  const userId = first(spans, USER_KEYS);
  const sessionId = first(spans, SESSION_KEYS);
  return {
    ...(name !== undefined ? { name } : {}),
    ...(userId !== undefined ? { userId } : {}),
    ...(sessionId !== undefined ? { sessionId } : {}),
    tags,
    metadata,
  };
}
