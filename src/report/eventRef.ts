import type { TraceEvent } from '../sim/trace.js';
import type { MessageSubject } from '../sim/subjects.js';
import type { TraceIndex } from './traceIndex.js';

/**
 * The event a step of an explanation stands on, by its identity: a claim ("timed out",
 * "duplicated", "paused", "stale") is only made when an event of the trace shows it, and the
 * step names that event, so that a tool or a reader can check the words against the trace.
 * A message is named by origin (which process's which attempt of which call, which copy),
 * the same under every interleaving; `traceIndex` locates it in this one trace.
 */
export interface EventRef {
  readonly traceIndex: number;
  readonly type: TraceEvent['type'];
  readonly node: string | null;
  /** Domain events: what happened ("db:decrement", "lock:lease-expired", "order-result"). */
  readonly what: string | null;
  readonly order: string | null;
  /** Message events (send, duplicate, deliver, drop) and a timeout's call: the message by origin. */
  readonly message: MessageSubject | null;
}

export function eventRef(ix: TraceIndex, traceIndex: number): EventRef {
  const e = ix.events[traceIndex];
  const base = { traceIndex, type: e.type, node: null, what: null, order: null, message: null };
  switch (e.type) {
    case 'send':
    case 'duplicate':
    case 'deliver':
    case 'drop': {
      const m = ix.messages.get(e.msg);
      const message: MessageSubject | null = m && m.proc !== undefined && m.attempt !== undefined
        ? { type: 'message', process: m.proc, call: m.call, attempt: m.attempt, reply: m.reply, copy: m.copy, from: m.from, to: m.to }
        : null;
      return { ...base, node: e.type === 'deliver' || e.type === 'drop' ? e.to : e.from, order: e.order ?? null, message };
    }
    case 'domain':
      return { ...base, node: e.node, what: e.what, order: e.order ?? null };
    case 'timeout':
      return { ...base, node: e.node, order: e.order ?? null };
    case 'partition':
    case 'heal':
    case 'faults-end':
      return base;
    default:
      return { ...base, node: e.node };
  }
}
