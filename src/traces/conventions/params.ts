/** Request parameters recorded as one JSON object of provider request keys. */
import type { Json, LlmParams } from '../model.js';
import { isObject, lookup, parseLenient, toNumber, toStringList } from './attrs.js';

const PARAM_KEYS: Record<string, 'temperature' | 'maxTokens' | 'topP' | 'topK' | 'frequencyPenalty' | 'presencePenalty' | 'seed'> = {
  temperature: 'temperature', max_tokens: 'maxTokens', max_completion_tokens: 'maxTokens', max_output_tokens: 'maxTokens',
  top_p: 'topP', top_k: 'topK', frequency_penalty: 'frequencyPenalty', presence_penalty: 'presencePenalty', seed: 'seed',
  // camelCase spellings, as JS callers hand them to Langfuse's `modelParameters`.
  maxTokens: 'maxTokens', topP: 'topP', topK: 'topK', frequencyPenalty: 'frequencyPenalty', presencePenalty: 'presencePenalty',
};

/**
 * Request parameters from a provider-style JSON object (OpenInference `llm.invocation_parameters`,
 * Langfuse `langfuse.observation.model.parameters`). Unknown keys go to `extra`; `model`,
 * `messages` and `tools` are left out because they have their own step fields.
 */
export function paramsFromObject(value: Json | undefined): LlmParams {
  const v = parseLenient(value);
  if (!isObject(v)) return {};
  const params: LlmParams = {};
  const extra: Record<string, Json> = {};
  for (const [k, raw] of Object.entries(v)) {
    const field = lookup(PARAM_KEYS, k);
    const n = toNumber(raw);
    if (field !== undefined && n !== undefined) params[field] = n;
    else if (k === 'stop' || k === 'stop_sequences') { const s = toStringList(raw); if (s) params.stop = s; }
    // Langfuse `modelParameters` values are strings or numbers, so `"true"` is a boolean too.
    else if (k === 'stream' && (typeof raw === 'boolean' || raw === 'true' || raw === 'false')) params.stream = raw === true || raw === 'true';
    else if (k !== 'model' && k !== 'messages' && k !== 'tools') extra[k] = raw;
  }
  if (Object.keys(extra).length > 0) params.extra = extra;
  return params;
}

