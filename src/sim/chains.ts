/**
 * Which logical process an event belongs to: the unit PCT gives a priority to (pct.ts).
 *
 * Not the node: every request to the database is delivered at `db`, so priorities per node
 * would give all orders' database steps one priority and PCT could never let one order's
 * read overtake another's write. Instead, a chain is what one sequential actor does, its
 * steps causally ordered (PCTCP's chains, Ozkan et al., OOPSLA 2018, with the chain read off
 * the message's origin instead of built online):
 *
 * - **a process** (an order's placeOrder, a recovery): its arrival, every delivery of a
 *   message it caused (its requests, their duplicates and the replies to them: the origin of
 *   a message is the process that made the call), its sleeps and wake-ups, a reply it handles
 *   after a pause;
 * - **a handler process** (a server-side process serving one request, e.g. the payment
 *   provider's processing of one charge): its own steps;
 * - **a node's timers**: rpc timeouts of processes on it, its own tick, a pause ending, a
 *   restart, a fault step or the end of the fault phase at it (`''`: the whole world);
 * - **a replica**: the log entries it applies (in log order).
 *
 * Built from the event's identity (eventSubjectOf), never from counters, so a chain is the
 * same under every interleaving.
 */
import type { EventSubject } from './subjects.js';
import { subjectKey } from './subjects.js';

export function chainOf(e: EventSubject): string {
  const s = e.subject;
  switch (e.kind) {
    case 'arrival':
      if (s.type === 'order') return `process ${s.order}`;
      break;
    case 'deliver':
      if (s.type === 'message') return `process ${s.process}`;
      break;
    case 'wake':
    case 'handle-reply':
      if (s.type === 'process') return s.serving === null ? `process ${s.process}` : `handler ${subjectKey(s.serving)}`;
      break;
    case 'replica-apply':
      return `replica ${e.owner}`;
    default:
      break;
  }
  return `timers ${e.owner}`;
}
