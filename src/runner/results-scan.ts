/**
 * Reading `results.jsonl`: every line with its byte range (`scanResults`, which `iterateResults`
 * also reads through), so a report can read a row's results back later (`ResultLines`) instead
 * of holding them. A torn last line (the writer crashed mid-line) is skipped, a broken line
 * anywhere else is an InputError naming the line.
 */
import { existsSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError, excerpt } from '../errors.js';
import type { CaseResult } from './result.js';

function tryParse(text: string): CaseResult | undefined {
  try {
    const v = JSON.parse(text) as CaseResult;
    return v && typeof v === 'object' && typeof v.caseId === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Parses one line of `file` (line numbers count from 1), upgrading 0.1 lines; InputError when it is not a result. */
export function parseLine(file: string, text: string, line: number): CaseResult {
  const v = tryParse(text);
  if (v === undefined) {
    throw new InputError('not a result line', { file, line, expected: 'one JSON CaseResult per line', found: excerpt(text, 80) });
  }
  // 0.1 wrote the recorded output's scores as `baseline`.
  const legacy = v as CaseResult & { baseline?: CaseResult['recorded'] };
  if (legacy.baseline !== undefined && legacy.recorded === undefined) {
    legacy.recorded = legacy.baseline;
    delete legacy.baseline;
  }
  return v;
}

/** One parsed line and where it is in the file. */
export interface LocatedResult {
  result: CaseResult;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte length of the line (without its newline). */
  length: number;
}

const NEWLINE = 0x0a;

/** Bytes read per step of {@link scanResults} (one buffer, reused). */
const SCAN_CHUNK = 1 << 18;

/**
 * Every parsed line of `file` in file order (nothing when the file does not exist). The file is
 * read into one reused buffer: a stream hands out a fresh buffer per chunk, and at 100,000
 * results those 125 MB of short-lived buffers were allocated outside V8's heap, where the C
 * allocator kept much of it as the process's resident size.
 */
export async function* scanResults(file: string, chunk = SCAN_CHUNK): AsyncGenerator<LocatedResult> {
  if (!existsSync(file)) return;
  let no = 0;
  // One line of look-ahead: only the last line may be torn.
  let held: { text: string; no: number; offset: number; length: number } | undefined;
  const take = (text: string, offset: number, length: number): LocatedResult | undefined => {
    no++;
    const out = held ? { result: parseLine(file, held.text, held.no), offset: held.offset, length: held.length } : undefined;
    held = text.trim() === '' ? undefined : { text, no, offset, length };
    return out;
  };
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunk);
    // The start of a line cut by the end of the buffer (a copy), and where it is in the file.
    let carry: Buffer | undefined;
    let carryOffset = 0;
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, chunk, pos);
      if (bytesRead === 0) break;
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE, 0); nl !== -1 && nl < bytesRead; nl = buf.indexOf(NEWLINE, start)) {
        let got: LocatedResult | undefined;
        if (carry) {
          const line = Buffer.concat([carry, buf.subarray(0, nl)]);
          got = take(line.toString('utf8'), carryOffset, line.length);
          carry = undefined;
        } else {
          got = take(buf.toString('utf8', start, nl), pos + start, nl - start);
        }
        if (got) yield got;
        start = nl + 1;
      }
      if (start < bytesRead) {
        const rest = buf.subarray(start, bytesRead);
        if (carry) carry = Buffer.concat([carry, rest]);
        else {
          carry = Buffer.from(rest);
          carryOffset = pos + start;
        }
      }
      pos += bytesRead;
    }
    if (carry) {
      const got = take(carry.toString('utf8'), carryOffset, carry.length);
      if (got) yield got;
    }
  } finally {
    await fh.close();
  }
  if (held) {
    try {
      yield { result: parseLine(file, held.text, held.no), offset: held.offset, length: held.length };
    } catch {
      // a torn last line: the writer crashed mid-line
    }
  }
}

/** Fills `buf` from `offset` of the file open as `fd`; returns the bytes read (fewer at its end). */
function readInto(fd: number, buf: Buffer, offset: number): number {
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** `length` bytes at `offset` of the file open as `fd` (fewer at its end). */
function readRange(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  const got = readInto(fd, buf, offset);
  return got === length ? buf : buf.subarray(0, got);
}

/** One cached block: its buffer (always `blockSize` bytes, reused) and how much of it the file filled. */
interface Block {
  buf: Buffer;
  size: number;
}

/** Size of one cached block of {@link ResultLines}. */
export const LINE_BLOCK = 1 << 17;
/**
 * Blocks {@link ResultLines} keeps (least recently used dropped first): 1 MB in all. A report
 * pass reads each verdict's rows in file order, so a few blocks serve it; a run's reports keep
 * three such readers open (results, case lines, case briefs).
 */
export const LINE_BLOCKS = 8;

/**
 * Lines of `results.jsonl` read back by byte range through a small cache of aligned blocks.
 * A report pass visits rows sorted by verdict and case id, and the runner writes results in
 * about that order (cases are scheduled by id), so consecutive rows mostly sit in the same
 * block: one read serves hundreds of rows instead of one read each. Memory is bounded by
 * `LINE_BLOCKS × LINE_BLOCK` whatever the file's size; a line longer than two blocks is read
 * directly. An evicted block's buffer is refilled for the next block rather than dropped: the
 * HTML report reads a 125 MB results file at 100,000 cases, and a fresh buffer per block left
 * tens of MB of dead buffers waiting for a full collection.
 */
export class ResultLines {
  private readonly blocks = new Map<number, Block>();
  /** Block reads (cache misses) and direct reads, for tests and benchmarks. */
  reads = 0;
  /** Block buffers allocated: at most `max(maxBlocks, 2)` however much is read. */
  buffers = 0;

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
    const start = offset - first * this.blockSize;
    if (first === last) {
      const a = this.block(first);
      return a.buf.toString('utf8', start, Math.min(start + length, a.size));
    }
    // Both blocks held at once: the second read must not evict the first.
    const head = this.block(first).buf.subarray(start, this.blockSize);
    const b = this.block(last, first);
    return Buffer.concat([head, b.buf.subarray(0, Math.min(offset + length - last * this.blockSize, b.size))]).toString('utf8');
  }

  /** Block `i`, read when not cached; `keep` is a block that must not be evicted for it. */
  private block(i: number, keep = -1): Block {
    const hit = this.blocks.get(i);
    if (hit) {
      // Most recently used last.
      this.blocks.delete(i);
      this.blocks.set(i, hit);
      return hit;
    }
    this.reads++;
    let reuse: Block | undefined;
    if (this.blocks.size >= Math.max(this.maxBlocks, 2)) {
      for (const [k, b] of this.blocks) {
        if (k === keep) continue;
        this.blocks.delete(k);
        reuse = b;
        break;
      }
    }
    if (!reuse) this.buffers++;
    const block = reuse ?? { buf: Buffer.allocUnsafe(this.blockSize), size: 0 };
    block.size = readInto(this.fd, block.buf, i * this.blockSize);
    this.blocks.set(i, block);
    return block;
  }
}
