import { EXIT, OversoldError } from '../errors.js';

/**
 * The kernel checks itself (TigerBeetle's paired assertions): a fact is stated where it is
 * established and again where it is relied on. A failed assertion is a bug in oversold, never
 * a finding about a strategy, so it is an exception of its own type that nothing below the
 * CLI swallows: the CLI turns it into exit 3 with the command that replays the run.
 */
export class KernelAssertionError extends OversoldError {
  /** The seed of the run, when the run was seeded (set by explore/run.ts as it passes by). */
  seed: number | null = null;

  constructor(
    /** Which invariant of the kernel broke, e.g. "time is monotonic". */
    readonly invariant: string,
    /** What was seen, e.g. "event at 40 ms fired at 50 ms". */
    readonly detail: string,
    /** Virtual time when it broke. */
    readonly atMs: number,
  ) {
    super(`kernel assertion failed: ${invariant}: ${detail} (at ${atMs} ms)`, 'KERNEL_ASSERTION', EXIT.internal);
    this.name = 'KernelAssertionError';
  }
}

/** The error again on this side of a thread boundary (a worker sends its message and seed). */
export function revivedKernelAssertion(message: string, seed: number | null): KernelAssertionError {
  const e = new KernelAssertionError('', '', 0);
  e.message = message;
  e.seed = seed;
  return e;
}

/** Throws KernelAssertionError unless `ok`. `detail` is a function so the happy path builds no string. */
export function kernelAssert(ok: boolean, invariant: string, detail: () => string, atMs: number): asserts ok {
  if (!ok) throw new KernelAssertionError(invariant, detail(), atMs);
}

/**
 * Test-only: a function the kernel calls before every event it fires, given the kernel's
 * parts. The kernel-assertion tests use it to corrupt state (a time in the past, a reply
 * delivered twice, ...) and see the assertion stop the run with exit 3. Never set in
 * production code; `setKernelTestHook(null)` clears it.
 */
export type KernelTestHook = (parts: { readonly kernel: unknown; readonly world: unknown; readonly eventsFired: number }) => void;

let testHook: KernelTestHook | null = null;

export function setKernelTestHook(hook: KernelTestHook | null): void {
  testHook = hook;
}

export function kernelTestHook(): KernelTestHook | null {
  return testHook;
}
