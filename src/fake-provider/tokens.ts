/**
 * A deterministic token estimate: every run of word characters is one token and every other
 * non-space character is one token. Crude, but the same text always counts the same on the
 * request and the reply side, which is all the fake provider promises.
 */

const tokenPattern = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

/** Number of tokens in `text` under the fake estimate. */
export function countTokens(text: string): number {
  let n = 0;
  tokenPattern.lastIndex = 0;
  while (tokenPattern.exec(text) !== null) n++;
  return n;
}

/** The prefix of `text` holding at most `max` tokens (trailing whitespace dropped). */
export function truncateToTokens(text: string, max: number): string {
  if (max <= 0) return '';
  let n = 0;
  tokenPattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = tokenPattern.exec(text)) !== null) {
    n++;
    if (n === max) return text.slice(0, m.index + m[0].length);
  }
  return text;
}

/**
 * Splits `text` into stream pieces of one token each, leading whitespace attached, so that
 * joining the pieces gives back `text` exactly.
 */
export function splitForStream(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  tokenPattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = tokenPattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    pieces.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) {
    if (pieces.length > 0) pieces[pieces.length - 1] += text.slice(start);
    else pieces.push(text.slice(start));
  }
  return pieces;
}
