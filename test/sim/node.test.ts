import { describe, expect, it } from 'vitest';
import { Sim } from '../../src/sim/world.js';
import { ListSource } from '../../src/sim/sources.js';
import { rpc, sleep, type Proc, type RpcResult } from '../../src/sim/process.js';

/** Two nodes, a fixed 10 ms link (min = max so no choices are asked). */
function twoNodes(opts: { delayMs?: number; dropReplyPerMille?: number } = {}) {
  const d = opts.delayMs ?? 10;
  const sim = new Sim({
    source: new ListSource([]),
    network: { delayMsMin: d, delayMsMax: d, dropRequestPerMille: 0, dropReplyPerMille: opts.dropReplyPerMille ?? 0, duplicatePerMille: 0, links: new Map() },
    keepTrace: true,
  });
  const client = sim.addNode('client', 'app');
  const server = sim.addNode('server', 'db');
  let applied = 0;
  server.handler = (call) => (call === 'inc' ? { n: ++applied } : undefined);
  return { sim, client, server, applied: () => applied };
}

const limits = { eventsMax: 10_000, timeMsMax: 1_000_000 };

describe('nodes and processes', () => {
  it('an rpc answers with a value after two link delays', () => {
    const { sim, client } = twoNodes();
    let got: RpcResult<{ n: number }> | null = null;
    let at = -1;
    client.spawn('p', (function* (): Proc<void> {
      got = yield* rpc<{ n: number }>('server', 'inc', {}, 1000);
      at = sim.nowMs;
    })(), () => {});
    expect(sim.runUntilQuiet(limits)).toBe('quiet');
    expect(got).toEqual({ ok: true, value: { n: 1 } });
    expect(at).toBe(20);
  });

  it('a timeout is a value, and the request may still have been applied (commit-unknown)', () => {
    const { sim, client, applied } = twoNodes({ delayMs: 100 });
    let got: RpcResult<unknown> | null = null;
    client.spawn('p', (function* (): Proc<void> {
      got = yield* rpc('server', 'inc', {}, 150);
    })(), () => {});
    sim.runUntilQuiet(limits);
    expect(got).toEqual({ ok: false, error: 'timeout' });
    expect(applied()).toBe(1);
    expect(sim.trace.events!.some((e) => e.type === 'late-reply')).toBe(true);
  });

  it('a paused node handles nothing until it resumes; its timers fire late; its clock keeps moving', () => {
    const { sim, client, server, applied } = twoNodes();
    let answeredAt = -1;
    let wokeAt = -1;
    server.spawn('timer', (function* (): Proc<void> {
      yield* sleep(100);
      wokeAt = sim.nowMs;
    })(), () => {});
    server.pause(500, 'test');
    client.spawn('p', (function* (): Proc<void> {
      const r = yield* rpc('server', 'inc', {}, 10_000);
      if (r.ok) answeredAt = sim.nowMs;
    })(), () => {});
    sim.runUntilQuiet(limits);
    expect(applied()).toBe(1);
    expect(wokeAt).toBe(500); // due at 100, the node was paused until 500
    expect(answeredAt).toBe(510); // request queued at 10, handled at 500, reply 10 ms later
    expect(server.localTime()).toBe(sim.nowMs);
  });

  it('whenRunning hands its function the node it runs on, at once and after a pause', () => {
    const { sim, server } = twoNodes();
    const seen: Array<[string, unknown, number]> = [];
    const fire = (arg: string, node: unknown): void => void seen.push([arg, node, sim.nowMs]);
    server.whenRunning(server.epoch, fire, 'now');
    server.pause(50, 'test');
    server.whenRunning(server.epoch, fire, 'deferred', 'deliver');
    expect(sim.runUntilQuiet(limits)).toBe('quiet');
    expect(seen).toEqual([['now', server, 0], ['deferred', server, 50]]);
  });

  it('a crashed node drops what arrives and loses its processes; restart brings it back empty', () => {
    const { sim, client, server, applied } = twoNodes();
    let restarted = false;
    server.hooks = { onRestart: () => (restarted = true) };
    sim.kernel.at('fault-step', 'server', 5, () => server.crash(), undefined);
    sim.kernel.at('restart', 'server', 50, () => server.restart(), undefined);
    let first: RpcResult<unknown> | null = null;
    let second: RpcResult<unknown> | null = null;
    client.spawn('p', (function* (): Proc<void> {
      first = yield* rpc('server', 'inc', {}, 30);
      yield* sleep(30);
      second = yield* rpc('server', 'inc', {}, 100);
    })(), () => {});
    sim.runUntilQuiet(limits);
    expect(first).toEqual({ ok: false, error: 'timeout' });
    expect(second).toEqual({ ok: true, value: { n: 1 } });
    expect(applied()).toBe(1);
    expect(restarted).toBe(true);
    expect(sim.trace.events!.some((e) => e.type === 'drop' && e.reason === 'crashed')).toBe(true);
  });

  it('the local clock is skewed by offset and drift; virtual time is not', () => {
    const { sim, client } = twoNodes();
    client.clockOffsetMs = -250;
    client.clockDriftPpm = 100_000; // 10 % fast
    sim.kernel.at('fault-step', '', 1000, () => {}, undefined);
    sim.runUntilQuiet(limits);
    expect(sim.nowMs).toBe(1000);
    expect(client.localTime()).toBe(1000 - 250 + 100);
  });

  it('a process that throws ends with an error value, not an exception, and keeps what it threw', () => {
    const { sim, client } = twoNodes();
    let exit: unknown = null;
    const boom = new TypeError('boom');
    client.spawn('p', (function* (): Proc<number> {
      yield* sleep(1);
      throw boom;
    })(), (e) => (exit = e));
    expect(() => sim.runUntilQuiet(limits)).not.toThrow();
    expect(exit).toEqual({ ok: false, error: 'TypeError: boom', thrown: boom });
    // The very object: its stack points at the line that threw.
    expect((exit as { thrown: unknown }).thrown).toBe(boom);
  });

  it('a process that never stops yielding is stopped by the event limit', () => {
    const { sim, client } = twoNodes();
    client.spawn('spin', (function* (): Proc<void> {
      for (;;) yield* sleep(0);
    })(), () => {});
    expect(sim.runUntilQuiet({ eventsMax: 500, timeMsMax: 1000 })).toBe('event-limit');
    expect(sim.eventsFired).toBe(500);
  });

  it('a partition drops messages in flight when it starts and heals on time', () => {
    const { sim, client } = twoNodes({ delayMs: 50 });
    let cut: ReturnType<typeof sim.network.cut> | null = null;
    sim.kernel.at('fault-step', '', 20, () => (cut = sim.network.cut(['client'], ['server'], 'both')), undefined);
    sim.kernel.at('heal', '', 200, () => sim.network.heal(cut!), undefined);
    const results: boolean[] = [];
    client.spawn('p', (function* (): Proc<void> {
      results.push((yield* rpc('server', 'inc', {}, 100)).ok); // sent at 0, in flight at 20: lost
      results.push((yield* rpc('server', 'inc', {}, 100)).ok); // sent at 100: cut
      results.push((yield* rpc('server', 'inc', {}, 300)).ok); // sent at 200: healed
    })(), () => {});
    sim.runUntilQuiet(limits);
    expect(results).toEqual([false, false, true]);
  });
});

describe('reordering on a link', () => {
  /** Two messages a -> b: the first slow (100 ms), the second fast (1 ms), sent 10 ms later. */
  function arrivals(reorderPerMille: number): string[] {
    const sim = new Sim({
      source: new ListSource([99, 0]),
      network: { delayMsMin: 1, delayMsMax: 100, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, reorderPerMille, links: new Map() },
    });
    const a = sim.addNode('a', 'app');
    const b = sim.addNode('b', 'db');
    const got: string[] = [];
    b.handler = (call) => {
      got.push(`${call}@${sim.nowMs}`);
      return undefined;
    };
    a.spawn('p', (function* (): Proc<void> {
      yield* rpc('b', 'first', {}, 1);
      yield* sleep(9);
      yield* rpc('b', 'second', {}, 1);
    })(), () => {});
    sim.runUntilQuiet(limits);
    return got;
  }

  it('by default every message keeps its own delay, so a later one can overtake', () => {
    expect(arrivals(1000)).toEqual(['second@11', 'first@100']);
  });

  it('with reorderPerMille 0 the link is FIFO: the fast message waits behind the slow one', () => {
    expect(arrivals(0)).toEqual(['first@100', 'second@100']);
  });
});
