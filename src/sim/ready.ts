import { before, type EventQueue, type QueuedEvent } from './queue.js';

/**
 * The ready set: every pending event whose earliest time is not after the smallest latest
 * time of all pending events, and whose predecessor (FIFO link, replica log order), if any,
 * has fired; in (earliest, seq) order, so index 0 is what a calm run fires next.
 *
 * Never empty while events are pending: the event with the smallest latest time is ready
 * unless a predecessor blocks it, and a successor's window is never later-ending than its
 * predecessor's (network.ts, the replica), so that predecessor has the same smallest latest
 * time and is ready, or blocked in turn by an earlier one, down a finite chain.
 *
 * A linear scan: the queue holds tens of events, and this runs only for choice-driven
 * scheduling (the sampled model's default pops the heap and never builds a ready set).
 */
export function readySet(q: EventQueue, out: QueuedEvent[]): void {
  const all = q.pendingEvents();
  let minLatest = Infinity;
  for (let i = 0; i < all.length; i++) if (all[i].latestMs < minLatest) minLatest = all[i].latestMs;
  out.length = 0;
  for (let i = 0; i < all.length; i++) {
    const e = all[i];
    if (e.timeMs <= minLatest && (e.after === null || !e.after.pending)) out.push(e);
  }
  out.sort(order);
}

function order(a: QueuedEvent, b: QueuedEvent): number {
  return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/**
 * readyRule 'any' (the exhaustive explorer): every pending event whose predecessor (FIFO link,
 * replica log order) has fired, in (earliest, seq) order. Never empty while events are
 * pending: the first event of a predecessor chain has none pending.
 */
export function anySet(q: EventQueue, out: QueuedEvent[]): void {
  const all = q.pendingEvents();
  out.length = 0;
  for (let i = 0; i < all.length; i++) {
    const e = all[i];
    if (e.after === null || !e.after.pending) out.push(e);
  }
  out.sort(order);
}
