import type { DropReason, MessageFields, TraceEvent } from '../sim/trace.js';
import { nodeRole, type NodeRole } from '../inventory/nodeNames.js';

/** A trace event together with its position in the trace (markers and links use it). */
export type Indexed<E extends TraceEvent = TraceEvent> = E & { readonly index: number };

export type DomainEvent = Extract<TraceEvent, { type: 'domain' }>;
type SendLike = Extract<TraceEvent, { type: 'send' | 'duplicate' }>;

/** One copy of a message, from its send to its delivery or loss. */
export interface MessageView extends Omit<MessageFields, 'order'> {
  readonly order: string | undefined;
  readonly sendIndex: number;
  readonly sentMs: number;
  /** Index and time of the delivery or the drop; null while still in flight at the end. */
  endIndex: number | null;
  endMs: number | null;
  outcome: 'delivered' | 'dropped' | 'in-flight';
  dropReason: DropReason | null;
  /** The network delivered this request a second time (a `duplicate` event). */
  readonly duplicate: boolean;
  /** Its origin (trace format 2): the calling process, which attempt, which copy (a reply: the copy it answers). */
  readonly proc: string | undefined;
  readonly attempt: number | undefined;
  readonly copy: number;
}

/**
 * Lookups over one trace, built in one pass: messages by id, the request message that caused
 * each server-side domain event, the order each app server works for, node names in a stable
 * display order. Reports (explanations, timelines, HTML) all read traces through it.
 */
export class TraceIndex {
  readonly messages = new Map<number, MessageView>();
  /** For each trace index of a server-side event: the delivered request it handled. */
  private readonly causeOf = new Map<number, MessageView>();
  /** Request message id -> the server-side domain events its delivery caused. */
  private readonly effects = new Map<number, number[]>();
  /** Order id -> app server that ran it (from order-start). */
  readonly orderNode = new Map<string, string>();
  /** Order id -> trace index of its order-start. */
  readonly orderStart = new Map<string, number>();
  readonly nodes: string[];
  /** Items named in domain events, first-seen first. */
  readonly items: string[] = [];

  constructor(readonly events: readonly TraceEvent[]) {
    const seen = new Set<string>();
    let lastDeliver: MessageView | null = null;
    events.forEach((e, index) => {
      for (const n of nodesOf(e)) seen.add(n);
      switch (e.type) {
        case 'send':
        case 'duplicate':
          this.messages.set(e.msg, messageOf(e, index));
          break;
        case 'deliver':
        case 'drop': {
          const m = this.messages.get(e.msg);
          if (m) {
            m.endIndex = index;
            m.endMs = e.t;
            m.outcome = e.type === 'deliver' ? 'delivered' : 'dropped';
            if (e.type === 'drop') m.dropReason = e.reason;
          }
          lastDeliver = e.type === 'deliver' && m && !m.reply ? m : null;
          return;
        }
        case 'domain':
          if (typeof e.data.item === 'string' && !this.items.includes(e.data.item)) this.items.push(e.data.item);
          if (e.what === 'order-start' && e.order !== undefined) {
            this.orderNode.set(e.order, e.node);
            this.orderStart.set(e.order, index);
          }
          // A server notes what it did inside the event that delivered the request.
          if (lastDeliver && lastDeliver.to === e.node && lastDeliver.endMs === e.t) {
            this.causeOf.set(index, lastDeliver);
            this.effects.set(lastDeliver.msg, [...(this.effects.get(lastDeliver.msg) ?? []), index]);
          }
          return;
      }
      lastDeliver = null;
    });
    this.nodes = sortNodes([...seen]);
  }

  /** "stock" when the run has one item, "vase stock" when a reader must be told which. */
  stockOf(item: string): string {
    return this.items.length <= 1 ? 'stock' : `${item} stock`;
  }

  at(index: number): Indexed {
    return { ...this.events[index], index } as Indexed;
  }

  /** The delivered request a server was handling when it emitted event `index`, if any. */
  requestOf(index: number): MessageView | undefined {
    return this.causeOf.get(index);
  }

  /** The server-side domain events the delivery of request message `msg` caused (what the server did with it). */
  effectsOf(msg: number): Indexed<DomainEvent>[] {
    return (this.effects.get(msg) ?? []).map((i) => this.at(i) as Indexed<DomainEvent>);
  }

  /** The reply message(s) to an rpc, in send order. */
  repliesTo(rpc: number): MessageView[] {
    const out: MessageView[] = [];
    for (const m of this.messages.values()) if (m.rpc === rpc && m.reply) out.push(m);
    return out;
  }

  /** The request copies of an rpc (more than one when the network duplicated it). */
  requestsOf(rpc: number): MessageView[] {
    const out: MessageView[] = [];
    for (const m of this.messages.values()) if (m.rpc === rpc && !m.reply) out.push(m);
    return out;
  }

  /** Events matching `pred`, with their indexes, in trace order. */
  find<E extends TraceEvent>(pred: (e: TraceEvent, index: number) => e is E): Indexed<E>[];
  find(pred: (e: TraceEvent, index: number) => boolean): Indexed[];
  find(pred: (e: TraceEvent, index: number) => boolean): Indexed[] {
    const out: Indexed[] = [];
    this.events.forEach((e, index) => {
      if (pred(e, index)) out.push({ ...e, index } as Indexed);
    });
    return out;
  }

  domain(what: string | ((what: string) => boolean), order?: string): Indexed<DomainEvent>[] {
    const match = typeof what === 'string' ? (w: string) => w === what : what;
    return this.find((e): e is DomainEvent => e.type === 'domain' && match(e.what) && (order === undefined || e.order === order));
  }

  /** Quantity an order asked for of an item (from its order-start), or 1 when unknown. */
  orderQty(order: string, item: string): number {
    const i = this.orderStart.get(order);
    if (i === undefined) return 1;
    const e = this.events[i] as DomainEvent;
    const lines = Array.isArray(e.data.lines) ? (e.data.lines as Array<{ item?: unknown; qty?: unknown }>) : [];
    let q = 0;
    for (const l of lines) if (l.item === item && typeof l.qty === 'number') q += l.qty;
    return q > 0 ? q : 1;
  }
}

function messageOf(e: SendLike, index: number): MessageView {
  const dropped = e.type === 'send' && e.deliverAt < 0;
  return {
    msg: e.msg, rpc: e.rpc, from: e.from, to: e.to, call: e.call, reply: e.reply, order: e.order,
    sendIndex: index, sentMs: e.t,
    endIndex: null, endMs: null, outcome: dropped ? 'dropped' : 'in-flight', dropReason: null,
    duplicate: e.type === 'duplicate',
    proc: e.proc, attempt: e.attempt, copy: e.copy ?? (e.type === 'duplicate' ? 1 : 0),
  };
}

/** Node names an event mentions. */
export function nodesOf(e: TraceEvent): string[] {
  switch (e.type) {
    case 'send':
    case 'deliver':
    case 'drop':
    case 'duplicate':
      return [e.from, e.to];
    case 'partition':
    case 'heal':
      return [...e.a, ...e.b];
    case 'faults-end':
      return [];
    default:
      return [e.node];
  }
}

const ROLE_RANK: { readonly [R in NodeRole]: number } = { app: 0, db: 1, sql: 2, replica: 3, lock: 4, payment: 5 };

/** app servers, then db, sql, replicas, lock, payment, then anything else; numbers compared as numbers. */
export function sortNodes(names: string[]): string[] {
  const rank = (n: string) => {
    const role = nodeRole(n);
    return role === undefined ? 6 : ROLE_RANK[role];
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}

/** Units named in a domain event's data (`units`: ["vase#10", ...]). */
export function unitsOf(e: DomainEvent): string[] {
  const u = e.data.units;
  return Array.isArray(u) ? u.filter((x): x is string => typeof x === 'string') : [];
}

/** "vase#10" -> "vase". */
export function itemOfUnit(unit: string): string {
  const i = unit.lastIndexOf('#');
  return i < 0 ? unit : unit.slice(0, i);
}

export function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

export function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}
