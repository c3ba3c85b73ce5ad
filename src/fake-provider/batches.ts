/**
 * The fake provider's batch jobs, shared by both wire formats: every request of a batch is
 * answered at creation by the same rules and renderers as a live call, then revealed over
 * `delayMs` (the counts grow linearly), so tests see `in_progress` before the end. Faults:
 * requests whose last user message matches `errorWhen` error; batches listed in `expire` end as expired with only
 * their first half answered. Time is read from an injectable clock.
 */
import { ConfigError } from '../errors.js';
import { normalizeRequest } from './normalize.js';
import { renderers } from './render.js';
import { planReply, type CompiledRule } from './rules.js';
import { errorBody } from './sse.js';
import type { FakeApi, FakeBatchOptions } from './types.js';

/** One request's answer inside a batch. */
export type FakeBatchItem =
  | { customId: string; kind: 'succeeded'; body: unknown }
  | { customId: string; kind: 'errored'; status: number; body: unknown }
  | { customId: string; kind: 'expired' };

/** One batch job. */
export interface FakeBatchJob {
  id: string;
  /** 1-based creation order (what `expire` refers to). */
  seq: number;
  flavor: 'openai' | 'anthropic';
  /** OpenAI: the endpoint and the input file. */
  endpoint?: string;
  inputFileId?: string;
  createdAt: number;
  endsAt: number;
  expires: boolean;
  items: FakeBatchItem[];
  /** OpenAI: files written when the batch ended. */
  outputFileId?: string;
  errorFileId?: string;
}

/** A stored file (OpenAI Files API). */
export interface FakeFile {
  id: string;
  filename: string;
  purpose: string;
  createdAt: number;
  content: string;
}

/** State of every batch and file since the server started. */
export class FakeBatchStore {
  readonly jobs = new Map<string, FakeBatchJob>();
  readonly files = new Map<string, FakeFile>();
  /** Batches created, both APIs. */
  created = 0;
  private replySeq = 1_000_000;
  private fileSeq = 0;
  private readonly errorWhen: RegExp | undefined;

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly drawReply: () => number,
    private readonly options: FakeBatchOptions = {},
    readonly now: () => number = Date.now,
  ) {
    try {
      this.errorWhen = options.errorWhen !== undefined ? new RegExp(options.errorWhen) : undefined;
    } catch (cause) {
      throw new ConfigError('invalid fake provider option', { field: 'batch.errorWhen', expected: 'a JavaScript regular expression', found: options.errorWhen, cause });
    }
  }

  addFile(filename: string, purpose: string, content: string): FakeFile {
    const file: FakeFile = { id: `file-fake-${++this.fileSeq}`, filename, purpose, createdAt: this.now(), content };
    this.files.set(file.id, file);
    return file;
  }

  /** Creates a job from parsed requests (`api` body per request), answering each now. */
  create(flavor: FakeBatchJob['flavor'], requests: Array<{ customId: string; api: FakeApi; body: Record<string, unknown> }>, extra: Pick<FakeBatchJob, 'endpoint' | 'inputFileId'> = {}): FakeBatchJob {
    const seq = ++this.created;
    const createdAt = this.now();
    const expires = (this.options.expire ?? []).includes(seq);
    const half = Math.ceil(requests.length / 2);
    const items = requests.map((r, i): FakeBatchItem => {
      if (expires && i >= half) return { customId: r.customId, kind: 'expired' };
      const norm = normalizeRequest(r.api, r.body);
      if (this.errorWhen?.test(norm.lastUser)) {
        return { customId: r.customId, kind: 'errored', status: 500, body: errorBody(flavor, 500, 'Injected batch request error from the fake provider') };
      }
      const plan = planReply(this.rules, norm, this.drawReply);
      return { customId: r.customId, kind: 'succeeded', body: renderers[r.api].json(plan, norm, { seq: ++this.replySeq, created: Math.floor(createdAt / 1000) }) };
    });
    const id = flavor === 'openai' ? `batch_fake_${seq}` : `msgbatch_fake_${seq}`;
    const job: FakeBatchJob = { id, seq, flavor, ...extra, createdAt, endsAt: createdAt + (this.options.delayMs ?? 0), expires, items };
    this.jobs.set(id, job);
    return job;
  }

  /** True once the job will change no more. */
  ended(job: FakeBatchJob): boolean {
    return this.now() >= job.endsAt;
  }

  /** Requests answered so far (grows linearly until the end). */
  revealed(job: FakeBatchJob): number {
    if (this.ended(job)) return job.items.length;
    const span = Math.max(1, job.endsAt - job.createdAt);
    return Math.floor((job.items.length * (this.now() - job.createdAt)) / span);
  }

  /** OpenAI: writes the output and error files the first time an ended job is read. */
  finishFiles(job: FakeBatchJob): void {
    if (!this.ended(job) || job.outputFileId !== undefined || job.errorFileId !== undefined) return;
    const out: string[] = [];
    const err: string[] = [];
    job.items.forEach((it, i) => {
      const base = { id: `batch_req_fake_${job.seq}_${i}`, custom_id: it.customId };
      if (it.kind === 'succeeded') out.push(JSON.stringify({ ...base, response: { status_code: 200, request_id: `req_fake_b${job.seq}_${i}`, body: it.body }, error: null }));
      else if (it.kind === 'errored') err.push(JSON.stringify({ ...base, response: { status_code: it.status, request_id: `req_fake_b${job.seq}_${i}`, body: it.body }, error: null }));
      else err.push(JSON.stringify({ ...base, response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the batch ended.' } }));
    });
    if (out.length > 0) job.outputFileId = this.addFile(`${job.id}_output.jsonl`, 'batch_output', `${out.join('\n')}\n`).id;
    if (err.length > 0) job.errorFileId = this.addFile(`${job.id}_error.jsonl`, 'batch_output', `${err.join('\n')}\n`).id;
  }
}
