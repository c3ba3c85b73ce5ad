/**
 * Which provider and API a model call went over, so replay re-sends it the same way: OpenAI
 * Chat Completions (`openai-chat`), OpenAI Responses (`openai-responses`) or Anthropic Messages
 * (`anthropic-messages`). Instrumentations say it in different places:
 *  - the provider: `gen_ai.provider.name` / `gen_ai.system` / `llm.provider` (read by the
 *    conventions), Langfuse metadata (`provider`, `ls_provider`), else the model's family name;
 *  - the Responses API: a URL path ending in `/responses`, a response id `resp_…`, span names
 *    `OpenAI Responses` (OpenInference) or `openai.response(s)`, `llm.request.type` `response(s)`,
 *    operation `responses`; OpenAI otherwise means Chat Completions.
 */
import type { LlmStep, RawSpan } from '../model.js';
import { isObject, json, str } from './attrs.js';

/** Provider API ids, the same strings as `Provider.api`. */
export type ProviderApi = 'openai-chat' | 'openai-responses' | 'anthropic-messages';

const MODEL_FAMILIES: Array<[RegExp, string]> = [
  [/^(?:anthropic[./:])?claude/i, 'anthropic'],
  [/^(?:openai[./:])?(?:gpt-|o\d|chatgpt|text-davinci|davinci|babbage)/i, 'openai'],
];

/** Provider from Langfuse-style metadata (`provider`, `ls_provider`), when the span has it. */
function metadataProvider(span: RawSpan): string | undefined {
  const a = span.attributes;
  const flat = str(a, 'langfuse.observation.metadata.provider') ?? str(a, 'langfuse.observation.metadata.ls_provider');
  if (flat !== undefined) return flat;
  const whole = json(a, 'langfuse.observation.metadata');
  if (!isObject(whole)) return undefined;
  const v = whole['provider'] ?? whole['ls_provider'];
  return typeof v === 'string' ? v : undefined;
}

/** The provider a step's model belongs to, by its family name (`claude-…`, `gpt-…`, `o3…`). */
export function providerOfModel(model: string | undefined): string | undefined {
  if (model === undefined) return undefined;
  return MODEL_FAMILIES.find(([re]) => re.test(model))?.[1];
}

function isResponsesCall(span: RawSpan, step: LlmStep): boolean {
  const a = span.attributes;
  const path = str(a, 'url.path') ?? str(a, 'url.full') ?? str(a, 'http.url') ?? str(a, 'http.target');
  if (path !== undefined && /\/responses(?:\?|$)/.test(path)) return true;
  if (step.responseId?.startsWith('resp_')) return true;
  if (step.operation === 'responses' || /^responses?$/i.test(str(a, 'llm.request.type') ?? '')) return true;
  return /^(?:openai responses|openai\.responses?)\b/i.test(span.name);
}

/** Provider (lower-case) and API of an LLM step; either may be unknown. */
export function providerApiOf(span: RawSpan, step: LlmStep): { provider?: string; api?: ProviderApi } {
  const provider = (step.provider ?? metadataProvider(span) ?? providerOfModel(step.model ?? step.responseModel))?.toLowerCase();
  if (provider === undefined) return {};
  if (provider === 'anthropic') return { provider, api: 'anthropic-messages' };
  if (provider === 'openai' || provider === 'azure.ai.openai' || provider === 'azure_openai') {
    return { provider, api: isResponsesCall(span, step) ? 'openai-responses' : 'openai-chat' };
  }
  return { provider };
}
