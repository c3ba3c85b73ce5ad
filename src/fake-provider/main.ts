/**
 * Entry point for the `evals fake-provider` command: start the server and say where it listens.
 */
import { loadRules } from './load-rules.js';
import { startFakeProvider } from './server.js';
import type { FakeBatchOptions, FakeProvider, FakeProviderOptions, FaultOptions } from './types.js';

/** Options of `runFakeProvider`. */
export interface RunFakeProviderOptions {
  /** Port on 127.0.0.1. Default 0 (random). */
  port?: number;
  /** Fixed latency in ms. Default 0. */
  latencyMs?: number;
  /** Random extra latency in [0, jitterMs). Default 0. */
  jitterMs?: number;
  /** JSON or YAML rules file. Default: no rules (echo replies). */
  rulesFile?: string;
  /** Fault injection. Default: none. */
  faults?: FaultOptions;
  /** The batch APIs' behaviour (delay, faults). Default: batches end at once. */
  batch?: FakeBatchOptions;
  /** Where the listening line goes. Default: stdout. */
  log?: (line: string) => void;
}

/** Starts the fake provider and prints `fake provider listening on http://127.0.0.1:PORT`. */
export async function runFakeProvider(opts: RunFakeProviderOptions = {}): Promise<FakeProvider> {
  const options: FakeProviderOptions = {};
  if (opts.port !== undefined) options.port = opts.port;
  if (opts.latencyMs !== undefined) options.latencyMs = opts.latencyMs;
  if (opts.jitterMs !== undefined) options.jitterMs = opts.jitterMs;
  if (opts.faults !== undefined) options.faults = opts.faults;
  if (opts.batch !== undefined) options.batch = opts.batch;
  if (opts.rulesFile !== undefined) options.rules = await loadRules(opts.rulesFile);
  const provider = await startFakeProvider(options);
  (opts.log ?? ((line: string) => process.stdout.write(`${line}\n`)))(`fake provider listening on ${provider.url}`);
  return provider;
}
