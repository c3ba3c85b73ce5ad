/**
 * Shared types of the fake provider: options, rules, the API-neutral view of a request and
 * the reply plan that each wire format renders. Internal to `src/fake-provider/`; the public
 * surface is re-exported from `index.ts`.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The three wire formats the fake provider speaks. */
export type FakeApi = 'chat' | 'responses' | 'messages';

/**
 * Fault modes: an HTTP error status, a reset socket, a request that never answers, 200 with
 * broken JSON, or 200 whose headers arrive but whose body stalls half-way (`stall`).
 */
export type FaultKind = '429' | '500' | '503' | 'reset' | 'hang' | 'malformed' | 'stall';

/** All fault kinds, in the order the seeded PRNG walks their rates. */
export const faultKinds: readonly FaultKind[] = ['429', '500', '503', 'reset', 'hang', 'malformed', 'stall'];

/** Conditions of a rule. Every given condition must hold; an empty `when` matches everything. */
export interface FakeRuleWhen {
  /** Regex tested against the request's model. */
  model?: string;
  /** Regex tested against the system prompt (system messages, `instructions`, Anthropic `system`). */
  system?: string;
  /** Regex tested against the text of the last user message that has text. */
  user?: string;
  /** Regex tested against all message text (system included), joined with newlines. */
  anyText?: string;
  /** True: only when the request carries a tool result; false: only when it does not. */
  hasToolResult?: boolean;
  /** Only for this wire format. */
  api?: FakeApi;
}

/** A tool call the fake model makes. */
export interface FakeToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** What the fake model answers. */
export interface FakeReply {
  /** Reply text; `{{last_user}}` and `{{model}}` are substituted. Default: empty when `toolCalls` is set. */
  content?: string;
  /** Tool calls to make after the text. */
  toolCalls?: FakeToolCall[];
  /**
   * Finish reason in any API's spelling: `stop`/`end_turn`, `length`/`max_tokens`,
   * `tool_calls`/`tool_use`; it is translated per API. Default: `tool_calls` when
   * `toolCalls` is non-empty, else `stop` (or `length` when `max_tokens` cut the text).
   */
  finishReason?: string;
}

/** One rule: first match wins. */
export interface FakeRule {
  when?: FakeRuleWhen;
  reply: FakeReply;
  /**
   * A nondeterministic model: with probability `p` each (seeded, in request order), answer with
   * one of these instead of `reply`. Probabilities should add up to at most 1.
   */
  sometimes?: Array<{ p: number; reply: FakeReply }>;
}

/** Fault injection. Rates are probabilities in [0, 1]; their sum should stay ≤ 1. */
export interface FaultOptions {
  rate429?: number;
  rate500?: number;
  rate503?: number;
  /** Destroy the socket without answering. */
  resetRate?: number;
  /** Never answer (until the client aborts or the server closes). */
  hangRate?: number;
  /** Answer 200 with a body that is not valid JSON. */
  malformedRate?: number;
  /** Send the 200 headers and part of the body (or the first stream frame), then never finish. */
  stallRate?: number;
  /** Value of the `retry-after` header on 429. Default 1. */
  retryAfterSeconds?: number;
  /** PRNG seed; the same seed gives the same fault sequence for the same request order. Default 1. */
  seed?: number;
}

/** Options of `startFakeProvider`. */
export interface FakeProviderOptions {
  /** Port on 127.0.0.1. Default 0 (a random free port). */
  port?: number;
  /** Reply rules, first match wins. Default: none (every reply is the default echo). */
  rules?: FakeRule[];
  /** Fixed delay before answering, in ms. Default 0. */
  latencyMs?: number;
  /** Extra random delay in [0, jitterMs), seeded. Default 0. */
  jitterMs?: number;
  /** Fault injection. Default: none. */
  faults?: FaultOptions;
  /** How many recorded requests to keep (the newest). Default 1000. */
  maxRecorded?: number;
  /** Model ids listed by GET /v1/models. Default: a few fake ids. */
  models?: string[];
  /** The batch APIs (OpenAI Batch, Anthropic Message Batches). */
  batch?: FakeBatchOptions;
}

/** Behaviour of the fake batch APIs. */
export interface FakeBatchOptions {
  /** Time from creating a batch until it ends, ms; the counts grow linearly meanwhile. Default 0. */
  delayMs?: number;
  /** Regex: requests whose last user message matches it error inside the batch (HTTP 500 / `errored`). */
  errorWhen?: string;
  /** Batches (1-based creation order, both APIs counted together) that expire: only their first half is answered. */
  expire?: number[];
}

/** A request as the fake provider saw it. */
export interface RecordedRequest {
  /** 1-based arrival number. */
  seq: number;
  method: string;
  path: string;
  /** Wire format, when the path is one of the three APIs. */
  api?: FakeApi;
  model?: string;
  stream?: boolean;
  /** Parsed JSON body (undefined for GET or unparsable bodies). */
  body?: unknown;
  headers: IncomingHttpHeaders;
  /** HTTP status sent; 0 when no response was sent (reset, hang). */
  status: number;
  /** The fault injected, if any. */
  fault?: FaultKind;
  /** Epoch ms when the request arrived. */
  receivedAt: number;
}

/** Counters over every request since start (not bounded like `requests`). */
export interface FakeProviderStats {
  total: number;
  /** Count per HTTP status; 0 counts requests that got no response (reset, hang). */
  byStatus: Record<number, number>;
}

/** A running fake provider. */
export interface FakeProvider {
  /** `http://127.0.0.1:PORT`. OpenAI SDK base URL is `${url}/v1`; Anthropic SDK base URL is `url`. */
  url: string;
  port: number;
  /** Stops listening and destroys open sockets, hung requests included. */
  close(): Promise<void>;
  /** The newest recorded requests, oldest first (bounded by `maxRecorded`). */
  requests: RecordedRequest[];
  stats: FakeProviderStats;
  /** Batch jobs: `created` counts batches submitted through either API. */
  batches: { readonly created: number };
}

/** A request reduced to what rules match on, whichever API it came through. */
export interface NormalizedRequest {
  api: FakeApi;
  model: string;
  system: string;
  /** Text of the last user message that has text. */
  lastUser: string;
  /** All message text, system included, joined with newlines. */
  allText: string;
  hasToolResult: boolean;
  /** Output token limit asked for, if any. */
  maxTokens?: number;
  stream: boolean;
  /** Chat only: `stream_options.include_usage`. */
  includeUsage: boolean;
}

/** API-neutral finish reason. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | (string & {});

/** The reply decided for one request, ready to render in any wire format. */
export interface ReplyPlan {
  content: string;
  toolCalls: FakeToolCall[];
  finishReason: FinishReason;
  inputTokens: number;
  outputTokens: number;
}
