/**
 * The primary's idempotency cache: the first outcome of every mutation that carried a request
 * id, by call and id. A retry or a network duplicate of the same request gets that outcome
 * again instead of a second effect, so at-least-once delivery gives exactly-once effects.
 * Outcomes are kept for the whole run (a run is short; a real system would expire them).
 *
 * Keyed by the call name on the wire (a multi-item cas shares `cas`'s ids, as it always has),
 * then by the request id: a map per call, not one map by `${call}:${requestId}`, because that
 * key was a new string to build and hash on every request with an id (twice: the look-up and
 * the store; docs/benchmarks.md, round 6). The same pairs: no call name holds a ':'.
 */
export class OutcomeCache {
  private byCall = new Map<string, Map<string, unknown>>();

  clear(): void {
    // A new Map, not clear(): V8 links a cleared Map's table to its next one, and an old table
    // (promoted by a full GC) then keeps every later run's entries alive through young GCs
    // (docs/benchmarks.md, "Round 6: sweep scaling").
    this.byCall = new Map();
  }

  /** The stored outcome, or undefined when this request was never applied. */
  get(call: string, requestId: string): unknown {
    return this.byCall.get(call)?.get(requestId);
  }

  set(call: string, requestId: string, outcome: unknown): void {
    let m = this.byCall.get(call);
    if (m === undefined) this.byCall.set(call, (m = new Map()));
    m.set(requestId, outcome);
  }
}
