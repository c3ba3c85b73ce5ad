/**
 * Vitest is an optional peer dependency: the main entry (and the CLI) never load it, only
 * `@evals-dev/evals/vitest` does. Checked on the built package through its own exports map, in
 * a fresh Node process whose resolve hook lists every module an import pulls in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modulesLoadedBy } from '../support/modules-loaded.js';

const ROOT = path.resolve(import.meta.dirname, '../..');


const vitestModules = (urls: string[]) => urls.filter((u) => /\/node_modules\/(vitest|@vitest\/[^/]+)\//.test(u) || u.includes('/dist/vitest/'));

describe('vitest stays optional', () => {
  it('the main entry loads no vitest module; the ./vitest entry does (the check can fail)', () => {
    expect(vitestModules(modulesLoadedBy('@evals-dev/evals'))).toEqual([]);
    const urls = modulesLoadedBy('@evals-dev/evals/vitest');
    expect(urls.some((u) => u.endsWith('/dist/vitest/index.js'))).toBe(true);
    expect(urls.some((u) => /\/node_modules\/vitest\//.test(u))).toBe(true);
  });

  it('package.json declares vitest an optional peer and exports ./vitest with its types', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }>; peerDependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional?: boolean }>; dependencies: Record<string, string> };
    expect(pkg.exports['./vitest']).toEqual({ types: './dist/vitest/index.d.ts', default: './dist/vitest/index.js' });
    expect(pkg.peerDependencies.vitest).toBeDefined();
    expect(pkg.peerDependenciesMeta.vitest?.optional).toBe(true);
    expect(pkg.dependencies.vitest).toBeUndefined();
  });
});
