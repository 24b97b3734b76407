import type { Sim } from './world.js';
import type { Kernel } from './kernel.js';
import type { DropReason, MessageFields } from './trace.js';
import type { CallSubject, HasSubject, MessageSubject } from './subjects.js';
import type { QueuedEvent } from './queue.js';

export interface LinkConfig {
  delayMsMin: number;
  delayMsMax: number;
}

export interface NetworkConfig extends LinkConfig {
  /** Chance in 1/1000 that a request is lost before the receiver sees it. */
  dropRequestPerMille: number;
  /** Chance in 1/1000 that a reply is lost after the receiver applied the request. */
  dropReplyPerMille: number;
  /** Chance in 1/1000 that a request is delivered twice. */
  duplicatePerMille: number;
  /**
   * Chance in 1/1000 that a message may overtake earlier ones on its link. At 1000 (the
   * default) nothing is asked and every message keeps its own delay; below it, a message that
   * is not allowed to overtake is delivered no earlier than the last one on its link (FIFO).
   */
  reorderPerMille?: number;
  /** Per-link overrides of the delay range, keyed `from->to`. */
  links: ReadonlyMap<string, LinkConfig>;
}

/**
 * A message on the wire: the fields its trace events carry, and what it carries. A class so
 * that every message has one shape, and so that it can say what it is (`subject()`, called
 * only when choices are recorded or events inspected) without a closure per message.
 *
 * Identity is by origin: the process that made the call (`origin`), the call, the attempt of
 * that call by that process, request or reply, and the copy. `msg` and `rpc` are counters in
 * send order: they tie a trace together, but change with the interleaving.
 */
export class Message implements MessageFields, HasSubject {
  /** Unique per copy on the wire; numbered by the network when sent. */
  msg = 0;

  constructor(
    readonly rpc: number,
    readonly from: string,
    readonly to: string,
    readonly call: string,
    readonly reply: boolean,
    readonly body: unknown,
    readonly order: string | undefined,
    /** The process that made the call: an order id or a process name. */
    readonly origin: string,
    /** Which attempt of `call` by `origin` (1-based). */
    readonly attempt: number,
    /** Requests: 0 the original, 1 the network's duplicate. Replies: the request copy answered. */
    readonly copy: number,
  ) {}

  subject(): MessageSubject {
    return { type: 'message', process: this.origin, call: this.call, attempt: this.attempt, reply: this.reply, copy: this.copy, from: this.from, to: this.to };
  }

  /** The call this message belongs to (an rpc's timer is about it). */
  callSubject(): CallSubject {
    return { type: 'call', process: this.origin, call: this.call, attempt: this.attempt };
  }

  /** A second copy on the wire (a duplicate), with its own number. */
  duplicate(msg: number): Message {
    const c = new Message(this.rpc, this.from, this.to, this.call, this.reply, this.body, this.order, this.origin, this.attempt, this.copy + 1);
    c.msg = msg;
    return c;
  }

  /** The reply to this (delivered) request copy, from its receiver. */
  replyWith(body: unknown): Message {
    return new Message(this.rpc, this.to, this.from, this.call, true, body, this.order, this.origin, this.attempt, this.copy);
  }
}

/** A fault aimed at the k-th request of a call kind (counted in send order over all nodes). */
export type CallFault =
  | { readonly kind: 'drop-request' }
  | { readonly kind: 'drop-reply' }
  /**
   * The copy has its own drawn delay plus `copyExtraMs` (a delay-call of the request delays the
   * first copy only), and the second reply to the request comes `copyReplyExtraMs` late.
   */
  | { readonly kind: 'duplicate-request'; readonly copyExtraMs: number; readonly copyReplyExtraMs: number }
  | { readonly kind: 'delay-call'; readonly extraMs: number }
  | { readonly kind: 'delay-reply'; readonly extraMs: number };

interface Cut {
  readonly a: ReadonlySet<string>;
  readonly b: ReadonlySet<string>;
  readonly direction: 'both' | 'a-to-b';
}

/**
 * The network between nodes: every message takes a chosen delay and may be dropped or
 * duplicated (each a choice, so seeded, recorded and shrinkable). Partitions cut links, and a
 * message in flight when a cut starts is lost at delivery, as on a real network.
 */
export class Network {
  private cuts: Cut[] = [];
  private msgNext = 1;
  private readonly callCounts = new Map<string, number>();
  private readonly callFaults = new Map<string, CallFault[]>();
  private readonly replyDropRpcs = new Set<number>();
  private readonly replyDelayRpcs = new Map<number, number>();
  /** Duplicated requests whose second reply is late: rpc -> replies sent so far and the extra delay. */
  private readonly secondReplyDelays = new Map<number, { replies: number; extraMs: number }>();
  /** Latest delivery time per link `from->to`, kept only when links may be FIFO. */
  private readonly lastDeliveryMs = new Map<string, number>();
  /** Windowed timing: the last delivery queued per link `from->to`, kept only when links may be FIFO. */
  private readonly lastDelivery = new Map<string, QueuedEvent>();
  private readonly linkCache = new Map<string, Map<string, LinkConfig>>();
  private readonly kernel: Kernel;
  /** False after the fault phase: nothing is dropped or duplicated by chance any more. */
  faultsActive = true;
  /** One function for every delivery event (the message is the event's argument), not a closure each. */
  private readonly deliverFire = (msg: Message): void => this.deliver(msg);
  /** Runs on the receiving node (now, or when its pause ends). */
  private readonly receiveFire = (msg: Message): void => {
    const sim = this.sim;
    sim.kernel.trace.message(sim.kernel.nowMs, 'deliver', msg);
    sim.receive(sim.node(msg.to), msg);
  };

  constructor(
    private readonly sim: Sim,
    private readonly config: NetworkConfig,
  ) {
    this.kernel = sim.kernel;
  }

  /** Schedules `fault` for the nth (1-based) request of `call`. */
  addCallFault(call: string, nth: number, fault: CallFault): void {
    const key = `${call}#${nth}`;
    const list = this.callFaults.get(key) ?? [];
    list.push(fault);
    this.callFaults.set(key, list);
  }

  cut(a: readonly string[], b: readonly string[], direction: 'both' | 'a-to-b'): Cut {
    const c: Cut = { a: new Set(a), b: new Set(b), direction };
    this.cuts.push(c);
    this.kernel.trace.emit({ t: this.kernel.nowMs, type: 'partition', a: [...a], b: [...b], direction });
    return c;
  }

  heal(c: Cut): void {
    const i = this.cuts.indexOf(c);
    if (i < 0) return;
    this.cuts.splice(i, 1);
    this.kernel.trace.emit({ t: this.kernel.nowMs, type: 'heal', a: [...c.a], b: [...c.b] });
  }

  healAll(): void {
    for (const c of [...this.cuts]) this.heal(c);
  }

  isCut(from: string, to: string): boolean {
    for (const c of this.cuts) {
      if (c.a.has(from) && c.b.has(to)) return true;
      if (c.direction === 'both' && c.b.has(from) && c.a.has(to)) return true;
    }
    return false;
  }

  /** Puts `m` on the wire (numbering it): it is dropped, delivered once, or delivered twice. */
  send(m: Message): void {
    const k = this.kernel;
    let extraMs = 0;
    let duplicate = false;
    let copyExtraMs = 0;
    let stepDrop = false;
    if (!m.reply && this.callFaults.size > 0) {
      const n = (this.callCounts.get(m.call) ?? 0) + 1;
      this.callCounts.set(m.call, n);
      const faults = this.callFaults.get(`${m.call}#${n}`);
      if (faults) {
        for (const f of faults) {
          if (f.kind === 'drop-request') stepDrop = true;
          else if (f.kind === 'drop-reply') this.replyDropRpcs.add(m.rpc);
          else if (f.kind === 'duplicate-request') {
            duplicate = true;
            copyExtraMs += f.copyExtraMs;
            if (f.copyReplyExtraMs > 0) this.secondReplyDelays.set(m.rpc, { replies: 0, extraMs: f.copyReplyExtraMs });
          }
          else if (f.kind === 'delay-reply') this.replyDelayRpcs.set(m.rpc, (this.replyDelayRpcs.get(m.rpc) ?? 0) + f.extraMs);
          else extraMs += f.extraMs;
        }
      }
    } else if (m.reply && this.replyDropRpcs.has(m.rpc)) {
      this.replyDropRpcs.delete(m.rpc);
      stepDrop = true;
    } else if (m.reply && this.replyDelayRpcs.has(m.rpc)) {
      extraMs += this.replyDelayRpcs.get(m.rpc)!;
      this.replyDelayRpcs.delete(m.rpc);
    }
    if (m.reply && this.secondReplyDelays.size > 0) {
      const second = this.secondReplyDelays.get(m.rpc);
      if (second && ++second.replies === 2) {
        extraMs += second.extraMs;
        this.secondReplyDelays.delete(m.rpc);
      }
    }
    m.msg = this.msgNext++;
    if (stepDrop) return this.dropAtSend(m, 'step');
    if (this.isCut(m.from, m.to)) return this.dropAtSend(m, 'partition');
    if (this.faultsActive) {
      const cfg = this.config;
      const dropPerMille = m.reply ? cfg.dropReplyPerMille : cfg.dropRequestPerMille;
      if (k.choices.chance('network', m.reply ? 'drop-reply' : 'drop-request', dropPerMille, m)) {
        return this.dropAtSend(m, 'chance');
      }
      if (!m.reply && k.choices.chance('network', 'duplicate', cfg.duplicatePerMille, m)) duplicate = true;
    }
    this.transmit(m, extraMs, 'send');
    // The network's copy travels on its own: its own drawn delay, plus a step's copyExtraMs.
    if (duplicate) this.transmit(m.duplicate(this.msgNext++), copyExtraMs, 'duplicate');
  }

  /** The delay range of the link from -> to: a per-link override or the network default. */
  private link(from: string, to: string): LinkConfig {
    const links = this.config.links;
    if (links.size === 0) return this.config;
    // Memoised per (from, to): building the `from->to` key for every message is garbage.
    let byTo = this.linkCache.get(from);
    if (byTo === undefined) this.linkCache.set(from, (byTo = new Map()));
    let l = byTo.get(to);
    if (l === undefined) byTo.set(to, (l = links.get(`${from}->${to}`) ?? this.config));
    return l;
  }

  private transmit(msg: Message, extraMs: number, type: 'send' | 'duplicate'): void {
    const k = this.kernel;
    const link = this.link(msg.from, msg.to);
    if (k.windowed) return this.transmitWindowed(msg, link, extraMs, type);
    const delay = k.choices.between('network', 'delay', link.delayMsMin, link.delayMsMax, msg) + extraMs;
    let deliverAt = k.nowMs + delay;
    const reorder = this.config.reorderPerMille ?? 1000;
    if (reorder < 1000) {
      const key = `${msg.from}->${msg.to}`;
      const last = this.lastDeliveryMs.get(key) ?? 0;
      // 0 = the unsurprising answer: the message stays behind the ones sent before it.
      const overtakes = this.faultsActive && k.choices.chance('network', 'reorder', reorder, msg);
      if (!overtakes && deliverAt < last) deliverAt = last;
      if (deliverAt > last) this.lastDeliveryMs.set(key, deliverAt);
    }
    k.trace.message(k.nowMs, type, msg, deliverAt);
    k.at('deliver', msg.to, deliverAt, this.deliverFire, msg);
  }

  /**
   * Windowed timing: the message may arrive anywhere in [now + min, now + max] (plus a step's
   * extra delay); the scheduler picks when, among what the other windows allow. A FIFO link is
   * an enabledness rule: a message that may not overtake waits for the one queued before it on
   * its link (its window starts and ends no earlier than that one's, so the ready set is never
   * empty: ready.ts).
   */
  private transmitWindowed(msg: Message, link: LinkConfig, extraMs: number, type: 'send' | 'duplicate'): void {
    const k = this.kernel;
    let earliest = k.nowMs + link.delayMsMin + extraMs;
    let latest = k.nowMs + link.delayMsMax + extraMs;
    let after: QueuedEvent | null = null;
    const reorder = this.config.reorderPerMille ?? 1000;
    const key = reorder < 1000 ? `${msg.from}->${msg.to}` : '';
    if (reorder < 1000) {
      const last = this.lastDelivery.get(key);
      const overtakes = this.faultsActive && k.choices.chance('network', 'reorder', reorder, msg);
      if (last !== undefined && last.pending && !overtakes) {
        after = last;
        if (earliest < last.timeMs) earliest = last.timeMs;
        if (latest < last.latestMs) latest = last.latestMs;
      }
    }
    k.trace.messageWindow(k.nowMs, type, msg, earliest, latest);
    const e = k.push('deliver', msg.to, earliest, latest, this.deliverFire, msg, null, 0, after);
    if (reorder < 1000) this.lastDelivery.set(key, e);
  }

  private dropAtSend(msg: Message, reason: DropReason): void {
    const k = this.kernel;
    const t = k.nowMs;
    k.trace.message(t, 'send', msg, -1);
    k.trace.message(t, 'drop', msg, reason);
  }

  private deliver(msg: Message): void {
    const sim = this.sim;
    const k = this.kernel;
    if (this.isCut(msg.from, msg.to)) {
      k.trace.message(k.nowMs, 'drop', msg, 'partition');
      return;
    }
    const node = sim.node(msg.to);
    if (node.status === 'crashed') {
      k.trace.message(k.nowMs, 'drop', msg, 'crashed');
      return;
    }
    node.whenRunning(node.epoch, this.receiveFire, msg, 'deliver');
  }
}
