/**
 * Streams a file line by line with each line's byte offset, so a second pass can re-read just
 * the lines it needs (`readRange`). `readline` cannot report byte offsets, hence this reader.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/** One line of a file. `line` is 1-based; `offset`/`length` are bytes, newline excluded. */
export interface FileLine {
  text: string;
  line: number;
  offset: number;
  length: number;
}

const NL = 0x0a;

function toLine(pieces: Buffer[], line: number, offset: number): FileLine {
  let buf = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
  const length = buf.length;
  if (length > 0 && buf[length - 1] === 0x0d) buf = buf.subarray(0, length - 1);
  // A UTF-8 byte-order mark (Windows editors, PowerShell) is not part of the first record.
  const text = buf.toString('utf8');
  return { text: offset === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, line, offset, length };
}

/**
 * Yields every line of `path` (including empty ones) with its byte offset. Memory holds one
 * read chunk plus the current line, whatever the file size.
 */
export async function* readLines(path: string): AsyncGenerator<FileLine> {
  let pending: Buffer[] = [];
  let lineStart = 0;
  let pos = 0;
  let line = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let from = 0;
    let idx = chunk.indexOf(NL, from);
    while (idx !== -1) {
      pending.push(chunk.subarray(from, idx));
      line++;
      yield toLine(pending, line, lineStart);
      pending = [];
      lineStart = pos + idx + 1;
      from = idx + 1;
      idx = chunk.indexOf(NL, from);
    }
    if (from < chunk.length) pending.push(chunk.subarray(from));
    pos += chunk.length;
  }
  if (pending.length > 0 && pending.some((p) => p.length > 0)) {
    line++;
    yield toLine(pending, line, lineStart);
  }
}

/** A byte range of a file to read back. */
export interface LineRef {
  offset: number;
  length: number;
  line: number;
}

/** Reads the given line ranges of one file (in offset order) and returns their text. */
export async function readRanges(path: string, refs: LineRef[]): Promise<Array<{ ref: LineRef; text: string }>> {
  const sorted = [...refs].sort((a, b) => a.offset - b.offset);
  const handle = await open(path, 'r');
  try {
    const out: Array<{ ref: LineRef; text: string }> = [];
    for (const ref of sorted) {
      const buf = Buffer.alloc(ref.length);
      let read = 0;
      while (read < ref.length) {
        const { bytesRead } = await handle.read(buf, read, ref.length - read, ref.offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      const text = buf.subarray(0, read).toString('utf8');
      out.push({ ref, text: ref.offset === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
    }
    return out;
  } finally {
    await handle.close();
  }
}
