/**
 * Coverage marks (TigerBeetle's `marks.zig`): each place where a fault actually takes effect
 * says so, by name, so that a sweep can tell a scenario whose pause outlasted a lease from one
 * whose pause never happened. A mark is hit only where the fault changed something (a message
 * really lost, a node really paused), never where it was merely possible.
 *
 * The kernel's own faults are named here; the layers above name theirs (a declined charge, a
 * scenario's step) with ids of their own. Marks never enter the trace or its hash: a run with
 * marks is the same run.
 */

/** A request lost by chance (`network.dropRequestPerMille`). */
export const MARK_DROP_REQUEST = 'drop-request';
/** A reply lost by chance (`network.dropReplyPerMille`). */
export const MARK_DROP_REPLY = 'drop-reply';
/** A request delivered twice by chance (`network.duplicatePerMille`). */
export const MARK_DUPLICATE = 'duplicate';
/** A node paused by chance as a reply reached it (random pauses). */
export const MARK_RANDOM_PAUSE = 'random-pause';
/** A node crashed by chance as a message reached it (random crashes). */
export const MARK_RANDOM_CRASH = 'random-crash';

export class Marks {
  /** Hits per mark id, in the order each was first hit. */
  private hits = new Map<string, number>();

  /** A world reset: nothing hit yet (a run's result holds struck(), a copy). */
  reset(): void {
    // A new Map, not clear() (src/inventory/idempotency.ts says why).
    this.hits = new Map();
  }

  /** The fault named `id` took effect (once more). */
  hit(id: string): void {
    this.hits.set(id, (this.hits.get(id) ?? 0) + 1);
  }

  /** How often `id` took effect in this run. */
  count(id: string): number {
    return this.hits.get(id) ?? 0;
  }

  /** The ids hit at least once, sorted (a run's marks compare as data). */
  struck(): string[] {
    // Insertion sort by UTF-16 code units (what sort() without a comparator does): a run hits a
    // handful of marks, and sort() copied them into a work array on every run.
    const out: string[] = [];
    for (const id of this.hits.keys()) {
      let i = out.length;
      out.push(id);
      for (; i > 0 && out[i - 1] > id; i--) out[i] = out[i - 1];
      out[i] = id;
    }
    return out;
  }
}
