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
 * For one prefix, `(op) => \`${prefix}:${op}\`` ("db:write"), each string built once per pair
 * for the process: a service's notes name a handful of operations, and a new string per note
 * was garbage on every request. A function per prefix (made once, at module load), so that a
 * note looks up one map, not the prefix's and then the op's.
 */
export function prefixer(prefix: string): (op: string) => string {
  let m = PREFIXED.get(prefix);
  if (m === undefined) PREFIXED.set(prefix, (m = new Map()));
  const ops = m;
  return (op) => {
    let s = ops.get(op);
    if (s === undefined) {
      // Bounded: a user strategy's ctx.log names are not cached (they come from user code).
      s = `${prefix}:${op}`;
      if (ops.size < 256) ops.set(op, s);
    }
    return s;
  };
}
