import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYamlConfig } from '../../src/config/load.js';
import { CONFIG_SCHEMA_PATH, configText, datasetNameFrom, detectSource, harvestWorkflowText } from '../../src/cli/init-files.js';

const none = () => false;

describe('evals init, pure parts', () => {
  it('detects the trace source: --source, then Langfuse, LangSmith, then an OTLP file', () => {
    const files = (p: string) => p === 'otel';
    expect(detectSource({ LANGFUSE_PUBLIC_KEY: 'a', LANGFUSE_SECRET_KEY: 'b' }, files, 'x.jsonl')?.input).toBe('x.jsonl');
    expect(detectSource({ LANGFUSE_PUBLIC_KEY: 'a', LANGFUSE_SECRET_KEY: 'b', LANGSMITH_API_KEY: 'c' }, files)?.input).toBe('langfuse://');
    expect(detectSource({ LANGFUSE_PUBLIC_KEY: 'a', LANGSMITH_API_KEY: 'c', LANGSMITH_PROJECT: 'bot' }, files)?.input).toBe('langsmith://bot');
    expect(detectSource({}, files)).toEqual({ input: 'otel', because: 'found otel' });
    expect(detectSource({}, none)).toBeUndefined();
  });

  it('derives a valid dataset name from the directory', () => {
    expect(datasetNameFrom('My Shop Bot')).toBe('my-shop-bot');
    expect(datasetNameFrom('..weird..name!')).toBe('weird.name');
    expect(datasetNameFrom('日本')).toBe('main');
  });

  it('the config it writes passes the real validator, with or without a source', () => {
    for (const source of [undefined, { input: 'langfuse://', because: 'test' }]) {
      const { config } = parseYamlConfig(configText({ dataset: 'support', ...(source ? { source } : {}) }), 'evals.config.yaml', {});
      expect(config.datasets).toEqual(['support@latest']);
      expect(config.evaluators.map((e) => e.type)).toEqual(['not-contains', 'example']);
    }
    expect(configText({ dataset: 'support' }).split('\n')[0]).toBe('# yaml-language-server: $schema=node_modules/@evals-dev/evals/schemas/config.schema.json');
  });

  it('opens with the $schema comment editors read, pointing at the schema the package ships', () => {
    const first = configText({ dataset: 'support' }).split('\n')[0];
    expect(first).toBe(`# yaml-language-server: $schema=${CONFIG_SCHEMA_PATH}`);
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { name: string; files: string[] };
    expect(CONFIG_SCHEMA_PATH).toBe(`node_modules/${pkg.name}/schemas/config.schema.json`);
    expect(pkg.files).toContain('schemas');
  });

  it("the harvest's snapshot step passes the credentials of every source init can fill in", () => {
    const harvest = parse(readFileSync(path.join(import.meta.dirname, '../../examples/github/evals-harvest.yml'), 'utf8')) as { jobs: { harvest: { steps: Array<{ run?: string; env?: Record<string, string> }> } } };
    const env = harvest.jobs.harvest.steps.find((s) => s.run?.includes('evals snapshot'))?.env ?? {};
    // langfuse:// and langsmith:// (what detectSource finds), tempo+http:// (named in the workflow's comment).
    for (const name of ['LANGFUSE_PUBLIC_KEY', 'LANGFUSE_SECRET_KEY', 'LANGFUSE_HOST', 'LANGSMITH_API_KEY', 'LANGSMITH_ENDPOINT', 'TEMPO_TOKEN']) expect(Object.keys(env)).toContain(name);
  });

  it('fills the harvest workflow with the source and dataset, quoting when YAML needs it', () => {
    const template = 'env:\n  EVALS_SOURCE: langfuse://\n  EVALS_DATASET: support\n';
    expect(parse(harvestWorkflowText(template, { dataset: 'bot', source: { input: 'exports/my traces #1.jsonl', because: '' } }))).toEqual({ env: { EVALS_SOURCE: 'exports/my traces #1.jsonl', EVALS_DATASET: 'bot' } });
  });
});
