/**
 * Subjects: what an event or a choice is *about*, as data. A subject names things by their
 * origin, never by a global counter, so that it means the same thing under every
 * interleaving: "o7's confirm, 2nd attempt, the reply" is the same message whichever
 * message happened to be the 40th sent. Tools key on subjects (`why`, `export`, shrinking);
 * people read labels, which are derived from subjects by one function (labels.ts) and never
 * parsed back.
 */

/** A remote call: the process that made it, the call kind, and which attempt of that call by that process (1-based). */
export interface CallSubject {
  readonly type: 'call';
  /** The origin process: an order id ("o7") or a process name ("recover-app1"). */
  readonly process: string;
  readonly call: string;
  readonly attempt: number;
}

/** One message on the wire: a call's request or reply, and which copy (0 = the original, 1 = a duplicate's). */
export interface MessageSubject {
  readonly type: 'message';
  readonly process: string;
  readonly call: string;
  readonly attempt: number;
  readonly reply: boolean;
  /** Requests: 0 the original, 1 the network's duplicate. Replies: the request copy it answers. */
  readonly copy: number;
  readonly from: string;
  readonly to: string;
}

export interface NodeSubject {
  readonly type: 'node';
  readonly node: string;
}

export interface OrderSubject {
  readonly type: 'order';
  readonly order: string;
}

/** The k-th change the primary committed (commit order is the primary's own total order), as a replica applies it. */
export interface LogEntrySubject {
  readonly type: 'log-entry';
  readonly replica: string;
  readonly entry: number;
}

/** A process's timer: its n-th sleep (1-based). A handler process is named by the request it serves. */
export interface ProcessSubject {
  readonly type: 'process';
  readonly process: string;
  readonly node: string;
  readonly sleep: number;
  readonly serving: MessageSubject | null;
}

/** A scenario fault step (its index in `faults.steps`) starting or ending. */
export interface StepSubject {
  readonly type: 'step';
  readonly step: number;
  readonly kind: string;
}

/**
 * A random crash of a node (a `crash` choice answered yes): the node, and the message whose
 * delivery it struck (by origin). What its restart event is about: the same crash under every
 * interleaving, whichever message happened to be the n-th.
 */
export interface CrashSubject {
  readonly type: 'crash';
  readonly node: string;
  readonly on: MessageSubject;
}

/** A node's own periodic timer (the primary's or the lock service's tick), the n-th. */
export interface TickSubject {
  readonly type: 'tick';
  readonly node: string;
  readonly tick: number;
}

/** A server's timer (`timer`: what it is for, e.g. "lock_timeout") about the request it serves, or a session it holds. */
export interface TimerSubject {
  readonly type: 'timer';
  readonly node: string;
  readonly timer: string;
  /** The request the timer is about (by origin), or null for a timer about a session (`session`). */
  readonly serving: MessageSubject | null;
  readonly session: string;
}

/** Something of the whole world, e.g. the end of the fault phase. */
export interface GlobalSubject {
  readonly type: 'global';
  readonly what: string;
}

/** A schedule question: the events that may fire next, in (earliest time, insertion) order. */
export interface ScheduleSubject {
  readonly type: 'schedule';
  readonly candidates: readonly EventSubject[];
}

/** What a queued event is: its kind, the node it happens on ('' for the whole world), and its subject. */
export interface EventSubject {
  readonly kind: string;
  readonly owner: string;
  readonly subject: Subject;
}

export type Subject =
  | CallSubject
  | MessageSubject
  | NodeSubject
  | OrderSubject
  | LogEntrySubject
  | ProcessSubject
  | StepSubject
  | CrashSubject
  | TickSubject
  | TimerSubject
  | GlobalSubject
  | ScheduleSubject
  | { readonly type: 'none' };

export const NO_SUBJECT: Subject = { type: 'none' };

/** Anything that can say what it is about when asked (a message, a log entry): lazily, so sweeps build no subjects. */
export interface HasSubject {
  subject(): Subject;
}

/** A subject, or something that makes one when asked. */
export type About = Subject | HasSubject;

export function subjectOf(about: About | undefined): Subject {
  if (about === undefined) return NO_SUBJECT;
  return typeof (about as HasSubject).subject === 'function' ? (about as HasSubject).subject() : (about as Subject);
}

/**
 * A canonical string key for a subject: equal subjects, equal keys. Built from the data with
 * keys in a fixed (sorted) order, so it is a key for maps, not a text for people and not
 * something to parse.
 */
export function subjectKey(s: Subject): string {
  return JSON.stringify(s, sortedKeys);
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = (value as Record<string, unknown>)[k];
  return out;
}

/** The call a message belongs to (the same for its request, its reply and their copies). */
export function callOf(m: MessageSubject): CallSubject {
  return { type: 'call', process: m.process, call: m.call, attempt: m.attempt };
}
