/**
 * The seeded source's uniform draw is pure-rand's, computed in 32-bit integers: the same
 * answers and the same generator state after every draw (every seeded run's choices, hence
 * every trace hash, depend on it).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt as pureUniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformInt } from '../../src/sim/uniformInt.js';

function drawsAgree(seed: number, from: number, to: number, draws: number): void {
  const a = xoroshiro128plus(seed);
  const b = xoroshiro128plus(seed);
  for (let i = 0; i < draws; i++) {
    expect(uniformInt(a, from, to)).toBe(pureUniformInt(b, from, to));
    expect(a.getState()).toEqual(b.getState());
  }
}

describe('uniformInt', () => {
  it('answers as pure-rand does on the ranges runs ask (yes/no per mille, delays, picks)', () => {
    for (const [from, to] of [[0, 0], [0, 1], [1, 1], [0, 2], [0, 999], [1, 7], [0, 150], [5, 5]] as const) {
      for (let seed = 0; seed < 20; seed++) drawsAgree(seed, from, to, 200);
    }
  });

  it('answers as pure-rand does where rejection is likely (sizes just above 2^31 / k) and at the edges', () => {
    // Size 2^31 + 1 rejects almost half of all draws; 3 * 2^30 + 1 a third; 2^31 none.
    for (const size of [0x80000000, 0x80000001, 0xc0000001, 0xffffffff, 0x100000000, 0x55555556, 0x40000001, 3]) {
      for (let seed = 0; seed < 10; seed++) drawsAgree(seed, 0, size - 1, 100);
    }
    drawsAgree(7, -5, 5, 100);
  });

  it('answers as pure-rand does on arbitrary seeds and ranges', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 2 ** 33 }), (seed, from, width) => {
        drawsAgree(seed, from, from + width, 20);
      }),
    );
  });
});
