/**
 * Locating sensitive values in one text, linear in its length however dense the values are.
 *
 * Every detector runs over the text in priority order; what it accepts is marked in one typed
 * array of tags (one slot per UTF-16 unit), so a later detector's overlap test costs only its
 * match's length, and the findings come out in text order by one pass over the tags, with no
 * sort and no object per value until a caller asks for one.
 */
import { builtinDetectors } from './redact-detectors.js';
import type { Detector } from './redact-detectors.js';

/** Matches placeholders written by an earlier pass: `<EMAIL_1a2b3c4d>`, `<REDACTED>`. */
export const PLACEHOLDER = /<(?:[A-Z][A-Z0-9_]*_[0-9a-f]{8}|REDACTED)>/g;

/** Tag of a slot inside a marked span (after its first slot). */
const INSIDE = 1;
/** Tag of the first slot of an existing placeholder (kept as it is). */
const PLACEHOLDER_START = 2;
/** Tag of the first slot of a value found by `detectors[i]` is `FIRST_DETECTOR + i`. */
const FIRST_DETECTOR = 3;

/** Tags of a text (see the file comment), or `undefined` when no detector found anything. */
export type Marks = Uint8Array | Uint16Array;

/**
 * Only detectors that replace a capture group need match indices (the `d` flag): they make
 * every match allocate an array of spans, which costs a third of the time on dense text.
 */
export function withIndices(d: Detector): Detector {
  if ((d.group ?? 0) === 0 || d.regex.flags.includes('d')) return d;
  return { ...d, regex: new RegExp(d.regex.source, `${d.regex.flags}d`) };
}

/** Marks what `detectors` find in `text`, earlier detectors first; `undefined` when nothing is found. */
export function markSensitive(text: string, detectors: readonly Detector[] = builtinDetectors): Marks | undefined {
  let tags: Marks | undefined;
  const alloc = (): Marks => (detectors.length + FIRST_DETECTOR <= 0xff ? new Uint8Array(text.length) : new Uint16Array(text.length));
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(text); m !== null; m = PLACEHOLDER.exec(text)) {
    tags ??= alloc();
    tags.fill(INSIDE, m.index + 1, m.index + m[0].length);
    tags[m.index] = PLACEHOLDER_START;
  }
  let found = 0;
  detectors.forEach((detector, i) => {
    if (detector.hint !== undefined && !detector.hint.test(text)) return;
    const d = withIndices(detector);
    const group = d.group ?? 0;
    const re = d.regex;
    const unicode = /[uv]/.test(re.flags);
    re.lastIndex = 0;
    // An exec loop on the shared regex (reset before and after) avoids matchAll's clone and iterator.
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      let start = m.index;
      let end = start + m[0].length;
      if (end === start) re.lastIndex = nextIndex(text, end, unicode);
      if (group !== 0) {
        const span = m.indices?.[group];
        if (span === undefined) continue;
        [start, end] = span;
      }
      if (end <= start || (tags !== undefined && overlaps(tags, start, end))) continue;
      if (d.validate !== undefined && !d.validate(text.slice(start, end))) continue;
      tags ??= alloc();
      tags.fill(INSIDE, start + 1, end);
      tags[start] = FIRST_DETECTOR + i;
      found++;
    }
    re.lastIndex = 0;
  });
  return found > 0 ? tags : undefined;
}

/** Calls `fn` for every marked value, in text order, with its detector and UTF-16 span. */
export function forEachMarked(tags: Marks, detectors: readonly Detector[], fn: (detector: Detector, start: number, end: number) => void): void {
  const n = tags.length;
  for (let i = 0; i < n; i++) {
    const tag = tags[i]!;
    if (tag < PLACEHOLDER_START) continue;
    let j = i + 1;
    while (j < n && tags[j] === INSIDE) j++;
    if (tag >= FIRST_DETECTOR) fn(detectors[tag - FIRST_DETECTOR]!, i, j);
    i = j - 1;
  }
}

function overlaps(tags: Marks, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (tags[i] !== 0) return true;
  return false;
}

/** Where to resume after an empty match (past a whole surrogate pair in unicode mode), as matchAll does. */
function nextIndex(text: string, i: number, unicode: boolean): number {
  if (!unicode || i + 1 >= text.length) return i + 1;
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? i + 2 : i + 1;
}
