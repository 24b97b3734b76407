import { describe, expect, it } from 'vitest';
import { explainViolations, explanationToJson, type Explanation } from '../../src/report/explain.js';
import type { RunResult } from '../../src/explore/run.js';
import * as F from './fixtures.js';

function explain(r: RunResult): Explanation[] {
  expect(r.trace).not.toBeNull();
  return explainViolations(r.violations, r.trace!);
}

function only(r: RunResult, invariant: string): Explanation {
  const x = explain(r).find((e) => e.invariant === invariant);
  if (!x) throw new Error(`no ${invariant} violation; got ${r.violations.map((v) => v.invariant).join(', ') || 'none'}`);
  return x;
}

describe('explanations name the anomaly class and the causal chain', () => {
  it('naive flash sale seed 7: a lost update between two named orders on one unit', () => {
    const r = F.naiveFlashSale();
    const x = only(r, 'unique-units');
    expect(x.anomaly).toBe('lost-update');
    expect(x.title).toBe('lost update');
    expect(x.orders).toEqual(['o1', 'o14']);
    expect(x.units).toEqual(['vase#10']);
    expect(x.text).toContain('o1 read stock=10 from replica1 (up to date) at 78 ms');
    expect(x.text).toContain('o14 read stock=10 from replica1');
    expect(x.text).toContain('vase#10 went to o1 and o14');
    // the first bad event is o14's write, the moment vase#10 got its second owner
    const bad = r.trace![x.firstBadIndex!];
    expect(bad).toMatchObject({ type: 'domain', what: 'db:write', order: 'o14' });
    // steps are in trace order and point at real events
    const idx = x.steps.map((s) => s.index);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    for (const s of x.steps) expect(r.trace![s.index].t).toBe(s.t);
  });

  it('no-oversell on the same run tells the same story', () => {
    const r = F.naiveFlashSale();
    expect(only(r, 'no-oversell').text).toBe(only(r, 'unique-units').text);
  });

  it('a read from a lagging replica after the other write committed is a stale read, with how far behind', () => {
    const x = only(F.staleRead(), 'unique-units');
    expect(x.anomaly).toBe('stale-read');
    expect(x.text).toMatch(/o2 read stock=10 from replica1 \(1 write behind\)/);
    expect(x.conclusion).toContain('o2 never saw o1');
  });

  it('lock-lease paused past its lease: a zombie write, naming the pause and the expiry', () => {
    const r = F.zombieWrite();
    const x = explain(r).find((e) => e.anomaly === 'zombie-write');
    expect(x, JSON.stringify(r.violations)).toBeDefined();
    expect(x!.text).toMatch(/o1 got lock vase \(token 1\)/);
    expect(x!.text).toMatch(/app1 paused at 120 ms for 8000 ms/);
    expect(x!.text).toMatch(/o1's lease \(token 1\) expired/);
    expect(x!.text).toMatch(/o2 got lock vase \(token 2\)/);
    expect(r.trace![x!.firstBadIndex!]).toMatchObject({ what: 'db:write', order: 'o1' });
  });

  it('retry-without-idempotency with a lost reply: a double apply after retry', () => {
    const x = only(F.doubleApply(), 'acknowledged-is-sold');
    expect(x.anomaly).toBe('double-apply');
    expect(x.text).toMatch(/the reply was dropped by a drop-reply step/);
    expect(x.text).toMatch(/o1 sent its decrement again/);
    expect(x.conclusion).toMatch(/o1 ordered 1 × vase but holds 2/);
  });

  it('a lost reply answered as FAILED: the timeout was taken for a failure', () => {
    const x = only(F.unknownOutcome(), 'acknowledged-is-sold');
    expect(x.anomaly).toBe('unknown-outcome');
    expect(x.conclusion).toMatch(/o1 was told FAILED but vase#1 was sold to it/);
  });

  it('a charge retried without an idempotency key after a lost reply: a double charge', () => {
    const x = only(F.doubleCharge(), 'charged-once');
    expect(x.anomaly).toBe('double-charge');
    expect(x.text).toMatch(/payment charged o1 \(ch1\)/);
    expect(x.text).toMatch(/payment charged o1 \(ch2\)/);
    expect(x.conclusion).toBe('o1 was charged 2 times (ch1, ch2)');
  });

  it('a reservation nobody can expire, its server crashed: a leaked reservation naming the crash', () => {
    const r = F.leakedReservation();
    const x = only(r, 'no-leak');
    expect(x.anomaly).toBe('leaked-reservation');
    expect(x.text).toMatch(/o1 reserved vase#1/);
    expect(x.text).toMatch(/app1 crashed at 300 ms/);
    expect(r.trace![x.firstBadIndex!]).toMatchObject({ type: 'crash', node: 'app1' });
  });

  it('anything else falls back to the order\'s own events, with the invariant\'s message', () => {
    const r = F.noProgress();
    const x = only(r, 'liveness');
    expect(x.anomaly).toBe('other');
    expect(x.title).toBe('no progress');
    expect(x.conclusion).toContain('did not go quiet');
  });

  it('is deterministic and JSON-shaped', () => {
    const a = explain(F.naiveFlashSale()).map(explanationToJson);
    const b = explain(F.naiveFlashSale()).map(explanationToJson);
    expect(a).toEqual(b);
    expect(Object.keys(a[0])).toEqual(['invariant', 'anomaly', 'title', 'text', 'conclusion', 'steps', 'orders', 'units', 'firstBadTraceIndex']);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('an OK run has nothing to explain', () => {
    expect(explainViolations([], [])).toEqual([]);
  });
});
