import type { TraceEvent } from '../sim/trace.js';
import { isClaim } from './phrases.js';
import { itemOfUnit, num, str, unitsOf } from './traceIndex.js';

/** Stock of one item after an event at the primary. */
export interface StockPoint {
  readonly t: number;
  /** Trace index of the event that moved it. */
  readonly index: number;
  /** The counter strategies read and write. */
  readonly available: number;
  /** Units held by live reservations. */
  readonly reserved: number;
  /** Distinct units sold to at least one order. */
  readonly sold: number;
  /** Units handed out counting every claim: above `sold` once a unit is sold twice. */
  readonly claimed: number;
}

export interface StockSeries {
  readonly item: string;
  readonly initial: number;
  readonly points: readonly StockPoint[];
}

/**
 * Stock levels over time, per item, replayed from the primary's domain events: what the
 * counter said, what was reserved, what was sold, and what was promised counting double
 * sales. Starts with one point at t=0 holding the initial stock.
 */
export function stockSeries(trace: readonly TraceEvent[], items: ReadonlyArray<{ readonly id: string; readonly stock: number }>): StockSeries[] {
  const state = new Map(items.map((it) => [it.id, { available: it.stock, reserved: new Set<string>(), sold: new Set<string>(), claimed: 0 }]));
  const points = new Map<string, StockPoint[]>(items.map((it) => [it.id, [{ t: 0, index: -1, available: it.stock, reserved: 0, sold: 0, claimed: 0 }]]));
  trace.forEach((e, index) => {
    if (e.type !== 'domain' || !e.what.startsWith('db:')) return;
    const touched = new Set<string>();
    const item = str(e.data.item);
    const units = unitsOf(e);
    const to = num(e.data.to);
    if (item !== undefined && to !== undefined && state.has(item)) {
      state.get(item)!.available = to;
      touched.add(item);
    }
    for (const u of units) {
      const s = state.get(itemOfUnit(u));
      if (!s) continue;
      touched.add(itemOfUnit(u));
      if (e.what === 'db:reserve') {
        s.reserved.add(u);
        s.available--;
      } else if (e.what === 'db:expire' || e.what === 'db:release' || e.what === 'db:reap') {
        if (s.reserved.delete(u)) s.available++;
      } else if (isClaim(e)) {
        s.reserved.delete(u);
        s.sold.add(u);
        s.claimed++;
      }
    }
    for (const it of touched) {
      const s = state.get(it)!;
      points.get(it)!.push({ t: e.t, index, available: s.available, reserved: s.reserved.size, sold: s.sold.size, claimed: s.claimed });
    }
  });
  return items.map((it) => ({ item: it.id, initial: it.stock, points: points.get(it.id)! }));
}
