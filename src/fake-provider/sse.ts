/**
 * Server-sent event framing and the provider error bodies. Streams are rendered to one string
 * and written once: the client sees the same frames, and the server saves a syscall per chunk.
 */
import type { FakeApi } from './types.js';

/** One `data:` frame (OpenAI chat style, no event name). */
export function sseData(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** One named frame (`event:` + `data:`), as the Responses and Messages APIs send. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The OpenAI stream terminator. */
export const sseDone = 'data: [DONE]\n\n';

/** Which provider's error JSON to answer with. */
export type ErrorFlavor = 'openai' | 'anthropic';

/** The error flavor of an API. */
export function flavorOf(api: FakeApi | undefined): ErrorFlavor {
  return api === 'messages' ? 'anthropic' : 'openai';
}

const openaiTypes: Record<number, [type: string, code: string | null]> = {
  400: ['invalid_request_error', null],
  404: ['invalid_request_error', 'not_found'],
  413: ['invalid_request_error', 'request_too_large'],
  429: ['rate_limit_error', 'rate_limit_exceeded'],
  500: ['server_error', null],
  503: ['server_error', 'service_unavailable'],
};

const anthropicTypes: Record<number, string> = {
  400: 'invalid_request_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
};

/** The error JSON body each provider sends for `status`. */
export function errorBody(flavor: ErrorFlavor, status: number, message: string): unknown {
  if (flavor === 'anthropic') {
    return { type: 'error', error: { type: anthropicTypes[status] ?? 'api_error', message } };
  }
  const [type, code] = openaiTypes[status] ?? ['server_error', null];
  return { error: { message, type, param: null, code } };
}

/** A body that claims to be JSON (or an SSE stream of JSON) but does not parse. */
export function malformedBody(api: FakeApi | undefined, stream: boolean): string {
  if (!stream) return '{"id": "fake-malformed", "choices": [ {"message": ';
  if (api === 'chat') return 'data: {"id": "fake-malformed", "choices": [\n\n';
  const event = api === 'messages' ? 'message_start' : 'response.created';
  return `event: ${event}\ndata: {"type": "${event}", "broken\n\n`;
}
