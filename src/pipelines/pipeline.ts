/**
 * A pipeline re-executes one case and returns the candidate output. `replay` re-sends the
 * captured model call, `module` calls the user's function, `http` posts to a running service.
 * Model calls go through `ctx.provider()`, which the runner wraps with the cache, retries,
 * rate limiting and usage/cost accounting, so pipelines stay simple.
 */
import type { Case, CaseStep } from '../datasets/case.js';
import type { Provider } from '../providers/provider.js';
import type { Json, LlmParams, ToolCall } from '../traces/model.js';

/** What the variant changes relative to production. All optional. */
export interface VariantOverrides {
  /** Provider name from config (default: the first provider). */
  provider?: string;
  model?: string;
  /** Template replacing the captured system prompt (or prepended when there was none). */
  systemPrompt?: string;
  /** Template replacing the last user message. Variables: see `templateVars` in replay.ts. */
  promptTemplate?: string;
  params?: LlmParams;
}

export interface PipelineContext {
  /** A configured provider, wrapped by the runner (cache, retries, accounting). Default: the variant's. */
  provider(name?: string): Provider;
  /**
   * Every configured provider's name and API (`openai-chat`, `openai-responses`,
   * `anthropic-messages`), and the variant's default provider name; replay routes by them.
   * Absent in contexts built by hand (then replay uses the variant's provider).
   */
  providers?: { configured: Array<{ name: string; api: string }>; variantDefault: string };
  /** Variant name and overrides. */
  variant: { name: string; overrides: VariantOverrides; options: Record<string, Json> };
  repeat: number;
  signal: AbortSignal;
  /** Records one step of the candidate's own trace (shown beside production's). */
  recordStep(step: Omit<CaseStep, 'offsetMs'> & { offsetMs?: number }): void;
}

export interface PipelineOutput {
  output: string | null;
  toolCalls?: ToolCall[];
  finishReason?: string;
  model?: string;
}

export interface Pipeline {
  /** `replay`, `module`, `http`. */
  readonly kind: string;
  run(c: Case, ctx: PipelineContext): Promise<PipelineOutput>;
}
