import type { Sim } from '../sim/world.js';
import type { HasSubject, OrderSubject } from '../sim/subjects.js';
import type { Order, OrderLine } from './types.js';
import type { WorkloadConfig } from './worldConfig.js';
import type { OrderLifecycle, OrderRecord } from './orderLifecycle.js';
import { mapPacked } from '../sim/packed.js';
import { arrayOfOne } from '../sim/untracked.js';

/** An order's arrival, as its event's argument: "o7 arrives". */
class Arrival implements HasSubject {
  constructor(
    readonly orders: OrderLifecycle,
    readonly rec: OrderRecord,
  ) {}
  subject(): OrderSubject {
    return { type: 'order', order: this.rec.order.id };
  }
}

function arrive(a: Arrival): void {
  a.orders.start(a.rec);
}

/** An order's second delivery (at-least-once): "o7#2 arrives". */
class Redelivery implements HasSubject {
  constructor(
    readonly orders: OrderLifecycle,
    readonly rec: OrderRecord,
    readonly app: string,
  ) {}
  subject(): OrderSubject {
    return { type: 'order', order: `${this.rec.order.id}#2` };
  }
}

function redeliver(r: Redelivery): void {
  r.orders.redeliver(r.rec, r.app);
}

/**
 * Schedules every order's arrival: the scenario's explicit orders at their times, or `count`
 * generated ones spread over a window (each arrival a choice in the sampled model; in the
 * windowed model, an arrival event anywhere in [0, windowMs] that the scheduler places).
 * Generated orders go round-robin over `apps` (default: every app server).
 */
export function scheduleWorkload(sim: Sim, w: WorkloadConfig, apps: readonly string[], orders: OrderLifecycle): void {
  const k = sim.kernel;
  // Left out (shrinking's `leaveOut`): its id and its arrival draw stay, so every other order is the same order.
  const leaveOut = w.leaveOut !== undefined && w.leaveOut.length > 0 ? new Set(w.leaveOut) : null;
  if ('orders' in w) {
    for (let i = 0; i < w.orders.length; i++) {
      const s = w.orders[i];
      if (leaveOut?.has(orderId(i))) continue;
      const rec = arrival(sim, orders, orderId(i), s.app, s.atMs, 0, s.lines);
      // At-least-once delivery upstream: the same order arrives a second time.
      if (s.redelivered) k.push('arrival', s.redelivered.app, s.redelivered.atMs, s.redelivered.atMs, redeliver, new Redelivery(orders, rec, s.redelivered.app));
    }
    return;
  }
  const g = w.generate;
  const to = g.apps.length > 0 ? g.apps : apps;
  // Windowed timing: a generated order arrives anywhere in [0, windowMs]; the scheduler decides when.
  const windowMs = k.windowed ? g.windowMs : 0;
  // One loop: scheduling an arrival asks nothing, so the questions come in the same order
  // (o1, o2, ...) as if every one were asked before the first arrival is queued.
  for (let i = 0; i < g.count; i++) {
    const atMs = k.windowed ? 0 : sim.choices.between('workload', 'arrival', 0, g.windowMs, orderSubject(i));
    if (leaveOut?.has(orderId(i))) continue;
    arrival(sim, orders, orderId(i), to[i % to.length], atMs, windowMs, null, g.item, g.qty);
  }
}

/** An order line: a class, not a literal, so that V8 never pretenures it (src/sim/untracked.ts). */
class Line implements OrderLine {
  readonly item: string;
  readonly qty: number;

  constructor(item: string, qty: number) {
    this.item = item;
    this.qty = qty;
  }
}

/** An order: a class, not a literal, so that V8 never pretenures it. Fields in Order's order. */
class PlacedOrder implements Order {
  readonly id: string;
  readonly app: string;
  readonly atMs: number;
  readonly lines: readonly OrderLine[];

  constructor(id: string, app: string, atMs: number, lines: readonly OrderLine[]) {
    this.id = id;
    this.app = app;
    this.atMs = atMs;
    this.lines = lines;
  }
}

/** The order (its own copy of the lines: a strategy may keep what it is handed) and its arrival event. */
function arrival(sim: Sim, orders: OrderLifecycle, id: string, app: string, atMs: number, windowMs: number, lines: readonly OrderLine[] | null, item = '', qty = 0): OrderRecord {
  // Classes and copies, not literals: an order lives for the whole run (src/sim/untracked.ts).
  const own = lines === null ? arrayOfOne<OrderLine>(new Line(item, qty)) : mapPacked(lines, (l) => new Line(l.item, l.qty));
  const rec = orders.add(new PlacedOrder(id, app, atMs, own));
  sim.kernel.push('arrival', app, atMs, atMs + windowMs, arrive, new Arrival(orders, rec));
  return rec;
}

const ORDER_IDS: string[] = [];
const ORDER_SUBJECTS: OrderSubject[] = [];

/** What the `i`-th order's arrival question is about: data, frozen, built once per process. */
function orderSubject(i: number): OrderSubject {
  if (i >= 100_000) return { type: 'order', order: orderId(i) };
  return (ORDER_SUBJECTS[i] ??= Object.freeze({ type: 'order', order: orderId(i) }));
}

/** The id of the `i`-th order (0-based): "o1", "o2", ...; built once per process. */
export function orderId(i: number): string {
  return i < 100_000 ? (ORDER_IDS[i] ??= `o${i + 1}`) : `o${i + 1}`;
}
