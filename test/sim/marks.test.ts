/**
 * Coverage marks: a fault's mark is hit where the fault took effect, and only there. A step
 * aimed at a call that is never made, a drop-reply on a request that was itself lost, a pause
 * inside a longer pause: none of these strike.
 */
import { describe, expect, it } from 'vitest';
import { Sim, type RandomPauses } from '../../src/sim/world.js';
import { ListSource } from '../../src/sim/sources.js';
import { Marks, MARK_DROP_REPLY, MARK_DROP_REQUEST, MARK_DUPLICATE, MARK_RANDOM_PAUSE } from '../../src/sim/marks.js';
import { rpc, sleep, type Proc, type RpcResult } from '../../src/sim/process.js';
import type { CallFault } from '../../src/sim/network.js';

const limits = { eventsMax: 10_000, timeMsMax: 1_000_000 };

interface Opts {
  answers?: number[];
  dropRequestPerMille?: number;
  dropReplyPerMille?: number;
  duplicatePerMille?: number;
  randomPauses?: RandomPauses;
}

/** A client and a server 10 ms apart; the server answers `inc` with a count. */
function world(o: Opts = {}) {
  const sim = new Sim({
    source: new ListSource(o.answers ?? []),
    network: { delayMsMin: 10, delayMsMax: 10, dropRequestPerMille: o.dropRequestPerMille ?? 0, dropReplyPerMille: o.dropReplyPerMille ?? 0, duplicatePerMille: o.duplicatePerMille ?? 0, links: new Map() },
    randomPauses: o.randomPauses,
    keepTrace: true,
  });
  const client = sim.addNode('client', 'app');
  const server = sim.addNode('server', 'db');
  let applied = 0;
  server.handler = (call) => (call === 'inc' ? { n: ++applied } : undefined);
  return { sim, client, server, applied: () => applied };
}

/** `p` calls inc `calls` times (timeout 100 ms each) and keeps the results. */
function calls(w: ReturnType<typeof world>, n: number, name = 'p'): Array<RpcResult<unknown>> {
  const got: Array<RpcResult<unknown>> = [];
  w.client.spawn(name, (function* (): Proc<void> {
    for (let i = 0; i < n; i++) got.push(yield* rpc('server', 'inc', {}, 100));
  })(), () => {});
  return got;
}

const struck = (w: ReturnType<typeof world>) => w.sim.marks.struck();

describe('marks', () => {
  it('count hits per id and list the ids hit, sorted', () => {
    const m = new Marks();
    expect(m.struck()).toEqual([]);
    m.hit('b');
    m.hit('a');
    m.hit('b');
    expect(m.struck()).toEqual(['a', 'b']);
    expect(m.count('b')).toBe(2);
    expect(m.count('a')).toBe(1);
    expect(m.count('c')).toBe(0);
  });

  it('a calm run hits none', () => {
    const w = world();
    calls(w, 2);
    w.sim.runUntilQuiet(limits);
    expect(struck(w)).toEqual([]);
  });
});

describe('chance faults strike where they take effect', () => {
  it('a request lost by chance: drop-request, once per lost request', () => {
    // Questions: drop-request of call 1 (yes), drop-request of call 2 (yes).
    const w = world({ answers: [1, 1], dropRequestPerMille: 500 });
    const got = calls(w, 2);
    w.sim.runUntilQuiet(limits);
    expect(got.map((r) => r.ok)).toEqual([false, false]);
    expect(w.applied()).toBe(0);
    expect(w.sim.marks.count(MARK_DROP_REQUEST)).toBe(2);
    expect(struck(w)).toEqual([MARK_DROP_REQUEST]);
  });

  it('a reply lost by chance: drop-reply (the request was applied)', () => {
    // Questions: drop-reply of the reply (yes).
    const w = world({ answers: [1], dropReplyPerMille: 500 });
    const got = calls(w, 1);
    w.sim.runUntilQuiet(limits);
    expect(got[0].ok).toBe(false);
    expect(w.applied()).toBe(1);
    expect(struck(w)).toEqual([MARK_DROP_REPLY]);
  });

  it('a request delivered twice by chance: duplicate', () => {
    // Questions: drop-request (no), duplicate (yes).
    const w = world({ answers: [0, 1], dropRequestPerMille: 500, duplicatePerMille: 500 });
    calls(w, 1);
    w.sim.runUntilQuiet(limits);
    expect(w.applied()).toBe(2);
    expect(struck(w)).toEqual([MARK_DUPLICATE]);
  });

  it('chance faults asked and answered "no" strike nothing', () => {
    const w = world({ answers: [0, 0, 0, 0, 0, 0], dropRequestPerMille: 500, dropReplyPerMille: 500, duplicatePerMille: 500 });
    calls(w, 2);
    w.sim.runUntilQuiet(limits);
    expect(w.applied()).toBe(2);
    expect(struck(w)).toEqual([]);
  });

  it('after the fault phase no chance fault strikes', () => {
    const w = world({ answers: [1, 1, 1, 1], dropRequestPerMille: 1000, dropReplyPerMille: 1000, duplicatePerMille: 1000 });
    w.sim.endFaults();
    calls(w, 2);
    w.sim.runUntilQuiet(limits);
    expect(w.applied()).toBe(2);
    expect(struck(w)).toEqual([]);
  });

  it('a random pause strikes as a reply arrives, only when the answer pauses the node', () => {
    const rp = (perMille: number): RandomPauses => ({ perMille, durationMsMin: 50, durationMsMax: 100, nodes: new Set(['client']) });
    const paused = world({ answers: [0, 30], randomPauses: rp(500) });
    calls(paused, 2);
    paused.sim.runUntilQuiet(limits);
    expect(struck(paused)).toEqual([MARK_RANDOM_PAUSE]);
    // The pause lasts at least durationMsMin: the second reply came at 40 ms, handled at 90.
    expect(paused.sim.trace.events!.filter((e) => e.type === 'pause').map((e) => e.type === 'pause' && e.untilMs)).toEqual([90]);
    const calm = world({ answers: [0, 0], randomPauses: rp(500) });
    calls(calm, 2);
    calm.sim.runUntilQuiet(limits);
    expect(struck(calm)).toEqual([]);
  });
});

describe('steps aimed at calls strike only when the call is made and the fault takes effect', () => {
  function aimed(fault: CallFault, n = 1, at = { attempt: 1 }) {
    const w = world();
    w.sim.network.addCallFault('p', 'inc', at.attempt, fault);
    const got = calls(w, n);
    w.sim.runUntilQuiet(limits);
    return { w, got };
  }

  it('drop-request: the request is lost, and its mark hit', () => {
    const { w, got } = aimed({ kind: 'drop-request', mark: 'step-a' });
    expect(got[0].ok).toBe(false);
    expect(w.applied()).toBe(0);
    expect(w.sim.marks.count('step-a')).toBe(1);
  });

  it('a step aimed at an attempt never made never strikes', () => {
    const { w } = aimed({ kind: 'drop-request', mark: 'step-a' }, 1, { attempt: 2 });
    expect(w.applied()).toBe(1);
    expect(struck(w)).toEqual([]);
  });

  it('drop-reply strikes when the reply is sent (and lost), not when the request is', () => {
    const { w, got } = aimed({ kind: 'drop-reply', copy: 0, mark: 'step-r' });
    expect(got[0].ok).toBe(false);
    expect(w.applied()).toBe(1);
    expect(struck(w)).toEqual(['step-r']);
    const trace = w.sim.trace.events!;
    expect(trace.filter((e) => e.type === 'drop').map((e) => e.type === 'drop' && [e.reply, e.reason])).toEqual([[true, 'step']]);
  });

  it('drop-reply of a request that was lost first never strikes (there is no reply)', () => {
    const w = world();
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'drop-request', mark: 'lost' });
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'drop-reply', copy: 0, mark: 'never' });
    calls(w, 1);
    w.sim.runUntilQuiet(limits);
    expect(struck(w)).toEqual(['lost']);
  });

  it('a request lost to a step is not delayed or duplicated by another step', () => {
    const w = world();
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'delay-call', extraMs: 5, mark: 'delay' });
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'duplicate-request', copyExtraMs: 0, copyReplyExtraMs: 0, mark: 'dup' });
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'drop-request', mark: 'lost' });
    calls(w, 2);
    w.sim.runUntilQuiet(limits);
    expect(struck(w)).toEqual(['lost']);
    expect(w.applied()).toBe(1);
  });

  it('delay-call and duplicate-request strike when the request is sent', () => {
    const w = world();
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'delay-call', extraMs: 5, mark: 'delay' });
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'duplicate-request', copyExtraMs: 3, copyReplyExtraMs: 0, mark: 'dup' });
    calls(w, 1);
    w.sim.runUntilQuiet(limits);
    expect(struck(w)).toEqual(['delay', 'dup']);
    expect(w.applied()).toBe(2);
    const delivered = w.sim.trace.events!.filter((e) => e.type === 'deliver' && !e.reply).map((e) => e.t);
    expect(delivered).toEqual([13, 15]); // the copy: 10 + 3 ms; the original: 10 + 5 ms
  });

  it('delay-reply strikes when the reply is sent, and delays it', () => {
    const { w, got } = aimed({ kind: 'delay-reply', copy: 0, extraMs: 7, mark: 'late' });
    expect(got[0].ok).toBe(true);
    expect(struck(w)).toEqual(['late']);
    expect(w.sim.trace.events!.filter((e) => e.type === 'deliver' && e.reply).map((e) => e.t)).toEqual([27]);
  });

  it('a reply a step delays but the partition loses: the partition struck, the delay did not', () => {
    const w = world();
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'delay-reply', copy: 0, extraMs: 7, mark: 'late' });
    w.sim.kernel.at('fault-step', '', 5, () => w.sim.network.cut(['server'], ['client'], 'a-to-b', 'cut'), undefined);
    calls(w, 1);
    w.sim.runUntilQuiet(limits);
    expect(struck(w)).toEqual(['cut']);
  });

  it('the chance duplicate of a request a step already duplicates is not the chance\'s strike', () => {
    const w = world({ answers: [1], duplicatePerMille: 500 });
    w.sim.network.addCallFault('p', 'inc', 1, { kind: 'duplicate-request', copyExtraMs: 0, copyReplyExtraMs: 0, mark: 'dup' });
    calls(w, 1);
    w.sim.runUntilQuiet(limits);
    expect(struck(w)).toEqual(['dup']);
    expect(w.applied()).toBe(2);
    expect(w.sim.choices.asked).toBe(1); // the question is asked all the same (traces unchanged)
  });

  it('steps without a mark strike silently', () => {
    const { w } = aimed({ kind: 'drop-request' });
    expect(w.applied()).toBe(0);
    expect(struck(w)).toEqual([]);
  });
});

describe('partitions strike for every message they lose', () => {
  it('at send and in flight, once per message', () => {
    const w = world();
    let cut: ReturnType<typeof w.sim.network.cut> | null = null;
    w.sim.kernel.at('fault-step', '', 5, () => (cut = w.sim.network.cut(['client'], ['server'], 'both', 'p1')), undefined);
    w.sim.kernel.at('heal', '', 250, () => w.sim.network.heal(cut!), undefined);
    const got = calls(w, 3); // sent at 0 (lost in flight), 100 (lost at send), 200 (lost at send)
    w.sim.runUntilQuiet(limits);
    expect(got.map((r) => r.ok)).toEqual([false, false, false]);
    expect(w.sim.marks.count('p1')).toBe(3);
  });

  it('a partition nobody sends across never strikes', () => {
    const w = world();
    w.sim.kernel.at('fault-step', '', 500, () => w.sim.network.cut(['client'], ['server'], 'both', 'p1'), undefined);
    calls(w, 1);
    w.sim.runUntilQuiet(limits);
    expect(struck(w)).toEqual([]);
  });

  it('a one-way cut loses only what goes its way', () => {
    const w = world();
    w.sim.kernel.at('fault-step', '', 0, () => w.sim.network.cut(['server'], ['client'], 'a-to-b', 'oneway'), undefined);
    const got = calls(w, 1);
    w.sim.runUntilQuiet(limits);
    expect(got[0].ok).toBe(false);
    expect(w.applied()).toBe(1); // the request went through; the reply did not
    expect(w.sim.marks.count('oneway')).toBe(1);
  });
});

describe('pause and crash say whether they took effect', () => {
  it('a pause takes effect on a running node, and a longer one extends it; a shorter one inside it does not', () => {
    const { sim, server } = world();
    expect(server.pause(0, 't')).toBe(false);
    expect(server.pause(100, 't')).toBe(true);
    expect(server.pause(50, 't')).toBe(false);
    expect(server.pause(100, 't')).toBe(false); // ends at the same time: changes nothing
    expect(server.pause(101, 't')).toBe(true);
    expect(server.pausedUntilMs).toBe(101);
    expect(sim.trace.events!.filter((e) => e.type === 'pause')).toHaveLength(2);
  });

  it('a crashed node neither pauses nor crashes again', () => {
    const { server } = world();
    expect(server.crash()).toBe(true);
    expect(server.crash()).toBe(false);
    expect(server.pause(100, 't')).toBe(false);
    server.restart();
    expect(server.crash()).toBe(true);
  });

  it('a sleeping process on a paused node wakes late; marks never change the trace', () => {
    const a = world();
    const b = world();
    for (const w of [a, b]) {
      w.server.spawn('s', (function* (): Proc<void> {
        yield* sleep(10);
      })(), () => {});
    }
    a.server.pause(50, 't');
    b.server.pause(50, 't');
    a.sim.marks.hit('anything');
    a.sim.runUntilQuiet(limits);
    b.sim.runUntilQuiet(limits);
    expect(a.sim.trace.digest()).toBe(b.sim.trace.digest());
  });
});
