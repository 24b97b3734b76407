import type { Sim } from '../sim/world.js';
import type { HasSubject, OrderSubject } from '../sim/subjects.js';
import type { OrderLine } from './types.js';
import type { WorkloadConfig } from './worldConfig.js';
import type { OrderLifecycle, OrderRecord } from './orderLifecycle.js';

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
  const specs: Array<{ atMs: number; app: string; lines: readonly OrderLine[]; redelivered?: { readonly atMs: number; readonly app: string } }> = [];
  if ('orders' in w) {
    specs.push(...w.orders);
  } else {
    const g = w.generate;
    const to = g.apps.length > 0 ? g.apps : apps;
    for (let i = 0; i < g.count; i++) {
      const atMs = sim.kernel.windowed ? 0 : sim.choices.between('workload', 'arrival', 0, g.windowMs, { type: 'order', order: `o${i + 1}` });
      specs.push({ atMs, app: to[i % to.length], lines: [{ item: g.item, qty: g.qty }] });
    }
  }
  // Windowed timing: a generated order arrives anywhere in [0, windowMs]; the scheduler decides when.
  const windowMs = sim.kernel.windowed && 'generate' in w ? w.generate.windowMs : 0;
  specs.forEach((s, i) => {
    const rec = orders.add({ id: `o${i + 1}`, app: s.app, atMs: s.atMs, lines: s.lines.map((l) => ({ item: l.item, qty: l.qty })) });
    sim.kernel.push('arrival', s.app, s.atMs, s.atMs + windowMs, arrive, new Arrival(orders, rec));
    if (s.redelivered) sim.kernel.push('arrival', s.redelivered.app, s.redelivered.atMs, s.redelivered.atMs, redeliver, new Redelivery(orders, rec, s.redelivered.app));
  });
}
