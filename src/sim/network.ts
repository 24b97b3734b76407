import type { Sim } from './world.js';
import type { DropReason, MessageFields } from './trace.js';

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

/** A message on the wire: the fields its trace events carry, and what it carries. */
export interface Message extends MessageFields {
  readonly body: unknown;
}

/** A fault aimed at the k-th request of a call kind (counted in send order over all nodes). */
export type CallFault =
  | { readonly kind: 'drop-request' }
  | { readonly kind: 'drop-reply' }
  | { readonly kind: 'duplicate-request' }
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
  /** Latest delivery time per link `from->to`, kept only when links may be FIFO. */
  private readonly lastDeliveryMs = new Map<string, number>();
  /** False after the fault phase: nothing is dropped or duplicated by chance any more. */
  faultsActive = true;

  constructor(
    private readonly sim: Sim,
    private readonly config: NetworkConfig,
  ) {}

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
    this.sim.trace.emit({ t: this.sim.nowMs, type: 'partition', a: [...a], b: [...b], direction });
    return c;
  }

  heal(c: Cut): void {
    const i = this.cuts.indexOf(c);
    if (i < 0) return;
    this.cuts.splice(i, 1);
    this.sim.trace.emit({ t: this.sim.nowMs, type: 'heal', a: [...c.a], b: [...c.b] });
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

  send(m: Omit<Message, 'msg'>): void {
    const sim = this.sim;
    const label = () => `${m.from}->${m.to} ${m.call}${m.reply ? ' reply' : ''} rpc${m.rpc}${m.order ? ` ${m.order}` : ''}`;
    let extraMs = 0;
    let duplicate = false;
    let stepDrop = false;
    if (!m.reply && this.callFaults.size > 0) {
      const n = (this.callCounts.get(m.call) ?? 0) + 1;
      this.callCounts.set(m.call, n);
      const faults = this.callFaults.get(`${m.call}#${n}`);
      if (faults) {
        for (const f of faults) {
          if (f.kind === 'drop-request') stepDrop = true;
          else if (f.kind === 'drop-reply') this.replyDropRpcs.add(m.rpc);
          else if (f.kind === 'duplicate-request') duplicate = true;
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
    const msg: Message = copy(m, this.msgNext++);
    if (stepDrop) return this.dropAtSend(msg, 'step');
    if (this.isCut(m.from, m.to)) return this.dropAtSend(msg, 'partition');
    if (this.faultsActive) {
      const cfg = this.config;
      const dropPerMille = m.reply ? cfg.dropReplyPerMille : cfg.dropRequestPerMille;
      if (sim.choices.chance('network', m.reply ? 'drop-reply' : 'drop-request', dropPerMille, label)) {
        return this.dropAtSend(msg, 'chance');
      }
      if (!m.reply && sim.choices.chance('network', 'duplicate', cfg.duplicatePerMille, label)) duplicate = true;
    }
    this.transmit(msg, extraMs, 'send', label);
    if (duplicate) this.transmit(copy(m, this.msgNext++), extraMs, 'duplicate', label);
  }

  private transmit(msg: Message, extraMs: number, type: 'send' | 'duplicate', label: () => string): void {
    const sim = this.sim;
    const link = this.config.links.get(`${msg.from}->${msg.to}`) ?? this.config;
    const delay = sim.choices.between('network', 'delay', link.delayMsMin, link.delayMsMax, label) + extraMs;
    let deliverAt = sim.nowMs + delay;
    const reorder = this.config.reorderPerMille ?? 1000;
    if (reorder < 1000) {
      const key = `${msg.from}->${msg.to}`;
      const last = this.lastDeliveryMs.get(key) ?? 0;
      // 0 = the unsurprising answer: the message stays behind the ones sent before it.
      const overtakes = this.faultsActive && sim.choices.chance('network', 'reorder', reorder, label);
      if (!overtakes && deliverAt < last) deliverAt = last;
      if (deliverAt > last) this.lastDeliveryMs.set(key, deliverAt);
    }
    sim.trace.message(sim.nowMs, type, msg, deliverAt);
    sim.at(deliverAt, () => this.deliver(msg));
  }

  private dropAtSend(msg: Message, reason: DropReason): void {
    const t = this.sim.nowMs;
    this.sim.trace.message(t, 'send', msg, -1);
    this.sim.trace.message(t, 'drop', msg, reason);
  }

  private deliver(msg: Message): void {
    const sim = this.sim;
    if (this.isCut(msg.from, msg.to)) {
      sim.trace.message(sim.nowMs, 'drop', msg, 'partition');
      return;
    }
    const node = sim.node(msg.to);
    if (node.status === 'crashed') {
      sim.trace.message(sim.nowMs, 'drop', msg, 'crashed');
      return;
    }
    node.run(node.epoch, () => {
      sim.trace.message(sim.nowMs, 'deliver', msg);
      sim.receive(node, msg);
    });
  }
}

function copy(m: Omit<Message, 'msg'>, msg: number): Message {
  return { msg, rpc: m.rpc, from: m.from, to: m.to, call: m.call, reply: m.reply, body: m.body, order: m.order };
}
