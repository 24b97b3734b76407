/**
 * The ready set and the scheduler seam (windowed timing): which pending events may fire next,
 * in which order they are offered, and how a choice picks one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue, type QueuedEvent } from '../../src/sim/queue.js';
import { readySet } from '../../src/sim/ready.js';
import { ChoiceScheduler, EARLIEST } from '../../src/sim/scheduler.js';
import { Choices } from '../../src/sim/choice.js';
import { ListSource, SeededSource } from '../../src/sim/sources.js';

const noop = () => {};
const ready = (q: EventQueue) => {
  const out: QueuedEvent[] = [{} as QueuedEvent];
  readySet(q, out);
  return out.map((e) => e.arg);
};

describe('the ready set', () => {
  it('holds every event that may fire before the earliest deadline, in (earliest, insertion) order', () => {
    const q = new EventQueue();
    q.push(10, noop, 'c', 'deliver', 'db', null, 0, 30);
    q.push(0, noop, 'a', 'deliver', 'db', null, 0, 20);
    q.push(20, noop, 'd', 'wake', 'app1', null, 0, 20); // may fire exactly at the deadline
    q.push(21, noop, 'e', 'wake', 'app1', null, 0, 21); // not before it: not ready
    q.push(5, noop, 'b', 'deliver', 'db', null, 0, 50);
    // The stale entry in `out` is gone.
    expect(ready(q)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('at the same earliest time, the first pushed comes first', () => {
    const q = new EventQueue();
    q.push(4, noop, 'x', 'wake', '', null, 0, 9);
    q.push(4, noop, 'y', 'wake', '', null, 0, 9);
    q.push(4, noop, 'z', 'wake', '', null, 0, 4);
    expect(ready(q)).toEqual(['x', 'y', 'z']);
  });

  it('an event waits for its predecessor (a FIFO link, a replica\'s log) to fire', () => {
    const q = new EventQueue();
    const first = q.push(0, noop, 'first', 'deliver', 'db', null, 0, 100);
    q.push(0, noop, 'second', 'deliver', 'db', null, 0, 100, first);
    expect(ready(q)).toEqual(['first']);
    q.remove(first);
    expect(ready(q)).toEqual(['second']);
  });

  it('an empty queue: an empty ready set', () => {
    expect(ready(new EventQueue())).toEqual([]);
  });

  it('is never empty while events are pending, and is sorted (any windows, no predecessors)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 50 })), { minLength: 1, maxLength: 40 }), (ws) => {
      const q = new EventQueue();
      ws.forEach(([t, w], i) => q.push(t, noop, i, 'wake', '', null, 0, t + w));
      const out: QueuedEvent[] = [];
      readySet(q, out);
      expect(out.length).toBeGreaterThan(0);
      const deadline = Math.min(...ws.map(([t, w]) => t + w));
      expect(out.map((e) => e.arg).sort((a, b) => (a as number) - (b as number))).toEqual(ws.flatMap(([t], i) => (t <= deadline ? [i] : [])));
      for (let i = 1; i < out.length; i++) expect(out[i - 1].timeMs < out[i].timeMs || (out[i - 1].timeMs === out[i].timeMs && out[i - 1].seq < out[i].seq)).toBe(true);
    }), { seed: 5, numRuns: 300 });
  });
});

describe('schedulers', () => {
  const events = (n: number) => {
    const q = new EventQueue();
    for (let i = 0; i < n; i++) q.push(i, noop, { type: 'node', node: `n${i}` }, 'wake', `n${i}`, null, 0, 100);
    return [...q.pendingEvents()].sort((a, b) => a.seq - b.seq);
  };

  it('earliest always picks the first', () => {
    expect(EARLIEST.name).toBe('earliest');
    expect(EARLIEST.pick(events(3), new Choices(new ListSource([2]), () => 0, true))).toBe(0);
  });

  it('a choice scheduler asks the schedule stream for an index into the ready set, and records what it chose among', () => {
    const s = new ChoiceScheduler();
    expect(s.name).toBe('choice');
    const choices = new Choices(new ListSource([2]), () => 0, true);
    expect(s.pick(events(3), choices)).toBe(2);
    const c = choices.recorded![0];
    expect(c.kind).toBe('schedule');
    expect(c.stream).toBe('schedule');
    expect(c.max).toBe(2);
    expect(c.value).toBe(2);
    expect(c.subject).toEqual({ type: 'schedule', candidates: [0, 1, 2].map((i) => ({ kind: 'wake', owner: `n${i}`, subject: { type: 'node', node: `n${i}` } })) });
    expect(c.label).toBe('3 ready: wake n0 | wake n1 | wake n2');
  });

  it('one ready event is no question', () => {
    const choices = new Choices(new ListSource([1]), () => 0, true);
    expect(new ChoiceScheduler().pick(events(1), choices)).toBe(0);
    expect(choices.recorded).toEqual([]);
    expect(choices.asked).toBe(0);
  });

  it('a list past its end picks the earliest; a seeded source picks anywhere in the ready set', () => {
    expect(new ChoiceScheduler().pick(events(4), new Choices(new ListSource([]), () => 0, false))).toBe(0);
    const seen = new Set<number>();
    const choices = new Choices(new SeededSource(3), () => 0, false);
    const s = new ChoiceScheduler();
    for (let i = 0; i < 200; i++) seen.add(s.pick(events(4), choices));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
});
