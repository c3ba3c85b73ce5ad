/**
 * Word-level diff by longest common subsequence. Written without closures or helpers so the
 * same function can be shipped verbatim to the HTML report's client script (`toString()`).
 */

/** One run of the diff: `0` same, `-1` only in the old text, `1` only in the new text. */
export type DiffOp = [op: -1 | 0 | 1, text: string];

/**
 * Diffs two texts by words. A token is a word with the whitespace after it (leading whitespace
 * is a token of its own), so shared spaces never split a change into fragments and joining the
 * pieces gives back each text exactly. Common prefix and suffix are trimmed first; when the middle exceeds
 * `maxCells` table cells (default 4,000,000) it is reported as one removal plus one addition.
 */
export function wordDiff(before: string, after: string, maxCells?: number): DiffOp[] {
  const limit = maxCells === undefined ? 4000000 : maxCells;
  const a = before.match(/\s+|\S+\s*/g) || [];
  const b = after.match(/\s+|\S+\s*/g) || [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const raw: Array<[-1 | 0 | 1, string]> = [];
  for (let i = 0; i < start; i++) raw.push([0, a[i] as string]);
  const n = endA - start;
  const m = endB - start;
  if (n * m > limit) {
    for (let i = start; i < endA; i++) raw.push([-1, a[i] as string]);
    for (let j = start; j < endB; j++) raw.push([1, b[j] as string]);
  } else {
    // lcs[i * (m + 1) + j] = LCS length of a[start+i..endA) and b[start+j..endB)
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = a[start + i] === b[start + j]
          ? (lcs[(i + 1) * (m + 1) + j + 1] as number) + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j] as number, lcs[i * (m + 1) + j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) { raw.push([0, a[start + i] as string]); i++; j++; }
      else if ((lcs[(i + 1) * (m + 1) + j] as number) >= (lcs[i * (m + 1) + j + 1] as number)) { raw.push([-1, a[start + i] as string]); i++; }
      else { raw.push([1, b[start + j] as string]); j++; }
    }
    for (; i < n; i++) raw.push([-1, a[start + i] as string]);
    for (; j < m; j++) raw.push([1, b[start + j] as string]);
  }
  for (let i = endA; i < a.length; i++) raw.push([0, a[i] as string]);
  // Merge neighbours with the same op so the renderer makes few elements.
  const out: DiffOp[] = [];
  for (let k = 0; k < raw.length; k++) {
    const piece = raw[k] as DiffOp;
    const last = out[out.length - 1];
    if (last && last[0] === piece[0]) last[1] += piece[1];
    else out.push([piece[0], piece[1]]);
  }
  return out;
}
