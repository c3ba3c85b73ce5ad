import { describe, expect, it } from 'vitest';
import { parseVersion } from '../../src/datasets/format/manifest.js';
import { InputError } from '../../src/errors.js';

const version = (cases: string) => `version: 1
parent: null
created: 2026-11-27T10:00:00.000Z
hash: sha256:${'0'.repeat(64)}
provenance:
  source: snapshot
  time: 2026-11-27T10:00:00.000Z
  toolVersion: 0.1.0
  traceIds: []
  redaction: {}
changes:
  added: []
  removed: []
cases:
${cases}`;

describe('version manifest parsing', () => {
  it('rejects a duplicated case id, naming the line', () => {
    const text = version(`  c_aaaaaaaaaaaaaaaa: ${'1'.repeat(64)}\n  c_aaaaaaaaaaaaaaaa: ${'2'.repeat(64)}\n`);
    let err: unknown;
    try {
      parseVersion(text, 'v0001.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).details).toMatchObject({ file: 'v0001.yaml', line: 16, found: '"c_aaaaaaaaaaaaaaaa"' });
  });

  it('parses a 10,000-case manifest', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `  c_${i.toString(16).padStart(16, '0')}: ${'a'.repeat(64)}`).join('\n');
    const m = parseVersion(version(`${lines}\n`), 'v0001.yaml');
    expect(Object.keys(m.cases)).toHaveLength(10_000);
  });
});
