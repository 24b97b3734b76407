// The timed semantics' constraint check (src/explore/exhaustive/zone.ts, localTime.ts): a
// schedule the delay windows forbid is not enabled, one they allow is.
import { describe, expect, it } from 'vitest';
import { Zone, ZERO } from '../../src/explore/exhaustive/zone.js';
import { LocalTime } from '../../src/explore/exhaustive/localTime.js';
import type { QueuedEvent } from '../../src/sim/queue.js';

describe('Zone: a difference-bound matrix kept closed', () => {
  it('derives bounds along chains and refuses a contradiction without changing', () => {
    const z = new Zone(2); // grows past its first capacity
    const a = z.add(ZERO, 10, 50); // a message sent at 0, delay [10, 50]
    const b = z.add(a, 10, 50); // its reply
    expect(z.ub(ZERO, b)).toBe(100);
    expect(-z.ub(b, ZERO)).toBe(20);
    const t = z.add(ZERO, 60, 60); // a timer at 60
    expect(z.constrain(b, t, 0)).toBe(true); // t <= b: the timer first
    expect(-z.ub(b, ZERO)).toBe(60); // so the reply is at 60 or later
    expect(z.constrain(a, ZERO, -51)).toBe(false); // a >= 51 contradicts a <= 50
    expect(z.ub(ZERO, a)).toBe(50);
  });

  it('canPlace checks the three kinds of cycle through the new edges', () => {
    const z = new Zone();
    const last = z.add(ZERO, 100, 100); // the node's last event, at 100
    const e = z.add(ZERO, 10, 50); // a message due in [10, 50]
    expect(z.canPlace(e, [last], [])).toBe(false); // after 100: outside its window
    const f = z.add(ZERO, 80, 150);
    expect(z.canPlace(f, [last], [])).toBe(true);
    const y = z.add(ZERO, 90, 95); // pending at the same node, due by 95
    expect(z.canPlace(f, [last], [{ from: y, w: 0 }])).toBe(false); // f >= 100 > y
    expect(z.canPlace(f, [ZERO], [{ from: y, w: 0 }])).toBe(true);
    expect(z.canPlace(f, [ZERO], [{ from: ZERO, w: 70 }])).toBe(false); // the time limit 70
    z.place(f, [ZERO], [{ from: y, w: 0 }]);
    expect(z.ub(ZERO, f)).toBe(95);
  });
});

/** A queued event as the kernel makes one (only what LocalTime reads). */
function ev(kind: QueuedEvent['kind'], owner: string, after: QueuedEvent | null = null): QueuedEvent {
  return { timeMs: 0, latestMs: 0, seq: 0, kind, owner, fire: () => {}, arg: null, gate: null, epoch: 0, after, pending: true };
}

describe('LocalTime: which event may fire next', () => {
  it('a reply that must arrive before the caller\'s timeout: the timeout is not enabled, the reply is', () => {
    const t = new LocalTime(30_000);
    const call = ev('arrival', 'app1');
    t.created(call, ['app1'], true, 0, 0, '');
    t.fire(call);
    const request = ev('deliver', 'db');
    t.created(request, ['db'], false, 10, 50, 'app1');
    const timeout = ev('timeout', 'app1');
    t.created(timeout, ['app1'], false, 1000, 1000, 'app1');
    // The request must reach db by 50, the timer is at 1000: the timer takes its place at its
    // caller only, and the lookahead (rule 7) holds it back while the request is on its way.
    expect(t.fireCheck(timeout)).toBe('held');
    expect(t.blockers(timeout)).toEqual([request]);
    expect(t.before(timeout)).toEqual([request]);
    expect(t.canFire(request)).toBe(true);
    t.fire(request);
    const reply = ev('deliver', 'app1');
    t.created(reply, ['app1'], false, 10, 50, 'db');
    expect(t.canFire(timeout)).toBe(false); // the reply is due by 100 at app1
    expect(t.canFire(reply)).toBe(true);
  });

  it('a reply that may be later than the timeout: both orders are enabled', () => {
    const t = new LocalTime(30_000);
    const call = ev('arrival', 'app1');
    t.created(call, ['app1'], true, 0, 0, '');
    t.fire(call);
    const request = ev('deliver', 'db');
    t.created(request, ['db'], false, 10, 50, 'app1');
    const timeout = ev('timeout', 'app1');
    t.created(timeout, ['app1'], false, 60, 60, 'app1');
    t.fire(request);
    const reply = ev('deliver', 'app1');
    t.created(reply, ['app1'], false, 10, 50, 'db');
    expect(t.canFire(timeout)).toBe(true);
    expect(t.canFire(reply)).toBe(true);
  });

  it('a tick two seconds out may not fire before a delivery due within 50 ms at its node; a delivery at another node may', () => {
    const t = new LocalTime(30_000);
    const tick = ev('tick', 'db');
    t.created(tick, ['db'], true, 2000, 2000, '');
    const toDb = ev('deliver', 'db');
    t.created(toDb, ['db'], true, 10, 50, '');
    const toPayment = ev('deliver', 'payment');
    t.created(toPayment, ['payment'], true, 10, 50, '');
    expect(t.canFire(tick)).toBe(false);
    t.fire(toPayment); // another node's clock: no constraint on db's
    expect(t.canFire(tick)).toBe(false);
    t.fire(toDb);
    expect(t.canFire(tick)).toBe(true);
    t.fire(tick);
    // A message created now for db, due before the tick it must follow, can never fire.
    const late = ev('deliver', 'db');
    expect(t.created(late, ['db'], true, 20, 60, '')).toBe(true);
    expect(t.realizable()).toBe(false);
  });

  it('an event that cannot fire by the time limit is not enabled, and leaving it pending is realizable', () => {
    const t = new LocalTime(1500);
    const tick = ev('tick', 'db');
    t.created(tick, ['db'], true, 2000, 2000, '');
    expect(t.canFire(tick)).toBe(false);
    expect(t.realizable()).toBe(true);
    const soon = ev('deliver', 'db');
    t.created(soon, ['db'], true, 10, 50, '');
    expect(t.realizable()).toBe(false); // it had to fire by 50
  });

  it('the lookahead: the lock service\'s tick is held while the holder\'s reply, due by 50 ms at another node, is on its way; released once it has fired', () => {
    const withIt = new LocalTime(30_000);
    const without = new LocalTime(30_000, false);
    for (const t of [withIt, without]) {
      const tick = ev('tick', 'lock');
      t.created(tick, ['lock'], true, 2000, 2000, '');
      const reply = ev('deliver', 'app1');
      t.created(reply, ['app1'], true, 10, 50, '');
      expect(t.fireCheck(reply)).toBe('enabled');
      // Nothing is pending at lock but the tick, so rule 3 alone lets it run ahead; the reply
      // must come before it in time, so the lookahead holds it.
      expect(t.fireCheck(tick)).toBe(t === withIt ? 'held' : 'enabled');
      t.fire(reply);
      expect(t.fireCheck(tick)).toBe('enabled');
      // The holder's unlock, sent as the reply arrived, can still reach lock before the tick.
      const unlock = ev('deliver', 'lock');
      expect(t.created(unlock, ['lock'], false, 10, 50, 'app1')).toBe(false);
    }
  });

  it('the lookahead holds only what must come later: an event that may be the earliest is enabled, and a hold is never placed in the zone', () => {
    const t = new LocalTime(30_000);
    const a = ev('deliver', 'app1');
    t.created(a, ['app1'], true, 10, 50, '');
    const b = ev('deliver', 'app2');
    t.created(b, ['app2'], true, 40, 90, ''); // may come before a (40 < 50) or after
    expect(t.fireCheck(a)).toBe('enabled');
    expect(t.fireCheck(b)).toBe('enabled');
    t.fire(b); // b first in the order, though a may be earlier in time: allowed
    expect(t.fireCheck(a)).toBe('enabled');
    const late = ev('deliver', 'app2');
    t.created(late, ['app2'], true, 100, 100, '');
    expect(t.fireCheck(late)).toBe('held'); // a is due by 50
    t.fire(a);
    expect(t.fireCheck(late)).toBe('enabled');
  });
});
