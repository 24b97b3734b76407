import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { before, EventQueue, EVENT_KINDS, type QueuedEvent } from '../../src/sim/queue.js';

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

  it('removes any pending event (a scheduler\'s pick) and keeps the rest in order; the removed one is no longer pending', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 30 }), (times, picks) => {
        const q = new EventQueue();
        const events = times.map((t, i) => q.push(t, () => {}, i, 'wake', ''));
        const removed = new Set<number>();
        for (const p of picks) {
          const pending = q.pendingEvents();
          if (pending.length === 0) break;
          const e = pending[p % pending.length];
          expect(q.remove(e)).toBe(true);
          expect(e.pending).toBe(false);
          expect(q.remove(e)).toBe(false);
          removed.add(e.arg as number);
        }
        expect(q.size).toBe(times.length - removed.size);
        const rest: number[] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) {
          expect(e.pending).toBe(false);
          rest.push(e.arg as number);
        }
        const expected = events.filter((e) => !removed.has(e.arg as number)).sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq).map((e) => e.arg);
        expect(rest).toEqual(expected);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('peeks without removing; an empty queue has no time and pops nothing', () => {
    const q = new EventQueue();
    expect(q.peekTime()).toBe(Infinity);
    expect(q.peek()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
    q.push(7, () => {}, 'b', 'wake', 'n');
    const a = q.push(3, () => {}, 'a', 'tick', 'db');
    expect(q.peekTime()).toBe(3);
    expect(q.peek()).toBe(a);
    expect(q.size).toBe(2);
    expect(q.pushed).toBe(2);
    q.pop();
    expect(q.pushed).toBe(2);
    expect(q.peekTime()).toBe(7);
  });

  it('an event carries what it was pushed with: window, kind, owner, gate, epoch, predecessor; seq counts pushes', () => {
    const q = new EventQueue();
    const gate = { whenRunning: () => {} };
    const first = q.push(1, () => {}, null, 'deliver', 'db');
    expect(first).toMatchObject({ timeMs: 1, latestMs: 1, seq: 0, kind: 'deliver', owner: 'db', gate: null, epoch: 0, after: null, pending: true });
    const e = q.push(2, () => {}, 'x', 'replica-apply', 'replica1', gate, 3, 9, first);
    expect(e).toMatchObject({ timeMs: 2, latestMs: 9, seq: 1, arg: 'x', gate, epoch: 3, after: first });
  });

  it('before: earlier time first; at the same time, earlier insertion first; never both ways', () => {
    const ev = (timeMs: number, seq: number) => ({ timeMs, seq }) as QueuedEvent;
    expect(before(ev(1, 5), ev(2, 0))).toBe(true);
    expect(before(ev(2, 0), ev(1, 5))).toBe(false);
    expect(before(ev(2, 1), ev(2, 2))).toBe(true);
    expect(before(ev(2, 2), ev(2, 1))).toBe(false);
    expect(before(ev(2, 2), ev(2, 2))).toBe(false);
  });

  it('removing from the middle moves the last event up when it must (here past its new parent, a tie broken by insertion)', () => {
    const q = new EventQueue();
    const events = [8, 16, 12, 12, 16, 16, 0].map((t, i) => q.push(t, () => {}, i, 'wake', ''));
    q.remove(events[1]);
    const order: unknown[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) order.push(e.arg);
    expect(order).toEqual([6, 0, 2, 3, 4, 5]);
  });

  it('EVENT_KINDS (public API) lists every kind of event once', () => {
    expect(EVENT_KINDS).toEqual(['deliver', 'handle-reply', 'timeout', 'wake', 'arrival', 'replica-apply', 'fault-step', 'heal', 'pause-end', 'restart', 'tick', 'faults-end', 'server-timer']);
  });
});
