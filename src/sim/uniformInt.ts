import { uniformInt as pureUniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * pure-rand's `uniformInt(rng, from, to)`, the same draws and the same answers, in 32-bit
 * integer arithmetic. pure-rand computes its rejection bound and its remainder on doubles
 * (`~~(2^32 / size) * size`, `(next + 2^31) % size`); V8 compiles a double `%` to a call into
 * C (fmod), and that was 5 % of a flash-sale-chaos run (docs/benchmarks.md, round 6). Here
 * both operands are unsigned 32-bit, which V8 compiles to an integer division.
 *
 * Why the same: pure-rand draws `d = next() + 2^31` (in [0, 2^32)), rejects d >= limit with
 * limit = floor(2^32 / size) * size = 2^32 - (2^32 mod size) (no bound for size <= 2) and
 * answers d mod size. Here d is `(next() ^ 0x80000000) >>> 0` (the same number), 2^32 mod
 * size is `((2^32 - 1) mod size + 1) mod size`, and d >= 2^32 - rem is d > (2^32 - 1) - rem.
 * A test pins equal answers and equal generator states against pure-rand.
 */
export function uniformInt(rng: RandomGenerator, from: number, to: number): number {
  // `>>> 0` so that V8 knows every operand below is a uint32 (an integer `%`, not fmod).
  const size = (to - from + 1) >>> 0;
  // Sizes up to 2^31 (wider or odd ranges are pure-rand's own path): every intermediate is a uint32.
  if (size !== to - from + 1 || size < 1 || size > 0x80000000) return pureUniformInt(rng, from, to);
  // `| 0` on every remainder (each is below 2^31, so it changes nothing): a result used as a
  // 32-bit integer is what lets V8 pick the integer remainder (without it, a profile showed
  // this line as the run's costliest: a remainder that may be NaN stays a double fmod).
  const rem = ((((0xffffffff % size) | 0) + 1) % size) | 0;
  let d = (rng.next() ^ 0x80000000) >>> 0;
  if (rem !== 0) {
    const last = (0xffffffff - rem) >>> 0;
    while (d > last) d = (rng.next() ^ 0x80000000) >>> 0;
  }
  return ((d % size) | 0) + from;
}
