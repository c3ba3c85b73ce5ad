/**
 * `results.jsonl` read once, line by line, with each line's byte range, so a report can read a
 * row's results back later (`ResultLines`) instead of holding them. Same tolerance as
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

/** `length` bytes at `offset` of the file open as `fd` (fewer at its end). */
function readRange(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

/** Size of one cached block of {@link ResultLines}. */
export const LINE_BLOCK = 1 << 18;
/** Blocks {@link ResultLines} keeps (least recently used dropped first): 4 MB in all. */
export const LINE_BLOCKS = 16;

/**
 * Lines of `results.jsonl` read back by byte range through a small cache of aligned blocks.
 * A report pass visits rows sorted by verdict and case id, and the runner writes results in
 * about that order (cases are scheduled by id), so consecutive rows mostly sit in the same
 * block: one read serves hundreds of rows instead of one read each. Memory is bounded by
 * `LINE_BLOCKS × LINE_BLOCK` whatever the file's size; a line longer than a block is read
 * directly.
 */
export class ResultLines {
  private readonly blocks = new Map<number, Buffer>();
  /** Block reads (cache misses) and direct reads, for tests and benchmarks. */
  reads = 0;

  constructor(
    private readonly fd: number,
    private readonly file: string,
    private readonly blockSize = LINE_BLOCK,
    private readonly maxBlocks = LINE_BLOCKS,
  ) {}

  /** The result on the line at `offset`, `length` bytes long. */
  read(offset: number, length: number): CaseResult {
    return parseLine(this.file, this.text(offset, length), 0);
  }

  /** The line's text. */
  text(offset: number, length: number): string {
    if (length <= 0) return '';
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((offset + length - 1) / this.blockSize);
    if (last - first > 1) {
      this.reads++;
      return readRange(this.fd, offset, length).toString('utf8');
    }
    const a = this.block(first);
    const start = offset - first * this.blockSize;
    if (first === last) return a.toString('utf8', start, start + length);
    const b = this.block(last);
    return Buffer.concat([a.subarray(start), b.subarray(0, offset + length - last * this.blockSize)]).toString('utf8');
  }

  private block(i: number): Buffer {
    const hit = this.blocks.get(i);
    if (hit) {
      // Most recently used last.
      this.blocks.delete(i);
      this.blocks.set(i, hit);
      return hit;
    }
    this.reads++;
    const buf = readRange(this.fd, i * this.blockSize, this.blockSize);
    if (this.blocks.size >= this.maxBlocks) this.blocks.delete(this.blocks.keys().next().value!);
    this.blocks.set(i, buf);
    return buf;
  }
}
