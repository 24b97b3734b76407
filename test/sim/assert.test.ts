/**
 * A kernel assertion is oversold's own bug: an error of its own type, exit 3, that says which
 * invariant broke, what was seen and when; it crosses a thread boundary with its seed. The
 * test hook is off unless a test sets it.
 */
import { describe, expect, it } from 'vitest';
import { KernelAssertionError, kernelAssert, kernelTestHook, revivedKernelAssertion, setKernelTestHook } from '../../src/sim/assert.js';
import { EXIT, OversoldError } from '../../src/errors.js';

describe('kernel assertions', () => {
  it('a failed assertion is a KernelAssertionError: invariant, detail, time, exit 3, no seed yet', () => {
    let detailAsked = 0;
    const detail = () => (detailAsked++, 'event at 40 ms fired at 50 ms');
    kernelAssert(true, 'time is monotonic', detail, 7);
    expect(detailAsked).toBe(0);
    let e: unknown;
    try {
      kernelAssert(false, 'time is monotonic', detail, 7);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(KernelAssertionError);
    expect(e).toBeInstanceOf(OversoldError);
    const k = e as KernelAssertionError;
    expect([k.invariant, k.detail, k.atMs, k.seed, k.name, k.code, k.exitCode]).toEqual(['time is monotonic', 'event at 40 ms fired at 50 ms', 7, null, 'KernelAssertionError', 'KERNEL_ASSERTION', EXIT.internal]);
    expect(k.message).toBe('kernel assertion failed: time is monotonic: event at 40 ms fired at 50 ms (at 7 ms)');
    expect(EXIT.internal).toBe(3);
  });

  it('revived on this side of a thread boundary with its message and seed', () => {
    const r = revivedKernelAssertion('kernel assertion failed: x: y (at 1 ms)', 12);
    expect(r).toBeInstanceOf(KernelAssertionError);
    expect([r.message, r.seed]).toEqual(['kernel assertion failed: x: y (at 1 ms)', 12]);
    expect(revivedKernelAssertion('m', null).seed).toBeNull();
  });

  it('the test hook is off by default, set by a test, cleared with null', () => {
    expect(kernelTestHook()).toBeNull();
    const hook = () => {};
    setKernelTestHook(hook);
    expect(kernelTestHook()).toBe(hook);
    setKernelTestHook(null);
    expect(kernelTestHook()).toBeNull();
  });
});
