/**
 * `evals fake-provider`: runs the local OpenAI/Anthropic-compatible server until interrupted.
 * Used by the offline demo; handy for trying a config without an API key.
 */
import { runFakeProvider } from '../fake-provider/main.js';
import { parseAmount } from './shared.js';

export async function fakeProviderCommand(opts: { port: string; latency: string; rules?: string; batchDelay?: string }): Promise<void> {
  const port = parseAmount(opts.port, '--port');
  const provider = await runFakeProvider({
    port,
    latencyMs: parseAmount(opts.latency, '--latency'),
    ...(opts.rules ? { rulesFile: opts.rules } : {}),
    ...(opts.batchDelay !== undefined ? { batch: { delayMs: parseAmount(opts.batchDelay, '--batch-delay') } } : {}),
  });
  process.stdout.write(`OpenAI base URL: ${provider.url}/v1   Anthropic base URL: ${provider.url}   (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      void provider.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
