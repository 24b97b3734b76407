import { describe, expect, it } from 'vitest';
import { arrayOfOne, emptyArray } from '../../src/sim/untracked.js';
import { emptyObjects } from '../../src/sim/packed.js';

describe('run-long arrays without an allocation site (sim/untracked.ts)', () => {
  it('emptyArray is a fresh empty array each time: what one run pushes never shows up in the next one', () => {
    const a = emptyArray<number>();
    a.push(1, 2, 3);
    const b = emptyArray<string>();
    expect(b).toEqual([]);
    expect(b).not.toBe(a);
    b.push('x');
    expect(a).toEqual([1, 2, 3]);
    expect(emptyArray()).toEqual([]);
  });

  it('emptyObjects copies an empty array that no caller can fill: after many pushes and pops, a new one is still empty', () => {
    for (let i = 0; i < 3; i++) {
      const a = emptyObjects<number>();
      expect(a).toEqual([]);
      a.push(i, i + 1);
      a.pop();
    }
    expect(emptyObjects()).toHaveLength(0);
  });

  it('arrayOfOne is a fresh [x] each time, of exactly one element', () => {
    const a = arrayOfOne('o1');
    const b = arrayOfOne({ n: 2 });
    expect(a).toEqual(['o1']);
    expect(b).toEqual([{ n: 2 }]);
    a.push('o2');
    expect(arrayOfOne('o3')).toEqual(['o3']);
    expect(a).toEqual(['o1', 'o2']);
  });
});
