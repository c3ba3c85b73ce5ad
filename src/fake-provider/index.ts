/**
 * Public surface of the fake provider: a local, wire-compatible stand-in for the OpenAI
 * (Chat Completions, Responses, Embeddings) and Anthropic (Messages) APIs, for tests, demos and benchmarks.
 */
export { startFakeProvider } from './server.js';
export { runFakeProvider } from './main.js';
export type { RunFakeProviderOptions } from './main.js';
export { loadRules, parseRules, validateRules } from './load-rules.js';
export { countTokens, truncateToTokens } from './tokens.js';
export { createPrng, createFaultPicker } from './faults.js';
export { faultKinds } from './types.js';
export { fakeEmbedding } from './embeddings.js';
export type {
  FakeApi,
  FakeBatchOptions,
  FakeProvider,
  FakeProviderOptions,
  FakeProviderStats,
  FakeReply,
  FakeRule,
  FakeRuleWhen,
  FakeToolCall,
  FaultKind,
  FaultOptions,
  RecordedRequest,
} from './types.js';
