/**
 * Small pieces the command implementations share: loading the config when one may be absent,
 * parsing numeric flags with errors that name the flag.
 */
import type { LoadedConfig } from '../config/load.js';
import { CONFIG_NAMES, loadConfig } from '../config/load.js';
import { Fields } from '../config/fields.js';
import { validateConfig } from '../config/validate.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** The config when there is one (or `--config` names one), else all defaults. */
export async function loadOptionalConfig(explicit?: string, cwd = process.cwd()): Promise<Pick<LoadedConfig, 'config' | 'dir' | 'fields'> & { file?: string }> {
  if (explicit || CONFIG_NAMES.some((n) => existsSync(path.join(cwd, n)))) return loadConfig(cwd, explicit);
  const fields = new Fields('(defaults)');
  return { config: validateConfig({}, fields), dir: cwd, fields };
}

/**
 * The datasets directory every command uses: `--root`, else `$EVALS_DATASETS_DIR`, else the
 * config's `datasetsDir` (resolved against the config's directory), else `datasets`.
 */
export function datasetsRoot(flag: string | undefined, configured: string | undefined, configDir = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return flag;
  if (env.EVALS_DATASETS_DIR) return env.EVALS_DATASETS_DIR;
  const abs = path.resolve(configDir, configured ?? 'datasets');
  // Relative to the working directory when inside it, so printed paths stay short.
  const rel = path.relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

/** A positive integer flag value, at most `max` (the same cap as the config field). */
export function parseCount(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${flag} must be a positive integer${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}`, { expected: max < Number.MAX_SAFE_INTEGER ? `an integer from 1 to ${max}` : 'an integer ≥ 1', found: JSON.stringify(value) });
  }
  return n;
}

/** A non-negative number flag value. */
export function parseAmount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a non-negative number`, { expected: 'a number ≥ 0', found: JSON.stringify(value) });
  return n;
}
