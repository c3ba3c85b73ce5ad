/**
 * Parsing the model's JSON reply. Models do not always obey "reply with JSON only" (prose,
 * truncated output), so a failed parse falls back to the raw text as the answer instead of
 * failing the request; the fallback is recorded on the parser span.
 */

/** The structured reply the bot shows to the customer. */
export interface ParsedReply {
  answer: string;
  /** null when the model did not say (or the reply could not be parsed). */
  refundEligible: boolean | null;
  citations: string[];
}

/** Result of {@link parseReply}. */
export interface ParseOutcome {
  reply: ParsedReply;
  /** True when JSON.parse failed or the JSON lacked a string `answer`. */
  fallback: boolean;
  /** Why the fallback was taken ('' when it was not). */
  reason: string;
}

/** Strips a ```json fence that models like to add around JSON. */
function unfence(raw: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(raw);
  return fenced?.[1] ?? raw.trim();
}

/** Parses `{"answer", "refund_eligible", "citations"}`; falls back to the raw text. */
export function parseReply(raw: string): ParseOutcome {
  const fallback = (reason: string): ParseOutcome => ({
    reply: { answer: raw.trim(), refundEligible: null, citations: [] },
    fallback: true,
    reason,
  });
  let data: unknown;
  try {
    data = JSON.parse(unfence(raw));
  } catch (error) {
    return fallback(error instanceof Error ? error.message : String(error));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fallback('not a JSON object');
  const record = data as Record<string, unknown>;
  if (typeof record['answer'] !== 'string') return fallback('missing string "answer"');
  const eligible = record['refund_eligible'];
  const citations = Array.isArray(record['citations'])
    ? record['citations'].filter((c): c is string => typeof c === 'string')
    : [];
  return {
    reply: { answer: record['answer'], refundEligible: typeof eligible === 'boolean' ? eligible : null, citations },
    fallback: false,
    reason: '',
  };
}
