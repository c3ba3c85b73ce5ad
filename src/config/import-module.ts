/**
 * Imports a user file (config, evaluator, pipeline) written in TypeScript or JavaScript,
 * without a build step: TypeScript goes through tsx. Returns the module namespace with the
 * CommonJS interop layer removed, so `export default` is at `.default` whether the file was
 * treated as ESM or CommonJS (a file outside a `"type": "module"` package is the latter).
 */
import { pathToFileURL } from 'node:url';

export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  const mod = /\.[mc]?tsx?$/.test(file)
    ? ((await (await import('tsx/esm/api')).tsImport(url, import.meta.url)) as Record<string, unknown>)
    : ((await import(url)) as Record<string, unknown>);
  const inner = mod.default;
  if (inner !== null && typeof inner === 'object' && ('__esModule' in inner || 'default' in inner) && Object.keys(mod).every((k) => k === 'default' || k === 'module.exports')) {
    return inner as Record<string, unknown>;
  }
  return mod;
}
