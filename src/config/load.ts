/**
 * Finds and loads the suite config: `evals.config.yaml` (or `.yml`, `.ts`, `.js`, `.mjs`) in
 * the working directory unless `--config` names one. YAML errors and schema errors point at the
 * file, line and field. `${VAR}` and `${VAR:-default}` in YAML strings are read from the
 * environment, so keys stay out of the file; `$${` is a literal `${`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, isNode, isScalar, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { isStackOverflow, jsonDepth, MAX_JSON_DEPTH } from '../input-limits.js';
import { Fields } from './fields.js';
import { importUserModule } from './import-module.js';
import type { EvalsConfig } from './schema.js';
import { validateConfig } from './validate.js';

export const CONFIG_NAMES = ['evals.config.yaml', 'evals.config.yml', 'evals.config.ts', 'evals.config.mjs', 'evals.config.js'];

export interface LoadedConfig {
  config: EvalsConfig;
  /** Absolute path of the config file. */
  file: string;
  /** Directory relative paths in the config are resolved against. */
  dir: string;
  /** Raw file text (hashed into run.json). */
  text: string;
  /** Field reader bound to this file, for checks made later (evaluator options). */
  fields: Fields;
}

/** Locates the config: the given path, or the first default name in `cwd`. */
export function findConfig(cwd: string, explicit?: string): string {
  if (explicit) {
    const p = path.resolve(cwd, explicit);
    if (!existsSync(p)) throw new ConfigError('config file not found', { file: explicit, hint: 'check the path given to --config' });
    return p;
  }
  for (const name of CONFIG_NAMES) {
    const p = path.join(cwd, name);
    if (existsSync(p)) return p;
  }
  throw new ConfigError(`no config file in ${cwd}`, {
    expected: CONFIG_NAMES.join(' or '),
    found: 'none',
    hint: 'create evals.config.yaml (see README "Config reference") or pass --config <file>',
  });
}

/** Larger than any real config; also stops `-c /dev/zero` from reading forever. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export async function loadConfig(cwd: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const file = findConfig(cwd, explicit);
  const rel = path.relative(cwd, file) || file;
  const text = readConfigText(file, rel);
  if (/\.(ya?ml)$/.test(file)) return { ...parseYamlConfig(text, rel, env), file, dir: path.dirname(file), text };
  const mod = await importConfigModule(file, rel);
  const fields = new Fields(rel);
  return { config: validateConfig(mod, fields), file, dir: path.dirname(file), text, fields };
}

/** Reads a config file that is a regular file of sane size, or throws a ConfigError naming it. */
function readConfigText(file: string, rel: string): string {
  const s = statSync(file);
  if (!s.isFile()) throw new ConfigError('the config is not a regular file', { file: rel, expected: 'a YAML, TypeScript or JavaScript file', found: s.isDirectory() ? 'a directory' : 'a device, socket or pipe' });
  if (s.size > MAX_CONFIG_BYTES) throw new ConfigError('the config file is too large', { file: rel, expected: `at most ${MAX_CONFIG_BYTES} bytes`, found: `${s.size} bytes` });
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

/** Parses YAML config text; exported for tests. */
export function parseYamlConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): { config: EvalsConfig; fields: Fields } {
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false });
  } catch (err) {
    if (!isStackOverflow(err)) throw err;
    throw new ConfigError('invalid YAML: nested too deeply', { file, expected: `at most ${MAX_JSON_DEPTH} levels of nesting`, found: 'deeper' });
  }
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError(`invalid YAML: ${first.message.split('\n')[0]}`, { file, line, expected: 'valid YAML', found: excerptLine(text, line) });
  }
  const lineOf = (p: Array<string | number>): number | undefined => {
    // A field's line is its key's: the value of `retrival:` may start on the next line.
    const parent = p.length === 0 ? undefined : p.length === 1 ? doc.contents : doc.getIn(p.slice(0, -1), true);
    const key = isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(p.at(-1)))?.key : undefined;
    if (isNode(key) && key.range) return lineCounter.linePos(key.range[0]).line;
    for (let n = p.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const fields = new Fields(file, lineOf);
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if (!isStackOverflow(err) && !/alias/i.test((err as Error).message)) throw err;
    throw new ConfigError(`invalid YAML: ${isStackOverflow(err) ? 'nested too deeply' : (err as Error).message}`, { file, expected: 'a plain YAML document' });
  }
  if (jsonDepth(js) > MAX_JSON_DEPTH) throw new ConfigError('invalid YAML: nested too deeply', { file, expected: `at most ${MAX_JSON_DEPTH} levels of nesting`, found: 'deeper' });
  const raw = interpolateEnv(js, env, fields, []);
  return { config: validateConfig(raw, fields), fields };
}

async function importConfigModule(file: string, rel: string): Promise<unknown> {
  try {
    const loaded = await importUserModule(file);
    return loaded.default ?? loaded;
  } catch (err) {
    throw new ConfigError(`could not load config module: ${(err as Error).message}`, { file: rel, cause: err });
  }
}

/** `$${` (an escaped `${`), or `${NAME}` / `${NAME:-default}`. */
const ENV_REF = /\$(\$\{)|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function interpolateEnv(v: unknown, env: NodeJS.ProcessEnv, f: Fields, p: Array<string | number>): unknown {
  if (typeof v === 'string') {
    return v.replace(ENV_REF, (_m, escaped: string | undefined, name: string, fallback: string | undefined) => {
      if (escaped) return escaped;
      const value = env[name] ?? fallback;
      if (value === undefined) f.fail(p, `refers to environment variable ${name}, which is not set`, `${name} set in the environment, or \${${name}:-default}`, v, 'write $${ for a literal ${');
      return value;
    });
  }
  if (Array.isArray(v)) return v.map((x, i) => interpolateEnv(x, env, f, [...p, i]));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolateEnv(x, env, f, [...p, k])]));
  }
  return v;
}

function excerptLine(text: string, line: number): string {
  return JSON.stringify((text.split('\n')[line - 1] ?? '').slice(0, 100));
}
