/**
 * The case read thread of `evals run`: a worker (case-read-worker.ts) that reads, checks and
 * validates case files and makes their report spool texts, on the machine's other core, while
 * the main thread runs the cases. At 10,000 cached cases that was ≈ 45 µs per case off the main
 * thread (the file read, the hash, the schema check, the secret scrub and the report line), about
 * a third of its run phase.
 *
 * It never changes an outcome: until the worker is ready (≈ 70 ms after start), after it failed,
 * and for any case it could not read, {@link CaseReadThread.read} answers undefined and the
 * caller reads the case on the main thread as before, with the same errors. Only used from the
 * built CLI (the worker is a file of dist/cli/), for runs of at least {@link THREAD_MIN_CASES}
 * cases; `EVALS_CASE_READ_THREAD=off` turns it off, `=on` uses it whatever the run's size and
 * waits (up to 5 s) for it to be ready before the first read. With `EVALS_DEBUG` set, `evals run`
 * prints how many cases the thread read.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { registeredSecrets } from '../secrets/scrub.js';
import { encodeRequests, type CaseReadReply, type CaseReadRequest } from './case-read-worker.js';

/** Runs with fewer cases read them on the main thread (the worker's start costs ≈ 70 ms of CPU). */
export const THREAD_MIN_CASES = 1000;

/** A case read on the thread: its text (validated there) and its spool texts. */
export interface ThreadRead {
  text: string;
  brief: string;
  line: string;
}

type Resolve = (r: ThreadRead | undefined) => void;

/** With `EVALS_CASE_READ_THREAD=on`, how long the start waits for the worker to be ready. */
const READY_WAIT_MS = 5000;

/** Reads sent to the worker per message, at most (half the largest read-ahead). */
const MAX_BATCH = 128;

/** Reads per message before `use` sets it from the run's read-ahead. */
const DEFAULT_BATCH = 16;

/**
 * A batch not full yet is sent this long after its first read. A message costs the main thread
 * tens of µs whatever it holds, and more when waking the worker takes its core. Sent at the next
 * turn of the event loop, a fresh run (whose loop turns for every response) sent one read per
 * message: 0.33 s of main-thread time at 10,000 cases. After 5 ms it sent about five, and a
 * fresh 10,000-case run took 9.7–10.3 s of user CPU (both threads) against 9.3–9.5 s after 40 ms.
 *
 * The wait does not starve the run. A batch not full holds fewer than `batch` reads (half the
 * read-ahead), so the run still has the other half asked for, most of it answered. A run that
 * asks for `batch` reads within the wait fills a batch, which goes at once. The run's last
 * read (its cases, see `use`) goes at once too, so a fast run does not wait for the timer at
 * its end; reads after it (confirmation rounds) go one message each. A resumed run, which reads
 * fewer cases, may wait once at its end.
 */
export const BATCH_WAIT_MS = 40;

export class CaseReadThread {
  private dead = false;
  /** Requests not sent yet, and their resolvers. */
  private queued: CaseReadRequest[] = [];
  private waiting: Resolve[] = [];
  /** Resolvers of sent requests, in order. */
  private sent: Resolve[] = [];
  private timer: NodeJS.Timeout | undefined;
  private secretsSent = 0;
  /** Cases the thread read (answered with their texts). */
  answered = 0;

  /** Reads per message (see `use`). */
  private batch = DEFAULT_BATCH;
  /** Reads the run will ask for (its cases, see `use`), and how many it has asked for. */
  private expected = Number.POSITIVE_INFINITY;
  private requested = 0;

  private constructor(
    private readonly worker: Worker,
    /** Set to 1 by the worker once it listens (case-read-worker.ts). */
    private readonly ready: Int32Array,
  ) {
    // The process never waits for the thread: a run that ends (or fails) just ends.
    worker.unref();
    worker.on('message', (msg: CaseReadReply[]) => {
      for (const reply of msg) {
        if (reply !== undefined) this.answered++;
        this.sent.shift()?.(reply);
      }
    });
    // A thread that fails hands everything back to the main thread.
    worker.on('error', () => this.stop());
    worker.on('exit', () => this.stop());
  }

  /**
   * Starts the thread for a run of `cases` cases, or returns undefined: below
   * {@link THREAD_MIN_CASES}, when `EVALS_CASE_READ_THREAD=off`, or outside the built CLI.
   * `readAhead`: how many reads the run asks for ahead of their use; a message carries half as
   * many (up to MAX_BATCH), so the other half is still being answered when a batch goes.
   */
  static start(cases: number, readAhead: number, file?: string): CaseReadThread | undefined {
    if (process.env.EVALS_CASE_READ_THREAD !== 'on' && cases < THREAD_MIN_CASES) return undefined;
    return CaseReadThread.launch(file)?.use(cases, readAhead);
  }

  /**
   * Starts the worker before the run's size is known (`evals run` does so before it reads the
   * datasets, so that the worker's start overlaps the plan and it is ready when the first case
   * is read); {@link use} then keeps or stops it. Undefined with `EVALS_CASE_READ_THREAD=off` or
   * outside the built CLI.
   */
  static launch(file = fileURLToPath(new URL('./case-read-worker.js', import.meta.url))): CaseReadThread | undefined {
    if (process.env.EVALS_CASE_READ_THREAD === 'off' || !existsSync(file)) return undefined;
    const ready = new Int32Array(new SharedArrayBuffer(4));
    try {
      // A small young generation: the worker's garbage is one case at a time.
      return new CaseReadThread(new Worker(file, { workerData: { ready }, resourceLimits: { maxYoungGenerationSizeMb: 8 } }), ready);
    } catch {
      return undefined;
    }
  }

  /**
   * This thread for a run of `cases` cases, or undefined (and the thread stopped) below
   * {@link THREAD_MIN_CASES} unless `EVALS_CASE_READ_THREAD=on` (which waits for it to be
   * ready). `readAhead`: how many reads the run asks for ahead of their use; a message carries
   * half as many (up to MAX_BATCH), so the other half is still being answered when a batch goes.
   */
  use(cases: number, readAhead: number): CaseReadThread | undefined {
    const mode = process.env.EVALS_CASE_READ_THREAD;
    if (this.dead || (mode !== 'on' && cases < THREAD_MIN_CASES)) {
      this.stop();
      return undefined;
    }
    this.batch = Math.max(1, Math.min(MAX_BATCH, Math.floor(readAhead / 2)));
    this.expected = cases;
    this.requested = 0;
    if (mode === 'on') Atomics.wait(this.ready, 0, 0, READY_WAIT_MS);
    return this;
  }

  /** The case read on the thread, or undefined: then the caller reads it itself. */
  read(root: string, name: string, id: string, hash: string): Promise<ThreadRead | undefined> {
    if (this.dead || Atomics.load(this.ready, 0) !== 1) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.queued.push({ root, name, id, hash });
      this.waiting.push(resolve);
      this.requested++;
      // A full batch, or the run's last read (nothing more will join this batch), goes now.
      if (this.queued.length >= this.batch || this.requested >= this.expected) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), BATCH_WAIT_MS);
    });
  }

  /** Stops the thread; what it has not answered is answered undefined. */
  stop(): void {
    if (this.dead) return;
    this.dead = true;
    clearTimeout(this.timer);
    void this.worker.terminate();
    for (const r of [...this.sent.splice(0), ...this.waiting.splice(0)]) r(undefined);
    this.queued = [];
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dead || this.queued.length === 0) return;
    const secrets = registeredSecrets();
    const fresh = secrets.length > this.secretsSent ? secrets.slice(this.secretsSent) : undefined;
    this.secretsSent = secrets.length;
    // One string: cloned as one copy, where objects are cloned field by field.
    const cases = encodeRequests(this.queued);
    this.queued = [];
    this.sent.push(...this.waiting.splice(0));
    this.worker.postMessage(fresh ? { secrets: fresh, cases } : { cases });
  }
}
