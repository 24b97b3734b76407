import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Sim } from '../../src/sim/world.js';
import { ListSource, SeededSource } from '../../src/sim/sources.js';
import { ChoiceScheduler, EARLIEST, type Scheduler } from '../../src/sim/scheduler.js';
import { rpc, sleep, type Proc, type RpcResult } from '../../src/sim/process.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import type { TimingModel } from '../../src/sim/kernel.js';

const limits = { eventsMax: 100_000, timeMsMax: 1_000_000 };

function world(o: { seed?: number; delayMsMin: number; delayMsMax: number; reorderPerMille?: number; timing?: TimingModel; scheduler?: Scheduler }) {
  const sim = new Sim({
    source: o.seed === undefined ? new ListSource([]) : new SeededSource(o.seed),
    network: { delayMsMin: o.delayMsMin, delayMsMax: o.delayMsMax, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, reorderPerMille: o.reorderPerMille, links: new Map() },
    timing: o.timing ?? 'windowed',
    scheduler: o.scheduler ?? new ChoiceScheduler(),
    keepTrace: true,
  });
  const client = sim.addNode('client', 'app');
  const server = sim.addNode('server', 'db');
  server.handler = (call) => ({ call });
  return { sim, client, server };
}

/** Every delivery of `trace` happened inside its window: [sent + min, sent + max]. */
function deliveriesInWindows(trace: readonly TraceEvent[], min: number, max: number): string[] {
  const sentAt = new Map<number, number>();
  const bad: string[] = [];
  for (const e of trace) {
    if (e.type === 'send' || e.type === 'duplicate') sentAt.set(e.msg, e.t);
    if (e.type === 'deliver') {
      const d = e.t - sentAt.get(e.msg)!;
      if (d < min || d > max) bad.push(`msg ${e.msg} took ${d} ms`);
    }
  }
  return bad;
}

describe('windowed timing: the scheduler picks among the orders real time allows', () => {
  it('time never goes back, every trace event records the clock, and every delivery lands inside its window', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 300 }), (seed, min, width) => {
        const { sim, client } = world({ seed, delayMsMin: min, delayMsMax: min + width });
        for (let p = 0; p < 3; p++) {
          client.spawn(`p${p}`, (function* (): Proc<void> {
            for (let i = 0; i < 4; i++) {
              yield* rpc('server', 'ping', {}, 10_000);
              yield* sleep(p * 7);
            }
          })(), () => {});
        }
        expect(sim.runUntilQuiet(limits)).toBe('quiet');
        const trace = sim.trace.events!;
        for (let i = 1; i < trace.length; i++) expect(trace[i].t).toBeGreaterThanOrEqual(trace[i - 1].t);
        expect(deliveriesInWindows(trace, min, min + width)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('a reply that cannot arrive before its timeout never does, and one that must arrive before it always does', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const late = world({ seed, delayMsMin: 100, delayMsMax: 200 }); // the reply comes at 200 at the earliest
      const early = world({ seed, delayMsMin: 10, delayMsMax: 40 }); // ... at 80 at the latest
      const got: Array<RpcResult<unknown> | null> = [null, null];
      late.client.spawn('p', (function* (): Proc<void> {
        got[0] = yield* rpc('server', 'ping', {}, 150);
      })(), () => {});
      early.client.spawn('p', (function* (): Proc<void> {
        got[1] = yield* rpc('server', 'ping', {}, 100);
      })(), () => {});
      late.sim.runUntilQuiet(limits);
      early.sim.runUntilQuiet(limits);
      expect(got[0], `seed ${seed}`).toEqual({ ok: false, error: 'timeout' });
      expect(got[1], `seed ${seed}`).toEqual({ ok: true, value: { call: 'ping' } });
    }
  });

  it('a timer at a fixed time fires exactly then; an event picked after a later one fires at the clock, not in the past', () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const { sim, client } = world({ seed, delayMsMin: 0, delayMsMax: 1000 });
      let wokeAt = -1;
      client.spawn('sleeper', (function* (): Proc<void> {
        yield* sleep(50);
        wokeAt = sim.nowMs;
      })(), () => {});
      let answeredAt = -1;
      client.spawn('caller', (function* (): Proc<void> {
        yield* rpc('server', 'ping', {}, 5000);
        answeredAt = sim.nowMs;
      })(), () => {});
      sim.runUntilQuiet(limits);
      expect(wokeAt).toBe(50);
      seen.add(answeredAt < 50 ? 0 : 1);
      const deliveries = sim.trace.events!.filter((e) => e.type === 'deliver');
      for (const d of deliveries) expect(d.t).toBeLessThanOrEqual(1000 * 2);
    }
    // Both orders happen: the reply before the timer, and after it.
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it('a FIFO link (reorderPerMille 0) is an enabledness rule: messages arrive in send order, whatever the schedule', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { sim, client, server } = world({ seed, delayMsMin: 1, delayMsMax: 500, reorderPerMille: 0 });
      const got: string[] = [];
      server.handler = (call) => {
        got.push(call);
        return undefined;
      };
      client.spawn('p', (function* (): Proc<void> {
        for (const call of ['a', 'b', 'c', 'd']) {
          yield* rpc('server', call, {}, 1);
          yield* sleep(3);
        }
      })(), () => {});
      sim.runUntilQuiet(limits);
      expect(got, `seed ${seed}`).toEqual(['a', 'b', 'c', 'd']);
    }
  });

  it('the earliest-first schedule of the windowed model is the sampled model with every delay at its minimum', () => {
    const shape = (timing: TimingModel, scheduler: Scheduler | undefined) => {
      const { sim, client } = world({ delayMsMin: 30, delayMsMax: 300, timing, scheduler });
      client.spawn('p', (function* (): Proc<void> {
        for (let i = 0; i < 3; i++) yield* rpc('server', 'ping', {}, 1000);
      })(), () => {});
      sim.runUntilQuiet(limits);
      return sim.trace.events!.map((e) => `${e.t} ${e.type}`);
    };
    expect(shape('windowed', EARLIEST)).toEqual(shape('sampled', undefined));
  });
});
