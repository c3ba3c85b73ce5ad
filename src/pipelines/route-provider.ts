/**
 * Which configured provider replays a case. A case recorded against Anthropic Messages must
 * not be re-sent over OpenAI Chat Completions just because OpenAI is the first provider:
 *  1. a variant that names a provider, or overrides the model, gets the variant's provider;
 *  2. a case whose recorded API is unknown gets the variant's provider;
 *  3. otherwise the variant's provider when it speaks the recorded API, else the first
 *     configured provider that does;
 *  4. none does: a `NoMatchingProviderError` naming what was recorded and what is configured,
 *     never a silent wrong route.
 */
import type { Case } from '../datasets/case.js';
import type { VariantOverrides } from './pipeline.js';

/** A configured provider: its config name and the API it speaks (`Provider.api`). */
export interface ConfiguredProvider {
  name: string;
  api: string;
}

/** Config `type` that gives a provider of each API, for the error's advice. */
const TYPE_OF_API: Record<string, string> = {
  'openai-chat': 'openai',
  'openai-responses': 'openai-responses',
  'anthropic-messages': 'anthropic',
};

/** No configured provider speaks the API the case was recorded with. Recorded as an errored case. */
export class NoMatchingProviderError extends Error {
  override readonly name = 'no_matching_provider';
}

/** The provider name to replay `c` with (see module doc). Throws `NoMatchingProviderError`. */
export function routeProvider(c: Case, overrides: VariantOverrides, variantProvider: string, configured: readonly ConfiguredProvider[]): string {
  if (overrides.provider !== undefined || overrides.model !== undefined) return overrides.provider ?? variantProvider;
  const api = c.input.api;
  if (api === undefined) return variantProvider;
  if (configured.find((p) => p.name === variantProvider)?.api === api) return variantProvider;
  const match = configured.find((p) => p.api === api);
  if (match) return match.name;
  const recorded = `${c.input.provider ?? 'a provider'} over ${api}${c.input.model !== undefined ? ` (model ${c.input.model})` : ''}`;
  const have = configured.map((p) => `${p.name} (${p.api})`).join(', ') || 'none';
  const type = TYPE_OF_API[api];
  throw new NoMatchingProviderError(
    `case ${c.id} was recorded against ${recorded}, but no configured provider speaks ${api} (configured: ${have}); ` +
      `add a provider${type !== undefined ? ` of type ${type}` : ''}, or set provider and model on the variant to replay it elsewhere`,
  );
}
