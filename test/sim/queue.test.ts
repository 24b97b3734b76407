import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/sim/queue.js';

describe('event queue', () => {
  it('fires events in (time, insertion) order, whatever order they were pushed in, each with its own argument', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue();
        const fired: number[] = [];
        // One long-lived function for every event; each event carries its own argument.
        const fire = (i: number) => fired.push(i);
        times.forEach((t, i) => q.push(t, fire, i, 'wake', ''));
        while (q.size > 0) {
          const e = q.pop()!;
          e.fire(e.arg);
        }
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.i);
        expect(fired).toEqual(expected);
      }),
    );
  });
});
