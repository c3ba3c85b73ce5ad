/**
 * `results.jsonl` read once, line by line, with each line's byte range, so a report can read a
 * row's results back later (`readResultAt`) instead of holding them. Same tolerance as
 * `iterateResults`: a torn last line is skipped, a broken line anywhere else is an InputError
 * naming the line.
 */
import { createReadStream, existsSync, readSync } from 'node:fs';
import { parseLine } from '../runner/results.js';
import type { CaseResult } from '../runner/result.js';

/** One parsed line and where it is in the file. */
export interface LocatedResult {
  result: CaseResult;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte length of the line (without its newline). */
  length: number;
}

const NEWLINE = 0x0a;

/** Every parsed line of `file` in file order (nothing when the file does not exist). */
export async function* scanResults(file: string): AsyncGenerator<LocatedResult> {
  if (!existsSync(file)) return;
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0;
  let no = 0;
  // One line of look-ahead: only the last line may be torn.
  let held: { text: string; no: number; offset: number; length: number } | undefined;
  const take = (buf: Buffer, start: number, end: number, offset: number): LocatedResult | undefined => {
    no++;
    const text = buf.toString('utf8', start, end);
    const out = held ? { result: parseLine(file, held.text, held.no), offset: held.offset, length: held.length } : undefined;
    held = text.trim() === '' ? undefined : { text, no, offset, length: end - start };
    return out;
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      const got = take(buf, start, nl, carryOffset + start);
      if (got) yield got;
      start = nl + 1;
    }
    carryOffset += start;
    carry = buf.subarray(start);
  }
  if (carry.length > 0) {
    const got = take(carry, 0, carry.length, carryOffset);
    if (got) yield got;
  }
  if (held) {
    try {
      yield { result: parseLine(file, held.text, held.no), offset: held.offset, length: held.length };
    } catch {
      // a torn last line: the writer crashed mid-line
    }
  }
}

/** Reads back the line at `offset` (`length` bytes) of the file open as `fd`. */
export function readResultAt(fd: number, file: string, offset: number, length: number): CaseResult {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return parseLine(file, buf.toString('utf8', 0, got), 0);
}
