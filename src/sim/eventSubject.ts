import type { QueuedEvent } from './queue.js';
import { subjectOf, type About, type EventSubject, type Subject } from './subjects.js';

/**
 * What a queued event is, as data: its kind, its owner and its subject, derived from the
 * event's argument (the message it delivers, the process it wakes, the domain object of an
 * arrival or a replica apply). Derived on demand only: the hot path never builds subjects.
 */
export function eventSubjectOf(e: QueuedEvent): EventSubject {
  return { kind: e.kind, owner: e.owner, subject: argSubject(e) };
}

function argSubject(e: QueuedEvent): Subject {
  const arg = e.arg as { callSubject?: () => Subject } | About | undefined;
  // An rpc's timer is about the call, not about the request message it keeps as its argument.
  if (e.kind === 'timeout' && arg !== undefined && typeof (arg as { callSubject?: unknown }).callSubject === 'function') {
    return (arg as { callSubject: () => Subject }).callSubject();
  }
  return subjectOf(arg as About | undefined);
}
