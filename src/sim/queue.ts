/**
 * The event queue: a binary min-heap ordered by (timeMs, seq). `seq` is a global insertion
 * counter, so two events at the same virtual time fire in the order they were scheduled:
 * every tie is broken explicitly and the run is a pure function of its choices.
 */
/** Whoever must agree before an event fires (a node: not crashed since, not paused now). */
export interface Gate {
  run<A>(epoch: number, fn: (arg: A) => void, arg: A): void;
}

/**
 * What an event does: `fire(arg)`. The argument lets one long-lived function serve every
 * event of a kind (deliver this message, time out this rpc) instead of a fresh closure per
 * event: a chaos run schedules hundreds of events, and each closure is garbage for the GC.
 */
export type Fire<A> = (arg: A) => void;

export interface QueuedEvent {
  readonly timeMs: number;
  readonly seq: number;
  readonly fire: Fire<unknown>;
  readonly arg: unknown;
  /** When set, the event fires through `gate.run(epoch, fire, arg)`: saves a closure per timer. */
  readonly gate: Gate | null;
  readonly epoch: number;
}

export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  private seqNext = 0;

  get size(): number {
    return this.heap.length;
  }

  push<A>(timeMs: number, fire: Fire<A>, arg: A, gate: Gate | null = null, epoch = 0): void {
    const e: QueuedEvent = { timeMs, seq: this.seqNext++, fire: fire as Fire<unknown>, arg, gate, epoch };
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
  }

  peekTime(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0].timeMs;
  }

  pop(): QueuedEvent | undefined {
    const h = this.heap;
    const n = h.length;
    if (n === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (n > 1) {
      let i = 0;
      const len = n - 1;
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
      h[i] = last;
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.seq < b.seq);
}
