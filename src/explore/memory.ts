import type { RunnableScenario } from './run.js';

/**
 * How much heap a simulation thread needs, from the scenario's size. The simulator's own
 * memory grows with the stock (a ledger entry per physical unit, ~300 bytes once sold,
 * measured: 10 items x 100 000 units sold in full used 300 MB) and with the order lines; a
 * thread's heap limit must cover it, or a correct strategy would be blamed for oversold's own
 * memory. The estimate is deliberately generous (400 bytes a unit, 2 KB an order line).
 */
const BASE_MB = 128;
const BYTES_PER_UNIT = 400;
const BYTES_PER_ORDER_LINE = 2048;

/** What a user's strategy may keep on top of the simulator's share before it is stopped. */
export const STRATEGY_HEAP_MB = 1024;

export function simulatorHeapMb(s: Pick<RunnableScenario, 'items' | 'workload'>): number {
  const units = s.items.reduce((n, i) => n + i.stock, 0);
  const lines = 'orders' in s.workload ? s.workload.orders.reduce((n, o) => n + o.lines.length, 0) : s.workload.generate.count;
  return BASE_MB + Math.ceil((units * BYTES_PER_UNIT + lines * BYTES_PER_ORDER_LINE) / (1024 * 1024));
}

/** The heap limit (old generation, MB) of a thread that simulates `s`: its share plus the strategy's. */
export function threadHeapMb(s: Pick<RunnableScenario, 'items' | 'workload'>): number {
  return simulatorHeapMb(s) + STRATEGY_HEAP_MB;
}
