/**
 * Regenerates `traces/production.jsonl` (OTLP JSON lines) and `rules.json` by running every
 * production scenario through the refund bot against the local fake provider, with the
 * OpenLLMetry (`@traceloop/instrumentation-openai`) instrumentation. Run: `npm run fixtures`
 * or `npx tsx examples/refund-bot/generate-traces.ts`. Exits non-zero when a scenario did
 * not behave as scripted.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import { startFakeProvider } from '../../src/fake-provider/index.js';
import { createRefundBot } from './app.js';
import { productionRules, scenarios } from './scenarios.js';
import { setupTelemetry } from './telemetry.js';

const here = dirname(fileURLToPath(import.meta.url));
const tracesPath = join(here, 'traces', 'production.jsonl');

async function main(): Promise<void> {
  const telemetry = setupTelemetry({
    serviceName: 'refund-bot',
    resource: { 'service.version': '1.4.2', 'deployment.environment.name': 'production' },
    tracesPath,
  });
  registerInstrumentations({ instrumentations: [new OpenAIInstrumentation({ traceContent: true })] });
  // Loaded through require after registration: the instrumentation hooks CommonJS loading.
  const require = createRequire(import.meta.url);
  const { OpenAI } = require('openai') as typeof import('openai');

  const ok = await startFakeProvider({ rules: productionRules });
  const failing = await startFakeProvider({ rules: productionRules, faults: { rate500: 1 } });
  const failures: string[] = [];
  try {
    const client = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-fake', maxRetries: 0 });
    const bots = { ok: createRefundBot({ client: client(ok.url) }), failing: createRefundBot({ client: client(failing.url) }) };
    for (const scenario of scenarios) {
      const reply = await bots[scenario.provider].answer(scenario.question, {
        userId: scenario.userId,
        ...(scenario.feedback ? { feedback: scenario.feedback } : {}),
      });
      const passed = scenario.expect(reply);
      if (!passed) failures.push(`${scenario.name}: ${JSON.stringify(reply)}`);
      console.log(`${passed ? 'ok  ' : 'FAIL'} ${scenario.name.padEnd(26)} trace ${reply.traceId}  ${reply.answer.slice(0, 60)}`);
    }
  } finally {
    await telemetry.shutdown();
    await ok.close();
    await failing.close();
  }
  writeFileSync(join(here, 'rules.json'), `${JSON.stringify({ rules: productionRules }, null, 2)}\n`);
  console.log(`wrote ${tracesPath} and rules.json`);
  if (failures.length > 0) {
    throw new Error(`scenarios did not behave as scripted:\n${failures.join('\n')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
