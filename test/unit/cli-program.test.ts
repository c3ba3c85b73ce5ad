import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createProgram, type Handlers } from '../../src/cli/program.js';
import { TOOL_VERSION } from '../../src/version.js';

/** Parses argv with stub handlers and returns what the handler received. */
async function parse(argv: string[]): Promise<{ name: string; args: unknown[] }> {
  let seen: { name: string; args: unknown[] } | undefined;
  const stub = (name: keyof Handlers) => async (...args: unknown[]) => {
    seen = { name, args };
  };
  const program = createProgram({ snapshot: stub('snapshot'), run: stub('run'), inspect: stub('inspect'), merge: stub('merge'), fakeProvider: stub('fakeProvider') } as Partial<Handlers>);
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  await program.parseAsync(argv, { from: 'user' });
  if (!seen) throw new Error('no handler ran');
  return seen;
}

describe('command-line parsing', () => {
  it('snapshot: repeatable --trace, --no-redact, defaults', async () => {
    const { name, args } = await parse(['snapshot', 'a.jsonl', 'b.jsonl', '-d', 'bot', '--trace', 'AA', '--trace', 'bb', '--no-redact']);
    expect(name).toBe('snapshot');
    expect(args[0]).toEqual(['a.jsonl', 'b.jsonl']);
    expect(args[1]).toMatchObject({ dataset: 'bot', trace: ['AA', 'bb'], redact: false });
    expect(args[1]).not.toHaveProperty('root'); // the config's datasetsDir or $EVALS_DATASETS_DIR decide
  });

  it('run: --no-cache, repeatable --dataset, reporter default', async () => {
    const { args } = await parse(['run', '--no-cache', '-d', 'a@2', '-d', 'b', '--shard', '2/4']);
    expect(args[0]).toMatchObject({ cache: false, dataset: ['a@2', 'b'], shard: '2/4', reporter: 'html,md,junit,json' });
  });

  it('run: --otlp with or without an endpoint', async () => {
    expect((await parse(['run', '--otlp', 'http://127.0.0.1:4318'])).args[0]).toMatchObject({ otlp: 'http://127.0.0.1:4318' });
    expect((await parse(['run', '--otlp', '--quiet'])).args[0]).toMatchObject({ otlp: true, quiet: true });
    expect((await parse(['run'])).args[0]).not.toHaveProperty('otlp');
  });

  it('a missing required option is a commander error (exit 2 in main)', async () => {
    await expect(parse(['snapshot', 'a.jsonl'])).rejects.toMatchObject({ code: 'commander.missingMandatoryOptionValue' });
  });

  it('the version matches package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });
});
