import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/explore/run.js';
import type { InvariantName } from '../../src/inventory/invariants.js';
import { STRATEGIES } from '../../src/inventory/strategies/index.js';
import type { RunnableScenario } from '../../src/explore/run.js';
import type { Strategy } from '../../src/inventory/strategy.js';
import { chaosScenario, scenario } from './fixture.js';

function strategy(name: string): Strategy {
  const s = STRATEGIES.get(name);
  if (!s) throw new Error(`no strategy ${name}`);
  return s;
}

/** Runs seeds 1..n; every run must break one of `names` (and name it). */
function caughtOnEverySeed(sc: RunnableScenario, s: Strategy, names: readonly InvariantName[], n: number): void {
  for (let seed = 1; seed <= n; seed++) {
    const r = runOnce(sc, { seed, strategy: s });
    const found = r.violations.map((v) => v.invariant);
    expect(found.some((v) => names.includes(v)), `seed ${seed}: ${JSON.stringify(found)}`).toBe(true);
    expect(found).not.toContain('strategy-error');
  }
}

const fixed = { delayMsMin: 100, delayMsMax: 100 };
const twoOrders = (secondAtMs: number): RunnableScenario['workload'] => ({
  orders: [
    { atMs: 0, app: 'app1', lines: [{ item: 'vase', qty: 1 }] },
    { atMs: secondAtMs, app: 'app2', lines: [{ item: 'vase', qty: 1 }] },
  ],
});

describe('broken strategies are caught', () => {
  it('are marked unsafe', () => {
    for (const n of ['naive', 'lock-lease', 'wall-clock-expiry', 'retry-without-idempotency']) expect(strategy(n).safe).toBe(false);
  });

  it('lock-lease: a pause between read and write longer than the lease sells one vase twice (Figure 8-4)', () => {
    // app1 holds the lock and waits for its read (the reply lands at 400 ms) when it freezes
    // for 8 s; its 6 s lease runs out, app2 takes the lock, reads 10 and writes 9; app1 wakes
    // up and also writes 9.
    const sc = scenario({ network: fixed, workload: twoOrders(500), faults: { steps: [{ kind: 'pause', node: 'app1', atMs: 350, durationMs: 8000 }] } });
    const r = runOnce(sc, { seed: 1, strategy: strategy('lock-lease'), keepTrace: true });
    const v = r.violations.find((x) => x.invariant === 'unique-units');
    expect(v?.units).toEqual(['vase#10']);
    expect(v?.orders).toEqual(['o1', 'o2']);
    expect(r.trace!.some((e) => e.type === 'domain' && e.what === 'lock:lease-expired')).toBe(true);
    caughtOnEverySeed(sc, strategy('lock-lease'), ['unique-units'], 10);
    // The same schedule with fencing: app1's zombie read or write is refused, nothing is sold twice.
    const fenced = runOnce(sc, { seed: 1, strategy: strategy('lock-fencing'), keepTrace: true });
    expect(fenced.violations).toEqual([]);
    expect(fenced.orders.placed).toBe(2);
  });

  it('retry-without-idempotency: a lost decrement reply makes the retry take a second vase', () => {
    const sc = scenario({ faults: { steps: [{ kind: 'drop-reply', call: 'decrement', nth: 1 }] } });
    caughtOnEverySeed(sc, strategy('retry-without-idempotency'), ['acknowledged-is-sold', 'conservation'], 10);
    const r = runOnce(sc, { seed: 1, strategy: strategy('retry-without-idempotency') });
    expect(r.violations.find((v) => v.invariant === 'acknowledged-is-sold')?.message).toMatch(/holds 2|was sold to it/);
    // A duplicated request does the same.
    const dup = scenario({ faults: { steps: [{ kind: 'duplicate-request', call: 'decrement', nth: 1, copyExtraMs: 0, copyReplyExtraMs: 0 }] } });
    caughtOnEverySeed(dup, strategy('retry-without-idempotency'), ['acknowledged-is-sold'], 5);
    // The request id is the whole fix.
    for (let seed = 1; seed <= 10; seed++) expect(runOnce(sc, { seed, strategy: strategy('conditional-decrement') }).violations).toEqual([]);
  });

  it('wall-clock-expiry: an app server with a fast clock reaps live reservations and resells their units', () => {
    const fast = scenario({ faults: { steps: [{ kind: 'clock', node: 'app2', offsetMs: 60_000, driftPpm: 0 }] } });
    caughtOnEverySeed(fast, strategy('wall-clock-expiry'), ['unique-units', 'conservation', 'no-oversell'], 10);
    const r = runOnce(fast, { seed: 1, strategy: strategy('wall-clock-expiry'), keepTrace: true });
    expect(r.violations.map((v) => v.invariant)).toContain('unique-units');
    expect(r.trace!.some((e) => e.type === 'domain' && e.what === 'db:reap')).toBe(true);
    // A clock running behind makes its owner's reservations look expired to everyone else.
    const slow = scenario({ faults: { steps: [{ kind: 'clock', node: 'app1', offsetMs: -60_000, driftPpm: 0 }] } });
    caughtOnEverySeed(slow, strategy('wall-clock-expiry'), ['unique-units', 'conservation', 'no-oversell'], 10);
    // Without skew it holds in a calm sale: the clocks are the bug.
    for (let seed = 1; seed <= 10; seed++) expect(runOnce(scenario(), { seed, strategy: strategy('wall-clock-expiry') }).violations).toEqual([]);
  });

  it('wall-clock-expiry: a pause after the lease check outlives the lease; the zombie confirms a resold unit', () => {
    // o1 reserves at 100 ms (deadline app1-clock 3000), checks its lease (fine), charges, and
    // freezes before the payment reply; o2 at 4000 ms reaps o1's reservation and takes vase#10;
    // o1 wakes at 5350 and confirms vase#10 without a token.
    const sc = scenario({
      network: fixed,
      payment: { delayMsMin: 20, delayMsMax: 20 },
      workload: twoOrders(4000),
      faults: { steps: [{ kind: 'pause', node: 'app1', atMs: 350, durationMs: 5000 }] },
    });
    const r = runOnce(sc, { seed: 1, strategy: strategy('wall-clock-expiry') });
    const v = r.violations.find((x) => x.invariant === 'unique-units');
    expect(v?.units).toEqual(['vase#10']);
    expect(v?.orders).toEqual(['o1', 'o2']);
    // Leases in the primary's sequence number with a fencing token refuse the zombie's confirm.
    const safe = runOnce(sc, { seed: 1, strategy: strategy('reservation') });
    expect(safe.violations).toEqual([]);
  });

  it('naive: the kata\'s flash sale oversells with latency alone', () => {
    caughtOnEverySeed(scenario(), strategy('naive'), ['no-oversell', 'unique-units'], 10);
  });

  const expected: ReadonlyArray<[string, readonly InvariantName[]]> = [
    ['naive', ['no-oversell', 'unique-units', 'conservation', 'acknowledged-is-sold']],
    ['lock-lease', ['unique-units', 'no-oversell']],
    ['wall-clock-expiry', ['unique-units', 'conservation', 'no-oversell']],
    ['retry-without-idempotency', ['acknowledged-is-sold', 'conservation']],
  ];
  for (const [name, names] of expected) {
    it(`${name} is caught within 100 seeds of the chaos sweep, first failure naming ${names.join(' or ')}`, () => {
      const sc = chaosScenario();
      let first: { seed: number; invariants: InvariantName[] } | null = null;
      let bad = 0;
      for (let seed = 1; seed <= 100; seed++) {
        const r = runOnce(sc, { seed, strategy: strategy(name) });
        if (r.violations.length === 0) continue;
        bad++;
        first ??= { seed, invariants: r.violations.map((v) => v.invariant) };
        expect(r.violations.map((v) => v.invariant)).not.toContain('strategy-error');
      }
      expect(first).not.toBeNull();
      expect(first!.invariants.some((v) => names.includes(v)), JSON.stringify(first)).toBe(true);
      expect(bad).toBeGreaterThan(0);
    });
  }
});
