/**
 * Nodes and processes through their lives: pauses (which take effect, which end them, what
 * waits for them), crashes and restarts (what is lost, which hooks run), local clocks, the
 * effects a process may yield (and what it may not), handler processes, and the world's own
 * rules for rpcs (unknown nodes, timeouts made whole, late replies).
 */
import { describe, expect, it } from 'vitest';
import { Sim } from '../../src/sim/world.js';
import { ListSource } from '../../src/sim/sources.js';
import { describeThrown, rpc, sleep, sleepBetween, type Effect, type Proc, type ProcessExit } from '../../src/sim/process.js';
import type { TraceEvent } from '../../src/sim/trace.js';

const limits = { eventsMax: 10_000, timeMsMax: 1_000_000 };

function world(answers: number[] = [], opts: { timing?: 'sampled' | 'windowed'; randomPauses?: { perMille: number; durationMsMin: number; durationMsMax: number; nodes: ReadonlySet<string> } } = {}) {
  const sim = new Sim({
    source: new ListSource(answers),
    network: { delayMsMin: 10, delayMsMax: 10, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, links: new Map() },
    keepTrace: true,
    timing: opts.timing,
    randomPauses: opts.randomPauses,
    recordChoices: true,
  } as ConstructorParameters<typeof Sim>[0]);
  const a = sim.addNode('a', 'app');
  const b = sim.addNode('b', 'db');
  const events = (...types: string[]) => sim.trace.events!.filter((e) => types.includes(e.type));
  return { sim, a, b, events };
}

describe('pauses', () => {
  it('a pause is traced with its end and cause; the node resumes at its end', () => {
    const { sim, a, events } = world();
    expect(a.pause(50, 'gc')).toBe(true);
    expect(a.status).toBe('paused');
    expect(a.pausedUntilMs).toBe(50);
    sim.runUntilQuiet(limits);
    expect(a.status).toBe('up');
    expect(events('pause', 'resume')).toEqual([{ t: 0, type: 'pause', node: 'a', untilMs: 50, cause: 'gc' }, { t: 50, type: 'resume', node: 'a' }]);
  });

  it('no pause of nothing, of a crashed node, or inside a longer one; a longer one extends it and the first end does nothing', () => {
    const { sim, a, b, events } = world();
    expect(a.pause(0, 'x')).toBe(false);
    expect(a.pause(-5, 'x')).toBe(false);
    b.crash();
    expect(b.pause(10, 'x')).toBe(false);
    expect(a.pause(50, 'first')).toBe(true);
    expect(a.pause(50, 'same end')).toBe(false);
    expect(a.pause(20, 'inside')).toBe(false);
    sim.kernel.at('wake', '', 30, () => expect(a.pause(40, 'longer')).toBe(true), undefined);
    sim.runUntilQuiet(limits);
    expect(events('pause', 'resume').map((e) => `${e.t} ${e.type}${'untilMs' in e ? ` ${e.untilMs}` : ''}`)).toEqual(['0 pause 50', '30 pause 70', '70 resume']);
  });

  it('what reaches a paused node waits, and happens at its end in arrival order; its timers fire late', () => {
    const { sim, a, b } = world();
    const seen: string[] = [];
    b.handler = (call) => (seen.push(`${call}@${sim.nowMs}`), { ok: call });
    b.spawn('timer', (function* (): Proc<void> {
      yield* sleep(5);
      seen.push(`timer@${sim.nowMs}`);
    })(), () => {});
    b.pause(100, 'gc');
    a.spawn('c1', (function* (): Proc<void> {
      yield* rpc('b', 'one', {}, 1000);
    })(), () => {});
    a.spawn('c2', (function* (): Proc<void> {
      yield* sleep(1);
      yield* rpc('b', 'two', {}, 1000);
    })(), () => {});
    sim.runUntilQuiet(limits);
    expect(seen).toEqual(['timer@100', 'one@100', 'two@100']);
  });

  it('a reply that arrives as a random pause strikes is handled when the pause ends', () => {
    const { sim, a, b } = world([7], { randomPauses: { perMille: 1000, durationMsMin: 30, durationMsMax: 40, nodes: new Set(['a']) } });
    b.handler = () => ({ v: 1 });
    let at = -1;
    a.spawn('p', (function* (): Proc<void> {
      yield* rpc('b', 'read', {}, 1000);
      at = sim.nowMs;
    })(), () => {});
    sim.runUntilQuiet(limits);
    // Answer 7 is below the minimum: the pause lasts 30 ms, from the reply's arrival at 20.
    expect(at).toBe(50);
    expect(sim.marks.count('random-pause')).toBe(1);
    expect(sim.choices.recorded!.map((c) => [c.kind, c.max])).toEqual([['pause', 40]]);
  });

  it('random pauses strike only the nodes they name, and stop with the fault phase', () => {
    const rp = { perMille: 1000, durationMsMin: 30, durationMsMax: 40, nodes: new Set(['b']) };
    const { sim, a, b } = world([7], { randomPauses: rp });
    b.handler = () => ({ v: 1 });
    a.spawn('p', rpc('b', 'read', {}, 1000), () => {});
    sim.runUntilQuiet(limits);
    expect(sim.choices.asked).toBe(0);
    const w = world([7], { randomPauses: { ...rp, nodes: new Set(['a']) } });
    w.b.handler = () => ({ v: 1 });
    w.sim.endFaults();
    w.a.spawn('p', rpc('b', 'read', {}, 1000), () => {});
    w.sim.runUntilQuiet(limits);
    expect(w.sim.choices.asked).toBe(0);
  });
});

describe('crashes', () => {
  it('a crash kills the node\'s processes, drops their calls and what waited for the pause; hooks run; restart brings it back', () => {
    const { sim, a, events } = world();
    const hooks: string[] = [];
    a.hooks = { onCrash: () => hooks.push('crash'), onRestart: () => hooks.push('restart') };
    const exits: Array<ProcessExit<void>> = [];
    a.spawn('sleeper', (function* (): Proc<void> {
      yield* sleep(10);
    })(), (e) => exits.push(e));
    a.pause(5, 'gc');
    sim.kernel.at('wake', '', 2, () => {
      expect(a.crash()).toBe(true);
      expect(a.crash()).toBe(false);
    }, undefined);
    sim.kernel.at('wake', '', 20, () => a.restart(), undefined);
    sim.runUntilQuiet(limits);
    expect(exits).toEqual([]);
    expect(a.epoch).toBe(1);
    expect(a.processes.size).toBe(0);
    expect(hooks).toEqual(['crash', 'restart']);
    expect(events('crash', 'restart', 'resume')).toEqual([{ t: 2, type: 'crash', node: 'a' }, { t: 20, type: 'restart', node: 'a' }]);
    expect(a.status).toBe('up');
  });

  it('restart of a node that is up does nothing; a timer of an earlier incarnation never fires', () => {
    const { sim, a, events } = world();
    a.restart();
    expect(events('restart')).toEqual([]);
    let fired = false;
    a.timer('wake', 10, () => (fired = true), undefined);
    a.crash();
    a.restart();
    sim.runUntilQuiet(limits);
    expect(fired).toBe(false);
  });
});

describe('local clocks and names', () => {
  it('offset plus drift in ppm, truncated toward zero', () => {
    const { sim, a } = world();
    sim.kernel.nowMs = 1_500_000;
    a.clockOffsetMs = 7;
    a.clockDriftPpm = -1;
    expect(a.localTime()).toBe(1_500_000 + 7 - 1);
    a.clockDriftPpm = 3;
    expect(a.localTime()).toBe(1_500_000 + 7 + 4);
  });

  it('a handler process is named after the call and the node; a process\'s calls after its origin', () => {
    const { sim, a, b } = world();
    expect(b.handlerProcessName('read')).toBe('read@b');
    expect(b.handlerProcessName('read')).toBe('read@b');
    expect(a.subject()).toEqual({ type: 'node', node: 'a' });
    const p = a.spawn('named', (function* (): Proc<void> {})(), () => {});
    const q = a.spawn('named2', (function* (): Proc<void> {})(), () => {}, 'o9');
    const r = a.spawn('named3', (function* (): Proc<void> {})(), () => {}, 'o9', 'recover-a');
    expect([p.origin, q.origin, r.origin, q.tag]).toEqual(['named', 'o9', 'recover-a', 'o9']);
    expect(p.nextAttempt('x')).toBe(1);
    expect(p.peekAttempt('x')).toBe(2);
    expect(p.nextAttempt('x')).toBe(2);
    expect(p.peekAttempt('y')).toBe(1);
    expect(p.subject()).toEqual({ type: 'process', process: 'named', node: 'a', sleep: 0, serving: null });
    sim.runUntilQuiet(limits);
  });
});

describe('what a process may yield', () => {
  const exitOf = (body: () => Generator<unknown, unknown, unknown>) => {
    const { sim, a, events } = world();
    let exit: ProcessExit<unknown> | null = null;
    a.spawn('p', body() as Proc<unknown>, (e) => (exit = e));
    sim.runUntilQuiet(limits);
    return { exit: exit as ProcessExit<unknown> | null, errors: events('process-error'), sim };
  };

  it('a value it returns; an error it throws, in words, traced', () => {
    expect(exitOf(function* () {
      return 42;
    }).exit).toEqual({ ok: true, value: 42 });
    const thrown = new TypeError('boom');
    const r = exitOf(function* () {
      throw thrown;
    });
    expect(r.exit).toEqual({ ok: false, error: 'TypeError: boom', thrown });
    expect(r.errors).toEqual([{ t: 0, type: 'process-error', node: 'a', process: 'p', error: 'TypeError: boom' }]);
  });

  it('not an effect, a generator without the star, an unknown effect: ended with an error that says so', () => {
    expect(exitOf(function* () {
      yield 3;
    }).exit).toEqual({ ok: false, error: 'yielded 3, not an effect (use yield* on ctx helpers)' });
    expect(exitOf(function* () {
      yield null;
    }).exit).toEqual({ ok: false, error: 'yielded null, not an effect (use yield* on ctx helpers)' });
    expect(exitOf(function* () {
      yield sleep(1);
    }).exit).toEqual({ ok: false, error: 'yielded a generator, not an effect: write yield* (with the star) before ctx helpers, e.g. yield* ctx.db.read(...)' });
    expect(exitOf(function* () {
      yield { type: 'teleport' };
    }).exit).toEqual({ ok: false, error: 'yielded an unknown effect "teleport"' });
  });

  it('sleeps are made whole and non-negative; a sleep with a range is a choice (sampled) or a window (windowed)', () => {
    const at = (effects: Effect[], answers: number[] = [], timing?: 'windowed') => {
      const { sim, a } = world(answers, { timing });
      const times: number[] = [];
      a.spawn('p', (function* (): Proc<void> {
        for (const e of effects) {
          yield e;
          times.push(sim.nowMs);
        }
      })(), () => {});
      sim.runUntilQuiet(limits);
      return { times, sim };
    };
    expect(at([{ type: 'sleep', ms: 2.7 }, { type: 'sleep', ms: -5 }, { type: 'sleep', ms: Number.NaN }]).times).toEqual([2, 2, 2]);
    const ranged = at([{ type: 'sleep', ms: 10, msMax: 20, stream: 'payment', kind: 'payment-delay' }], [4]);
    expect(ranged.times).toEqual([14]);
    expect(ranged.sim.choices.recorded!.map((c) => [c.stream, c.kind, c.max])).toEqual([['payment', 'payment-delay', 10]]);
    // Without stream and kind: a network delay. A range that is not one is a plain sleep.
    const plain = at([{ type: 'sleep', ms: 10, msMax: 12 }, { type: 'sleep', ms: 10, msMax: 10 }, { type: 'sleep', ms: 10, msMax: 3 }], [2]);
    expect(plain.times).toEqual([12, 22, 32]);
    expect(plain.sim.choices.recorded!.map((c) => [c.stream, c.kind])).toEqual([['network', 'delay']]);
    // Windowed: the wake may come anywhere in [10, 20] (the maximum made whole); earliest first.
    const w = world([], { timing: 'windowed' });
    w.a.spawn('p', (function* (): Proc<void> {
      yield { type: 'sleep', ms: 10, msMax: 20.9 };
    })(), () => {});
    expect([w.sim.queue.peek()!.timeMs, w.sim.queue.peek()!.latestMs, w.sim.choices.asked]).toEqual([10, 20, 0]);
  });

  it('sleepBetween yields a ranged sleep; describeThrown has words for anything thrown', () => {
    // The call is its own effect (and iterator result: process.ts), so it has more fields than these.
    expect(sleepBetween(1, 2, 'payment', 'payment-delay').next().value).toMatchObject({ type: 'sleep', ms: 1, msMax: 2, stream: 'payment', kind: 'payment-delay' });
    expect(describeThrown(new RangeError('r'))).toBe('RangeError: r');
    expect(describeThrown(Symbol('s'))).toBe('threw Symbol(s)');
    expect(describeThrown(5n)).toBe('threw 5n');
    expect(describeThrown(undefined)).toBe('threw undefined');
    expect(describeThrown(function named() {})).toBe('threw a function named');
    expect(describeThrown(() => {})).toBe('threw a function (anonymous)');
    expect(describeThrown({ a: 1 })).toBe('threw {"a":1}');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(describeThrown(loop)).toBe('threw a non-serialisable value');
  });
});

describe('rpcs in the world', () => {
  it('an rpc to an unknown node ends the caller with an error; a timeout is made whole and at least 1 ms', () => {
    const { sim, a, events } = world();
    let exit: ProcessExit<unknown> | null = null;
    a.spawn('p', rpc('nowhere', 'x', {}, 10), (e) => (exit = e));
    sim.runUntilQuiet(limits);
    expect(exit).toEqual({ ok: false, error: 'rpc to unknown node "nowhere"' });
    const w = world();
    const results: number[] = [];
    w.a.spawn('p', (function* (): Proc<void> {
      yield* rpc('b', 'x', {}, 0);
      results.push(w.sim.nowMs);
      yield* rpc('b', 'x', {}, 2.9);
      results.push(w.sim.nowMs);
      yield* rpc('b', 'x', {}, Number.NaN);
      results.push(w.sim.nowMs);
    })(), () => {}, 'o1');
    w.sim.runUntilQuiet(limits);
    expect(results).toEqual([1, 3, 4]);
    expect(w.events('timeout').map((e) => e as TraceEvent & { order?: string })[0]).toEqual({ t: 1, type: 'timeout', node: 'a', rpc: 1, call: 'x', order: 'o1' });
    void events;
  });

  it('a timeout of an untagged process has no order; the reply after it is a late reply', () => {
    const { sim, a, b, events } = world();
    b.handler = () => ({ v: 1 });
    a.spawn('p', rpc('b', 'x', {}, 15), () => {});
    sim.runUntilQuiet(limits);
    expect(events('timeout', 'late-reply')).toEqual([
      { t: 15, type: 'timeout', node: 'a', rpc: 1, call: 'x' },
      { t: 20, type: 'late-reply', node: 'a', rpc: 1, call: 'x' },
    ]);
  });

  it('a handler answering with a process replies with its value, or its error; undefined is no reply', () => {
    const { sim, a, b } = world();
    b.handler = (call) => {
      if (call === 'slow') return (function* (): Proc<unknown> {
        yield* sleep(5);
        return { done: true };
      })();
      if (call === 'bad') return (function* (): Proc<unknown> {
        throw new Error('nope');
      })();
      return undefined;
    };
    const got: unknown[] = [];
    a.spawn('p', (function* (): Proc<void> {
      got.push(yield* rpc('b', 'slow', {}, 100));
      got.push(yield* rpc('b', 'bad', {}, 100));
      got.push(yield* rpc('b', 'silent', {}, 100));
    })(), () => {});
    sim.runUntilQuiet(limits);
    expect(got).toEqual([{ ok: true, value: { done: true } }, { ok: true, value: { error: 'Error: nope' } }, { ok: false, error: 'timeout' }]);
  });

  it('node names: known ones listed in order, an unknown one is an error, a name used twice too', () => {
    const { sim } = world();
    expect(sim.nodeNames()).toEqual(['a', 'b']);
    expect(sim.hasNode('a')).toBe(true);
    expect(sim.hasNode('z')).toBe(false);
    expect(() => sim.node('z')).toThrow('no node z');
    expect(() => sim.addNode('a', 'app')).toThrow('node a exists');
  });
});

describe('the world', () => {
  it('passes its options to the kernel, and exposes the kernel\'s parts', () => {
    const scheduler = { name: 'first', pick: () => 0 };
    const sim = new Sim({
      source: new ListSource([]),
      network: { delayMsMin: 1, delayMsMax: 1, dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, links: new Map() },
      timing: 'windowed', scheduler, recordChoices: true, keepTrace: true,
      randomPauses: { perMille: 0, durationMsMin: 1, durationMsMax: 5, nodes: new Set(['a']) },
    });
    expect([sim.kernel.timing, sim.kernel.scheduler, sim.kernel.world]).toEqual(['windowed', scheduler, sim]);
    expect([sim.trace, sim.choices, sim.queue, sim.marks]).toEqual([sim.kernel.trace, sim.kernel.choices, sim.kernel.queue, sim.kernel.marks]);
    expect(sim.choices.recorded).toEqual([]);
    expect(sim.trace.events).toEqual([]);
    // A random pause with no chance is none at all.
    expect(sim.randomPauses).toBeNull();
    sim.kernel.at('wake', '', 4, () => {}, undefined);
    sim.runUntilQuiet(limits);
    expect([sim.nowMs, sim.eventsFired]).toEqual([4, 1]);
  });

  it('the delivery hook hears every delivery before its receiver; a request it pauses the receiver for waits for the pause', () => {
    const { sim, a, b } = world();
    const heard: string[] = [];
    b.handler = (call) => (heard.push(`handle ${call}@${sim.nowMs}`), { ok: 1 });
    sim.onDelivery = (node, m) => {
      heard.push(`${node.name} hears ${m.call}${m.reply ? ' reply' : ''}@${sim.nowMs}`);
      if (node.name === 'b') node.pause(25, 'step');
    };
    let answeredAt = -1;
    a.spawn('p', (function* (): Proc<void> {
      yield* rpc('b', 'read', {}, 1000);
      answeredAt = sim.nowMs;
    })(), () => {});
    sim.runUntilQuiet(limits);
    expect(heard).toEqual(['b hears read@10', 'handle read@35', 'a hears read reply@45']);
    expect(answeredAt).toBe(45);
  });

  it('a reply whose delivery pauses its receiver is handled when the pause ends', () => {
    const { sim, a, b } = world();
    b.handler = () => ({ ok: 1 });
    sim.onDelivery = (node, m) => {
      if (m.reply) node.pause(5, 'step');
    };
    let answeredAt = -1;
    a.spawn('p', (function* (): Proc<void> {
      yield* rpc('b', 'read', {}, 1000);
      answeredAt = sim.nowMs;
    })(), () => {});
    sim.runUntilQuiet(limits);
    expect(answeredAt).toBe(25);
    expect(sim.trace.events!.filter((e) => e.type === 'late-reply')).toEqual([]);
  });

  it('the process being stepped is the world\'s current one, and only while it steps', () => {
    const { sim, a } = world();
    const seen: Array<string | null> = [];
    const p = a.spawn('p', (function* (): Proc<void> {
      seen.push(sim.current?.name ?? null);
      yield* sleep(1);
      seen.push(sim.current?.name ?? null);
    })(), () => {});
    seen.push(sim.current?.name ?? null);
    sim.runUntilQuiet(limits);
    expect(seen).toEqual(['p', null, 'p']);
    expect(sim.current).toBeNull();
    void p;
  });
});
