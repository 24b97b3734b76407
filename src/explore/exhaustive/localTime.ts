/**
 * The timed semantics of `explore` (docs/exploration.md, "The timed semantics"): local time,
 * after Bengtsson, Jonsson, Lilius and Yi ("Partial order reductions for timed systems",
 * CONCUR 1998). Every event has a time variable; a zone (zone.ts) holds what the windows say
 * about them:
 *
 * - an event created when e fired: `lo <= t_x - t_e <= hi`, its window relative to e (a
 *   message's [delayMsMin, delayMsMax], a timer's exact length: lo = hi); an event of the
 *   world's setup, relative to time 0;
 * - a FIFO successor (a message behind another on its link, a replica's next log entry):
 *   `t_x >= t_pred`, and its own upper bound only when the predecessor's window cannot end
 *   later (same sender, no longer maximum); otherwise none (an over-approximation);
 * - an event fires at its node no earlier than the last one fired there, and no later than
 *   any event still pending at that node (those fire after it there, or past the time limit),
 *   nor than any pending whole-world event, nor than the time limit.
 *
 * There is no constraint between the times of two nodes' events beyond these: that is what
 * makes events of different nodes commute (their constraints are the same in either order).
 * An event may fire iff adding "it fires now at its node" keeps the zone consistent, and it may
 * be the earliest of every pending event (the lookahead: checked with `t_e <= t_y` for each
 * pending y, never placed, so the zone still depends only on the trace).
 */
import type { QueuedEvent } from '../../sim/queue.js';
import { ZERO, Zone, type InEdge } from './zone.js';

/** What a FIFO successor needs to know of its predecessor to keep its own upper bound. */
interface Sent {
  readonly sender: string;
  readonly maxOffsetMs: number;
}

export class LocalTime {
  readonly zone = new Zone();
  private readonly slots = new Map<QueuedEvent, number>();
  private readonly sent = new Map<QueuedEvent, Sent | null>();
  /** Per node, the slot of the last event fired there (absent: the last whole-world event, or time 0). */
  private readonly last = new Map<string, number>();
  private globalLast = ZERO;
  private readonly pending = new Map<string, Set<QueuedEvent>>();
  /** The nodes each pending event takes its place at (its owner; every node for a whole-world event). */
  private readonly at = new Map<QueuedEvent, readonly string[]>();
  /** The slot of the event firing now: what new events are timed from. */
  private current = ZERO;
  /** A FIFO constraint contradicted the zone: this execution has no real-time counterpart. */
  private contradiction = false;

  constructor(
    private readonly horizonMs: number,
    /** Rule 7 (lookahead); false only to measure what it saves (ExploreOptions.lookahead). */
    private readonly lookahead = true,
  ) {}

  /**
   * A new event: `lo <= t_x - t_creator <= hi` (creator: the event firing now, or time 0 at
   * setup). `sender` is the node whose event created it. Returns whether it is already
   * certain never to fire: its window ends before the last event at its node (it had to come
   * first; the order explored put that event before its creator).
   */
  created(e: QueuedEvent, nodes: readonly string[], setup: boolean, loMs: number, hiMs: number, sender: string): boolean {
    const z = this.zone;
    const pred = e.after !== null && e.after.pending ? e.after : null;
    let hi = hiMs;
    let own: Sent | null = { sender, maxOffsetMs: hiMs };
    if (pred !== null) {
      const p = this.sent.get(pred);
      // Its real arrival is max(own window, the predecessor's arrival): bounded by its own
      // window only when the predecessor's is bounded, from the same sender, no longer.
      if (p === undefined || p === null || p.sender !== sender || p.maxOffsetMs > hiMs) {
        hi = Infinity;
        own = null;
      }
    }
    if (e.kind === 'deliver' || e.kind === 'replica-apply') this.sent.set(e, own);
    const x = z.add(setup ? ZERO : this.current, loMs, hi);
    this.slots.set(e, x);
    if (pred !== null) {
      const ps = this.slots.get(pred);
      if (ps !== undefined && !z.constrain(x, ps, 0)) this.contradiction = true;
    }
    this.at.set(e, nodes);
    for (const n of nodes) {
      let set = this.pending.get(n);
      if (set === undefined) this.pending.set(n, (set = new Set()));
      set.add(e);
    }
    return this.doomed(e);
  }

  /**
   * Whether a pending event can never fire: it must come before the last event fired at one
   * of its nodes (and so before the time limit: it cannot be left pending either). No run
   * through this prefix has a real-time counterpart.
   */
  doomed(e: QueuedEvent): boolean {
    const nodes = this.at.get(e)!;
    if (nodes[0] === '') return false;
    const x = this.slots.get(e)!;
    for (const n of nodes) if (this.zone.ub(this.lastOf(n), x) < 0) return true;
    return false;
  }

  /** The first pending event that can never fire (see doomed), or null. */
  anyDoomed(): QueuedEvent | null {
    for (const set of this.pending.values()) for (const e of set) if (this.doomed(e)) return e;
    return null;
  }

  /**
   * Whether e may fire now: at its node (after its node's last event, before its node's pending
   * events and the limit) *and* no pending event anywhere must come before it in time (the
   * lookahead, rule 7 in docs/exploration.md "timed"). The second part is checked, never placed:
   * the zone keeps only each node's own constraints, so it still depends on the trace alone.
   */
  canFire(e: QueuedEvent): boolean {
    return this.fireCheck(e) === 'enabled';
  }

  /**
   * 'enabled' (canFire), 'held' (it may fire at its node, but a pending event elsewhere must
   * come before it: it waits for that one, execution.ts wakes it from the sleep set when it
   * becomes enabled) or 'disabled' (not at its node now).
   */
  fireCheck(e: QueuedEvent): 'enabled' | 'held' | 'disabled' {
    const x = this.slots.get(e)!;
    const [after, into] = this.edges(e);
    if (!this.zone.canPlace(x, after, into)) return 'disabled';
    if (!this.lookahead) return 'enabled';
    const seen = new Set<number>(into.map((y) => y.from));
    for (const set of this.pending.values()) for (const y of set) {
      const s = this.slots.get(y)!;
      if (y !== e && !seen.has(s)) {
        seen.add(s);
        into.push({ from: s, w: 0 });
      }
    }
    return this.zone.canPlace(x, after, into) ? 'enabled' : 'held';
  }

  /**
   * The pending events that hold e back (rule 7): each one alone must come before e in time
   * while e fires now at its node. A negative cycle through the new edges passes e once, so it
   * uses one of these edges: e is held iff this list is not empty (and fireCheck said 'held').
   */
  blockers(e: QueuedEvent): QueuedEvent[] {
    const x = this.slots.get(e)!;
    const [after, into] = this.edges(e);
    const seen = new Set<number>(into.map((y) => y.from));
    const out: QueuedEvent[] = [];
    for (const set of this.pending.values()) for (const y of set) {
      const s = this.slots.get(y)!;
      if (y === e || seen.has(s)) continue;
      seen.add(s);
      into.push({ from: s, w: 0 });
      if (!this.zone.canPlace(x, after, into)) out.push(y);
      into.pop();
    }
    return out;
  }

  /** The pending events that must come strictly before e in time (the zone forces t_y < t_e). */
  before(e: QueuedEvent): QueuedEvent[] {
    const x = this.slots.get(e)!;
    const out: QueuedEvent[] = [];
    for (const set of this.pending.values()) for (const y of set) if (y !== e && !out.includes(y) && this.zone.ub(x, this.slots.get(y)!) < 0) out.push(y);
    return out;
  }

  /**
   * Before e fires: the pending events sharing a node with e that must come after it in time
   * (t_e < t_y forced). None of them can fire before e from here in any order (they would
   * need t_y <= t_e while e is pending at their node), so reversing a race that would put one
   * first is impossible (execution.ts reverse).
   */
  forcedAfter(e: QueuedEvent): QueuedEvent[] {
    const x = this.slots.get(e)!;
    const out: QueuedEvent[] = [];
    const nodes = this.at.get(e)!;
    const sets = nodes[0] === '' ? [...this.pending.values()] : nodes.map((n) => this.pending.get(n));
    for (const set of sets) {
      if (set !== undefined) for (const y of set) if (y !== e && !out.includes(y) && this.zone.ub(this.slots.get(y)!, x) < 0) out.push(y);
    }
    return out;
  }

  /** e fires now at its node (canFire said yes). */
  fire(e: QueuedEvent): void {
    const x = this.slots.get(e)!;
    const [after, into] = this.edges(e);
    this.zone.place(x, after, into);
    this.unpend(e);
    const old = [this.current, ...after];
    if (e.owner === '') {
      this.globalLast = x;
      for (const n of this.last.keys()) this.last.set(n, x);
    } else for (const n of this.at.get(e)!) this.last.set(n, x);
    this.at.delete(e);
    this.current = x;
    this.collect(old);
  }

  /**
   * e fires with no effect (the timer of an rpc already answered): it takes no place in its
   * node's order. Its real time is its window; nothing depends on it, so it constrains nothing.
   */
  dropNoop(e: QueuedEvent): void {
    const x = this.slots.get(e)!;
    this.unpend(e);
    this.at.delete(e);
    const old = this.current;
    this.current = x;
    this.collect([old]);
  }

  /**
   * At the end of an execution: does a real-time run end like it? Every event still pending
   * must be able to come after the time limit (all the new constraints point at time 0, so
   * each can be checked alone), and no FIFO constraint was contradicted.
   */
  realizable(): boolean {
    if (this.contradiction) return false;
    for (const set of this.pending.values()) for (const e of set) if (this.zone.ub(ZERO, this.slots.get(e)!) < this.horizonMs + 1) return false;
    return true;
  }

  private unpend(e: QueuedEvent): void {
    for (const n of this.at.get(e)!) this.pending.get(n)!.delete(e);
  }

  private lastOf(node: string): number {
    return this.last.get(node) ?? this.globalLast;
  }

  /** The new edges of "e fires now at its node": after its node's last, before its node's pending and the limit. */
  private edges(e: QueuedEvent): [number[], InEdge[]] {
    const into: InEdge[] = [{ from: ZERO, w: this.horizonMs }];
    if (e.owner === '') {
      const after = [this.globalLast];
      for (const s of this.last.values()) if (!after.includes(s)) after.push(s);
      const seen = new Set<QueuedEvent>([e]);
      for (const set of this.pending.values()) for (const y of set) if (!seen.has(y)) {
        seen.add(y);
        into.push({ from: this.slots.get(y)!, w: 0 });
      }
      return [after, into];
    }
    const after: number[] = [];
    const nodes = this.at.get(e)!;
    for (const n of nodes) {
      if (!this.last.has(n)) this.last.set(n, this.globalLast);
      const l = this.lastOf(n);
      if (!after.includes(l)) after.push(l);
    }
    const seen = new Set<QueuedEvent>([e]);
    for (const n of [...nodes, '']) {
      const set = this.pending.get(n);
      if (set !== undefined) for (const y of set) if (!seen.has(y)) {
        seen.add(y);
        into.push({ from: this.slots.get(y)!, w: 0 });
      }
    }
    return [after, into];
  }

  /** Projects out the slots in `maybe` that nothing refers to any more (fired, not last anywhere, not current). */
  private collect(maybe: readonly number[]): void {
    for (const s of maybe) {
      if (s === ZERO || s === this.current || s === this.globalLast || !this.zone.isAlive(s)) continue;
      let used = false;
      for (const v of this.last.values()) if (v === s) used = true;
      if (!used) this.zone.release(s);
    }
  }
}
