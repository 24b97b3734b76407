import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Choices, CHOICE_KINDS, STREAMS, zigzag, type Question } from '../../src/sim/choice.js';
import { MARK_DROP_REPLY, MARK_DROP_REQUEST, MARK_DUPLICATE, MARK_RANDOM_PAUSE } from '../../src/sim/marks.js';
import { ListSource, SeededSource, streamIndex } from '../../src/sim/sources.js';

const q = (over: Partial<Question> = {}): Question => ({ stream: 'network', kind: 'delay', max: 150, ...over });

describe('choices', () => {
  it('a seeded source keeps its generators in STREAMS order: streamIndex names each stream\'s place', () => {
    expect(STREAMS.map(streamIndex)).toEqual(STREAMS.map((_, i) => i));
    // One slot per stream from the start (a literal in sources.ts), none made before it is asked.
    expect((new SeededSource(1) as unknown as { rngs: unknown[] }).rngs).toEqual(STREAMS.map(() => undefined));
  });

  it('never asks a question whose only answer is 0 (max 0 or a 0 per-mille fault)', () => {
    const src = new ListSource([7, 7, 7]);
    const c = new Choices(src, () => 0, true);
    expect(c.ask(q({ max: 0 }))).toBe(0);
    expect(c.chance('network', 'drop-request', 0)).toBe(false);
    expect(c.ask(q({ perMille: 0 }))).toBe(0);
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

  it('answers from a source are made whole and put in range: negative or not a number is 0, too big wraps, fractions floor', () => {
    const answers = [-3, Number.NaN, 7.9, 160.5, 4];
    const c = new Choices({ description: 'odd', answer: () => answers.shift()! }, () => 0, false);
    expect([c.ask(q()), c.ask(q()), c.ask(q()), c.ask(q()), c.ask(q({ max: 4 }))]).toEqual([0, 0, 7, 9, 4]);
    expect(c.asked).toBe(5);
  });

  it('a recording keeps each question\'s place, time, trace position, stream, kind, range, answer, subject and label', () => {
    let now = 5;
    let traced = 2;
    const c = new Choices(new ListSource([1, 3]), () => now, true, () => traced);
    expect(c.chance('faults', 'decline', 1000, { type: 'order', order: 'o4' })).toBe(true);
    now = 9;
    traced = 6;
    expect(c.between('network', 'delay', 10, 20, { type: 'node', node: 'db' })).toBe(13);
    expect(c.recorded).toEqual([
      { index: 0, timeMs: 5, traceIndex: 2, stream: 'faults', kind: 'decline', max: 1, value: 1, subject: { type: 'order', order: 'o4' }, label: 'o4' },
      { index: 1, timeMs: 9, traceIndex: 6, stream: 'network', kind: 'delay', max: 10, value: 3, subject: { type: 'node', node: 'db' }, label: 'db' },
    ]);
    // Without a trace position, 0; without a subject, none.
    const d = new Choices(new ListSource([1]), () => 0, true);
    d.ask(q());
    expect([d.recorded![0].traceIndex, d.recorded![0].subject]).toEqual([0, { type: 'none' }]);
  });

  it('chance: 1 means it happens; a negative chance is never asked; between: min is the unsurprising answer', () => {
    const c = new Choices(new ListSource([1, 2, 0]), () => 0, false);
    expect(c.chance('network', 'duplicate', -5)).toBe(false);
    expect(c.asked).toBe(0);
    expect(c.chance('network', 'duplicate', 500)).toBe(true);
    expect(c.chance('network', 'duplicate', 500)).toBe(false); // 2 wraps to 0
    expect(c.between('payment', 'payment-delay', 30, 30)).toBe(30);
    expect(c.between('payment', 'payment-delay', 30, 40)).toBe(30);
    expect(c.asked).toBe(3);
  });

  it('a question with a per-mille chance reaches the source with it; a range question without', () => {
    const seen: Question[] = [];
    const c = new Choices({ description: 'spy', answer: (x) => (seen.push({ ...x }), 0) }, () => 0, false);
    c.chance('payment', 'decline', 250, { type: 'order', order: 'o1' });
    c.between('network', 'delay', 5, 9);
    expect(seen).toEqual([
      { stream: 'payment', kind: 'decline', max: 1, perMille: 250, about: { type: 'order', order: 'o1' } },
      { stream: 'network', kind: 'delay', max: 4, perMille: undefined, about: undefined },
    ]);
  });

  it('the kinds of choice, and the kernel\'s fault marks, are names in files (replay files, --json): pinned', () => {
    expect(CHOICE_KINDS).toEqual(['delay', 'drop-request', 'drop-reply', 'duplicate', 'reorder', 'pause', 'crash', 'replica-lag', 'payment-delay', 'decline', 'arrival', 'clock-offset', 'clock-drift', 'replica', 'clock-read', 'schedule']);
    expect([MARK_DROP_REQUEST, MARK_DROP_REPLY, MARK_DUPLICATE, MARK_RANDOM_PAUSE]).toEqual(['drop-request', 'drop-reply', 'duplicate', 'random-pause']);
  });
});
