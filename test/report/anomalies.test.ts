import { describe, expect, it } from 'vitest';
import { explainViolations, type AnomalyClass, type Explanation } from '../../src/report/explain.js';
import { ANOMALY_TITLES } from '../../src/report/explain.js';
import type { Violation } from '../../src/inventory/invariants.js';
import type { RunResult } from '../../src/explore/run.js';
import { falseClaims } from './claims.js';
import * as F from './fixtures.js';
import { builtinStrategy, runOnce } from '../../src/explore/run.js';
import { libraryScenario } from '../helpers/scenarios.js';

/** Explains `v` (a violation the run found, or one handed to the explainer as if it had) on the run's trace. */
function classify(r: RunResult, v: Pick<Violation, 'invariant'> & Partial<Violation>): Explanation {
  const found = r.violations.find((x) => x.invariant === v.invariant);
  const violation: Violation = found ?? { message: 'handed to the explainer', orders: [], units: [], ...v } as Violation;
  const [x] = explainViolations([violation], r.trace!);
  expect(falseClaims(x, r.trace!)).toEqual([]);
  return x;
}

// For each class: a run that shows it, and a near miss (the same shape, one fact different)
// that must not be classified as it. The near miss is handed the same invariant, so the
// detector is asked the same question about a trace that does not show the class.
const CASES: ReadonlyArray<{ anomaly: AnomalyClass; invariant: Violation['invariant']; shows: () => RunResult; nearMiss: () => RunResult; orders?: string[]; why: string }> = [
  { anomaly: 'lost-update', invariant: 'unique-units', shows: F.naiveFlashSale, nearMiss: F.staleRead, why: 'the second reader was behind: a stale read, not a lost update' },
  { anomaly: 'stale-read', invariant: 'unique-units', shows: F.staleRead, nearMiss: F.naiveFlashSale, why: 'both reads were up to date: a lost update, not a stale read' },
  { anomaly: 'double-apply', invariant: 'acknowledged-is-sold', shows: F.doubleApply, nearMiss: F.unknownOutcome, orders: ['o1'], why: 'one write, never retried: the order holds what it asked for' },
  { anomaly: 'zombie-write', invariant: 'conservation', shows: F.zombieWrite, nearMiss: F.zombieFenced, why: 'the same pause under fencing: the late write is refused' },
  { anomaly: 'leaked-reservation', invariant: 'no-leak', shows: F.leakedReservation, nearMiss: () => F.leakedReservation(false), orders: ['o1'], why: 'the same reservation, confirmed before any crash' },
  { anomaly: 'double-charge', invariant: 'charged-once', shows: F.doubleCharge, nearMiss: () => F.chargeWithoutSale(), orders: ['o2'], why: 'one charge (no sale): not charged twice' },
  { anomaly: 'unknown-outcome', invariant: 'acknowledged-is-sold', shows: F.unknownOutcome, nearMiss: () => F.duplicateRefusal(), orders: ['o1'], why: 'the answer came at 110 ms, no timeout: the refusal of a duplicate' },
  { anomaly: 'duplicate-refusal', invariant: 'acknowledged-is-sold', shows: () => F.duplicateRefusal(), nearMiss: F.unknownOutcome, orders: ['o1'], why: 'no duplicate: a timeout' },
  { anomaly: 'charge-without-sale', invariant: 'charged-once', shows: () => F.chargeWithoutSale(), nearMiss: () => F.chargeWithoutSale(true), orders: ['o2'], why: 'refunded' },
];

describe('each anomaly class: a trace that shows it, and a near miss that must not be classified as it', () => {
  it('covers every class but "other"', () => {
    expect(new Set(CASES.map((c) => c.anomaly))).toEqual(new Set(Object.keys(ANOMALY_TITLES).filter((a) => a !== 'other')));
  });
  for (const c of CASES) {
    it(`${c.anomaly}: shown, and not on a near miss (${c.why})`, () => {
      const shown = classify(c.shows(), { invariant: c.invariant, orders: c.orders ?? [] });
      expect(shown.anomaly).toBe(c.anomaly);
      const near = classify(c.nearMiss(), { invariant: c.invariant, orders: c.orders ?? [] });
      expect(near.anomaly).not.toBe(c.anomaly);
    });
  }
});

describe('the words follow the trace', () => {
  it("the issue's case: a duplicated decrement's refusal that came first is not called a timeout", () => {
    const r = F.duplicateRefusal();
    expect(r.trace!.some((e) => e.type === 'timeout')).toBe(false);
    const x = classify(r, { invariant: 'acknowledged-is-sold' });
    expect(x.anomaly).toBe('duplicate-refusal');
    expect(x.title).toBe("a duplicate's refusal taken for the answer");
    expect(x.text).not.toMatch(/time(d)? ?out/);
    expect(x.text).toContain('the network duplicated o1\'s decrement request at 0 ms');
    expect(x.text).toContain('the duplicate reached db at 60 ms and was refused (vase: 0 left)');
    expect(x.text).toContain("o1 got the duplicate's refusal at 110 ms; its own reply was lost at 50 ms");
    const dup = x.steps.find((s) => s.text.includes('duplicated'))!;
    expect(dup.event).toMatchObject({ type: 'duplicate', message: { process: 'o1', call: 'decrement', attempt: 1, copy: 1, reply: false } });
  });

  it('a timeout claim names the timeout event, and a lost reply its drop, one step each', () => {
    const x = classify(F.unknownOutcome(), { invariant: 'acknowledged-is-sold' });
    const drop = x.steps.find((s) => s.text.includes('dropped by a drop-reply step'))!;
    const timeout = x.steps.find((s) => s.text.includes('timed out'))!;
    expect(drop.event).toMatchObject({ type: 'drop', message: { process: 'o1', call: 'write', reply: true } });
    expect(timeout.event).toMatchObject({ type: 'timeout', node: 'app1', order: 'o1' });
    expect(drop.index).toBeLessThan(timeout.index);
  });

  it('a charge without a sale is told in words, not as raw events', () => {
    const x = classify(F.chargeWithoutSale(), { invariant: 'charged-once' });
    expect(x.title).toBe('charge without a sale');
    expect(x.text).not.toMatch(/=|payment:charge|chargeId/);
    expect(x.text).toMatch(/^payment charged o2 100 \(ch\d+\) at \d+ ms; the primary refused o2's decrement at \d+ ms \(vase: 0 left\); o2 answered FAILED at \d+ ms without a refund: o2 paid \(ch\d+\) for nothing/);
  });
});

describe('the words follow the trace on the library scenarios', () => {
  const BROKEN = ['naive', 'lock-lease', 'wall-clock-expiry', 'retry-without-idempotency'];
  const SCENARIOS = ['flash-sale-chaos', 'duplicated-requests', 'lost-decrement-reply', 'gc-pause-lock-lease', 'stale-replica-read', 'app-crash-mid-order'];
  for (const name of SCENARIOS) {
    it(`${name}: every claim of every explanation stands on its event (broken strategies, seeds 1-10)`, () => {
      const scenario = libraryScenario(name);
      const bad: string[] = [];
      for (const strategy of BROKEN) {
        for (let seed = 1; seed <= 10; seed++) {
          const r = runOnce(scenario, { seed, strategy: builtinStrategy(strategy), keepTrace: true });
          for (const x of explainViolations(r.violations, r.trace!)) {
            for (const f of falseClaims(x, r.trace!)) bad.push(`${strategy} seed ${seed}: ${f}`);
          }
        }
      }
      expect(bad).toEqual([]);
    });
  }
});

describe('a leak hidden behind liveness', () => {
  it('a run stopped by its time limit still names what is held, by whom, since when', () => {
    const r = F.leakBehindLiveness();
    expect(r.violations.map((v) => v.invariant)).toEqual(['no-leak', 'liveness']);
    const leak = r.violations[0];
    expect(leak.orders).toEqual(['o1']);
    expect(leak.units).toEqual(['vase#1']);
    expect(leak.message).toBe('vase#1 held by o1 (o1-res-1 since seq 1), no lease at the primary (a deadline of 60000 ms on o1\'s own clock); app1 crashed mid-order at 300 ms; the customer never got an answer: the run hit its virtual-time limit with it still reserved, and nothing will ever sell it.');
    const x = classify(r, { invariant: 'no-leak' });
    expect(x.anomaly).toBe('leaked-reservation');
    expect(x.text).toMatch(/^o1 reserved vase#1 \(o1-res-1\) at 50 ms, no lease at the primary.*; app1 crashed at 300 ms, forgetting it:/);
  });
});
