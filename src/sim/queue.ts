/**
 * The event queue: a binary min-heap ordered by (earliest time, seq). `seq` is a global
 * insertion counter, so two events that may fire at the same virtual time are ordered by when
 * they were scheduled: every tie is broken explicitly and the run is a pure function of its
 * choices. The default scheduler pops its minimum; a choice-driven scheduler reads the ready
 * set out of it (ready.ts) and removes the event it picks.
 */

import { emptyObjects } from './packed.js';

/** What kind of thing an event is. A closed union: every queued event is one of these. */
export type EventKind =
  /** A message reaches its receiver (arg: the Message). */
  | 'deliver'
  /** A reply that arrived just before a pause is handled when the pause ends (arg: the waiting Process). */
  | 'handle-reply'
  /** An rpc's timer: a timeout unless the reply came first (arg: the request Message). */
  | 'timeout'
  /** A sleeping process wakes up (arg: the Process). */
  | 'wake'
  /** An order arrives at its app server (domain). */
  | 'arrival'
  /** A replica applies one entry of the primary's log (domain). */
  | 'replica-apply'
  /** A scenario fault step starts: a pause, a crash, a partition (domain). */
  | 'fault-step'
  /** A partition step ends. */
  | 'heal'
  /** A paused node resumes. */
  | 'pause-end'
  /** A crashed node restarts. */
  | 'restart'
  /** A node's own periodic timer: the primary's or the lock service's tick (domain). */
  | 'tick'
  /** The fault phase ends: the network heals, chance faults stop. */
  | 'faults-end'
  /** A server's own timer about a request it serves (the SQL server's lock, statement and deadlock timeouts; a dropped connection reaching it). */
  | 'server-timer';

export const EVENT_KINDS: readonly EventKind[] = ['deliver', 'handle-reply', 'timeout', 'wake', 'arrival', 'replica-apply', 'fault-step', 'heal', 'pause-end', 'restart', 'tick', 'faults-end', 'server-timer'];

/**
 * Whoever must agree before an event fires (a node: not crashed since, not paused now). A gate
 * may hand `fn` more than `arg` (a node hands itself: SimNode.whenRunning).
 */
export interface Gate {
  whenRunning<A>(epoch: number, fn: (arg: A) => void, arg: A): void;
}

/**
 * What an event does: `fire(arg)`. The argument lets one long-lived function serve every
 * event of a kind (deliver this message, time out this rpc) instead of a fresh closure per
 * event: a chaos run schedules hundreds of events, and each closure is garbage for the GC.
 * The argument is also what the event is about: its subject is derived from it only when
 * someone asks (recording, a choice-driven scheduler).
 */
export type Fire<A> = (arg: A) => void;

export interface QueuedEvent {
  /** Earliest virtual time at which it may fire (the time it fires at, in the sampled model). */
  readonly timeMs: number;
  /** Latest virtual time at which it may fire: timeMs for fixed-time events. */
  readonly latestMs: number;
  readonly seq: number;
  readonly kind: EventKind;
  /** The node it happens on; '' for the whole world. */
  readonly owner: string;
  readonly fire: Fire<unknown>;
  readonly arg: unknown;
  /** When set, the event fires through `gate.whenRunning(epoch, fire, arg)`: saves a closure per timer. */
  readonly gate: Gate | null;
  readonly epoch: number;
  /** Must have fired before this one may (FIFO links, a replica's log order); null: none. */
  readonly after: QueuedEvent | null;
  /** True until it fires (or is removed): what `after` checks. */
  pending: boolean;
}

/** A queue entry as the queue itself sees it: written once per use, by push(). */
type Entry = { -readonly [K in keyof QueuedEvent]: QueuedEvent[K] };

/**
 * Entries that fired and that nobody holds any more (EventQueue.release), reused by push() in
 * any queue of this thread: a chaos run pushes about 300 events, and an entry of 11 fields
 * each was the largest single share of a run's garbage (docs/benchmarks.md). Reuse across
 * runs is safe because a released entry is in no heap and push() writes every field; the
 * runs of a thread run one at a time or nested, never sharing an entry. Capped, so that one
 * huge run does not keep its entries for the rest of the process.
 */
const FREE: Entry[] = [];
const FREE_MAX = 4096;
const NOTHING: Fire<unknown> = () => {};

export class EventQueue {
  private readonly heap: Entry[] = emptyObjects();
  private seqNext = 0;

  /** A world reset: empty (what a run stopped by a limit left pending is dropped), seq from 0 again. */
  reset(): void {
    this.heap.length = 0;
    this.seqNext = 0;
  }
  get size(): number {
    return this.heap.length;
  }

  /** Events pushed so far (fired + pending = pushed: a kernel assertion). */
  get pushed(): number {
    return this.seqNext;
  }

  push<A>(timeMs: number, fire: Fire<A>, arg: A, kind: EventKind, owner: string, gate: Gate | null = null, epoch = 0, latestMs = timeMs, after: QueuedEvent | null = null): QueuedEvent {
    let e: Entry;
    if (FREE.length > 0) {
      // Every field written, in the literal's order: a reused entry is indistinguishable from a new one.
      e = FREE.pop()!;
      e.timeMs = timeMs;
      e.latestMs = latestMs;
      e.seq = this.seqNext++;
      e.kind = kind;
      e.owner = owner;
      e.fire = fire as Fire<unknown>;
      e.arg = arg;
      e.gate = gate;
      e.epoch = epoch;
      e.after = after;
      e.pending = true;
    } else {
      e = { timeMs, latestMs, seq: this.seqNext++, kind, owner, fire: fire as Fire<unknown>, arg, gate, epoch, after, pending: true };
    }
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p];
      if (parent.timeMs < timeMs || (parent.timeMs === timeMs && parent.seq < e.seq)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = e;
    return e;
  }

  /**
   * Hands back an entry that fired (popped, not pending) for push() to reuse. Only for an
   * entry nobody else holds: the caller (the kernel's heap-only loop, where no scheduler,
   * observer, predecessor link or caller keeps entries) vouches for it. The argument and the
   * function are dropped so that a free entry keeps nothing of the run alive.
   */
  release(e: QueuedEvent): void {
    const x = e as Entry;
    x.fire = NOTHING;
    x.arg = null;
    x.gate = null;
    x.after = null;
    if (FREE.length < FREE_MAX) FREE.push(x);
  }

  peekTime(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0].timeMs;
  }

  peek(): QueuedEvent | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    this.removeAt(0);
    return top;
  }

  /** Every pending event, in heap order (not sorted): for the ready set and assertions. */
  pendingEvents(): readonly QueuedEvent[] {
    return this.heap;
  }

  /** Removes a pending event (the one a scheduler picked); false if it is not in the queue. */
  remove(e: QueuedEvent): boolean {
    const i = this.heap.indexOf(e as Entry);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  private removeAt(index: number): void {
    const h = this.heap;
    const removed = h[index];
    removed.pending = false;
    const last = h.pop()!;
    if (index === h.length) return;
    // Put the last element in the hole, then restore the heap property up or down.
    let i = index;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(last, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    if (i === index) {
      const len = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= len) break;
        const r = l + 1;
        let c = l;
        if (r < len && before(h[r], h[l])) c = r;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
    }
    h[i] = last;
  }
}

/** (earliest time, seq) order: the order of a calm run. */
export function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
