/**
 * The version file's bulk blocks (trace ids, added cases) are read line by line
 * (src/datasets/format/version-bulk.ts); whatever the text, the parsed version must be the one
 * the YAML parser gives, and errors must still name the right line.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../../src/datasets/format/manifest.js';
import { extractVersionBulk } from '../../src/datasets/format/version-bulk.js';
import { parseVersionNode, renderVersionNode, versionIdOf, type VersionNode } from '../../src/datasets/format/version-file.js';

function node(added: Record<string, string>, traceIds: string[]): Omit<VersionNode, 'id'> {
  return {
    parents: [],
    created: '2026-11-20T10:00:00.000Z',
    hash: `sha256:${'ab'.repeat(32)}`,
    dataset: { redaction: { scheme: 'hmac-sha256', salt: '00ff'.repeat(8) } },
    provenance: { source: 'bench', traceIds, time: '2026-11-20T10:00:00.000Z', toolVersion: '0.1.0', redaction: {} },
    changes: { added, removed: [], replaced: {} },
  };
}

const hash = (i: number): string => (BigInt(i + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(64, 'a');

function roundTrip(n: Omit<VersionNode, 'id'>): { fast: VersionNode; slow: unknown; text: string } {
  const text = renderVersionNode(n);
  const id = versionIdOf(text);
  return { fast: parseVersionNode(text, 'v.yaml', id), slow: parse(text), text };
}

describe('version file bulk blocks', () => {
  it('reads 2,000 added cases and trace ids exactly as the YAML parser does', () => {
    const added = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`c_${hash(i).slice(0, 16)}`, hash(i + 7)]));
    const traces = Array.from({ length: 2000 }, (_, i) => hash(i).slice(0, 32));
    const { fast, slow, text } = roundTrip(node(added, traces));
    expect(extractVersionBulk(text).added).toBeDefined();
    expect(extractVersionBulk(text).traceIds).toHaveLength(2000);
    const s = slow as { changes: { added: unknown }; provenance: { traceIds: unknown } };
    expect(fast.changes.added).toEqual(s.changes.added);
    expect(fast.provenance.traceIds).toEqual(s.provenance.traceIds);
  });

  it('leaves numbers, quoted and odd ids to the parser, with the same result', () => {
    // All digits (an integer), digits with one e (a float), a reserved word, a leading digit with a dash.
    const traces = ['1234567890', '12e45', 'null', '1b2c-3d4e', 'plain_id'];
    const added = { c_0000000000000001: '1'.repeat(64), c_00000000000000e2: `${'1'.repeat(62)}e5` };
    const { fast, slow } = roundTrip(node(added, traces));
    const s = slow as { changes: { added: unknown }; provenance: { traceIds: unknown } };
    expect(fast.provenance.traceIds).toEqual(s.provenance.traceIds);
    expect(fast.changes.added).toEqual(s.changes.added);
  });

  it('agrees with the parser on ids of digits and e only (numbers, floats, quoted strings)', () => {
    let seed = 7;
    const digitsAndE = (len: number): string =>
      Array.from({ length: len }, () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % 9 === 0 ? 'e' : String(seed % 10);
      }).join('');
    const traces = Array.from({ length: 300 }, (_, i) => digitsAndE(8 + (i % 25)));
    const added = Object.fromEntries(Array.from({ length: 300 }, () => [`c_${digitsAndE(16)}`, digitsAndE(64)]));
    const { fast, slow, text } = roundTrip(node(added, traces));
    expect(text).toMatch(/^ {4}- "\d+"$/m); // some are quoted by the writer: taken as strings
    expect(extractVersionBulk(text).traceIds).toHaveLength(300);
    expect(extractVersionBulk(text).added).toBeDefined();
    const s = slow as { changes: { added: unknown }; provenance: { traceIds: unknown } };
    expect(fast.provenance.traceIds).toEqual(s.provenance.traceIds);
    expect(fast.changes.added).toEqual(s.changes.added);
  });

  it('does not take a block whose entries are numbers or duplicates', () => {
    const text = ['provenance:', '  traceIds:', '    - 123', 'changes:', '  added:', '    c_a: abcdef', '    c_a: abcdef', ''].join('\n');
    const bulk = extractVersionBulk(text);
    expect(bulk.traceIds).toBeUndefined();
    expect(bulk.added).toBeUndefined();
    expect(bulk.rest).toBe(text);
  });

  it('keeps line numbers: an error after a taken block names its real line', () => {
    const added = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c_${hash(i).slice(0, 16)}`, hash(i + 3)]));
    const text = `${renderVersionNode(node(added, ['t_1']))}bad: [unclosed\n`;
    expect(extractVersionBulk(text).added).toBeDefined();
    let direct = '';
    try {
      parseYamlFile(text, 'v.yaml');
    } catch (err) {
      direct = (err as Error).message;
    }
    expect(direct).toMatch(/line \d+/);
    expect(() => parseVersionNode(text, 'v.yaml', versionIdOf(text))).toThrow(direct);
  });
});
