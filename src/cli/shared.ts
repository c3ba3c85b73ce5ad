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

/** A positive integer flag value. */
export function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer`, { expected: 'an integer ≥ 1', found: JSON.stringify(value) });
  return n;
}

/** A non-negative number flag value. */
export function parseAmount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a non-negative number`, { expected: 'a number ≥ 0', found: JSON.stringify(value) });
  return n;
}
