import type { Sim } from './world.js';
import type { SimNode } from './node.js';
import type { Kernel } from './kernel.js';
import type { DropReason, MessageFields, OriginFields } from './trace.js';
import type { CallSubject, HasSubject, MessageSubject } from './subjects.js';
import type { QueuedEvent } from './queue.js';
import { MARK_DROP_REPLY, MARK_DROP_REQUEST, MARK_DUPLICATE } from './marks.js';
import { emptyObjects } from './packed.js';

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
export class Message implements MessageFields, OriginFields, HasSubject {
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
    /** The process that made the call: an order id or a process name (`proc` in the trace). */
    readonly proc: string,
    /** Which attempt of `call` by `origin` (1-based). */
    readonly attempt: number,
    /** Requests: 0 the original, 1 the network's duplicate. Replies: the request copy answered. */
    readonly copy: number,
  ) {}

  subject(): MessageSubject {
    return { type: 'message', process: this.proc, call: this.call, attempt: this.attempt, reply: this.reply, copy: this.copy, from: this.from, to: this.to };
  }

  /** The call this message belongs to (an rpc's timer is about it). */
  callSubject(): CallSubject {
    return { type: 'call', process: this.proc, call: this.call, attempt: this.attempt };
  }

  /** A second copy on the wire (a duplicate), with its own number. */
  duplicate(msg: number): Message {
    const c = new Message(this.rpc, this.from, this.to, this.call, this.reply, this.body, this.order, this.proc, this.attempt, this.copy + 1);
    c.msg = msg;
    return c;
  }

  /** The reply to this (delivered) request copy, from its receiver. */
  replyWith(body: unknown): Message {
    return new Message(this.rpc, this.to, this.from, this.call, true, body, this.order, this.proc, this.attempt, this.copy);
  }
}

/**
 * The empty map every Network starts with in place of each of its maps (never written: a
 * writer first replaces it with a map of its own). Typed loosely so one serves every map.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const EMPTY: Map<any, any> = new Map();

/**
 * A fault a scenario step aims at a call (addressed by origin: network.addCallFault). `mark`:
 * the coverage mark (marks.ts) hit when it takes effect (the request really lost, the copy
 * really sent, the reply really delayed); none by default.
 */
export type CallFault = CallFaultOf & { readonly mark?: string };

type CallFaultOf =
  | { readonly kind: 'drop-request' }
  /** The reply to copy `copy` of the request (0 the original, 1 the duplicate) is lost. */
  | { readonly kind: 'drop-reply'; readonly copy: number }
  /**
   * The copy has its own delay plus `copyExtraMs` (a delay-call of the request delays the first
   * copy only), and the reply to the copy comes `copyReplyExtraMs` late.
   */
  | { readonly kind: 'duplicate-request'; readonly copyExtraMs: number; readonly copyReplyExtraMs: number }
  | { readonly kind: 'delay-call'; readonly extraMs: number }
  | { readonly kind: 'delay-reply'; readonly extraMs: number; readonly copy: number };

/** What the steps did to one request as it is sent. */
interface Faulted {
  extraMs: number;
  duplicate: boolean;
  copyExtraMs: number;
  drop: boolean;
}

/** A class, not a literal: scratch that lives as long as its world (src/sim/untracked.ts). */
class ScratchFaulted implements Faulted {
  extraMs = 0;
  duplicate = false;
  copyExtraMs = 0;
  drop = false;
}

interface Cut {
  readonly a: ReadonlySet<string>;
  readonly b: ReadonlySet<string>;
  readonly direction: 'both' | 'a-to-b';
  /** The coverage mark hit for each message this cut loses, or null. */
  readonly mark: string | null;
}

/** What the steps do to one reply: lost, or late; with the marks to hit when that happens. */
interface ReplyFault {
  drop: boolean;
  extraMs: number;
  dropMark: string | undefined;
  delayMarks: string[] | null;
}

/**
 * The network between nodes: every message takes a chosen delay and may be dropped or
 * duplicated (each a choice, so seeded, recorded and shrinkable). Partitions cut links, and a
 * message in flight when a cut starts is lost at delivery, as on a real network.
 */
export class Network {
  private cuts: Cut[] = emptyObjects(); // A copy, not a literal: a run-long list (src/sim/untracked.ts).
  private msgNext = 1;
  // The maps below are shared empty ones until first written (copy on write): most runs use
  // none of them, and seven Maps per run were a tenth of what building a world allocated.
  /** Faults aimed at calls by origin: `${process}|${call}|${attempt}` -> faults. */
  private callFaults: Map<string, CallFault[]> = EMPTY;
  /** Old `nth` steps (translating an old file only): per call kind, sends so far and the faults by n. */
  private legacyCounts: Map<string, number> = EMPTY;
  private legacyFaults: Map<string, Array<{ fault: CallFault; onHit: (m: Message) => void }>> = EMPTY;
  /** What the steps do to replies, by `${rpc}|${copy}` (the reply to that copy of the request). */
  private replyFaults: Map<string, ReplyFault> = EMPTY;
  /** Latest delivery time per link `from->to`, kept only when links may be FIFO. */
  private lastDeliveryMs: Map<string, number> = EMPTY;
  /** Windowed timing: the last delivery queued per link `from->to`, kept only when links may be FIFO. */
  private lastDelivery: Map<string, QueuedEvent> = EMPTY;
  private linkCache: Map<string, Map<string, LinkConfig>> = EMPTY;
  private readonly kernel: Kernel;
  private readonly faulted: Faulted = new ScratchFaulted();
  /** The steps aimed at the request being sent (scratch, like `faulted`): their marks are hit once its fate is known. */
  private readonly aimed: CallFault[] = emptyObjects(); // A copy, not a literal: a run-long list (src/sim/untracked.ts).
  /** False after the fault phase: nothing is dropped or duplicated by chance any more. */
  faultsActive = true;
  /** One function for every delivery event (the message is the event's argument), not a closure each. */
  private readonly deliverFire = (msg: Message): void => this.deliver(msg);
  /** Runs on the receiving node (now, or when its pause ends), which whenRunning hands it. */
  private readonly receiveFire = (msg: Message, node: SimNode): void => {
    const sim = this.sim;
    // Random crashes (world.ts): absent in every scenario that does not ask for them, so no question.
    if (sim.randomCrashes !== null && sim.crashesOnArrival(node, msg)) return;
    sim.kernel.trace.message(sim.kernel.nowMs, 'deliver', msg);
    sim.receive(node, msg);
  };

  constructor(
    private readonly sim: Sim,
    private readonly config: NetworkConfig,
  ) {
    this.kernel = sim.kernel;
  }

  /**
   * A world reset: no cuts, no steps' faults (the fault timeline adds them again), messages
   * numbered from 1, chance faults on. The links' delays (linkCache) depend on the config
   * alone and stay.
   */
  reset(): void {
    this.cuts = emptyObjects();
    this.msgNext = 1;
    this.callFaults = EMPTY;
    this.legacyCounts = EMPTY;
    this.legacyFaults = EMPTY;
    this.replyFaults = EMPTY;
    this.lastDeliveryMs = EMPTY;
    this.lastDelivery = EMPTY;
    const f = this.faulted;
    f.extraMs = 0;
    f.duplicate = false;
    f.copyExtraMs = 0;
    f.drop = false;
    this.aimed.length = 0;
    this.faultsActive = true;
  }

  /** Schedules `fault` for the `attempt`-th call of `call` by process `origin`. */
  addCallFault(origin: string, call: string, attempt: number, fault: CallFault): void {
    const key = `${origin}|${call}|${attempt}`;
    if (this.callFaults === EMPTY) this.callFaults = new Map();
    const list = this.callFaults.get(key) ?? [];
    list.push(fault);
    this.callFaults.set(key, list);
  }

  /**
   * Translating an old scenario file only: `fault` for the nth (1-based) request of `call`
   * counted in global send order, as oversold did before calls were addressed by origin;
   * `onHit` hears which message that was.
   */
  addLegacyCallFault(call: string, nth: number, fault: CallFault, onHit: (m: Message) => void): void {
    const key = `${call}#${nth}`;
    if (this.legacyFaults === EMPTY) this.legacyFaults = new Map();
    const list = this.legacyFaults.get(key) ?? [];
    list.push({ fault, onHit });
    this.legacyFaults.set(key, list);
  }

  /** Cuts the links from `a` to `b` (and back, `both`); `mark` is hit for every message the cut loses. */
  cut(a: readonly string[], b: readonly string[], direction: 'both' | 'a-to-b', mark: string | null = null): Cut {
    const c: Cut = { a: new Set(a), b: new Set(b), direction, mark };
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
    return this.cutOf(from, to) !== null;
  }

  /** The first cut that separates `from` from `to`, or null. */
  private cutOf(from: string, to: string): Cut | null {
    for (const c of this.cuts) {
      if (c.a.has(from) && c.b.has(to)) return c;
      if (c.direction === 'both' && c.b.has(from) && c.a.has(to)) return c;
    }
    return null;
  }

  /** Puts `m` on the wire (numbering it): it is dropped, delivered once, or delivered twice. */
  send(m: Message): void {
    const k = this.kernel;
    // What the scenario's steps do to this message, in scratch fields (no object per send).
    const f = this.faulted;
    f.extraMs = 0;
    f.duplicate = false;
    f.copyExtraMs = 0;
    f.drop = false;
    const aimed = this.aimed;
    let reply: ReplyFault | null = null;
    if (!m.reply) {
      // A request (the original: the network makes the copies): the steps aimed at its call.
      if (this.callFaults.size > 0) {
        const faults = this.callFaults.get(`${m.proc}|${m.call}|${m.attempt}`);
        if (faults) for (const x of faults) this.strike(m, x, f);
      }
      if (this.legacyFaults.size > 0) this.strikeLegacy(m, f);
    } else if (this.replyFaults.size > 0) {
      const key = `${m.rpc}|${m.copy}`;
      reply = this.replyFaults.get(key) ?? null;
      if (reply !== null) {
        this.replyFaults.delete(key);
        f.drop = reply.drop;
        f.extraMs += reply.extraMs;
      }
    }
    m.msg = this.msgNext++;
    if (f.drop) {
      if (aimed.length > 0) this.hitAimed('drop-request');
      else if (reply !== null && reply.dropMark !== undefined) k.marks.hit(reply.dropMark);
      return this.dropAtSend(m, 'step');
    }
    const cut = this.cuts.length === 0 ? null : this.cutOf(m.from, m.to);
    if (cut !== null) {
      aimed.length = 0;
      if (cut.mark !== null) k.marks.hit(cut.mark);
      return this.dropAtSend(m, 'partition');
    }
    let duplicate = f.duplicate;
    const copyExtraMs = f.copyExtraMs;
    const extraMs = f.extraMs;
    if (this.faultsActive) {
      const cfg = this.config;
      const dropPerMille = m.reply ? cfg.dropReplyPerMille : cfg.dropRequestPerMille;
      if (k.choices.chance('network', m.reply ? 'drop-reply' : 'drop-request', dropPerMille, m)) {
        aimed.length = 0;
        k.marks.hit(m.reply ? MARK_DROP_REPLY : MARK_DROP_REQUEST);
        return this.dropAtSend(m, 'chance');
      }
      // A copy a step already makes is not the chance's doing (the question is asked all the same).
      if (!m.reply && k.choices.chance('network', 'duplicate', cfg.duplicatePerMille, m) && !duplicate) {
        duplicate = true;
        k.marks.hit(MARK_DUPLICATE);
      }
    }
    if (aimed.length > 0) {
      this.hitAimed('delay-call');
      this.hitAimed('duplicate-request');
      aimed.length = 0;
    } else if (reply !== null && reply.delayMarks !== null) {
      for (const id of reply.delayMarks) k.marks.hit(id);
    }
    this.transmit(m, extraMs, 'send');
    // The network's copy travels on its own: its own delay, plus a step's copyExtraMs.
    if (duplicate) this.transmit(m.duplicate(this.msgNext++), copyExtraMs, 'duplicate');
  }

  /** Hits the marks of the steps of `kind` aimed at the request being sent: they took effect. */
  private hitAimed(kind: CallFault['kind']): void {
    const aimed = this.aimed;
    for (const x of aimed) if (x.kind === kind && x.mark !== undefined) this.kernel.marks.hit(x.mark);
    if (kind === 'drop-request') aimed.length = 0;
  }

  private strikeLegacy(m: Message, f: Faulted): void {
    const n = (this.legacyCounts.get(m.call) ?? 0) + 1;
    if (this.legacyCounts === EMPTY) this.legacyCounts = new Map();
    this.legacyCounts.set(m.call, n);
    const faults = this.legacyFaults.get(`${m.call}#${n}`);
    if (faults) for (const x of faults) {
      this.strike(m, x.fault, f);
      x.onHit(m);
    }
  }

  /** Applies one step's fault to request `m` (what happens to its reply is kept by rpc). */
  private strike(m: Message, x: CallFault, f: Faulted): void {
    if (x.kind === 'drop-request') f.drop = true;
    else if (x.kind === 'drop-reply') {
      const r = this.replyFault(m.rpc, x.copy);
      r.drop = true;
      r.dropMark ??= x.mark;
      return;
    } else if (x.kind === 'duplicate-request') {
      f.duplicate = true;
      f.copyExtraMs += x.copyExtraMs;
      if (x.copyReplyExtraMs > 0) this.replyFault(m.rpc, 1).extraMs += x.copyReplyExtraMs;
    } else if (x.kind === 'delay-reply') {
      const r = this.replyFault(m.rpc, x.copy);
      r.extraMs += x.extraMs;
      if (x.mark !== undefined) (r.delayMarks ??= []).push(x.mark);
      return;
    } else f.extraMs += x.extraMs;
    // The request's own fate (lost, sent, copied) decides whether these struck: send() says.
    this.aimed.push(x);
  }

  /** The pending fault of the reply to copy `copy` of rpc `rpc` (made on first use). */
  private replyFault(rpc: number, copy: number): ReplyFault {
    const key = `${rpc}|${copy}`;
    let r = this.replyFaults.get(key);
    if (this.replyFaults === EMPTY) this.replyFaults = new Map();
    if (r === undefined) this.replyFaults.set(key, (r = { drop: false, extraMs: 0, dropMark: undefined, delayMarks: null }));
    return r;
  }

  /** The delay range of the link from -> to: a per-link override or the network default. */
  private link(from: string, to: string): LinkConfig {
    const links = this.config.links;
    if (links.size === 0) return this.config;
    // Memoised per (from, to): building the `from->to` key for every message is garbage.
    if (this.linkCache === EMPTY) this.linkCache = new Map();
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
      if (deliverAt > last) {
        if (this.lastDeliveryMs === EMPTY) this.lastDeliveryMs = new Map();
        this.lastDeliveryMs.set(key, deliverAt);
      }
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
      // The explorer's footprint (access.ts): sends on a FIFO link are ordered by who sent first.
      this.sim.access?.touch('w', msg.from, `link:${msg.to}`);
      const last = this.lastDelivery.get(key);
      const overtakes = this.faultsActive && k.choices.chance('network', 'reorder', reorder, msg);
      if (last !== undefined && last.pending && !overtakes) {
        after = last;
        // readyRule 'any': the explorer bounds a successor by its predecessor's window itself.
        if (!k.anyOrder) {
          if (earliest < last.timeMs) earliest = last.timeMs;
          if (latest < last.latestMs) latest = last.latestMs;
        }
      }
    }
    k.trace.messageWindow(k.nowMs, type, msg, earliest, latest);
    const e = k.push('deliver', msg.to, earliest, latest, this.deliverFire, msg, null, 0, after);
    if (reorder < 1000) {
      if (this.lastDelivery === EMPTY) this.lastDelivery = new Map();
      this.lastDelivery.set(key, e);
    }
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
    const cut = this.cuts.length === 0 ? null : this.cutOf(msg.from, msg.to);
    if (cut !== null) {
      if (cut.mark !== null) k.marks.hit(cut.mark);
      k.trace.message(k.nowMs, 'drop', msg, 'partition');
      return;
    }
    // The delivery's one lookup of its receiver: whenRunning hands the node on (receiveFire).
    const node = sim.node(msg.to);
    if (node.status === 'crashed') {
      k.trace.message(k.nowMs, 'drop', msg, 'crashed');
      return;
    }
    node.whenRunning(node.epoch, this.receiveFire, msg, 'deliver');
  }
}
