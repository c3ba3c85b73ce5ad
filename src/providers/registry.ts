/**
 * `createProvider(config)`: one typed map from provider type to factory, so adding an API is
 * one entry and the set of valid `type`s is derived from the map.
 */
import { registerSecret } from '../secrets/scrub.js';
import { ConfigError } from '../errors.js';
import type { Provider } from './provider.js';
import { createAnthropicProvider } from './anthropic.js';
import { createOpenAiChatProvider, type SdkProviderOptions } from './openai-chat.js';
import { createOpenAiResponsesProvider } from './openai-responses.js';

/** Factories by config `type`. */
export const providerFactories = {
  openai: createOpenAiChatProvider,
  'openai-responses': createOpenAiResponsesProvider,
  anthropic: createAnthropicProvider,
} as const satisfies Record<string, (opts: SdkProviderOptions) => Provider>;

/** Valid `type` values of a provider config. */
export type ProviderType = keyof typeof providerFactories;

/** Environment variable read for the API key when the config gives none, by type. */
export const DEFAULT_API_KEY_ENV: Record<ProviderType, string> = {
  openai: 'OPENAI_API_KEY',
  'openai-responses': 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/** One provider entry of the config. */
export interface ProviderConfig {
  /** Name variants refer to (`openai`, `local-vllm`…). */
  name: string;
  type: ProviderType;
  /**
   * Base URL; any OpenAI-compatible server for the openai types (vLLM, Ollama, gateways).
   * Default: the SDK's own, which honours `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL`.
   */
  baseUrl?: string;
  /** Literal key; prefer `apiKeyEnv`. */
  apiKey?: string;
  /** Env var holding the key. Default OPENAI_API_KEY / ANTHROPIC_API_KEY by type. */
  apiKeyEnv?: string;
  /** Per-request timeout, ms. Default: the config's `run.timeoutMs` (60 000). */
  timeoutMs?: number;
  /** Extra HTTP headers on every request. */
  headers?: Record<string, string>;
}

/**
 * Builds a provider from its config entry. Throws ConfigError naming the field for an unknown
 * type or a missing key. `field` is the config path of the entry (default `providers.<name>`).
 */
export function createProvider(config: ProviderConfig, env: NodeJS.ProcessEnv = process.env, field = `providers.${config.name}`): Provider {
  const factory = (providerFactories as Record<string, ((opts: SdkProviderOptions) => Provider) | undefined>)[config.type];
  if (!factory) {
    throw new ConfigError(`unknown provider type`, { field: `${field}.type`, expected: Object.keys(providerFactories).join(' | '), found: String(config.type) });
  }
  const envName = config.apiKeyEnv ?? DEFAULT_API_KEY_ENV[config.type];
  const apiKey = config.apiKey ?? env[envName];
  if (apiKey === undefined || apiKey === '') {
    throw new ConfigError(`no API key for provider "${config.name}"`, {
      field: `${field}.apiKey`,
      expected: `${field}.apiKey or the environment variable ${envName}`,
      found: `neither is set`,
      hint: `export ${envName}=… or set ${field}.apiKeyEnv to the variable that holds the key`,
    });
  }
  // Whatever an error body or a log line echoes, this value never reaches disk or the terminal.
  registerSecret(apiKey);
  return factory({
    name: config.name,
    apiKey,
    ...(config.baseUrl !== undefined ? { baseUrl: config.baseUrl } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.headers !== undefined ? { headers: config.headers } : {}),
  });
}
