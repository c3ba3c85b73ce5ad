/**
 * The case `query`: the end user's question, short, as they asked it. It titles the case
 * everywhere (reports, progress, `datasets show`), so it must not be the whole rendered user
 * message with the retrieved context pasted in. Where it is looked for, in order:
 *  1. a template variable named like a question (`question`, `query`, `input`…) of the prompt
 *     step or of the model call's linked template;
 *  2. the pipeline entry's input (the root span): a string, a `{question}`-like object,
 *     OpenLLMetry's `{"args":[…],"kwargs":{…}}`, or a message list (its last user turn); then
 *     the inputs of other chain/task spans, when the rendered user message quotes them;
 *  3. the retrieval query, when the rendered user message contains it verbatim;
 *  4. the user's last turn, cut to the text after a `Question:` label when it has one.
 */
import type { Json, Message, Trace } from '../../traces/model.js';
import { stepsOf } from '../../traces/model.js';

/** Names that hold the end user's request, in order of preference. */
const QUESTION_KEYS = ['question', 'query', 'user_question', 'user_query', 'user_input', 'input', 'message', 'prompt'];

function nonBlank(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function isObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A question-like string inside a recorded input value; `fits` prefers strings the rendered message contains. */
function questionIn(value: Json | undefined, fits: (s: string) => boolean, depth = 0): string | undefined {
  if (depth > 3 || value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return questionIn(JSON.parse(t) as Json, fits, depth + 1);
      } catch {
        return nonBlank(value);
      }
    }
    return nonBlank(value);
  }
  if (Array.isArray(value)) {
    const users = value.filter((m) => isObject(m) && (m['role'] === 'user' || m['role'] === 'human'));
    const last = users[users.length - 1];
    if (isObject(last)) return questionIn(last['content'], fits, depth + 1);
    return value.length === 1 ? questionIn(value[0], fits, depth + 1) : undefined;
  }
  if (!isObject(value)) return undefined;
  for (const key of QUESTION_KEYS) {
    const found = questionIn(value[key], fits, depth + 1);
    if (found !== undefined) return found;
  }
  if (Array.isArray(value['messages'])) return questionIn(value['messages'], fits, depth + 1);
  // OpenLLMetry decorator input: {"args":[…],"kwargs":{…}}.
  if (isObject(value['kwargs'])) {
    const found = questionIn(value['kwargs'], fits, depth + 1);
    if (found !== undefined) return found;
  }
  if (Array.isArray(value['args'])) {
    // Positional arguments may hold ids before the question: take the one the prompt quotes.
    const strings = value['args'].filter((a): a is string => typeof a === 'string' && a.trim() !== '');
    const first = strings.find((a) => fits(a.trim())) ?? strings[0];
    if (first !== undefined) return questionIn(first, fits, depth + 1);
  }
  return undefined;
}

function variableQuestion(vars: Record<string, Json> | undefined): string | undefined {
  for (const key of QUESTION_KEYS) {
    const v = nonBlank(vars?.[key]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The text after the last `Question:` (or `Query:`) label of a rendered message, if any. */
function labelledQuestion(text: string): string | undefined {
  const matches = [...text.matchAll(/(?:^|\n)[ \t#*]*(?:customer |user )?(?:question|query)[ \t*]*:[ \t]*([^\n]+(?:\n(?![ \t#*]*\w[\w ]{0,30}:)[^\n]+)*)/gi)];
  const last = matches[matches.length - 1]?.[1];
  return last === undefined ? undefined : nonBlank(last);
}

/** The user's question for a case built from `trace` whose replayed messages are `messages`. */
export function caseQuery(trace: Trace, messages: readonly Message[], templateVariables?: Record<string, Json>): string | undefined {
  const prompt = stepsOf(trace, 'prompt').find((s) => s.step.variables !== undefined)?.step;
  const fromVariables = variableQuestion(templateVariables) ?? variableQuestion(prompt?.variables);
  if (fromVariables !== undefined) return fromVariables;
  const lastUser = [...messages].reverse().find((m) => m.role === 'user' && m.content)?.content ?? undefined;
  const fits = (s: string): boolean => lastUser === undefined || lastUser.includes(s);
  const chains = trace.spans.flatMap((s) => (s.step?.type === 'chain' ? [s.step] : []));
  const fromRoot = chains[0] ? questionIn(chains[0].input, fits) : undefined;
  if (fromRoot !== undefined) return fromRoot;
  // Other chain / task spans (a Traceloop task's kwargs…), only when the prompt quotes what they hold.
  for (const chain of chains.slice(1)) {
    const found = questionIn(chain.input, fits);
    if (found !== undefined && lastUser !== undefined && fits(found) && found !== lastUser) return found;
  }
  const retrievalQuery = nonBlank(stepsOf(trace, 'retrieval')[0]?.step.query);
  if (retrievalQuery !== undefined && (lastUser === undefined || lastUser.includes(retrievalQuery))) return retrievalQuery;
  if (lastUser === undefined) return undefined;
  return labelledQuestion(lastUser) ?? lastUser;
}
