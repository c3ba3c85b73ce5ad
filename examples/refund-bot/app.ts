/**
 * RefundBot: a small retrieval-augmented support bot, instrumented like a real application.
 * Each `answer()` is one trace: a root `invoke_agent refund-bot` span with children for
 * retrieval, prompt rendering, the model calls (spans come from whichever OpenAI
 * instrumentation is registered), tool executions and reply parsing. User feedback becomes a
 * `gen_ai.evaluation.result` event on the root span.
 */
import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type OpenAI from 'openai';
import { retrieve } from './knowledge-base.js';
import { parseReply, type ParsedReply } from './parse-reply.js';
import {
  formatContext, productionSystemPrompt, promptName, promptVersion, renderTemplate, userTemplate,
} from './prompt.js';
import { runTool, toolDefinitions, toolDescription } from './tools.js';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/**
 * The model conversation of one answer: gets the system + rendered user messages, runs the tool
 * loop (pushing the names of the tools called), returns the final text and finish reason.
 * Default: the OpenAI client's Chat Completions loop below; a fixture swaps in another SDK's.
 */
export type Converse = (messages: ChatMessage[], toolNames: string[]) => Promise<{ raw: string; finishReason: string }>;

/** Options of {@link createRefundBot}. */
export interface RefundBotOptions {
  /** An OpenAI client (any base URL). Required unless `converse` is given. */
  client?: OpenAI;
  /** Replaces the OpenAI tool loop (see {@link Converse}). Default: the loop over `client`. */
  converse?: Converse;
  /** Default 'gpt-4o-mini'. */
  model?: string;
  /** Default {@link productionSystemPrompt}. */
  systemPrompt?: string;
  /** Output token limit per model call. Default 300. */
  maxTokens?: number;
  /** Articles retrieved per question. Default 2. */
  topK?: number;
  /** Model calls that may request tools before the bot stops offering the tool results. Default 2. */
  maxToolRounds?: number;
}

/** Thumbs up (1) or down (0) from the customer. */
export interface UserFeedback {
  score: 0 | 1;
  explanation?: string;
}

/** Per-question context. */
export interface AnswerOptions {
  userId: string;
  /** Default `session-${userId}`. */
  sessionId?: string;
  /** Asked for the customer's feedback once the reply is ready (the chat widget's thumbs). */
  feedback?: (reply: BotReply) => UserFeedback | undefined;
}

/** What `answer()` returns. */
export interface BotReply extends ParsedReply {
  /** Hex trace id of this answer. */
  traceId: string;
  /** True when the model's text was not valid JSON and the raw text was used. */
  fallback: boolean;
  finishReason: string;
  /** Names of the tools the model called, in order. */
  toolCalls: string[];
  /** Set when the request failed; `answer` then holds an apology. */
  error?: string;
}

const tracer = trace.getTracer('refund-bot', '1.0.0');

/** Runs `fn` inside an active child span, ending it and recording a thrown error. */
async function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Creates the bot. */
export function createRefundBot(options: RefundBotOptions) {
  const model = options.model ?? 'gpt-4o-mini';
  const systemPrompt = options.systemPrompt ?? productionSystemPrompt;
  const maxTokens = options.maxTokens ?? 300;
  const topK = options.topK ?? 2;
  const maxToolRounds = options.maxToolRounds ?? 2;

  async function converse(messages: ChatMessage[], toolNames: string[]): Promise<{ raw: string; finishReason: string }> {
    const client = options.client;
    if (!client) throw new Error('createRefundBot: give an OpenAI client or a converse function');
    for (let round = 0; ; round++) {
      const completion = await client.chat.completions.create({
        model, messages, tools: toolDefinitions, temperature: 0, max_tokens: maxTokens,
      });
      const choice = completion.choices[0];
      if (!choice) throw new Error('the model returned no choices');
      const calls = (choice.message.tool_calls ?? []).filter((c) => c.type === 'function');
      if (calls.length === 0 || round >= maxToolRounds) {
        return { raw: choice.message.content ?? '', finishReason: choice.finish_reason };
      }
      messages.push({ role: 'assistant', content: choice.message.content, tool_calls: calls });
      for (const call of calls) {
        toolNames.push(call.function.name);
        const result = await inSpan(`execute_tool ${call.function.name}`, {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': call.function.name,
          'gen_ai.tool.type': 'function',
          'gen_ai.tool.call.id': call.id,
          'gen_ai.tool.description': toolDescription(call.function.name),
          'gen_ai.tool.call.arguments': call.function.arguments,
        }, (span) => {
          const parsed: unknown = JSON.parse(call.function.arguments || '{}');
          const args = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
          const output = JSON.stringify(runTool(call.function.name, args));
          span.setAttribute('gen_ai.tool.call.result', output);
          return output;
        });
        messages.push({ role: 'tool', tool_call_id: call.id, content: result });
      }
    }
  }

  /** Answers one customer question; never throws (failures become an apology with `error`). */
  async function answer(question: string, context: AnswerOptions): Promise<BotReply> {
    const sessionId = context.sessionId ?? `session-${context.userId}`;
    return tracer.startActiveSpan('invoke_agent refund-bot', {
      kind: SpanKind.SERVER,
      attributes: {
        'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'refund-bot',
        'user.id': context.userId, 'session.id': sessionId, 'input.value': question,
      },
    }, async (root) => {
      const traceId = root.spanContext().traceId;
      let reply: BotReply;
      try {
        const docs = await inSpan('retrieval refund-kb', {
          'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'refund-kb',
          'gen_ai.retrieval.query.text': question, 'gen_ai.request.top_k': topK,
        }, (span) => {
          const found = retrieve(question, topK);
          span.setAttribute('gen_ai.retrieval.documents', JSON.stringify(found));
          return found;
        });
        const variables = { context: formatContext(docs), question };
        const rendered = await inSpan(`render_prompt ${promptName}`, {
          'app.prompt.name': promptName, 'app.prompt.version': promptVersion,
          'app.prompt.template': userTemplate, 'app.prompt.variables': JSON.stringify(variables),
        }, (span) => {
          const text = renderTemplate(userTemplate, variables);
          span.setAttribute('app.prompt.rendered', text);
          return text;
        });
        const toolNames: string[] = [];
        const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt }, { role: 'user', content: rendered }];
        const { raw, finishReason } = await (options.converse ?? converse)(messages, toolNames);
        const outcome = await inSpan('parse_output refund-reply', { 'app.parser.input': raw }, (span) => {
          const parsed = parseReply(raw);
          span.setAttribute('app.parser.output', JSON.stringify(parsed.reply));
          span.setAttribute('app.parser.fallback', parsed.fallback);
          if (parsed.fallback) span.setAttribute('app.parser.error', parsed.reason);
          return parsed;
        });
        reply = { ...outcome.reply, traceId, fallback: outcome.fallback, finishReason, toolCalls: toolNames };
        root.setAttribute('output.value', reply.answer);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        root.recordException(error instanceof Error ? error : message);
        root.setStatus({ code: SpanStatusCode.ERROR, message });
        reply = {
          answer: 'Sorry, something went wrong. Please try again later.', refundEligible: null, citations: [],
          traceId, fallback: false, finishReason: 'error', toolCalls: [], error: message,
        };
      }
      const feedback = context.feedback?.(reply);
      if (feedback) {
        root.addEvent('gen_ai.evaluation.result', {
          'gen_ai.evaluation.name': 'user_feedback',
          'gen_ai.evaluation.score.value': feedback.score,
          'gen_ai.evaluation.score.label': feedback.score === 1 ? 'thumbs_up' : 'thumbs_down',
          ...(feedback.explanation ? { 'gen_ai.evaluation.explanation': feedback.explanation } : {}),
        });
      }
      root.end();
      return reply;
    });
  }

  return { answer };
}

/** The bot returned by {@link createRefundBot}. */
export type RefundBot = ReturnType<typeof createRefundBot>;
