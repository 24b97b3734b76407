import { StableHash } from './hash.js';

/**
 * Format version of trace JSON Lines; bump when the meaning of a field changes.
 * 2: send and duplicate events name their message by origin (`proc`, `attempt`, `copy`);
 *    the windowed timing model's sends carry `deliverByMs`. CHANGELOG.md.
 */
export const TRACE_FORMAT_VERSION = 2;

export type DropReason = 'chance' | 'partition' | 'step' | 'crashed';

interface Base {
  /** Virtual time in ms. */
  readonly t: number;
}

/** A message between nodes. `rpc` ties a request to its reply; `msg` is unique per copy. */
export interface MessageFields {
  readonly msg: number;
  readonly rpc: number;
  readonly from: string;
  readonly to: string;
  readonly call: string;
  readonly reply: boolean;
  readonly order?: string;
}

/**
 * A message by origin, on its send (and duplicate) event: the process that made the call (an
 * order id or a process name), which attempt of that call by it, and which copy (0 the
 * original, 1 the duplicate; a reply: the copy it answers). The same under every
 * interleaving, unlike `msg` and `rpc` (counters in send order).
 */
export interface OriginFields {
  readonly proc: string;
  readonly attempt: number;
  readonly copy: number;
}

export type TraceEvent =
  /** `deliverAt`: when it arrives (sampled timing; -1 if dropped at once) or the earliest it may (windowed, with `deliverByMs` the latest). */
  | (Base & MessageFields & OriginFields & { readonly type: 'send'; readonly deliverAt: number; readonly deliverByMs?: number })
  | (Base & MessageFields & { readonly type: 'deliver' })
  | (Base & MessageFields & { readonly type: 'drop'; readonly reason: DropReason })
  | (Base & MessageFields & OriginFields & { readonly type: 'duplicate'; readonly deliverAt: number; readonly deliverByMs?: number })
  | (Base & { readonly type: 'timeout'; readonly node: string; readonly rpc: number; readonly call: string; readonly order?: string })
  | (Base & { readonly type: 'late-reply'; readonly node: string; readonly rpc: number; readonly call: string })
  | (Base & { readonly type: 'pause'; readonly node: string; readonly untilMs: number; readonly cause: string })
  | (Base & { readonly type: 'resume'; readonly node: string })
  | (Base & { readonly type: 'crash'; readonly node: string })
  | (Base & { readonly type: 'restart'; readonly node: string })
  | (Base & { readonly type: 'partition'; readonly a: readonly string[]; readonly b: readonly string[]; readonly direction: 'both' | 'a-to-b' })
  | (Base & { readonly type: 'heal'; readonly a: readonly string[]; readonly b: readonly string[] })
  | (Base & { readonly type: 'clock'; readonly node: string; readonly offsetMs: number; readonly driftPpm: number })
  | (Base & { readonly type: 'faults-end' })
  | (Base & { readonly type: 'process-error'; readonly node: string; readonly process: string; readonly error: string })
  | (Base & { readonly type: 'domain'; readonly node: string; readonly what: string; readonly order?: string; readonly data: Readonly<Record<string, unknown>> });

export type TraceEventType = TraceEvent['type'];


/**
 * The trace of one run: typed events with virtual time, hashed as they are emitted so that a
 * determinism check costs no extra pass. Keeping the events themselves is optional (sweeps
 * only need the hash).
 */
export class Trace {
  events: TraceEvent[] | null;
  private readonly hash = new StableHash();
  private n = 0;

  constructor(keep: boolean) {
    this.events = keep ? [] : null;
  }

  /** A world reset: empty, hashing from the start; a new list of events (the last run's result keeps its own). */
  reset(): void {
    this.hash.reset();
    this.n = 0;
    if (this.events !== null) this.events = [];
  }

  emit(e: TraceEvent): void {
    this.n++;
    this.hash.event(e);
    if (this.events !== null) this.events.push(e);
  }

  /**
   * A message event (send, duplicate, deliver, drop): the most frequent kind. Hashed field by
   * field from the message, the same way whether the trace is kept or not (so keeping it never
   * changes the hash), and with one mixing step per field: times, counters and attempts are
   * small integers (a day of virtual time is below 2^31), strings are hashed as strings. When
   * the trace is not kept (sweeps) nothing is allocated.
   */
  message(t: number, type: 'send' | 'duplicate' | 'deliver' | 'drop', m: MessageFields & OriginFields, extra?: number | DropReason): void {
    this.n++;
    const h = this.hash;
    h.int(t);
    h.int(type === 'deliver' ? 31 : type === 'send' ? 32 : type === 'duplicate' ? 33 : 34);
    h.int(m.msg);
    h.int(m.rpc);
    h.string(m.from);
    h.string(m.to);
    h.string(m.call);
    h.int(m.reply ? 1 : 0);
    if (m.order === undefined) h.int(-7);
    else h.string(m.order);
    const sendLike = type === 'send' || type === 'duplicate';
    if (sendLike) {
      h.string(m.proc);
      h.int(m.attempt);
      h.int(m.copy);
      h.int(extra as number);
    } else if (type === 'drop') {
      h.string(extra as string);
    }
    if (this.events === null) return;
    const e = { t, type, msg: m.msg, rpc: m.rpc, from: m.from, to: m.to, call: m.call, reply: m.reply, order: m.order } as Record<string, unknown>;
    if (sendLike) {
      e.proc = m.proc;
      e.attempt = m.attempt;
      e.copy = m.copy;
    }
    if (type === 'drop') e.reason = extra;
    else if (type !== 'deliver') e.deliverAt = extra;
    this.events.push(e as unknown as TraceEvent);
  }

  /**
   * A domain event (`{ t, type: 'domain', node, what, order?, data }`), hashed exactly as
   * emit() hashes that literal (its values in key order, then the key count) without
   * building it when the trace is not kept: a domain note is written for every database
   * operation and every order's start and answer.
   */
  domain(t: number, node: string, what: string, order: string | undefined, data: Readonly<Record<string, unknown>>): void {
    if (this.events !== null) {
      this.emit(order === undefined ? { t, type: 'domain', node, what, data } : { t, type: 'domain', node, what, order, data });
      return;
    }
    this.n++;
    const h = this.hash;
    // value() of each field, its type known here: value() of a number is int(1) then number(),
    // of a string int(2) then string() (no typeof per field; the same hash).
    h.int(1);
    h.number(t);
    h.int(2);
    h.string('domain');
    h.int(2);
    h.string(node);
    h.int(2);
    h.string(what);
    if (order !== undefined) {
      h.int(2);
      h.string(order);
    }
    h.value(data);
    h.int(order === undefined ? 5 : 6);
  }

  /**
   * An rpc's timeout (`{ t, type: 'timeout', node, rpc, call, order? }`), hashed exactly as
   * emit() hashes that literal, without building it when the trace is not kept (one per
   * timed-out call: a chaos run times out about eleven).
   */
  timeout(t: number, node: string, rpc: number, call: string, order: string | undefined): void {
    if (this.events !== null) {
      this.emit(order ? { t, type: 'timeout', node, rpc, call, order } : { t, type: 'timeout', node, rpc, call });
      return;
    }
    this.n++;
    const h = this.hash;
    // value() of each field by its known type, as in domain().
    h.int(1);
    h.number(t);
    h.int(2);
    h.string('timeout');
    h.int(2);
    h.string(node);
    h.int(1);
    h.number(rpc);
    h.int(2);
    h.string(call);
    if (order) {
      h.int(2);
      h.string(order);
    }
    h.int(order ? 6 : 5);
  }

  /**
   * A send or duplicate in the windowed timing model: the message may arrive anywhere in
   * [deliverAt, deliverByMs]; its deliver event says when it did.
   */
  messageWindow(t: number, type: 'send' | 'duplicate', m: MessageFields & OriginFields, deliverAt: number, deliverByMs: number): void {
    const e = { t, type, msg: m.msg, rpc: m.rpc, from: m.from, to: m.to, call: m.call, reply: m.reply, order: m.order, proc: m.proc, attempt: m.attempt, copy: m.copy, deliverAt, deliverByMs };
    this.emit(e as TraceEvent);
  }

  get count(): number {
    return this.n;
  }

  digest(): string {
    return this.hash.digest();
  }
}

/** JSON Lines form: a header line with the format version, then one event per line. */
export function traceToJsonLines(events: readonly TraceEvent[]): string {
  const lines = [JSON.stringify({ format: 'oversold-trace', version: TRACE_FORMAT_VERSION })];
  for (const e of events) lines.push(JSON.stringify(e));
  return lines.join('\n') + '\n';
}
