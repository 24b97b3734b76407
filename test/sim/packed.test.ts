import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyObjects, mapPacked } from '../../src/sim/packed.js';

describe('arrays with one hidden class in every tier (sim/packed.ts)', () => {
  it('mapPacked gives exactly what Array.prototype.map gives (values, indexes, length) and leaves its input alone', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.string(), fc.record({ item: fc.string(), qty: fc.nat() }))), (xs) => {
        const before = [...xs];
        const f = (x: unknown, i: number) => ({ x, i });
        const got = mapPacked(xs, f);
        expect(got).toEqual(xs.map(f));
        expect(got).toHaveLength(xs.length);
        expect(got).not.toBe(xs);
        expect(xs).toEqual(before);
      }),
    );
  });

  it('emptyObjects is a fresh empty array each time, usable as any other', () => {
    const a = emptyObjects<{ n: number }>();
    const b = emptyObjects<{ n: number }>();
    expect(a).toEqual([]);
    expect(a).not.toBe(b);
    a.push({ n: 1 }, { n: 2 });
    expect(a).toEqual([{ n: 1 }, { n: 2 }]);
    expect(b).toEqual([]);
  });
});
