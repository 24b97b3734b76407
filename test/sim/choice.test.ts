import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Choices, zigzag, type Question } from '../../src/sim/choice.js';
import { ListSource, SeededSource } from '../../src/sim/sources.js';

const q = (over: Partial<Question> = {}): Question => ({ stream: 'network', kind: 'delay', max: 150, ...over });

describe('choices', () => {
  it('never asks a question whose only answer is 0 (max 0 or a 0 per-mille fault)', () => {
    const src = new ListSource([7, 7, 7]);
    const c = new Choices(src, () => 0, true);
    expect(c.ask(q({ max: 0 }))).toBe(0);
    expect(c.chance('network', 'drop-request', 0)).toBe(false);
    expect(c.asked).toBe(0);
    expect(src.consumed).toBe(0);
  });

  it('a list source answers in order, clamps into range, and answers 0 once it runs out', () => {
    const c = new Choices(new ListSource([5, 300, 2]), () => 0, true);
    expect(c.ask(q())).toBe(5);
    expect(c.ask(q())).toBe(300 % 151);
    expect(c.ask(q({ max: 1 }))).toBe(0); // 2 % 2
    expect(c.ask(q())).toBe(0);
    expect(c.recorded!.map((x) => x.value)).toEqual([5, 149, 0, 0]);
  });

  it('seeded answers stay in range and respect per-mille odds', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 5000 }), (seed, max) => {
        const c = new Choices(new SeededSource(seed), () => 0, false);
        for (let i = 0; i < 20; i++) {
          const v = c.ask(q({ max }));
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(max);
        }
      }),
    );
    const c = new Choices(new SeededSource(1), () => 0, false);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (c.chance('faults', 'drop-request', 100)) hits++;
    expect(hits).toBeGreaterThan(800);
    expect(hits).toBeLessThan(1200);
  });

  it('streams are independent: extra network draws do not change workload draws', () => {
    const a = new Choices(new SeededSource(42), () => 0, false);
    const b = new Choices(new SeededSource(42), () => 0, false);
    for (let i = 0; i < 17; i++) b.ask(q({ stream: 'network' }));
    const wa = Array.from({ length: 10 }, () => a.ask(q({ stream: 'workload', max: 1000 })));
    const wb = Array.from({ length: 10 }, () => b.ask(q({ stream: 'workload', max: 1000 })));
    expect(wb).toEqual(wa);
  });

  it('same seed, same answers; another seed, other answers', () => {
    const draw = (seed: number) => {
      const c = new Choices(new SeededSource(seed), () => 0, false);
      return Array.from({ length: 20 }, () => c.ask(q({ max: 1_000_000 })));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
  });

  it('zigzag decodes 0, 1, 2, 3, 4 to 0, +1, -1, +2, -2, every integer once, and never -0', () => {
    expect([0, 1, 2, 3, 4].map(zigzag)).toEqual([0, 1, -1, 2, -2]);
    // -0 would turn a node's integer clock fields into doubles and deoptimise the kernel.
    expect(Object.is(zigzag(0), 0)).toBe(true);
    fc.assert(
      fc.property(fc.nat(1_000_000), (a) => {
        const v = zigzag(a);
        expect(Number.isSafeInteger(v) && !Object.is(v, -0)).toBe(true);
        expect(v > 0 ? 2 * v - 1 : 2 * Math.abs(v)).toBe(a);
      }),
    );
  });
});
