/**
 * The primary's idempotency cache: the first outcome of every mutation that carried a request
 * id, by call and id. A retry or a network duplicate of the same request gets that outcome
 * again instead of a second effect, so at-least-once delivery gives exactly-once effects.
 * Outcomes are kept for the whole run (a run is short; a real system would expire them).
 */
export class OutcomeCache {
  private outcomes = new Map<string, unknown>();

  clear(): void {
    // A new Map, not clear(): V8 links a cleared Map's table to its next one, and an old table
    // (promoted by a full GC) then keeps every later run's entries alive through young GCs
    // (docs/benchmarks.md, "Round 6: sweep scaling").
    this.outcomes = new Map();
  }

  /** The stored outcome, or undefined when this request was never applied. */
  get(call: string, requestId: string): unknown {
    return this.outcomes.get(key(call, requestId));
  }

  set(call: string, requestId: string, outcome: unknown): void {
    this.outcomes.set(key(call, requestId), outcome);
  }
}

// Keyed by the call name on the wire: a multi-item cas shares `cas`'s ids, as it always has.
function key(call: string, requestId: string): string {
  return `${call}:${requestId}`;
}
