/**
 * The trace: events in emission order, hashed as they are emitted. A message event is hashed
 * field by field (no object built when the trace is not kept): keeping the trace never changes
 * the hash, and every field of a message changes it.
 */
import { describe, expect, it } from 'vitest';
import { Trace, traceToJsonLines, TRACE_FORMAT_VERSION, type TraceEvent } from '../../src/sim/trace.js';
import { SeededSource, ListSource } from '../../src/sim/sources.js';

const m = { msg: 3, rpc: 2, from: 'app1', to: 'db', call: 'confirm', reply: false, order: 'o1', proc: 'o1', attempt: 1, copy: 0 };
type M = typeof m;

function hashOf(f: (t: Trace) => void, keep = false): string {
  const t = new Trace(keep);
  f(t);
  return t.digest();
}

describe('the trace', () => {
  it('keeps the events only when asked; counts them either way', () => {
    const lean = new Trace(false);
    const kept = new Trace(true);
    for (const t of [lean, kept]) {
      t.emit({ t: 1, type: 'crash', node: 'app1' });
      t.message(2, 'send', m, 12);
    }
    expect(lean.events).toBeNull();
    expect(lean.count).toBe(2);
    expect(kept.count).toBe(2);
    expect(kept.events).toEqual([
      { t: 1, type: 'crash', node: 'app1' },
      { t: 2, type: 'send', msg: 3, rpc: 2, from: 'app1', to: 'db', call: 'confirm', reply: false, order: 'o1', proc: 'o1', attempt: 1, copy: 0, deliverAt: 12 },
    ]);
    expect(lean.digest()).toBe(kept.digest());
  });

  it('message events as kept: a deliver has no origin fields, a drop its reason, a duplicate its arrival', () => {
    const t = new Trace(true);
    t.message(5, 'deliver', m);
    t.message(6, 'drop', m, 'partition');
    t.message(7, 'duplicate', { ...m, copy: 1 }, 30);
    const base = { msg: 3, rpc: 2, from: 'app1', to: 'db', call: 'confirm', reply: false, order: 'o1' };
    expect(t.events).toEqual([
      { t: 5, type: 'deliver', ...base },
      { t: 6, type: 'drop', ...base, reason: 'partition' },
      { t: 7, type: 'duplicate', ...base, proc: 'o1', attempt: 1, copy: 1, deliverAt: 30 },
    ]);
  });

  it('a windowed send keeps its window, and hashes like any event', () => {
    const t = new Trace(true);
    t.messageWindow(4, 'send', m, 14, 40);
    expect(t.events).toEqual([{ t: 4, type: 'send', msg: 3, rpc: 2, from: 'app1', to: 'db', call: 'confirm', reply: false, order: 'o1', proc: 'o1', attempt: 1, copy: 0, deliverAt: 14, deliverByMs: 40 }]);
    expect(t.count).toBe(1);
    expect(t.digest()).toBe(hashOf((x) => x.emit(t.events![0])));
  });

  it('every field of a message event changes the hash', () => {
    const h = (type: 'send' | 'duplicate' | 'deliver' | 'drop', x: M, extra?: number | 'chance' | 'partition', t = 2) => hashOf((tr) => tr.message(t, type, x, extra));
    const base = h('send', m, 12);
    const variants = [
      h('send', m, 12, 3),
      h('duplicate', m, 12),
      h('send', m, 13),
      h('send', { ...m, msg: 4 }, 12),
      h('send', { ...m, rpc: 9 }, 12),
      h('send', { ...m, from: 'app2' }, 12),
      h('send', { ...m, to: 'lock' }, 12),
      h('send', { ...m, call: 'reserve' }, 12),
      h('send', { ...m, reply: true }, 12),
      h('send', { ...m, order: 'o2' }, 12),
      h('send', { ...m, order: undefined } as unknown as M, 12),
      h('send', { ...m, proc: 'recover-app1' }, 12),
      h('send', { ...m, attempt: 2 }, 12),
      h('send', { ...m, copy: 1 }, 12),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    // deliver and drop carry neither origin nor arrival; a drop's reason counts.
    expect(h('deliver', { ...m, proc: 'x', attempt: 5, copy: 1 })).toBe(h('deliver', m));
    expect(h('deliver', m)).not.toBe(h('drop', m, 'chance'));
    expect(h('drop', m, 'chance')).not.toBe(h('drop', m, 'partition'));
    expect(h('drop', { ...m, proc: 'x', attempt: 5, copy: 1 }, 'chance')).toBe(h('drop', m, 'chance'));
    expect(new Set([h('send', m, 0), h('duplicate', m, 0), h('deliver', m), h('drop', m, 'chance')]).size).toBe(4);
  });

  it('message hashes are stable across versions (they are in replay files and the golden hashes)', () => {
    // Changing one changes every trace hash ever written (CHANGELOG.md, a format bump).
    const one = (f: (t: Trace) => void) => hashOf(f);
    expect([
      one((t) => t.message(2, 'send', m, 12)),
      one((t) => t.message(2, 'duplicate', m, 12)),
      one((t) => t.message(2, 'deliver', m)),
      one((t) => t.message(2, 'drop', m, 'chance')),
      one((t) => t.message(2, 'deliver', { ...m, order: undefined } as unknown as M)),
    ]).toEqual(['6f4eb174df67b4da', 'fdca7a605323780e', 'ffb90c84c41b77dc', '277fadae11ceda50', 'bc7b1ad08d4df542']);
  });

  it('JSON Lines: a header with the format version, then one event per line', () => {
    const events: TraceEvent[] = [{ t: 0, type: 'faults-end' }, { t: 1, type: 'resume', node: 'db' }];
    expect(TRACE_FORMAT_VERSION).toBe(2);
    expect(traceToJsonLines(events)).toBe('{"format":"oversold-trace","version":2}\n{"t":0,"type":"faults-end"}\n{"t":1,"type":"resume","node":"db"}\n');
    expect(traceToJsonLines([])).toBe('{"format":"oversold-trace","version":2}\n');
  });
});

describe('choice sources', () => {
  it('a list source answers in order, wraps values past the range, answers 0 past its end, and counts what was consumed', () => {
    const s = new ListSource([3, 7, 5], 'replay');
    expect(s.description).toBe('replay (3 choices)');
    expect(new ListSource([]).description).toBe('list (0 choices)');
    const q = (max: number) => ({ stream: 'network' as const, kind: 'delay' as const, max });
    expect(s.answer(q(5))).toBe(3);
    expect(s.answer(q(5))).toBe(1); // 7 % 6
    expect(s.answer(q(5))).toBe(5); // at the top of the range: kept
    expect(s.answer(q(5))).toBe(0);
    expect(s.consumed).toBe(4);
  });

  it('a seeded source: per-mille odds, answers from 1 when the fault happens, uniform answers otherwise', () => {
    const s = new SeededSource(42);
    expect(s.description).toBe('seed 42');
    const yes = { stream: 'faults' as const, kind: 'pause' as const, max: 1, perMille: 1000 };
    const no = { ...yes, perMille: 1 };
    const range = { ...yes, max: 3 };
    const uniform = { stream: 'network' as const, kind: 'delay' as const, max: 2 };
    const counts = { yes: 0, no: 0, range: new Set<number>(), uniform: new Set<number>() };
    for (let i = 0; i < 600; i++) {
      counts.yes += s.answer(yes);
      counts.no += s.answer(no);
      counts.range.add(s.answer(range));
      counts.uniform.add(s.answer(uniform));
    }
    expect(counts.yes).toBe(600);
    expect(counts.no).toBeLessThan(10);
    expect([...counts.range].sort()).toEqual([1, 2, 3]);
    expect([...counts.uniform].sort()).toEqual([0, 1, 2]);
  });

  it('each stream has its own generator: the streams give different answers from one seed', () => {
    const draws = (stream: 'network' | 'faults' | 'workload' | 'payment' | 'schedule') => {
      const s = new SeededSource(1);
      return Array.from({ length: 4 }, () => s.answer({ stream, kind: 'delay', max: 1_000_000 })).join();
    };
    const all = (['network', 'faults', 'workload', 'payment', 'schedule'] as const).map(draws);
    expect(new Set(all).size).toBe(5);
    expect(new SeededSource(2).answer({ stream: 'network', kind: 'delay', max: 1_000_000 })).not.toBe(new SeededSource(1).answer({ stream: 'network', kind: 'delay', max: 1_000_000 }));
  });
});

describe('a timeout is hashed as the literal emit() would hash', () => {
  it('with and without an order, kept or not, and each field changes the hash', () => {
    const literal = (order?: string) => (t: Trace) => t.emit(order ? { t: 7, type: 'timeout', node: 'app1', rpc: 4, call: 'read', order } : { t: 7, type: 'timeout', node: 'app1', rpc: 4, call: 'read' });
    const direct = (order?: string) => (t: Trace) => t.timeout(7, 'app1', 4, 'read', order);
    for (const order of ['o3', undefined]) {
      expect(hashOf(direct(order))).toBe(hashOf(literal(order)));
      expect(hashOf(direct(order), true)).toBe(hashOf(literal(order)));
    }
    const kept = new Trace(true);
    kept.timeout(7, 'app1', 4, 'read', 'o3');
    expect(kept.events).toEqual([{ t: 7, type: 'timeout', node: 'app1', rpc: 4, call: 'read', order: 'o3' }]);
    const base = hashOf((t) => t.timeout(7, 'app1', 4, 'read', 'o3'));
    for (const f of [
      (t: Trace) => t.timeout(8, 'app1', 4, 'read', 'o3'),
      (t: Trace) => t.timeout(7, 'app2', 4, 'read', 'o3'),
      (t: Trace) => t.timeout(7, 'app1', 5, 'read', 'o3'),
      (t: Trace) => t.timeout(7, 'app1', 4, 'write', 'o3'),
      (t: Trace) => t.timeout(7, 'app1', 4, 'read', 'o4'),
      (t: Trace) => t.timeout(7, 'app1', 4, 'read', undefined),
    ]) expect(hashOf(f)).not.toBe(base);
  });
});
