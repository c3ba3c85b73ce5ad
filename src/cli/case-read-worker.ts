/**
 * The worker of the case read thread (case-read-thread.ts): for each requested case it reads the
 * file, checks its pinned hash, parses and validates it, and makes what the report spools keep
 * of it (case-spool.ts `spoolTexts`), then sends the file's text and those two texts back. The
 * main thread only parses the text again (the file was validated here). A case that fails in
 * any way comes back undefined: the main thread reads it itself, and so raises the very error
 * it would have raised without this thread.
 *
 * Messages in: `{ secrets?: string[], cases: string }` (secrets registered on the main thread
 * since the last message; the cases as {@link encodeRequests} wrote them); out: one
 * `CaseReadReply[]` per at most REPLY_EVERY cases of a request, in order. It is ready when it
 * sets `workerData.ready[0]` to 1: a shared flag, because a main thread busy with cached cases (a
 * chain of promises that never waits for I/O) would see a message only when its run phase ended.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readCaseTextSync } from '../datasets/storage/dataset-io.js';
import { registerSecret } from '../secrets/scrub.js';
import { spoolTexts } from './case-spool.js';

/** One case to read: its dataset root and name, id and pinned hash. */
export interface CaseReadRequest {
  root: string;
  name: string;
  id: string;
  hash: string;
}

/** The file's text and the spools' texts of one case, or undefined: failed (the main thread reads it again). */
export type CaseReadReply = { text: string; brief: string; line: string } | undefined;

/** Requests as one string: four fields each, all NUL-separated (no path or id holds a NUL). */
export function encodeRequests(requests: readonly CaseReadRequest[]): string {
  return requests.map((r) => `${r.root}\0${r.name}\0${r.id}\0${r.hash}`).join('\0');
}

/** The requests of {@link encodeRequests}' string. */
export function decodeRequests(text: string): CaseReadRequest[] {
  const f = text.split('\0');
  const out: CaseReadRequest[] = [];
  for (let k = 0; k + 3 < f.length; k += 4) out.push({ root: f[k]!, name: f[k + 1]!, id: f[k + 2]!, hash: f[k + 3]! });
  return out;
}

/** Replies are sent every this many cases, so the first of a long request is not held back. */
const REPLY_EVERY = 16;

const port = parentPort;
if (port) {
  port.on('message', (msg: { secrets?: string[]; cases: string }) => {
    for (const s of msg.secrets ?? []) registerSecret(s);
    let out: CaseReadReply[] = [];
    for (const r of decodeRequests(msg.cases)) {
      try {
        const { text, c } = readCaseTextSync(r.root, r.name, r.id, r.hash);
        out.push({ text, ...spoolTexts(c) });
      } catch {
        out.push(undefined);
      }
      if (out.length === REPLY_EVERY) {
        port.postMessage(out);
        out = [];
      }
    }
    if (out.length > 0) port.postMessage(out);
  });
  const { ready } = workerData as { ready: Int32Array };
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
}
