/**
 * The kernel on its own: the clock, the loop and its limits, which events may fire next, what
 * a scheduler may pick, and the paired assertions that stop a run the moment its own
 * bookkeeping is wrong (each with the invariant and what was seen).
 */
import { describe, expect, it } from 'vitest';
import { Kernel, TIMING_MODELS, type KernelOptions } from '../../src/sim/kernel.js';
import { KernelAssertionError, setKernelTestHook } from '../../src/sim/assert.js';
import { ListSource } from '../../src/sim/sources.js';
import type { Scheduler } from '../../src/sim/scheduler.js';

const kernel = (o: Partial<KernelOptions> = {}) => new Kernel({ source: new ListSource([]), ...o });
const limits = { eventsMax: 1000, timeMsMax: 1000 };

/** Fires record [name, now]. */
function log() {
  const fired: Array<[string, number]> = [];
  return { fired, fire: (k: Kernel) => (name: string) => fired.push([name, k.nowMs]) };
}

function thrown(f: () => unknown): KernelAssertionError {
  try {
    f();
  } catch (e) {
    if (e instanceof KernelAssertionError) return e;
    throw e;
  }
  throw new Error('no kernel assertion');
}

describe('the kernel', () => {
  it('defaults: sampled timing, no scheduler, the trace hashed but not kept, choices not recorded', () => {
    const k = kernel();
    expect(TIMING_MODELS).toEqual(['sampled', 'windowed']);
    expect(k.timing).toBe('sampled');
    expect(k.windowed).toBe(false);
    expect(k.scheduler).toBeNull();
    expect(k.trace.events).toBeNull();
    expect(k.choices.recorded).toBeNull();
    expect(kernel({ keepTrace: true, recordChoices: true, timing: 'windowed' })).toMatchObject({ timing: 'windowed', windowed: true, trace: { events: [] }, choices: { recorded: [] } });
  });

  it('a recorded choice says when it was asked and how many trace events came before it', () => {
    const k = kernel({ source: new ListSource([1, 1]), recordChoices: true });
    k.at('wake', '', 7, () => {
      k.trace.emit({ t: k.nowMs, type: 'faults-end' });
      k.trace.emit({ t: k.nowMs, type: 'faults-end' });
      k.choices.ask({ stream: 'network', kind: 'delay', max: 3 });
    }, undefined);
    k.runUntilQuiet(limits);
    expect(k.choices.recorded!.map((c) => [c.timeMs, c.traceIndex])).toEqual([[7, 2]]);
  });

  it('fires in time order and sets the clock to each event\'s time; at, after and push agree', () => {
    const k = kernel();
    const { fired, fire } = log();
    k.at('wake', '', 30, fire(k), 'c');
    k.push('wake', '', 10, 10, fire(k), 'a');
    k.at('wake', '', 20, () => k.after('wake', '', 5, fire(k), 'b2'), undefined);
    expect(k.runUntilQuiet(limits)).toBe('quiet');
    expect(fired).toEqual([['a', 10], ['b2', 25], ['c', 30]]);
    expect(k.eventsFired).toBe(4);
  });

  it('stops at the time limit without firing past it; an event at the limit still fires (both loops)', () => {
    for (const o of [{}, { timing: 'windowed' as const }]) {
      const k = kernel(o);
      const { fired, fire } = log();
      k.at('wake', '', 10, fire(k), 'at');
      k.at('wake', '', 11, fire(k), 'past');
      expect(k.runUntilQuiet({ eventsMax: 100, timeMsMax: 10 })).toBe('time-limit');
      expect(fired).toEqual([['at', 10]]);
      expect(k.nowMs).toBe(10);
    }
  });

  it('stops at the event limit', () => {
    const k = kernel();
    const again = (): void => void k.after('wake', '', 1, again, undefined);
    k.at('wake', '', 0, again, undefined);
    expect(k.runUntilQuiet({ eventsMax: 5, timeMsMax: 1000 })).toBe('event-limit');
    expect(k.eventsFired).toBe(5);
  });

  it('windowed: an event fires at the clock when it is picked after its earliest time, never before', () => {
    const k = kernel({ timing: 'windowed', source: new ListSource([1]), scheduler: { name: 'last', pick: (r) => r.length - 1 } });
    const { fired, fire } = log();
    k.push('wake', '', 0, 50, fire(k), 'early');
    k.push('wake', '', 20, 50, fire(k), 'late');
    k.runUntilQuiet(limits);
    expect(fired).toEqual([['late', 20], ['early', 20]]);
  });

  it('the windowed loop waits for an event\'s predecessor; the sampled default pops the heap (its FIFO links are made by times)', () => {
    const order = (o: Partial<KernelOptions>) => {
      const k = kernel(o);
      const { fired, fire } = log();
      const first = k.push('deliver', 'db', 10, 50, fire(k), 'first');
      k.push('deliver', 'db', 0, 50, fire(k), 'second', null, 0, first);
      k.runUntilQuiet(limits);
      return fired.map(([n]) => n);
    };
    expect(order({ timing: 'windowed' })).toEqual(['first', 'second']);
    expect(order({})).toEqual(['second', 'first']);
    // A scheduler in the sampled model goes through the ready set too.
    expect(order({ scheduler: { name: 'first', pick: () => 0 } })).toEqual(['first', 'second']);
  });

  it('a scheduler picks among ready events in (earliest, insertion) order', () => {
    const picks: string[][] = [];
    const k = kernel({ scheduler: { name: 'spy', pick: (r) => (picks.push(r.map((e) => e.arg as string)), r.length - 1) } });
    const { fired, fire } = log();
    k.at('wake', '', 5, fire(k), 'x');
    k.at('wake', '', 5, fire(k), 'y');
    k.runUntilQuiet(limits);
    expect(picks).toEqual([['x', 'y'], ['x']]);
    expect(fired).toEqual([['y', 5], ['x', 5]]);
  });
});

describe('the kernel\'s own assertions', () => {
  it('the test hook (how the assertion tests corrupt a run) sees the kernel, its world and the count before each event', () => {
    const k = kernel();
    k.world = 'the world';
    const seen: unknown[] = [];
    k.at('wake', '', 1, () => seen.push('fired'), undefined);
    k.at('wake', '', 2, () => seen.push('fired'), undefined);
    setKernelTestHook((p) => seen.push([p.kernel === k, p.world, p.eventsFired]));
    try {
      k.runUntilQuiet(limits);
    } finally {
      setKernelTestHook(null);
    }
    expect(seen).toEqual([[true, 'the world', 0], 'fired', [true, 'the world', 1], 'fired']);
  });

  it('a scheduler must pick the index of a ready event', () => {
    for (const [pick, detail] of [[-1, 'picked -1 of 2'], [2, 'picked 2 of 2'], [0.5, 'picked 0.5 of 2']] as const) {
      const k = kernel({ scheduler: { name: 'bad', pick: () => pick } });
      k.at('wake', '', 1, () => {}, undefined);
      k.at('wake', '', 1, () => {}, undefined);
      const e = thrown(() => k.runUntilQuiet(limits));
      expect(e.invariant).toBe('the scheduler picks a ready event');
      expect(e.detail).toBe(detail);
    }
  });

  it('what the ready set offers is pending and in the queue', () => {
    const gone: Scheduler = { name: 'steals', pick: (r) => (r[0].pending = false, 0) };
    const k = kernel({ scheduler: gone });
    k.at('wake', 'n', 1, () => {}, undefined);
    const e = thrown(() => k.runUntilQuiet(limits));
    expect([e.invariant, e.detail]).toEqual(['queue and ready set agree', 'picked a wake that is not pending']);
    const removed: Scheduler = { name: 'removes', pick: (r) => (k2.queue.remove(r[0]), (r[0].pending = true), 0) };
    const k2 = kernel({ scheduler: removed });
    k2.at('tick', 'n', 1, () => {}, undefined);
    const e2 = thrown(() => k2.runUntilQuiet(limits));
    expect([e2.invariant, e2.detail]).toEqual(['queue and ready set agree', 'picked a tick the queue does not hold']);
  });

  it('the ready set is never empty while events are pending (two events each waiting for the other)', () => {
    const k = kernel({ timing: 'windowed' });
    const a = k.push('deliver', 'db', 0, 10, () => {}, undefined);
    const b = k.push('deliver', 'db', 0, 10, () => {}, undefined, null, 0, a);
    (a as { after: unknown }).after = b;
    const e = thrown(() => k.runUntilQuiet(limits));
    expect([e.invariant, e.detail, e.atMs]).toEqual(['the ready set is never empty while events are pending', '2 pending, none ready', 0]);
  });

  it('an event is scheduled with an integer window, now or later, not inverted', () => {
    const k = kernel();
    k.nowMs = 10;
    const cases: Array<[number, number, string, string]> = [
      [10.5, 11, 'time is an integer', 'wake scheduled for [10.5, 11]'],
      [11, 11.5, 'time is an integer', 'wake scheduled for [11, 11.5]'],
      [9, 12, 'events are scheduled now or later, never in the past', 'wake scheduled for 9 ms at 10 ms'],
      [12, 11, 'an event\'s window is not inverted', 'wake scheduled for [12, 11]'],
      [10, 9, 'an event\'s window is not inverted', 'wake scheduled for [10, 9]'],
      [2 ** 53, 2 ** 53, 'time is an integer', `wake scheduled for [${2 ** 53}, ${2 ** 53}]`],
    ];
    for (const [earliest, latest, invariant, detail] of cases) {
      const e = thrown(() => k.push('wake', '', earliest, latest, () => {}, undefined));
      expect([e.invariant, e.detail, e.atMs]).toEqual([invariant, detail, 10]);
    }
    // Now, and a window of width 0, are fine.
    k.push('wake', '', 10, 10, () => {}, undefined);
    expect(k.queue.size).toBe(1);
  });

  it('time never goes back, stays an integer, and never passes a pending event\'s window', () => {
    const late = kernel({ timing: 'windowed' });
    late.push('wake', 'n', 0, 5, () => {}, undefined);
    late.nowMs = 8;
    const e = thrown(() => late.runUntilQuiet(limits));
    expect([e.invariant, e.detail]).toEqual(['no event fires after its window', 'wake due by 5 ms fired at 8 ms']);
    const fractional = kernel();
    fractional.at('wake', '', 3, () => {}, undefined);
    fractional.nowMs = 0.5;
    const f = thrown(() => fractional.runUntilQuiet(limits));
    expect([f.invariant, f.detail]).toEqual(['time is an integer and monotonic', 'wake at 3 ms would move the clock from 0.5 to 3 ms']);
  });

  it('at quiet, everything scheduled fired', () => {
    const k = kernel();
    k.at('wake', '', 1, () => {}, undefined);
    k.queue.pop();
    const e = thrown(() => k.runUntilQuiet(limits));
    expect([e.invariant, e.detail]).toEqual(['queue and fired events agree', '1 scheduled, 0 fired, nothing pending']);
  });
});
