/**
 * `JSON.stringify(value, null, 2)` written piece by piece: arrays too large to hold as one
 * string (100,000 case entries) are put in `value` as a placeholder string and their items
 * stringified one at a time, at the indentation the placeholder sits at. Joined, the pieces
 * are exactly the text `JSON.stringify` gives for the value with the arrays in place.
 */

/** A placeholder and the items it stands for (a non-empty array: an empty one is stringified as `[]`). */
export interface StreamedArray {
  placeholder: string;
  items: Iterable<unknown>;
}

/** A placeholder string no JSON value of ours contains. */
export function placeholderFor(name: string): string {
  return `\u0000evals-streamed-array:${name}\u0000`;
}

/** Pieces of the two-space indented JSON text of `value` (see the file comment). */
export function* stringifyStreamed(value: unknown, arrays: readonly StreamedArray[]): Generator<string> {
  let text = JSON.stringify(value, null, 2);
  for (const { placeholder, items } of arrays) {
    const quoted = JSON.stringify(placeholder);
    const at = text.indexOf(quoted);
    if (at === -1) throw new Error(`placeholder ${JSON.stringify(placeholder)} not in the value`);
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const outer = text.slice(lineStart, lineStart + (text.slice(lineStart).length - text.slice(lineStart).trimStart().length));
    const inner = `${outer}  `;
    yield `${text.slice(0, at)}[`;
    let first = true;
    for (const item of items) {
      yield `${first ? '' : ','}\n${inner}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`)}`;
      first = false;
    }
    yield first ? ']' : `\n${outer}]`;
    text = text.slice(at + quoted.length);
  }
  yield text;
}
