import type { Sim } from '../sim/world.js';

/**
 * The domain's own trace events ("db:decrement", "order-start", "payment:charge", ...): what
 * a node of the inventory did, for reports. One writer, so every note has the same fields in
 * the same order (traces hash them).
 */
export class DomainNotes {
  constructor(private readonly sim: Sim) {}

  note(node: string, what: string, order: string | undefined, data: Record<string, unknown>): void {
    const sim = this.sim;
    sim.trace.emit(order === undefined ? { t: sim.nowMs, type: 'domain', node, what, data } : { t: sim.nowMs, type: 'domain', node, what, order, data });
  }
}
