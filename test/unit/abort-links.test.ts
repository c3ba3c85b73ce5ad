/**
 * linkAbort (src/runner/abort-links.ts): calls linked to a long-lived signal through one
 * listener, each called once on abort unless unlinked first.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkAbort } from '../../src/runner/abort-links.js';

describe('linkAbort', () => {
  it('adds one listener to the signal however many calls are linked, and calls each linked one once', () => {
    const run = new AbortController();
    const called: number[] = [];
    const unlinks = Array.from({ length: 100 }, (_, i) => linkAbort(run.signal, () => called.push(i)));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
    // Calls that ended unlink; they are not called.
    for (let i = 0; i < 100; i += 2) unlinks[i]!();
    run.abort(new Error('stop'));
    run.abort(new Error('again'));
    expect(called).toEqual(Array.from({ length: 50 }, (_, k) => 2 * k + 1));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('calls at once on a signal already aborted, and links again after an abort on a new signal', () => {
    const done = new AbortController();
    done.abort();
    let n = 0;
    const unlink = linkAbort(done.signal, () => n++);
    expect(n).toBe(1);
    unlink();
    expect(getEventListeners(done.signal, 'abort')).toHaveLength(0);
    const next = new AbortController();
    linkAbort(next.signal, () => n++);
    next.abort();
    expect(n).toBe(2);
  });

  it('a callback that unlinks another during the abort keeps it from being called; unlinking twice is harmless', () => {
    const run = new AbortController();
    const called: string[] = [];
    let unlinkB = (): void => {};
    const unlinkA = linkAbort(run.signal, () => {
      called.push('a');
      unlinkB();
    });
    unlinkB = linkAbort(run.signal, () => called.push('b'));
    run.abort();
    expect(called).toEqual(['a']);
    unlinkA();
    unlinkA();
  });

  it('links on one signal never fire for another', () => {
    const a = new AbortController();
    const b = new AbortController();
    const called: string[] = [];
    linkAbort(a.signal, () => called.push('a'));
    linkAbort(b.signal, () => called.push('b'));
    b.abort();
    expect(called).toEqual(['b']);
    a.abort();
    expect(called).toEqual(['b', 'a']);
  });
});
