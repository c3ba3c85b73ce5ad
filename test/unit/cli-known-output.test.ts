import { describe, expect, it } from 'vitest';
import { fingerprint, helpWidthOf, pickKnownOutput, type KnownOutputFile } from '../../src/cli/known-output.js';

const file: KnownOutputFile = {
  fingerprint: fingerprint(['program', 'version']),
  width: 80,
  outputs: {
    '': { stdout: '', stderr: 'Usage: evals\n', exitCode: 2 },
    '--help': { stdout: 'Usage: evals\n', stderr: '', exitCode: 0 },
  },
};
const at80 = { stdout: 80, stderr: 80 };

describe('known output (the --help fast path)', () => {
  it('answers a recorded argument vector at the recorded width', () => {
    expect(pickKnownOutput(['--help'], file, file.fingerprint, at80)).toEqual(file.outputs['--help']);
    expect(pickKnownOutput([], file, file.fingerprint, at80)).toEqual(file.outputs['']);
  });

  it('asks commander when the program changed since the recording', () => {
    expect(pickKnownOutput(['--help'], file, fingerprint(['program changed', 'version']), at80)).toBeUndefined();
    expect(fingerprint(['program', 'version'])).not.toBe(fingerprint(['progra', 'mversion']));
  });

  it('asks commander when the stream the text goes to wraps at another width', () => {
    expect(pickKnownOutput(['--help'], file, file.fingerprint, { stdout: 120, stderr: 80 })).toBeUndefined();
    expect(pickKnownOutput(['--help'], file, file.fingerprint, { stdout: 80, stderr: 120 })).toBeDefined();
    expect(pickKnownOutput([], file, file.fingerprint, { stdout: 120, stderr: 80 })).toBeDefined();
  });

  it('asks commander for anything not recorded', () => {
    expect(pickKnownOutput(['run'], file, file.fingerprint, at80)).toBeUndefined();
    expect(pickKnownOutput(['constructor'], file, file.fingerprint, at80)).toBeUndefined();
  });

  it('takes the width as commander does: the columns of a terminal, else 80', () => {
    expect(helpWidthOf({ isTTY: false, columns: 120 })).toBe(80);
    expect(helpWidthOf({ isTTY: true, columns: 120 })).toBe(120);
    expect(helpWidthOf({})).toBe(80);
  });
});
