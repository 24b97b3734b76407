import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sweepInline, mergeTallies, type SweepTally } from '../../src/explore/sweep.js';
import { shardRange, parseShard } from '../../src/explore/shard.js';
import { builtinStrategy } from '../../src/explore/run.js';
import { InputError } from '../../src/errors.js';
import { chaos } from './helpers.js';

describe('shards', () => {
  it('i/n slices are disjoint, contiguous and cover the range exactly', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(5000), fc.integer({ min: 1, max: 64 }), (start, count, n) => {
        let next = start;
        for (let i = 1; i <= n; i++) {
          const s = shardRange(start, count, { index: i, count: n });
          expect(s.start).toBe(next);
          expect(s.count).toBeGreaterThanOrEqual(Math.floor(count / n));
          expect(s.count).toBeLessThanOrEqual(Math.ceil(count / n));
          next += s.count;
        }
        expect(next).toBe(start + count);
      }),
    );
  });

  it('parse i/n and refuse nonsense', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1/2/3', '-1/2']) expect(() => parseShard(bad)).toThrow(InputError);
  });

  it('merging tallies is order-independent', () => {
    const scenario = chaos();
    const parts: SweepTally[] = [0, 1, 2, 3].map((i) => sweepInline(scenario, { start: 1 + i * 15, count: 15, strategy: builtinStrategy('lock-lease') }));
    expect(mergeTallies([parts[2], parts[0], parts[3], parts[1]])).toEqual(mergeTallies(parts));
  });
});
