import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYamlConfig } from '../../src/config/load.js';
import { configText, datasetNameFrom, detectSource, harvestWorkflowText } from '../../src/cli/init-files.js';

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

  it('fills the harvest workflow with the source and dataset, quoting when YAML needs it', () => {
    const template = 'env:\n  EVALS_SOURCE: langfuse://\n  EVALS_DATASET: support\n';
    expect(parse(harvestWorkflowText(template, { dataset: 'bot', source: { input: 'exports/my traces #1.jsonl', because: '' } }))).toEqual({ env: { EVALS_SOURCE: 'exports/my traces #1.jsonl', EVALS_DATASET: 'bot' } });
  });
});
