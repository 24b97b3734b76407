/**
 * The network on its own: what each message's trace says (numbers, origin, copies), per-link
 * delays, the faults steps aim at calls (lost, late, copied; old `nth` steps), chance faults
 * and the end of the fault phase, partitions (which way, heal), and a crashed receiver.
 */
import { describe, expect, it } from 'vitest';
import { Sim } from '../../src/sim/world.js';
import { ListSource } from '../../src/sim/sources.js';
import { rpc, sleep, type Proc, type RpcResult } from '../../src/sim/process.js';
import { Message, type CallFault, type NetworkConfig } from '../../src/sim/network.js';
import type { TraceEvent } from '../../src/sim/trace.js';

const limits = { eventsMax: 10_000, timeMsMax: 1_000_000 };

function world(net: Partial<NetworkConfig> = {}, answers: number[] = [], timing?: 'windowed') {
  const sim = new Sim({
    source: new ListSource(answers),
    network: { delayMsMin: 10, delayMsMax: 10, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, links: new Map(), ...net },
    keepTrace: true,
    recordChoices: true,
    timing,
  });
  const client = sim.addNode('client', 'app');
  const server = sim.addNode('server', 'db');
  const applied: string[] = [];
  server.handler = (call) => {
    applied.push(`${call}@${sim.nowMs}`);
    return { n: applied.length };
  };
  /** Calls `server` `calls` times in a row as process o1 (tag o1), each with `timeoutMs`; the results. */
  const call = (calls: string[], timeoutMs = 100) => {
    const got: Array<RpcResult<unknown>> = [];
    client.spawn('o1', (function* (): Proc<void> {
      for (const c of calls) got.push(yield* rpc('server', c, {}, timeoutMs));
    })(), () => {}, 'o1', 'o1');
    sim.runUntilQuiet(limits);
    return got;
  };
  const messages = () => sim.trace.events!.filter((e) => ['send', 'deliver', 'drop', 'duplicate'].includes(e.type))
    .map((e) => {
      const m = e as TraceEvent & { msg: number; from: string; reason?: string; copy?: number; deliverAt?: number };
      return `${e.t} ${e.type} #${m.msg} ${m.from}${m.copy ? ` copy${m.copy}` : ''}${m.deliverAt !== undefined ? ` @${m.deliverAt}` : ''}${m.reason ? ` ${m.reason}` : ''}`;
    });
  return { sim, client, server, applied, call, messages };
}

describe('the network', () => {
  it('a call on the wire: request and reply numbered in send order, tied by rpc, named by origin', () => {
    const w = world();
    expect(w.call(['inc'])).toEqual([{ ok: true, value: { n: 1 } }]);
    const ev = w.sim.trace.events!.filter((e) => e.type === 'send' || e.type === 'deliver');
    expect(ev).toEqual([
      { t: 0, type: 'send', msg: 1, rpc: 1, from: 'client', to: 'server', call: 'inc', reply: false, order: 'o1', proc: 'o1', attempt: 1, copy: 0, deliverAt: 10 },
      { t: 10, type: 'deliver', msg: 1, rpc: 1, from: 'client', to: 'server', call: 'inc', reply: false, order: 'o1' },
      { t: 10, type: 'send', msg: 2, rpc: 1, from: 'server', to: 'client', call: 'inc', reply: true, order: 'o1', proc: 'o1', attempt: 1, copy: 0, deliverAt: 20 },
      { t: 20, type: 'deliver', msg: 2, rpc: 1, from: 'server', to: 'client', call: 'inc', reply: true, order: 'o1' },
    ]);
  });

  it('a link\'s own delay range overrides the network\'s, that way only', () => {
    const w = world({ links: new Map([['client->server', { delayMsMin: 3, delayMsMax: 3 }]]) });
    w.call(['inc', 'inc']);
    expect(w.messages()).toEqual([
      '0 send #1 client @3', '3 deliver #1 client', '3 send #2 server @13', '13 deliver #2 server',
      '13 send #3 client @16', '16 deliver #3 client', '16 send #4 server @26', '26 deliver #4 server',
    ]);
  });

  it('chance faults: a request lost, a reply lost, a request copied; none after the fault phase', () => {
    const lostRequest = world({ dropRequestPerMille: 1000 }, [1]);
    expect(lostRequest.call(['inc'])).toEqual([{ ok: false, error: 'timeout' }]);
    expect(lostRequest.messages()).toEqual(['0 send #1 client @-1', '0 drop #1 client chance']);
    expect(lostRequest.applied).toEqual([]);
    const lostReply = world({ dropReplyPerMille: 1000 }, [1]);
    expect(lostReply.call(['inc'])).toEqual([{ ok: false, error: 'timeout' }]);
    expect(lostReply.applied).toEqual(['inc@10']);
    expect(lostReply.messages()).toEqual(['0 send #1 client @10', '10 deliver #1 client', '10 send #2 server @-1', '10 drop #2 server chance']);
    const copied = world({ duplicatePerMille: 1000 }, [1]);
    copied.call(['inc']);
    expect(copied.applied).toEqual(['inc@10', 'inc@10']);
    expect(copied.messages().slice(0, 2)).toEqual(['0 send #1 client @10', '0 duplicate #2 client copy1 @10']);
    const calm = world({ dropRequestPerMille: 1000, dropReplyPerMille: 1000, duplicatePerMille: 1000 }, [1, 1, 1]);
    calm.sim.endFaults();
    expect(calm.call(['inc'])).toEqual([{ ok: true, value: { n: 1 } }]);
    expect(calm.sim.choices.asked).toBe(0);
  });
});

describe('steps aimed at calls', () => {
  const aimed = (fault: CallFault, attempt = 1, calls = ['inc']) => {
    const w = world();
    w.sim.network.addCallFault('o1', 'inc', attempt, fault);
    const got = w.call(calls);
    return { ...w, got };
  };

  it('drop-request: that request is lost (a step\'s drop), the next attempt is not', () => {
    const w = aimed({ kind: 'drop-request' }, 2, ['inc', 'inc', 'inc']);
    expect(w.got.map((r) => r.ok)).toEqual([true, false, true]);
    expect(w.messages()).toContain('20 drop #3 client step');
    expect(w.applied).toEqual(['inc@10', 'inc@130']);
  });

  it('a step for another call or process strikes nothing', () => {
    const w = world();
    w.sim.network.addCallFault('o2', 'inc', 1, { kind: 'drop-request' });
    w.sim.network.addCallFault('o1', 'dec', 1, { kind: 'drop-request' });
    expect(w.call(['inc']).map((r) => r.ok)).toEqual([true]);
  });

  it('drop-reply: the request is applied, the reply to that copy lost', () => {
    const w = aimed({ kind: 'drop-reply', copy: 0 });
    expect(w.got).toEqual([{ ok: false, error: 'timeout' }]);
    expect(w.applied).toEqual(['inc@10']);
    expect(w.messages()).toEqual(['0 send #1 client @10', '10 deliver #1 client', '10 send #2 server @-1', '10 drop #2 server step']);
  });

  it('delay-call and delay-reply add their delay to that message only', () => {
    expect(aimed({ kind: 'delay-call', extraMs: 7 }).messages()).toEqual(['0 send #1 client @17', '17 deliver #1 client', '17 send #2 server @27', '27 deliver #2 server']);
    expect(aimed({ kind: 'delay-reply', extraMs: 7, copy: 0 }).messages()).toEqual(['0 send #1 client @10', '10 deliver #1 client', '10 send #2 server @27', '27 deliver #2 server']);
    // Two steps on one message add up.
    const w = world();
    w.sim.network.addCallFault('o1', 'inc', 1, { kind: 'delay-call', extraMs: 2 });
    w.sim.network.addCallFault('o1', 'inc', 1, { kind: 'delay-call', extraMs: 3 });
    w.call(['inc']);
    expect(w.messages()[0]).toBe('0 send #1 client @15');
  });

  it('duplicate-request: a second copy with its own delay plus copyExtraMs; its reply copyReplyExtraMs late', () => {
    const w = aimed({ kind: 'duplicate-request', copyExtraMs: 5, copyReplyExtraMs: 30 }, 1, ['inc']);
    expect(w.applied).toEqual(['inc@10', 'inc@15']);
    expect(w.messages()).toEqual([
      '0 send #1 client @10', '0 duplicate #2 client copy1 @15',
      '10 deliver #1 client', '10 send #3 server @20',
      '15 deliver #2 client', '15 send #4 server copy1 @55',
      '20 deliver #3 server', '55 deliver #4 server', // (a deliver names no copy: its msg does)
    ]);
    expect(w.sim.trace.events!.filter((e) => e.type === 'late-reply')).toHaveLength(1);
  });

  it('a duplicate-request without a late reply delays no reply', () => {
    const w = aimed({ kind: 'duplicate-request', copyExtraMs: 0, copyReplyExtraMs: 0 });
    expect(w.messages()).toContain('10 send #4 server copy1 @20');
  });

  it('old nth steps: the nth request of a call in global send order, and who it was', () => {
    const w = world();
    const hits: Message[] = [];
    w.sim.network.addLegacyCallFault('inc', 2, { kind: 'drop-request' }, (m) => hits.push(m));
    w.sim.network.addLegacyCallFault('inc', 2, { kind: 'delay-call', extraMs: 1 }, (m) => hits.push(m));
    expect(w.call(['inc', 'dec', 'inc', 'inc']).map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(hits.map((m) => [m.proc, m.call, m.attempt, m.msg])).toEqual([['o1', 'inc', 2, 5], ['o1', 'inc', 2, 5]]);
  });
});

describe('partitions', () => {
  it('cut and heal are in the trace; a healed cut is gone; healing it again does nothing', () => {
    const w = world();
    const net = w.sim.network;
    const c = net.cut(['client'], ['server'], 'both');
    expect(net.isCut('client', 'server')).toBe(true);
    expect(net.isCut('server', 'client')).toBe(true);
    expect(net.isCut('client', 'client')).toBe(false);
    net.heal(c);
    net.heal(c);
    expect(net.isCut('client', 'server')).toBe(false);
    expect(w.sim.trace.events).toEqual([
      { t: 0, type: 'partition', a: ['client'], b: ['server'], direction: 'both' },
      { t: 0, type: 'heal', a: ['client'], b: ['server'] },
    ]);
  });

  it('a one-way cut loses only what goes its way: the request is applied, the reply lost', () => {
    const w = world();
    w.sim.network.cut(['server'], ['client'], 'a-to-b');
    expect(w.sim.network.isCut('client', 'server')).toBe(false);
    expect(w.call(['inc'])).toEqual([{ ok: false, error: 'timeout' }]);
    expect(w.applied).toEqual(['inc@10']);
    expect(w.messages()).toContain('10 drop #2 server partition');
  });

  it('healAll heals every cut, and the end of the fault phase does too', () => {
    const w = world();
    w.sim.network.cut(['client'], ['server'], 'both');
    w.sim.network.cut(['server'], ['client'], 'a-to-b');
    w.sim.network.healAll();
    expect(w.sim.network.isCut('server', 'client')).toBe(false);
    expect(w.sim.trace.events!.filter((e) => e.type === 'heal')).toHaveLength(2);
    const v = world();
    v.sim.network.cut(['client'], ['server'], 'both');
    v.sim.endFaults();
    expect(v.call(['inc']).map((r) => r.ok)).toEqual([true]);
  });
});

describe('delivery', () => {
  it('to a crashed node: dropped, reason crashed', () => {
    const w = world();
    w.server.crash();
    expect(w.call(['inc'])).toEqual([{ ok: false, error: 'timeout' }]);
    expect(w.messages()).toEqual(['0 send #1 client @10', '10 drop #1 client crashed']);
  });
});

describe('messages', () => {
  const m = new Message(4, 'app1', 'db', 'confirm', false, { x: 1 }, 'o7', 'o7', 2, 0);

  it('say what they are by origin, and which call they belong to', () => {
    expect(m.subject()).toEqual({ type: 'message', process: 'o7', call: 'confirm', attempt: 2, reply: false, copy: 0, from: 'app1', to: 'db' });
    expect(m.callSubject()).toEqual({ type: 'call', process: 'o7', call: 'confirm', attempt: 2 });
  });

  it('a duplicate is the next copy with its own number; a reply goes back, answering that copy', () => {
    const d = m.duplicate(9);
    expect([d.msg, d.copy, d.rpc, d.body, d.order, d.proc, d.attempt]).toEqual([9, 1, 4, { x: 1 }, 'o7', 'o7', 2]);
    const r = d.replyWith('ok');
    expect([r.from, r.to, r.reply, r.body, r.copy, r.rpc, r.msg]).toEqual(['db', 'app1', true, 'ok', 1, 4, 0]);
  });

  it('the questions a message asks: its delay, then whether it is lost or copied, about it, on the network stream', () => {
    const w = world({ delayMsMin: 1, delayMsMax: 9, dropRequestPerMille: 1, dropReplyPerMille: 1, duplicatePerMille: 1, reorderPerMille: 999 });
    w.call(['inc']);
    const asked = w.sim.choices.recorded!.map((c) => `${c.stream}:${c.kind}:${c.subject.type === 'message' ? (c.subject.reply ? 'reply' : 'request') : c.subject.type}`);
    expect(asked).toEqual([
      'network:drop-request:request', 'network:duplicate:request', 'network:delay:request', 'network:reorder:request',
      'network:drop-reply:reply', 'network:delay:reply', 'network:reorder:reply',
    ]);
  });

  it('a delivery is a deliver event owned by the receiver, also when a pause held it back', () => {
    const w = world();
    w.client.spawn('p', rpc('server', 'inc', {}, 1000), () => {});
    expect([w.sim.queue.peek()!.kind, w.sim.queue.peek()!.owner]).toEqual(['deliver', 'server']);
    w.server.pause(50, 'gc');
    // The request arrives at 10 (held), the pause ends at 50: stop just after the resume.
    w.sim.runUntilQuiet({ eventsMax: 2, timeMsMax: 1_000_000 });
    expect([w.sim.queue.peek()!.kind, w.sim.queue.peek()!.timeMs]).toEqual(['deliver', 50]);
  });
});

describe('partitions and marks', () => {
  it('a message in flight when a cut starts is lost at delivery, and the cut\'s mark is hit once per message it loses', () => {
    const w = world({ delayMsMin: 50, delayMsMax: 50 });
    w.sim.kernel.at('fault-step', '', 20, () => w.sim.network.cut(['client'], ['server'], 'both', 'the-cut'), undefined);
    w.call(['inc'], 100);
    expect(w.messages()).toEqual(['0 send #1 client @50', '50 drop #1 client partition']);
    expect(w.sim.marks.count('the-cut')).toBe(1);
    expect(w.applied).toEqual([]);
  });

  it('a cut without a mark, and steps without marks, hit no mark', () => {
    const w = world({ delayMsMin: 50, delayMsMax: 50 });
    w.sim.network.addCallFault('o1', 'inc', 2, { kind: 'drop-reply', copy: 0 });
    w.sim.network.addCallFault('o1', 'inc', 3, { kind: 'delay-reply', extraMs: 1, copy: 0 });
    w.sim.kernel.at('fault-step', '', 420, () => w.sim.network.cut(['client'], ['server'], 'both'), undefined);
    w.call(['inc', 'inc', 'inc', 'inc'], 200);
    expect(w.messages().filter((x) => x.includes('drop'))).toEqual(['150 drop #4 server step', '451 drop #7 client partition']);
    expect(w.sim.marks.struck()).toEqual([]);
    // Sent across an unmarked cut: lost at once, no mark.
    const v = world();
    v.sim.network.cut(['client'], ['server'], 'both');
    v.call(['inc']);
    expect(v.messages()).toEqual(['0 send #1 client @-1', '0 drop #1 client partition']);
    expect(v.sim.marks.struck()).toEqual([]);
  });

  it('two delay-reply steps on one reply add up', () => {
    const w = world();
    w.sim.network.addCallFault('o1', 'inc', 1, { kind: 'delay-reply', extraMs: 3, copy: 0 });
    w.sim.network.addCallFault('o1', 'inc', 1, { kind: 'delay-reply', extraMs: 4, copy: 0 });
    w.call(['inc']);
    expect(w.messages()[2]).toBe('10 send #2 server @27');
  });
});

describe('reordering', () => {
  /** a sends `first` to b (99 ms) then, 10 ms later, `second` (0 ms over the minimum of 1). */
  function arrivals(reorderPerMille: number, answers: number[], opts: { endFaults?: boolean; other?: boolean } = {}) {
    const sim = new Sim({
      source: new ListSource(answers),
      network: { delayMsMin: 1, delayMsMax: 100, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, reorderPerMille, links: new Map() },
    });
    const a = sim.addNode('a', 'app');
    sim.addNode('b', 'db');
    sim.addNode('c', 'db');
    const got: string[] = [];
    for (const n of ['b', 'c']) sim.node(n).handler = (call) => void got.push(`${call}@${sim.nowMs}`);
    if (opts.endFaults) sim.endFaults();
    a.spawn('p', (function* (): Proc<void> {
      yield* rpc('b', 'first', {}, 1);
      yield* rpc(opts.other ? 'c' : 'b', 'second', {}, 1);
    })(), () => {});
    sim.runUntilQuiet(limits);
    return got;
  }

  it('below 1000, a message may overtake only when the reorder chance says so', () => {
    // Answers: first's delay 98 (+1), its reorder no; second's delay 0, its reorder yes.
    expect(arrivals(500, [98, 0, 0, 1])).toEqual(['second@2', 'first@99']);
    expect(arrivals(500, [98, 0, 0, 0])).toEqual(['first@99', 'second@99']);
    // After the fault phase nothing overtakes (the question is not asked).
    expect(arrivals(500, [98, 0, 1], { endFaults: true })).toEqual(['first@99', 'second@99']);
  });

  it('FIFO is per link: a message to another receiver is not held behind', () => {
    expect(arrivals(0, [98, 0], { other: true })).toEqual(['second@2', 'first@99']);
  });
});

describe('windowed timing', () => {
  it('a message may arrive anywhere in its window (plus a step\'s extra delay); the send says the window', () => {
    const w = world({ delayMsMin: 5, delayMsMax: 20, links: new Map() }, [], 'windowed');
    w.sim.network.addCallFault('o1', 'inc', 1, { kind: 'delay-call', extraMs: 3 });
    w.client.spawn('p', rpc('server', 'inc', {}, 1000), () => {}, 'o1');
    const e = w.sim.queue.pendingEvents().find((x) => x.kind === 'deliver')!;
    expect([e.timeMs, e.latestMs, e.after]).toEqual([8, 23, null]);
    expect(w.sim.trace.events![0]).toMatchObject({ type: 'send', deliverAt: 8, deliverByMs: 23 });
    expect(w.sim.choices.asked).toBe(0);
  });

  it('FIFO links: a message waits for the one queued before it, its window no earlier; an overtaking one does not; one after a delivery is free', () => {
    const sends = (reorderPerMille: number, answers: number[], gapMs = 0) => {
      const w = world({ delayMsMin: 5, delayMsMax: 20, reorderPerMille }, answers, 'windowed');
      w.client.spawn('p', (function* (): Proc<void> {
        yield* rpc('server', 'one', {}, 1);
        yield* sleep(gapMs);
        yield* rpc('server', 'two', {}, 1);
      })(), () => {});
      // Run until both requests are on the wire (the timeouts fire at 1 ms, then the second send).
      w.sim.runUntilQuiet({ eventsMax: 2 + (gapMs > 0 ? 1 : 0), timeMsMax: 1_000_000 });
      const d = w.sim.queue.pendingEvents().filter((x) => x.kind === 'deliver').sort((x, y) => x.seq - y.seq);
      return d.map((x) => [x.timeMs, x.latestMs, x.after === null ? null : d.indexOf(x.after)]);
    };
    // `two` is sent at 1 ms: window [6, 21], raised to the first's [5, 20]: never before it.
    expect(sends(0, [])).toEqual([[5, 20, null], [6, 21, 0]]);
    expect(sends(500, [0, 1])).toEqual([[5, 20, null], [6, 21, null]]);
    expect(sends(1000, [])).toEqual([[5, 20, null], [6, 21, null]]);
    // Below 1000 the question is asked (reorder, on the network stream); "no" keeps the order.
    expect(sends(500, [0, 0])).toEqual([[5, 20, null], [6, 21, 0]]);
  });

  it('a FIFO message\'s window is raised to its predecessor\'s; FIFO is per link', () => {
    const w = world({ delayMsMin: 5, delayMsMax: 20, reorderPerMille: 0 }, [], 'windowed');
    w.sim.addNode('other', 'db');
    w.sim.network.addCallFault('o1', 'one', 1, { kind: 'delay-call', extraMs: 30 });
    for (const [to, call] of [['server', 'one'], ['server', 'two'], ['other', 'three']]) w.client.spawn(call, rpc(to, call, {}, 1000), () => {}, 'o1');
    const d = w.sim.queue.pendingEvents().filter((x) => x.kind === 'deliver').sort((x, y) => x.seq - y.seq);
    expect(d.map((x) => [x.timeMs, x.latestMs, x.after === null ? null : d.indexOf(x.after)])).toEqual([[35, 50, null], [35, 50, 0], [5, 20, null]]);
    const r = world({ delayMsMin: 5, delayMsMax: 20, reorderPerMille: 500 }, [0], 'windowed');
    r.client.spawn('p', rpc('server', 'x', {}, 1000), () => {});
    expect(r.sim.choices.recorded!.map((c) => `${c.stream}:${c.kind}`)).toEqual(['network:reorder']);
  });
});
