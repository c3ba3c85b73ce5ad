/**
 * Dispatch from an API to its renderers, and the GET /v1/models list in either provider's shape.
 */
import { renderMessage, renderMessageStream } from './anthropic-messages.js';
import { renderChatCompletion, renderChatStream } from './openai-chat.js';
import type { ReplyIds } from './openai-chat.js';
import { renderResponse, renderResponseStream } from './openai-responses.js';
import type { FakeApi, NormalizedRequest, ReplyPlan } from './types.js';

interface Renderer {
  json(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds): unknown;
  stream(plan: ReplyPlan, req: NormalizedRequest, ids: ReplyIds): string;
}

/** One renderer pair per wire format. */
export const renderers = {
  chat: { json: renderChatCompletion, stream: renderChatStream },
  responses: { json: renderResponse, stream: renderResponseStream },
  messages: { json: renderMessage, stream: renderMessageStream },
} satisfies Record<FakeApi, Renderer>;

/** Paths of the three APIs (POST). */
export const apiPaths: Readonly<Record<string, FakeApi>> = {
  '/v1/chat/completions': 'chat',
  '/v1/responses': 'responses',
  '/v1/messages': 'messages',
};

/** Default model ids listed by GET /v1/models. */
export const defaultModels: readonly string[] = ['fake-gpt', 'fake-gpt-mini', 'fake-claude'];

/** The model list body: Anthropic's paged shape when `anthropic` is true, else OpenAI's. */
export function renderModelList(models: readonly string[], anthropic: boolean, created: number): unknown {
  if (anthropic) {
    return {
      data: models.map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: new Date(created * 1000).toISOString(),
      })),
      has_more: false,
      first_id: models[0] ?? null,
      last_id: models[models.length - 1] ?? null,
    };
  }
  return { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: 'fake-provider' })) };
}
