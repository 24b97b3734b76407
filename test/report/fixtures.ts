// Small deterministic runs, one per anomaly class, shared by the report tests. Built-in
// strategies where one shows the class; tiny inline strategies where none does (a double
// charge, a leaked reservation, a strategy that never answers).
import { runOnce, builtinStrategy, type RunResult } from '../../src/explore/run.js';
import { defineStrategy, type Strategy } from '../../src/inventory/strategy.js';
import { inlineScenario, libraryScenario } from '../helpers/scenarios.js';

const ONE_VASE_TWO_APPS = {
  items: [{ id: 'vase', stock: 1 }],
  topology: { appServers: 2 },
  network: { delayMsMin: 50, delayMsMax: 50 },
};

function run(scenario: Record<string, unknown>, strategy: Strategy | string, seed = 1): RunResult {
  const s = inlineScenario(scenario, 'fixture');
  return runOnce(s, { seed, strategy: typeof strategy === 'string' ? builtinStrategy(strategy) : strategy, keepTrace: true, recordChoices: true });
}

/** The acceptance run: naive on the flash sale, seed 7. */
export function naiveFlashSale(): RunResult {
  return runOnce(libraryScenario('flash-sale'), { seed: 7, strategy: builtinStrategy('naive'), keepTrace: true, recordChoices: true });
}

/** o2 reads a replica that has not applied o1's write yet (replication lag 1 s). */
export function staleRead(): RunResult {
  return run({
    items: [{ id: 'vase', stock: 10 }],
    topology: { appServers: 2, replicas: [{ lagMsMin: 1000, lagMsMax: 1000 }] },
    network: { delayMsMin: 50, delayMsMax: 50 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 400, app: 'app2', item: 'vase' }] },
  }, 'naive');
}

/** lock-lease: app1 holds the lock, pauses past its lease, and writes anyway (DDIA Figure 8-4). */
export function zombieWrite(): RunResult {
  return run({
    ...ONE_VASE_TWO_APPS,
    items: [{ id: 'vase', stock: 2 }],
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 20, app: 'app2', item: 'vase' }] },
    faults: { steps: [{ kind: 'pause', node: 'app1', atMs: 120, durationMs: 8000 }] },
    strategy: { name: 'lock-lease', options: { leaseTicks: 5 } },
  }, 'lock-lease');
}

/** The near miss of a zombie write: the same pause under lock-fencing, whose late write is refused. */
export function zombieFenced(): RunResult {
  return run({
    ...ONE_VASE_TWO_APPS,
    items: [{ id: 'vase', stock: 2 }],
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 20, app: 'app2', item: 'vase' }] },
    faults: { steps: [{ kind: 'pause', node: 'app1', atMs: 120, durationMs: 8000 }] },
    strategy: { name: 'lock-fencing', options: { leaseTicks: 5 } },
  }, 'lock-fencing');
}

/** retry-without-idempotency: the first decrement's reply is lost; the retry takes a second vase. */
export function doubleApply(): RunResult {
  return run({
    ...ONE_VASE_TWO_APPS,
    items: [{ id: 'vase', stock: 5 }],
    topology: { appServers: 1 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] },
    faults: { steps: [{ kind: 'drop-reply', call: 'decrement', order: 'o1', attempt: 1 }] },
  }, 'retry-without-idempotency');
}

/** naive: the write's reply is lost, the order answers FAILED, but the vase is sold to it. */
export function unknownOutcome(): RunResult {
  return run({
    ...ONE_VASE_TWO_APPS,
    topology: { appServers: 1 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] },
    faults: { steps: [{ kind: 'drop-reply', call: 'write', order: 'o1', attempt: 1 }] },
  }, 'naive');
}

/** Charges without an idempotency key and retries on timeout: a lost reply charges twice. */
export const chargeTwice = defineStrategy({
  name: 'charge-twice',
  summary: 'test only: decrement with a request id, charge without an idempotency key, retry',
  safe: false,
  *placeOrder(ctx) {
    const d = yield* ctx.db.decrement(ctx.order.lines.map((l) => ({ ...l })), { requestId: ctx.newId('dec') });
    if (!d.ok || d.value.ok !== true) return 'FAILED';
    for (let i = 0; i < 3; i++) {
      const c = yield* ctx.payment.charge(100);
      if (c.ok) return c.value.ok ? 'ORDER_PLACED' : 'FAILED';
    }
    return 'FAILED';
  },
});

export function doubleCharge(): RunResult {
  return run({
    ...ONE_VASE_TWO_APPS,
    topology: { appServers: 1 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] },
    faults: { steps: [{ kind: 'drop-reply', call: 'charge', order: 'o1', attempt: 1 }] },
  }, chargeTwice);
}

/** Reserves on a wall-clock deadline (no lease at the primary), then its server dies for good. */
export const reserveThenWait = defineStrategy({
  name: 'reserve-then-wait',
  summary: 'test only: a wall-clock reservation, confirmed after a long think',
  safe: false,
  *placeOrder(ctx) {
    const r = yield* ctx.db.reserveUntil(ctx.newId('res'), ctx.order.lines.map((l) => ({ ...l })), ctx.localTime(), ctx.localTime() + 60_000);
    if (!r.ok || r.value.ok !== true) return 'FAILED';
    yield* ctx.sleep(500);
    const c = yield* ctx.db.confirm(r.value.reservationId, r.value.token);
    return c.ok && c.value.ok ? 'ORDER_PLACED' : 'FAILED';
  },
});

/** `crash` false: the near miss, the server lives and confirms. */
export function leakedReservation(crash = true): RunResult {
  return run({
    ...ONE_VASE_TWO_APPS,
    topology: { appServers: 1 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] },
    faults: { steps: crash ? [{ kind: 'crash', node: 'app1', atMs: 300 }] : [] },
  }, reserveThenWait);
}

/** Never answers: polls forever (a liveness finding at the event limit). */
export const spinForever = defineStrategy({
  name: 'spin-forever',
  summary: 'test only: sleeps in a loop, never answers',
  safe: false,
  *placeOrder(ctx) {
    for (;;) yield* ctx.sleep(10);
  },
});

export function noProgress(): RunResult {
  return run({ ...ONE_VASE_TWO_APPS, workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] }, limits: { maxEvents: 500 } }, spinForever);
}

/** Decrements without a request id, waits up to 1 s, and believes whatever answer comes first. */
export const decrementOnce = defineStrategy({
  name: 'decrement-once',
  summary: 'test only: one decrement without a request id; the first answer decides',
  safe: false,
  *placeOrder(ctx) {
    const d = yield* ctx.db.decrement(ctx.order.lines.map((l) => ({ ...l })), { timeoutMs: 1000 });
    return d.ok && d.value.ok ? 'ORDER_PLACED' : 'FAILED';
  },
});

/**
 * The issue's case: o1's decrement is duplicated by the network; the original takes the last
 * vase at 50 ms, the copy is refused at 60 ms, the original's reply is lost, and the copy's
 * refusal reaches o1 at 110 ms, long before the 1000 ms timeout.
 * `ownReplyFirst`: the near miss, the original's reply is not delayed and comes first.
 */
export function duplicateRefusal(ownReplyFirst = false): RunResult {
  const steps: unknown[] = [{ kind: 'duplicate-request', call: 'decrement', order: 'o1', attempt: 1, copyExtraMs: 10, copyReplyExtraMs: ownReplyFirst ? 100 : 0 }];
  if (!ownReplyFirst) steps.push({ kind: 'drop-reply', call: 'decrement', order: 'o1', attempt: 1, copy: 0 });
  return run({
    ...ONE_VASE_TWO_APPS,
    topology: { appServers: 1 },
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }] },
    faults: { steps },
  }, decrementOnce);
}

/** Charges first, then decrements; a refused decrement answers FAILED, refunding only if `refund`. */
function chargeThenDecrement(refund: boolean): Strategy {
  return defineStrategy({
    name: refund ? 'charge-then-decrement-refund' : 'charge-then-decrement',
    summary: 'test only: pay before taking stock',
    safe: false,
    *placeOrder(ctx) {
      const key = ctx.newId('pay');
      const c = yield* ctx.payment.charge(100, { idempotencyKey: key });
      if (!c.ok || !c.value.ok) return 'FAILED';
      const d = yield* ctx.db.decrement(ctx.order.lines.map((l) => ({ ...l })), { requestId: ctx.newId('dec') });
      if (d.ok && d.value.ok) return 'ORDER_PLACED';
      if (refund) yield* ctx.payment.refund({ idempotencyKey: key });
      return 'FAILED';
    },
  });
}

/** Two buyers, one vase: o2 pays, finds the vase gone, and answers FAILED (refunded only if `refund`). */
export function chargeWithoutSale(refund = false): RunResult {
  return run({
    ...ONE_VASE_TWO_APPS,
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 200, app: 'app2', item: 'vase' }] },
  }, chargeThenDecrement(refund));
}

/** o1 reserves on a wall-clock deadline and its server dies; o2 never answers (polls forever). */
export const reserveOrSpin = defineStrategy({
  name: 'reserve-or-spin',
  summary: 'test only: o2 polls forever, the others reserve then wait',
  safe: false,
  *placeOrder(ctx) {
    if (ctx.order.id === 'o2') for (;;) yield* ctx.sleep(100);
    return yield* reserveThenWait.placeOrder(ctx);
  },
});

/** A leak hidden behind liveness: the run hits its time limit, and vase#1 stays reserved by crashed o1. */
export function leakBehindLiveness(): RunResult {
  return run({
    ...ONE_VASE_TWO_APPS,
    workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 0, app: 'app2', item: 'vase' }] },
    faults: { steps: [{ kind: 'crash', node: 'app1', atMs: 300 }] },
    limits: { maxTimeMs: 5000 },
  }, reserveOrSpin);
}
