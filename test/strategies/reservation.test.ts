/**
 * The seeds' open questions about reservations, each as a schedule that forces the case:
 * lost confirm reply, lost release, confirm after expiry, crash mid-order (with a charge still
 * on the wire, a confirm racing recovery's release), a retried reserve that finds its
 * reservation expired.
 */
import { describe, expect, it } from 'vitest';
import { runOnce, type RunResult, type RunnableScenario } from '../../src/explore/run.js';
import { reservation, STRATEGIES } from '../../src/inventory/strategies/index.js';
import { persist } from '../../src/inventory/strategies/common.js';
import type { Strategy } from '../../src/inventory/strategy.js';
import type { FaultStepConfig } from '../../src/inventory/world.js';
import { scenario } from './fixture.js';

const fixed = { delayMsMin: 100, delayMsMax: 100 };

/** Fixed 100 ms hops and 20 ms payments, so each schedule below is exact. */
function exact(orders: Array<[atMs: number, app: string]>, steps: FaultStepConfig[], stock = 1, extra: Partial<RunnableScenario['topology']> = {}): RunnableScenario {
  return scenario({
    items: [{ id: 'vase', stock }],
    topology: { replicas: [], readFrom: 'primary', ...extra },
    network: fixed,
    payment: { delayMsMin: 20, delayMsMax: 20 },
    workload: { orders: orders.map(([atMs, app]) => ({ atMs, app, lines: [{ item: 'vase', qty: 1 }] })) },
    faults: { steps },
  });
}

function answers(r: RunResult): Record<string, string> {
  return Object.fromEntries(r.orderRecords.map((o) => [o.order.id, o.answer ?? `unknown`]));
}

function dbOps(r: RunResult, what: string): number {
  return r.trace!.filter((e) => e.type === 'domain' && e.what === what).length;
}

// Timeline with these settings (one order from app1 at 0): read 0->100->200, reserve
// 200->300->400, charge 400->500 (+20 ms at the provider) ->620, confirm 620->720->820.

describe('reservation: the seeds\' questions', () => {
  it('lost confirm reply: the retried confirm answers ok, the order is placed once', () => {
    const r = runOnce(exact([[0, 'app1']], [{ kind: 'drop-reply', call: 'confirm', nth: 1 }]), { seed: 1, strategy: reservation, keepTrace: true });
    expect(r.violations).toEqual([]);
    expect(answers(r)).toEqual({ o1: 'ORDER_PLACED' });
    expect(dbOps(r, 'db:confirm')).toBe(1);
    expect(r.world.payments.charges.map((c) => c.refunded)).toEqual([false]);
  });

  it('lost release: every release is lost, the lease gives the vase back, a later buyer gets it', () => {
    const steps: FaultStepConfig[] = [{ kind: 'payment-fail', nth: 1 }];
    for (let nth = 1; nth <= 6; nth++) steps.push({ kind: 'drop-request', call: 'release', nth });
    const r = runOnce(exact([[0, 'app1'], [7000, 'app2']], steps), { seed: 1, strategy: reservation, keepTrace: true });
    expect(r.violations).toEqual([]);
    expect(answers(r)).toEqual({ o1: 'FAILED', o2: 'ORDER_PLACED' });
    expect(dbOps(r, 'db:release')).toBe(0);
    expect(dbOps(r, 'db:expire')).toBe(1);
  });

  it('confirm after expiry: a pause past the lease gets the confirm refused, the charge refunded', () => {
    // app1 freezes at 550 ms for 8 s while the payment reply is on its way; the 6 s lease runs
    // out, o2 buys the only vase at 7 s, and o1's confirm at 8.6 s is refused by the primary.
    const r = runOnce(exact([[0, 'app1'], [7000, 'app2']], [{ kind: 'pause', node: 'app1', atMs: 550, durationMs: 8000 }]), { seed: 1, strategy: reservation, keepTrace: true });
    expect(r.violations).toEqual([]);
    expect(answers(r)).toEqual({ o1: 'FAILED', o2: 'ORDER_PLACED' });
    expect(dbOps(r, 'db:confirm-refused')).toBe(1);
    const o1 = r.world.payments.charges.filter((c) => c.order === 'o1');
    expect(o1.map((c) => c.refunded)).toEqual([true]);
  });

  it('a retried reserve that finds its reservation expired answers FAILED (nothing held, nothing charged)', () => {
    const sc = exact([[0, 'app1']], [{ kind: 'drop-reply', call: 'reserve', nth: 1 }]);
    const r = runOnce(sc, { seed: 1, strategy: reservation, options: { leaseTicks: 5 }, keepTrace: true });
    expect(r.violations).toEqual([]);
    expect(answers(r)).toEqual({ o1: 'FAILED' });
    expect(r.world.payments.charges).toEqual([]);
  });

  describe('crash mid-order, then recover()', () => {
    it('a charge still on the wire when recovery runs is deduplicated, then refunded', () => {
      // The charge leaves at 400 ms and lands at 3.5 s; app1 crashes at 450 and restarts at 600;
      // recovery releases, charges with o1's key (fixing its outcome) and refunds, by 1.3 s.
      const steps: FaultStepConfig[] = [
        { kind: 'delay-call', call: 'charge', nth: 1, extraMs: 3000 },
        { kind: 'crash', node: 'app1', atMs: 450, restartAtMs: 600 },
      ];
      const r = runOnce(exact([[0, 'app1']], steps), { seed: 1, strategy: reservation, keepTrace: true });
      expect(r.violations).toEqual([]);
      expect(answers(r)).toEqual({ o1: 'unknown' });
      expect(r.world.payments.charges.map((c) => [c.order, c.refunded])).toEqual([['o1', true]]);
      expect(r.trace!.some((e) => e.type === 'domain' && e.what === 'payment:charge-dedup')).toBe(true);
      expect([...r.world.db.reservations.values()].map((x) => x.state)).toEqual(['released']);

      // Refunding without first settling the key loses the race: the late charge lands after
      // the refund and stays. This is why recover() charges before it refunds.
      const refundOnly: Strategy = {
        ...reservation,
        name: 'reservation-refund-only',
        *recover(ctx) {
          const list = yield* persist(ctx, 'reservations', () => ctx.db.reservations(ctx.app));
          for (const x of list.reservations) {
            if (x.state === 'confirmed') continue;
            if (x.state === 'held') yield* persist(ctx, 'release', () => ctx.db.release(x.reservationId));
            yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: x.order, order: x.order }));
          }
        },
      };
      const bad = runOnce(exact([[0, 'app1']], steps), { seed: 1, strategy: refundOnly });
      expect(bad.violations.map((v) => v.invariant)).toEqual(['charged-once']);
    });

    it('a confirm on the wire that loses to recovery\'s release is refused; the order is refunded', () => {
      const steps: FaultStepConfig[] = [
        { kind: 'delay-call', call: 'confirm', nth: 1, extraMs: 300 },
        { kind: 'crash', node: 'app1', atMs: 650, restartAtMs: 660 },
      ];
      const r = runOnce(exact([[0, 'app1']], steps), { seed: 1, strategy: reservation, keepTrace: true });
      expect(r.violations).toEqual([]);
      expect(dbOps(r, 'db:confirm-refused')).toBe(1);
      expect(r.world.payments.charges.map((c) => c.refunded)).toEqual([true]);
    });

    it('a confirm on the wire that beats recovery\'s release stands; the charge is kept', () => {
      const steps: FaultStepConfig[] = [
        { kind: 'delay-call', call: 'confirm', nth: 1, extraMs: 300 },
        { kind: 'delay-call', call: 'release', nth: 1, extraMs: 500 },
        { kind: 'crash', node: 'app1', atMs: 650, restartAtMs: 660 },
      ];
      const r = runOnce(exact([[0, 'app1']], steps), { seed: 1, strategy: reservation, keepTrace: true });
      expect(r.violations).toEqual([]);
      expect(dbOps(r, 'db:confirm')).toBe(1);
      expect(r.world.db.items.get('vase')!.owners[1]).toEqual(['o1']);
      expect(r.world.payments.charges.map((c) => c.refunded)).toEqual([false]);
    });
  });

  it('leases keep expiring after the primary or the lock service crashes and restarts', () => {
    // app1 freezes for 30 s holding a reservation (or a lock); the primary (the lock service)
    // crashes at 1 s and restarts at 1.2 s. Its tick must resume, so the 6 s lease still ends
    // and o2 at 9 s gets the vase; the zombie's confirm (write) is refused.
    for (const [node, strategyName] of [['db', 'reservation'], ['lock', 'lock-fencing']] as const) {
      const sc = exact([[0, 'app1'], [9000, 'app2']], [
        { kind: 'pause', node: 'app1', atMs: 350, durationMs: 30_000 },
        { kind: 'crash', node, atMs: 1000, restartAtMs: 1200 },
      ]);
      const r = runOnce(sc, { seed: 1, strategy: STRATEGIES.get(strategyName)! });
      expect(r.violations).toEqual([]);
      expect(answers(r).o2, `${node} ${strategyName}`).toBe('ORDER_PLACED');
      expect(answers(r).o1).not.toBe('ORDER_PLACED');
    }
  });

  it('a stale advisory read is only advice: a replica 20-30 s behind says "10 left" all sale long, nobody is oversold', () => {
    // The other direction (a replica saying 0 while expiries put vases back) turns a buyer
    // away: availability, never safety. The reserve at the primary is the only decision.
    const sc = scenario({ topology: { replicas: [{ lagMsMin: 20_000, lagMsMax: 30_000 }] } });
    for (let seed = 1; seed <= 10; seed++) {
      const r = runOnce(sc, { seed, strategy: reservation });
      expect(r.violations).toEqual([]);
      expect(r.orders.placed).toBe(10);
    }
  });
});
