/**
 * A seeded run's streams start from xoroshiro128plus(seed) jumped once per stream position
 * (sources.ts). streamStates.ts makes those states from a table instead of jumping: the same
 * states, for every seed and jump count.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { jumpedGenerator } from '../../src/sim/streamStates.js';

function byJumping(seed: number, jumps: number): readonly number[] {
  const g = xoroshiro128plus(seed | 0);
  for (let i = 0; i < jumps; i++) g.jump();
  return g.getState!();
}

describe('jumpedGenerator', () => {
  it('is pure-rand\'s generator jumped k times, for the seeds at the edges and every stream', () => {
    for (const seed of [0, 1, 2, 7, 1000, -1, -2, 2 ** 31 - 1, -(2 ** 31), 0x55555555, 123456789]) {
      for (let k = 1; k <= 9; k++) expect(jumpedGenerator(seed, k).getState!()).toEqual(byJumping(seed, k));
    }
  });

  it('is pure-rand\'s generator jumped k times, for any seed', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: 1, max: 5 }), (seed, k) => {
      expect(jumpedGenerator(seed, k).getState!()).toEqual(byJumping(seed, k));
    }));
  });

  it('draws what pure-rand\'s jumped generator draws', () => {
    const a = jumpedGenerator(42, 3);
    const b = xoroshiro128plus(42);
    for (let i = 0; i < 3; i++) b.jump();
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });
});
