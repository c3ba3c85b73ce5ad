/**
 * An append-only line file written through ONE promise chain: lines land in exactly the order
 * `append` was called, and lines queued while a write is in flight are coalesced into the next
 * write, so thousands of appends cost a handful of syscalls. A write also waits up to
 * {@link GATHER_MS} for more lines (less once {@link GATHER_CHARS} are queued, none when a
 * flush is asked for): a fresh run appends a line about every millisecond, and writing lines
 * almost one at a time cost 0.3 s of main-thread time at 10,000 cases (results and cache).
 * No fsync per line (that would cap a run at disk latency); `close()` fsyncs once. A crash
 * loses at most the queued tail (the last {@link GATHER_MS} or so) and may tear the last line,
 * which readers skip and `openAppendLog` trims before appending again.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** How long a write waits for more lines, at most. */
export const GATHER_MS = 20;
/** Queued characters after which a write goes without waiting. */
export const GATHER_CHARS = 256 * 1024;

/** One append-only line file; see the file comment for the ordering and durability contract. */
export class AppendLog {
  private pending: string[] = [];
  private pendingChars = 0;
  private drain: Promise<void> | undefined;
  /** Ends the current wait for more lines. */
  private wake: (() => void) | undefined;
  /** Flushes in progress: no write waits while one is. */
  private hurrying = 0;
  private failure: unknown;
  private closed = false;
  private bytes = 0;

  private constructor(
    private readonly fh: FileHandle,
    /** Path of the file. */
    readonly file: string,
  ) {}

  /**
   * Opens (creating directories) `file` for appending. A torn last line left by a crash is cut
   * off first, so the next line does not get glued to it.
   */
  static async open(file: string): Promise<AppendLog> {
    await mkdir(dirname(file), { recursive: true });
    const fh = await open(file, 'a+');
    await trimTornTail(fh);
    return new AppendLog(fh, file);
  }

  /** Queues one line (a trailing newline is added). Throws if an earlier write failed. */
  append(line: string): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new Error(`append after close: ${this.file}`);
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    if (this.pendingChars >= GATHER_CHARS) this.wakeUp();
    this.drain ??= this.writeLoop();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        if (this.hurrying === 0 && this.pendingChars < GATHER_CHARS) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => this.wakeUp(), GATHER_MS);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        const batch = this.pending;
        this.pending = [];
        this.pendingChars = 0;
        const { bytesWritten } = await this.fh.write(`${batch.join('\n')}\n`);
        this.bytes += bytesWritten;
      }
    } catch (err) {
      this.failure = err;
    } finally {
      this.drain = undefined;
    }
  }

  /**
   * Bytes this instance has written so far (not counting what the file held when opened): a
   * line appended at byte `o` of those is readable at `o` once `written` passes its end.
   */
  get written(): number {
    return this.bytes;
  }

  /** The open file's descriptor, for positional reads of lines already written. */
  get fd(): number {
    return this.fh.fd;
  }

  /** Resolves when everything queued so far is written (not fsynced), without waiting for more lines. */
  async flush(): Promise<void> {
    this.hurrying++;
    this.wakeUp();
    try {
      while (this.drain) await this.drain;
    } finally {
      this.hurrying--;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Flushes, fsyncs once, closes. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
      await this.fh.sync();
    } finally {
      this.closed = true;
      await this.fh.close();
    }
  }
}

async function trimTornTail(fh: FileHandle): Promise<void> {
  const { size } = await fh.stat();
  if (size === 0) return;
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return;
  // Walk back to the previous newline; lines are small, so a few KB chunks suffice.
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await fh.read(chunk, 0, end - start, start);
    const idx = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (idx >= 0) {
      await fh.truncate(start + idx + 1);
      return;
    }
    end = start;
  }
  await fh.truncate(0);
}
