/**
 * `module`: calls the user's function `(input, ctx) => output`, loaded from a TypeScript or
 * JavaScript file without a build step (TypeScript through tsx). `ctx` gives the configured
 * providers (wrapped by the runner, so cache, retries and cost accounting apply), the case's
 * captured context (to pin retrieval or tool results), and `recordStep` for the candidate trace.
 * A returned `{ output, documents }` records `documents` as the candidate's retrieval.
 */
import { existsSync } from 'node:fs';
import type { Case, CaseInput } from '../datasets/case.js';
import { importUserModule } from '../config/import-module.js';
import { ConfigError } from '../errors.js';
import type { Provider } from '../providers/provider.js';
import type { Json, RetrievedDocument, ToolCall } from '../traces/model.js';
import type { Pipeline, PipelineContext, PipelineOutput } from './pipeline.js';
import { recordedToolResults } from './recorded-tools.js';

/** The context a module pipeline function receives. */
export interface ModuleContext {
  /** A configured provider by name (default: the variant's). */
  provider(name?: string): Provider;
  /** The variant's name, overrides (model, systemPrompt, params…) and free-form options. */
  variant: PipelineContext['variant'];
  /** The frozen production execution: use it to pin retrieval or tool results. */
  captured: {
    case: Case;
    /** Documents of every retrieval step, in order. */
    documents(): RetrievedDocument[];
    /** The recorded result of a tool call with this name and arguments, if any. */
    toolResult(name: string, args: Json): Json | undefined;
  };
  recordStep: PipelineContext['recordStep'];
  signal: AbortSignal;
  repeat: number;
}

export type ModuleFunction = (input: CaseInput, ctx: ModuleContext) => unknown;

/** Loads `exportName` from `file` and wraps it as a pipeline. */
export async function createModulePipeline(file: string, exportName = 'default'): Promise<Pipeline> {
  if (!existsSync(file)) throw new ConfigError('pipeline module not found', { file, field: 'pipeline.path' });
  let mod: Record<string, unknown>;
  try {
    mod = await importUserModule(file);
  } catch (err) {
    throw new ConfigError(`could not load pipeline module: ${(err as Error).message}`, { file, field: 'pipeline.path', cause: err });
  }
  const fn = mod[exportName];
  if (typeof fn !== 'function') {
    throw new ConfigError(`pipeline module has no function export "${exportName}"`, {
      file,
      field: 'pipeline.export',
      expected: 'export default async function (input, ctx) { … }',
      found: Object.keys(mod).join(', ') || 'no exports',
    });
  }
  const run = fn as ModuleFunction;
  return {
    kind: 'module',
    async run(c, ctx) {
      const tools = recordedToolResults(c);
      const moduleCtx: ModuleContext = {
        provider: (name) => ctx.provider(name),
        variant: ctx.variant,
        captured: {
          case: c,
          documents: () => c.context.steps.flatMap((s) => (s.step?.type === 'retrieval' ? s.step.documents : [])),
          toolResult: (name, args) => tools.find(name, args),
        },
        recordStep: (s) => ctx.recordStep(s),
        signal: ctx.signal,
        repeat: ctx.repeat,
      };
      const value = await run(c.input, moduleCtx);
      recordDocuments(value, ctx);
      return toOutput(value);
    },
  };
}

/** Accepts a string, `{ output, toolCalls?, finishReason? }`, or any JSON value (stringified). */
export function toOutput(value: unknown): PipelineOutput {
  if (value === null || value === undefined) return { output: null };
  if (typeof value === 'string') return { output: value };
  if (typeof value === 'object' && 'output' in value) {
    const v = value as { output: unknown; toolCalls?: ToolCall[]; finishReason?: string; model?: string };
    return {
      output: v.output === null || v.output === undefined ? null : typeof v.output === 'string' ? v.output : JSON.stringify(v.output),
      ...(Array.isArray(v.toolCalls) ? { toolCalls: v.toolCalls } : {}),
      ...(typeof v.finishReason === 'string' ? { finishReason: v.finishReason } : {}),
      ...(typeof v.model === 'string' ? { model: v.model } : {}),
    };
  }
  return { output: JSON.stringify(value) };
}

/**
 * A returned `documents` list (`{ output, documents: [{ id, content, score }] }`) is what the
 * candidate retrieved: it is recorded as a retrieval step, which `retrieval-drift` and
 * `grounded` read, as `ctx.recordStep` would.
 */
export function recordDocuments(value: unknown, ctx: Pick<PipelineContext, 'recordStep'>): void {
  if (value === null || typeof value !== 'object' || !Array.isArray((value as { documents?: unknown }).documents)) return;
  const documents = ((value as { documents: unknown[] }).documents).flatMap((d): RetrievedDocument[] => {
    if (typeof d === 'string') return [{ id: d }];
    if (d === null || typeof d !== 'object') return [];
    const o = d as Record<string, unknown>;
    return [{
      ...(typeof o.id === 'string' || typeof o.id === 'number' ? { id: String(o.id) } : {}),
      ...(typeof o.content === 'string' ? { content: o.content } : {}),
      ...(typeof o.score === 'number' ? { score: o.score } : {}),
    }];
  });
  ctx.recordStep({ spanId: 'retrieval', name: 'retrieval', durationMs: 0, status: 'ok', step: { type: 'retrieval', documents } });
}
