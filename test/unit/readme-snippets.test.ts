/**
 * Every ```yaml block of README.md must run as shown: it parses as YAML; a block that is an
 * evals config (top-level `datasets`, `providers` or `gate`, or a first line `# evals.config…`,
 * or a fragment whose keys are all config keys) goes through the real loader and validator
 * (src/config) and its evaluators through the real registry (with this repository's
 * `evaluators/`), and validates against the published schemas/config.schema.json (Ajv); a GitHub workflow (`on` and `jobs`) is validated against GitHub's workflow
 * schema by @action-validator/core. The workflow files in examples/github/ are validated the same
 * way, and the README's PR check must be the file examples/github/evals-pr.yml, verbatim.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYamlConfig } from '../../src/config/load.js';
import { EvaluatorResolver } from '../../src/evaluators/registry.js';

const ROOT = join(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const WORKFLOWS_DIR = join(ROOT, 'examples/github');
const CONFIG_KEYS = ['datasets', 'datasetsDir', 'providers', 'pipeline', 'variants', 'baseline', 'evaluators', 'evaluatorsDir', 'judge', 'run', 'gate', 'snapshot', 'pricing'];

interface Block {
  line: number;
  text: string;
}

/** The ```yaml blocks of a Markdown text, with the line of their opening fence. */
function yamlBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```yaml') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    blocks.push({ line: start + 1, text: `${body.join('\n')}\n` });
  }
  return blocks;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isWorkflow(v: unknown): boolean {
  return isObject(v) && 'on' in v && 'jobs' in v;
}

function isEvalsConfig(v: unknown, text: string): boolean {
  if (/^#\s*evals\.config\./.test(text)) return true;
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return ['datasets', 'providers', 'gate'].some((k) => keys.includes(k)) || (keys.length > 0 && keys.every((k) => CONFIG_KEYS.includes(k)));
}

function workflowErrors(text: string): string[] {
  return validateWorkflow(text).errors.map((e) => `${'path' in e ? e.path : ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`);
}

const blocks = yamlBlocks(README);
const configSchema = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas/config.schema.json'), 'utf8')) as object);

function configSchemaErrors(value: unknown): string[] {
  return configSchema(value ?? {}) ? [] : (configSchema.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

describe('README yaml blocks', () => {
  it('finds the config reference and the CI recipe', () => {
    expect(blocks.filter((b) => isEvalsConfig(parse(b.text), b.text)).length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((b) => isWorkflow(parse(b.text))).length).toBeGreaterThanOrEqual(1);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('block at README.md line %i parses as YAML', (_line, b) => {
    expect(() => parse(b.text, { prettyErrors: false })).not.toThrow();
  });

  it.each(blocks.map((b) => [b.line, b] as const))('block at README.md line %i runs (config loader / workflow schema)', async (line, b) => {
    const value: unknown = parse(b.text);
    if (isWorkflow(value)) {
      expect(workflowErrors(b.text), `workflow at README.md line ${line}`).toEqual([]);
    } else if (isEvalsConfig(value, b.text)) {
      const { config, fields } = parseYamlConfig(b.text, `README.md block at line ${line}`, { OPENAI_API_KEY: 'sk-test' });
      const resolver = await EvaluatorResolver.create(join(ROOT, 'evaluators'));
      expect(resolver.resolveAll(config.evaluators, fields, ['evaluators']).length).toBe(config.evaluators.length);
      expect(configSchemaErrors(value), `config at README.md line ${line} against schemas/config.schema.json`).toEqual([]);
    }
  });

  it('the config check can fail: a bad value in the reference config is rejected with its field', () => {
    const reference = blocks.find((b) => b.text.includes('concurrency: 8'))!;
    expect(() => parseYamlConfig(reference.text.replace('concurrency: 8', 'concurrency: lots'), 'README.md', {})).toThrow(/run\.concurrency/);
  });

  it('the JSON Schema check can fail: a typo in the reference config is rejected', () => {
    const reference = blocks.find((b) => b.text.includes('concurrency: 8'))!;
    expect(configSchemaErrors(parse(reference.text.replace('concurrency: 8', 'concurency: 8'))).join()).toMatch(/additionalProperty.*concurency/);
  });

  it("the README's PR check is examples/github/evals-pr.yml, verbatim", () => {
    const file = readFileSync(join(WORKFLOWS_DIR, 'evals-pr.yml'), 'utf8');
    expect(blocks.map((b) => b.text)).toContain(file);
  });
});

describe('examples/github workflows', () => {
  const files = readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f));

  it('holds the PR check and the harvest workflow', () => {
    expect(files).toEqual(expect.arrayContaining(['evals-pr.yml', 'evals-harvest.yml']));
  });

  it.each(files)('%s is valid against the GitHub workflow schema', (f) => {
    const text = readFileSync(join(WORKFLOWS_DIR, f), 'utf8');
    expect(isWorkflow(parse(text))).toBe(true);
    expect(workflowErrors(text)).toEqual([]);
  });

  it('the validator rejects a broken workflow (the check can fail)', () => {
    const text = readFileSync(join(WORKFLOWS_DIR, 'evals-pr.yml'), 'utf8').replace('runs-on:', 'runs-onn:');
    expect(workflowErrors(text).length).toBeGreaterThan(0);
  });

  it('the PR check has what a team needs', () => {
    const wf = parse(readFileSync(join(WORKFLOWS_DIR, 'evals-pr.yml'), 'utf8')) as Record<string, any>;
    expect(wf.permissions['pull-requests']).toBe('write');
    expect(wf.concurrency['cancel-in-progress']).toBe(true);
    const steps = (job: string): Array<Record<string, any>> => wf.jobs[job].steps;
    expect(wf.jobs['fork-notice'].if).toContain('head.repo.full_name != github.repository');
    expect(wf.jobs.shard.if).toContain('head.repo.full_name == github.repository');
    expect(wf.jobs.shard.strategy.matrix.shard.length).toBeGreaterThan(1);
    const restore = steps('shard').find((s) => s.uses?.startsWith('actions/cache/restore'))!;
    expect(restore.with['restore-keys']).toContain('github.base_ref');
    const save = steps('shard').find((s) => s.uses?.startsWith('actions/cache/save'))!;
    expect(save.if).toMatch(/^always\(\)/);
    expect(save.with.key).toBe(restore.with.key);
    expect(steps('gate').some((s) => String(s.run).includes('evals merge'))).toBe(true);
    expect(steps('gate').some((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment') && String(s.with.path).endsWith('summary.md'))).toBe(true);
    expect(steps('gate').some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
  });
});
