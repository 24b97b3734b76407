import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHUNK_SEEDS_MAX, CHUNK_SEEDS_MIN, guidedChunkCount, guidedChunkFloor, guidedChunkSize } from '../../src/explore/parallel.js';

/** The sizes sweepParallel cuts `count` seeds into for `workers` threads, in order. */
function cut(count: number, workers: number): number[] {
  const floor = guidedChunkFloor(count, workers);
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= sizes[sizes.length - 1]) sizes.push(guidedChunkSize(left, workers, floor));
  return sizes;
}

describe('guided chunk sizes', () => {
  it('cover every seed once, shrink towards the end, and stay within the bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 1, max: 16 }), (count, workers) => {
        const sizes = cut(count, workers);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(count);
        expect(sizes.length).toBe(guidedChunkCount(count, workers));
        for (let i = 0; i < sizes.length; i++) {
          expect(sizes[i]).toBeGreaterThanOrEqual(1);
          expect(sizes[i]).toBeLessThanOrEqual(CHUNK_SEEDS_MAX);
          if (i > 0) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]);
          // Only the very last chunk may be below the floor (what was left).
          if (i < sizes.length - 1) expect(sizes[i]).toBeGreaterThanOrEqual(guidedChunkFloor(count, workers));
        }
      }),
    );
  });

  it('end a large sweep with chunks of the floor, so threads finish within one small chunk of each other', () => {
    const sizes = cut(96_000, 2);
    expect(sizes[0]).toBe(CHUNK_SEEDS_MAX);
    expect(sizes.slice(-4).every((s) => s <= CHUNK_SEEDS_MIN)).toBe(true);
    // A bounded number of extra chunks against fixed chunks of 1 024 (94): each costs the main thread a message.
    expect(sizes.length).toBeLessThan(130);
  });

  it('give every thread several chunks in a sweep smaller than the floor times the threads', () => {
    expect(cut(20, 2).length).toBeGreaterThanOrEqual(4);
    expect(cut(1, 4)).toEqual([1]);
  });
});
