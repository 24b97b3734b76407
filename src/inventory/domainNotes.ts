import type { Sim } from '../sim/world.js';

/**
 * The domain's own trace events ("db:decrement", "order-start", "payment:charge", ...): what
 * a node of the inventory did, for reports. One writer, so every note has the same fields in
 * the same order (traces hash them).
 */
export class DomainNotes {
  constructor(private readonly sim: Sim) {}

  note(node: string, what: string, order: string | undefined, data: Record<string, unknown>): void {
    this.sim.trace.domain(this.sim.nowMs, node, what, order, data);
  }
}

const PREFIXED = new Map<string, Map<string, string>>();

/**
 * `${prefix}:${op}` ("db:write"), built once per pair for the process: a service's notes name
 * a handful of operations, and a new string per note was garbage on every request.
 */
export function prefixed(prefix: string, op: string): string {
  let m = PREFIXED.get(prefix);
  if (m === undefined) PREFIXED.set(prefix, (m = new Map()));
  let s = m.get(op);
  if (s === undefined) {
    // Bounded: a user strategy's ctx.log names are not cached (they come from user code).
    s = `${prefix}:${op}`;
    if (m.size < 256) m.set(op, s);
  }
  return s;
}
