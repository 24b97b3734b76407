import { Sim, type RunLimits, type StopReason } from '../sim/world.js';
import { zigzag, type ChoiceSource } from '../sim/choice.js';
import { describeThrown, sleep, sleepBetween, type Proc } from '../sim/process.js';
import type { SimNode } from '../sim/node.js';
import type { CallFault, Message } from '../sim/network.js';
import type { ReadyRule, TimingModel } from '../sim/kernel.js';
import type { Scheduler } from '../sim/scheduler.js';
import type { HasSubject, OrderSubject } from '../sim/subjects.js';
import { Replica } from './replica.js';
import { KernelAssertionError } from '../sim/assert.js';
import { Ticker } from './ticker.js';
import { scheduleTimedSteps } from './faultTimeline.js';
import { InstantDB } from './instantDb.js';
import { LockService } from './lockService.js';
import { PaymentLedger } from './payment.js';
import { InstantDBClient, NetworkLagDB, NetworkLocks, NetworkPayment, type Routes } from './clients.js';
import { ORDER_ANSWERS, type Order, type OrderAnswer, type OrderLine } from './types.js';
import type { OrderContext, RecoveryContext, Strategy, StrategyOptions } from './strategy.js';
import type * as T from './dbTypes.js';
import { appName, replicaName, SERVICE_NODES as NODE } from './nodeNames.js';

/**
 * What the inventory world needs to know. The resolved scenario type has exactly these
 * fields (the scenario layer sits above this one and passes itself in).
 */
export interface WorldConfig {
  readonly items: ReadonlyArray<{ readonly id: string; readonly stock: number }>;
  readonly topology: {
    readonly appServers: number;
    readonly replicas: ReadonlyArray<{ readonly lagMsMin: number; readonly lagMsMax: number }>;
    readonly readFrom: 'primary' | 'replicas';
    readonly dbTickMs: number;
  };
  readonly network: {
    readonly delayMsMin: number;
    readonly delayMsMax: number;
    readonly dropRequestPerMille: number;
    readonly dropReplyPerMille: number;
    readonly duplicatePerMille: number;
    readonly reorderPerMille: number;
    readonly links: ReadonlyArray<{ readonly from: string; readonly to: string; readonly delayMsMin: number; readonly delayMsMax: number }>;
  };
  readonly payment: { readonly delayMsMin: number; readonly delayMsMax: number; readonly failPerMille: number };
  readonly workload: WorkloadConfig;
  readonly faults: {
    readonly untilMs: number | null;
    readonly randomPauses: { readonly perMille: number; readonly durationMsMin: number; readonly durationMsMax: number; readonly nodes: readonly string[] };
    readonly clockSkew: { readonly offsetMsMax: number; readonly driftPpmMax: number };
    readonly steps: readonly FaultStepConfig[];
  };
}

export type WorkloadConfig =
  | { readonly orders: ReadonlyArray<{ readonly atMs: number; readonly app: string; readonly lines: readonly OrderLine[] }> }
  | { readonly generate: { readonly count: number; readonly windowMs: number; readonly item: string; readonly qty: number; readonly apps: readonly string[] } };

/**
 * Which call a fault step targets, by origin: the k-th call of a kind made by an order's
 * placeOrder (`order`) or by a named process (`process`, e.g. "recover-app2"). The same
 * message under every interleaving. `nth` (the nth call of the kind in global send order) is
 * only ever set when oversold translates an old scenario file (explore/legacySteps.ts).
 */
export interface CallAddressConfig {
  readonly order?: string;
  readonly process?: string;
  readonly attempt?: number;
  readonly nth?: number;
}

/** A message by origin: a call's request or reply, and which copy (0 the original, 1 the duplicate). */
export interface MessageAddressConfig extends CallAddressConfig {
  readonly call: string;
  readonly reply: boolean;
  readonly copy: number;
}

export type FaultStepConfig =
  | { readonly kind: 'pause'; readonly node: string; readonly atMs?: number; readonly onDelivery?: MessageAddressConfig; readonly durationMs: number }
  | { readonly kind: 'crash'; readonly node: string; readonly atMs: number; readonly restartAtMs: number | null }
  | { readonly kind: 'partition'; readonly a: readonly string[]; readonly b: readonly string[]; readonly atMs: number; readonly healAtMs: number; readonly direction: 'both' | 'a-to-b' }
  | { readonly kind: 'clock'; readonly node: string; readonly offsetMs: number; readonly driftPpm: number }
  | ({ readonly kind: 'drop-request'; readonly call: string } & CallAddressConfig)
  | ({ readonly kind: 'drop-reply'; readonly call: string; readonly copy?: number } & CallAddressConfig)
  | ({ readonly kind: 'duplicate-request'; readonly call: string; readonly copyExtraMs: number; readonly copyReplyExtraMs: number } & CallAddressConfig)
  | ({ readonly kind: 'delay-call'; readonly call: string; readonly extraMs: number } & CallAddressConfig)
  | ({ readonly kind: 'delay-reply'; readonly call: string; readonly extraMs: number; readonly copy?: number } & CallAddressConfig)
  | { readonly kind: 'delay-replica'; readonly replica: string; readonly entry: number; readonly extraMs: number }
  | ({ readonly kind: 'payment-fail'; readonly copy?: number } & CallAddressConfig);

/** The process an address names: its order id or its process name. */
export function originOf(a: CallAddressConfig): string {
  return a.order ?? a.process ?? '';
}

/** What an old `nth` step of a translated file hit: the message (or charge request) by origin. */
export type LegacyHit = (stepIndex: number, request: Message) => void;

export type OrderStatus = 'pending' | 'answered' | 'unknown';

export interface OrderRecord {
  readonly order: Order;
  status: OrderStatus;
  answer: OrderAnswer | null;
  /** Why an order has no answer (crash, limit) or how its strategy misbehaved. */
  reason: string | null;
  /** Set when placeOrder threw or returned something that is not an answer. */
  error: string | null;
  /** What placeOrder threw (an Error with the user's stack), when it threw. */
  thrown?: unknown;
  startMs: number;
  endMs: number | null;
}

export interface WorldOptions {
  readonly source: ChoiceSource;
  readonly strategy: Strategy;
  readonly options: StrategyOptions;
  /** Strategies talk to InstantDB in-process instead of NetworkLagDB (the seeds' control). */
  readonly instantDb?: boolean;
  readonly keepTrace?: boolean;
  readonly recordChoices?: boolean;
  /** How delays are decided (default: sampled). */
  readonly timing?: TimingModel;
  /** Which ready event fires next (default: the earliest; the windowed model asks the schedule stream). */
  readonly scheduler?: Scheduler | null;
  /** Which pending events the scheduler sees (sim/kernel.ts ReadyRule): 'any' for the exhaustive explorer. */
  readonly readyRule?: ReadyRule;
  /** Translating an old file: told which message each `nth` step hit. */
  readonly onLegacyHit?: LegacyHit;
}

/** An order's arrival, as its event's argument: "o7 arrives". */
class Arrival implements HasSubject {
  constructor(
    readonly world: InventoryWorld,
    readonly rec: OrderRecord,
  ) {}
  subject(): OrderSubject {
    return { type: 'order', order: this.rec.order.id };
  }
}

function arrive(a: Arrival): void {
  a.world.startOrder(a.rec);
}

/**
 * The inventory world on top of the kernel: app servers, the DB primary with its replicas, a
 * lock service and a payment provider; the workload and the fault timeline scheduled in; the
 * strategy's placeOrder started for every order.
 */
export class InventoryWorld {
  readonly sim: Sim;
  readonly db: InstantDB;
  readonly locks = new LockService();
  readonly payments = new PaymentLedger();
  readonly orders: OrderRecord[] = [];
  /** Each recover that threw (or was not a generator): a strategy-error finding. */
  readonly recoverErrors: { readonly app: string; readonly error: string }[] = [];
  readonly apps: string[] = [];
  readonly replicas: string[] = [];
  readonly replicaNodes: Replica[] = [];
  private readonly routes: Routes;
  private dbTicker: Ticker | null = null;
  private lockTicker: Ticker | null = null;
  private chargesSeen = 0;
  /** payment-fail steps by origin: `${process}|${attempt}|${copy}` of the charge request. */
  private readonly paymentFailAt = new Set<string>();
  /** Old `nth` payment-fail steps (translation only): nth charge handled -> step index. */
  private readonly paymentFailNth = new Map<number, number>();
  /** Pauses addressed to a message's delivery: message key -> the steps. */
  private readonly deliveryPauses = new Map<string, Array<{ readonly node: string; readonly durationMs: number }>>();

  constructor(
    readonly config: WorldConfig,
    readonly opts: WorldOptions,
  ) {
    const links = new Map(config.network.links.map((l) => [`${l.from}->${l.to}`, { delayMsMin: l.delayMsMin, delayMsMax: l.delayMsMax }]));
    const pauseNodes = config.faults.randomPauses.nodes;
    for (let i = 1; i <= config.topology.appServers; i++) this.apps.push(appName(i));
    this.sim = new Sim({
      source: opts.source,
      network: { ...config.network, links },
      randomPauses: {
        ...config.faults.randomPauses,
        nodes: new Set(pauseNodes.length > 0 ? pauseNodes : this.apps),
      },
      keepTrace: opts.keepTrace,
      recordChoices: opts.recordChoices,
      timing: opts.timing,
      scheduler: opts.scheduler,
      readyRule: opts.readyRule,
    });
    this.db = new InstantDB(config.items);
    this.routes = {
      primary: NODE.db,
      payment: NODE.payment,
      lock: NODE.lock,
      readFromReplicas: config.topology.readFrom === 'replicas' && config.topology.replicas.length > 0,
      replicaFor: () => {
        const k = this.replicas.length;
        if (k === 1) return this.replicas[0];
        // About the read the current process is about to make (its next attempt).
        const p = this.sim.current;
        const about = { type: 'call', process: p === null ? '' : p.origin, call: 'read', attempt: p === null ? 1 : p.peekAttempt('read') } as const;
        return this.replicas[this.sim.choices.ask({ stream: 'network', kind: 'replica', max: k - 1, about })];
      },
    };
    this.buildNodes();
    this.scheduleFaults();
    this.scheduleWorkload();
  }

  /** Runs the kernel until quiet or a limit; orders still pending then get their reason. */
  runUntilQuiet(limits: RunLimits): StopReason {
    const stop = this.sim.runUntilQuiet(limits);
    for (const r of this.orders) {
      if (r.status !== 'pending') continue;
      r.status = 'unknown';
      r.reason =
        stop === 'quiet' ? 'placeOrder never finished (it waits for nothing that will happen)'
        : stop === 'event-limit' ? `still running when the run hit its event limit (${limits.eventsMax} events)`
        : `still running when the run hit its time limit (${limits.timeMsMax} ms)`;
    }
    return stop;
  }

  private note(node: string, what: string, order: string | undefined, data: Record<string, unknown>): void {
    const sim = this.sim;
    sim.trace.emit(order === undefined ? { t: sim.nowMs, type: 'domain', node, what, data } : { t: sim.nowMs, type: 'domain', node, what, order, data });
  }

  private buildNodes(): void {
    const sim = this.sim;
    const { config } = this;
    for (const a of this.apps) {
      const node = sim.addNode(a, 'app');
      node.hooks = { onCrash: () => this.onAppCrash(node), onRestart: () => this.onAppRestart(node) };
    }
    // The primary: every request is applied atomically in the event that delivers it.
    const dbNode = sim.addNode(NODE.db, 'db');
    // The primary ticks its sequence number only while reservations are held, so runs go quiet.
    const dbTicker = (this.dbTicker = new Ticker(dbNode, config.topology.dbTickMs, () => this.db.heldCount() > 0, () => this.db.tick()));
    dbNode.handler = (call, body) => {
      const out = this.db.apply(call, body);
      dbTicker.arm();
      return out;
    };
    // A crash discards the pending tick timer (it belongs to the old incarnation); the
    // restarted primary keeps its committed data and must resume ticking, or held
    // reservations would never expire.
    dbNode.hooks = { onRestart: () => dbTicker.rearm() };
    this.db.onEvent = (e) => this.note(NODE.db, `db:${e.op}`, e.order, e.detail);
    // Replicas apply the primary's log in order, each entry after a lag.
    config.topology.replicas.forEach((lag, i) => {
      const name = replicaName(i + 1);
      // delay-replica steps for this replica: log entry (1-based, commit order) -> extra lag.
      // Not keyed by seq: one seq can commit several entries (reservations freed together).
      const extraLagMs = new Map<number, number>();
      for (const st of config.faults.steps) if (st.kind === 'delay-replica' && st.replica === name) extraLagMs.set(st.entry, st.extraMs);
      this.replicas.push(name);
      this.replicaNodes.push(new Replica(sim, name, lag, config.items, extraLagMs, () => this.db.seq, (what, order, data) => this.note(name, what, order, data)));
    });
    if (this.replicaNodes.length > 0) {
      const replicas = this.replicaNodes;
      this.db.onCommit = (e) => {
        for (const r of replicas) r.committed(e);
      };
    }
    const lockNode = sim.addNode(NODE.lock, 'lock');
    const lockTicker = (this.lockTicker = new Ticker(lockNode, config.topology.dbTickMs, () => this.locks.busy(), () => this.locks.advance()));
    lockNode.handler = (call, body) => {
      const out = this.locks.apply(call, body);
      lockTicker.arm();
      return out;
    };
    // Same as the primary: a restarted lock service keeps its leases and resumes ticking.
    lockNode.hooks = { onRestart: () => lockTicker.rearm() };
    this.locks.onEvent = (op, owner, detail) => this.note(NODE.lock, `lock:${op}`, owner, detail);
    const payNode = sim.addNode(NODE.payment, 'payment');
    payNode.handler = (call, body) => this.paymentHandler(call, body);
    this.payments.onEvent = (op, order, detail) => this.note(NODE.payment, `payment:${op}`, order, detail);
  }

  private paymentHandler(call: string, body: unknown): unknown {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (call === 'refund') return this.payments.refund(b as unknown as T.RefundReq);
    if (call !== 'charge') return { ok: false, reason: 'bad-request', message: `payment: unknown call ${JSON.stringify(call)}` };
    return this.charge(b as unknown as T.ChargeReq);
  }

  // A method, not a `function*` made per call: every generator function made at run time gets
  // its own hidden class in old space, which points back at the function and, through its
  // closure, kept the whole run alive across scavenges (measured: 13 % of all allocation
  // survived young-generation GC until the next full GC).
  private *charge(req: T.ChargeReq): Proc<T.ChargeRes> {
    const p = this.config.payment;
    // The provider's own time: a choice (sampled) or a window (windowed), about this request.
    yield* sleepBetween(p.delayMsMin, p.delayMsMax, 'payment', 'payment-delay');
    const nth = ++this.chargesSeen;
    const sim = this.sim;
    const request = sim.current?.serving ?? undefined;
    let byStep = request !== undefined && this.paymentFailAt.size > 0 && this.paymentFailAt.has(`${request.proc}|${request.attempt}|${request.copy}`);
    const legacy = this.paymentFailNth.get(nth);
    if (legacy !== undefined && request !== undefined) {
      byStep = true;
      this.opts.onLegacyHit?.(legacy, request);
    }
    const declined = byStep || (sim.network.faultsActive && sim.choices.chance('payment', 'decline', p.failPerMille, request));
    return this.payments.charge(req, declined);
  }

  private scheduleFaults(): void {
    const sim = this.sim;
    const { faults } = this.config;
    // Random clock skew per app server: zigzag-encoded so that 0 means an exact clock.
    for (const a of this.apps) {
      const node = sim.node(a);
      const off = zigzag(sim.choices.ask({ stream: 'faults', kind: 'clock-offset', max: 2 * faults.clockSkew.offsetMsMax, about: node }));
      const drift = zigzag(sim.choices.ask({ stream: 'faults', kind: 'clock-drift', max: 2 * faults.clockSkew.driftPpmMax, about: node }));
      if (off !== 0 || drift !== 0) this.setClock(node, off, drift);
    }
    faults.steps.forEach((step, index) => {
      switch (step.kind) {
        case 'pause':
          // A pause addressed to a message's delivery strikes where a random pause would;
          // a timed one is scheduled below, in step order, with the other timed steps.
          if (step.onDelivery !== undefined) this.addDeliveryPause(step.onDelivery, step.node, step.durationMs);
          break;
        case 'crash':
        case 'partition':
          break;
        case 'clock':
          this.setClock(sim.node(step.node), step.offsetMs, step.driftPpm);
          break;
        case 'drop-request':
          this.addCallFault(index, step, { kind: step.kind });
          break;
        case 'drop-reply':
          this.addCallFault(index, step, { kind: step.kind, copy: step.copy ?? 0 });
          break;
        case 'duplicate-request':
          this.addCallFault(index, step, { kind: step.kind, copyExtraMs: step.copyExtraMs, copyReplyExtraMs: step.copyReplyExtraMs });
          break;
        case 'delay-call':
          this.addCallFault(index, step, { kind: step.kind, extraMs: step.extraMs });
          break;
        case 'delay-reply':
          this.addCallFault(index, step, { kind: step.kind, extraMs: step.extraMs, copy: step.copy ?? 0 });
          break;
        case 'payment-fail':
          if (step.nth !== undefined) this.paymentFailNth.set(step.nth, index);
          else this.paymentFailAt.add(`${originOf(step)}|${step.attempt ?? 1}|${step.copy ?? 0}`);
          break;
        case 'delay-replica':
          // Read when the entry commits (the replica's apply handler, in the constructor).
          break;
      }
    });
    if (this.deliveryPauses.size > 0) sim.onDelivery = (node, m) => this.pauseOnDelivery(m);
    scheduleTimedSteps(sim, faults.steps, faults.untilMs);
  }

  private addCallFault(index: number, step: CallAddressConfig & { readonly call: string }, fault: CallFault): void {
    const net = this.sim.network;
    if (step.nth !== undefined) net.addLegacyCallFault(step.call, step.nth, fault, (m) => this.opts.onLegacyHit?.(index, m));
    else net.addCallFault(originOf(step), step.call, step.attempt ?? 1, fault);
  }

  private addDeliveryPause(at: MessageAddressConfig, node: string, durationMs: number): void {
    const key = messageKey(originOf(at), at.call, at.attempt ?? 1, at.reply, at.copy);
    const list = this.deliveryPauses.get(key) ?? [];
    list.push({ node, durationMs });
    this.deliveryPauses.set(key, list);
  }

  /** A message is being delivered: the pauses addressed to its delivery strike now. */
  private pauseOnDelivery(m: Message): void {
    const list = this.deliveryPauses.get(messageKey(m.proc, m.call, m.attempt, m.reply, m.copy));
    if (list === undefined) return;
    for (const p of list) this.sim.node(p.node).pause(p.durationMs, 'scheduled pause');
  }

  private setClock(node: SimNode, offsetMs: number, driftPpm: number): void {
    node.clockOffsetMs = offsetMs;
    node.clockDriftPpm = driftPpm;
    this.sim.trace.emit({ t: this.sim.nowMs, type: 'clock', node: node.name, offsetMs, driftPpm });
  }

  private scheduleWorkload(): void {
    const sim = this.sim;
    const w = this.config.workload;
    const specs: Array<{ atMs: number; app: string; lines: readonly OrderLine[] }> = [];
    if ('orders' in w) {
      specs.push(...w.orders);
    } else {
      const g = w.generate;
      const apps = g.apps.length > 0 ? g.apps : this.apps;
      for (let i = 0; i < g.count; i++) {
        const atMs = sim.kernel.windowed ? 0 : sim.choices.between('workload', 'arrival', 0, g.windowMs, { type: 'order', order: `o${i + 1}` });
        specs.push({ atMs, app: apps[i % apps.length], lines: [{ item: g.item, qty: g.qty }] });
      }
    }
    // Windowed timing: a generated order arrives anywhere in [0, windowMs]; the scheduler decides when.
    const windowMs = sim.kernel.windowed && 'generate' in w ? w.generate.windowMs : 0;
    specs.forEach((s, i) => {
      const order: Order = { id: `o${i + 1}`, app: s.app, atMs: s.atMs, lines: s.lines.map((l) => ({ item: l.item, qty: l.qty })) };
      const rec: OrderRecord = { order, status: 'pending', answer: null, reason: null, error: null, startMs: s.atMs, endMs: null };
      this.orders.push(rec);
      sim.kernel.push('arrival', s.app, s.atMs, s.atMs + windowMs, arrive, new Arrival(this, rec));
    });
  }

  /** An order arrives: its placeOrder starts on its app server (an 'arrival' event). */
  startOrder(rec: OrderRecord): void {
    // Windowed timing: it arrived when the scheduler let it, not at the window's start.
    rec.startMs = this.sim.nowMs;
    const node = this.sim.node(rec.order.app);
    const { order } = rec;
    this.note(node.name, 'order-start', order.id, { lines: order.lines });
    if (node.status === 'crashed') {
      this.finishOrder(rec, 'FAILED', 'the app server was down; the customer got a connection error');
      return;
    }
    let body: Proc<OrderAnswer>;
    try {
      body = this.opts.strategy.placeOrder(this.orderContext(node, order));
    } catch (e) {
      if (e instanceof KernelAssertionError) throw e;
      this.failOrder(rec, `placeOrder threw before its first step: ${thrownText(e)}`, e);
      return;
    }
    if (!body || typeof (body as Proc<OrderAnswer>).next !== 'function') {
      this.failOrder(rec, 'placeOrder must be a generator function (function*), it returned a non-generator');
      return;
    }
    node.spawn(`placeOrder ${order.id}`, body, (exit) => {
      if (rec.status !== 'pending') return;
      if (!exit.ok) this.failOrder(rec, `placeOrder ${howItFailed(exit.error)}`, exit.thrown);
      else if (!ORDER_ANSWERS.includes(exit.value)) this.failOrder(rec, `placeOrder returned ${JSON.stringify(exit.value) ?? 'undefined'}, not one of ${ORDER_ANSWERS.join(', ')}`);
      else this.finishOrder(rec, exit.value, null);
    }, order.id);
  }

  private finishOrder(rec: OrderRecord, answer: OrderAnswer, reason: string | null): void {
    rec.status = 'answered';
    rec.answer = answer;
    rec.reason = reason;
    rec.endMs = this.sim.nowMs;
    this.note(rec.order.app, 'order-result', rec.order.id, { answer });
  }

  private failOrder(rec: OrderRecord, error: string, thrown?: unknown): void {
    rec.status = 'unknown';
    rec.error = error;
    if (thrown !== undefined) rec.thrown = thrown;
    rec.reason = 'the strategy failed';
    rec.endMs = this.sim.nowMs;
    this.note(rec.order.app, 'order-error', rec.order.id, { error });
  }

  private onAppCrash(node: SimNode): void {
    for (const r of this.orders) {
      if (r.status === 'pending' && r.order.app === node.name && r.startMs <= this.sim.nowMs) {
        r.status = 'unknown';
        r.reason = `${node.name} crashed mid-order at ${this.sim.nowMs} ms; the customer never got an answer`;
        r.endMs = this.sim.nowMs;
      }
    }
  }

  private onAppRestart(node: SimNode): void {
    const recover = this.opts.strategy.recover;
    if (!recover) return;
    const ctx = this.recoveryContext(node);
    let body: Proc<void>;
    try {
      body = recover.call(this.opts.strategy, ctx);
    } catch (e) {
      if (e instanceof KernelAssertionError) throw e;
      this.recoverFailed(node.name, `threw before its first step: ${thrownText(e)}`);
      return;
    }
    if (!body || typeof (body as Proc<void>).next !== 'function') {
      this.recoverFailed(node.name, 'must be a generator function (function*), it returned a non-generator');
      return;
    }
    // Its calls are identified per incarnation: a second recovery is another process.
    const tag = `recover-${node.name}`;
    node.spawn(`recover ${node.name}`, body, (exit) => {
      if (!exit.ok) this.recoverFailed(node.name, howItFailed(exit.error));
    }, tag, node.epoch > 1 ? `${tag}#${node.epoch}` : tag);
  }

  /** A recover that throws is a strategy error like a throwing placeOrder (invariants.ts), never ignored. */
  private recoverFailed(app: string, error: string): void {
    this.recoverErrors.push({ app, error });
    this.note(app, 'recover-error', undefined, { error });
  }

  private orderContext(node: SimNode, order: Order): OrderContext {
    const o = this.opts.options;
    let n = 0;
    return {
      order,
      options: o,
      db: this.opts.instantDb ? new InstantDBClient(this.db, order.id, node.name) : new NetworkLagDB(this.routes, order.id, node.name, o.timeoutMs),
      payment: new NetworkPayment(this.routes, order.id, o.timeoutMs),
      locks: new NetworkLocks(this.routes, order.id, o.timeoutMs),
      sleep,
      localTime: () => node.localTime(),
      newId: (purpose) => `${order.id}-${purpose}-${++n}`,
      log: (what, data) => this.note(node.name, `note:${what}`, order.id, data ?? {}),
    };
  }

  private recoveryContext(node: SimNode): RecoveryContext {
    const o = this.opts.options;
    const owner = `recover-${node.name}`;
    return {
      app: node.name,
      options: o,
      db: this.opts.instantDb ? new InstantDBClient(this.db, owner, node.name) : new NetworkLagDB(this.routes, owner, node.name, o.timeoutMs),
      payment: new NetworkPayment(this.routes, owner, o.timeoutMs),
      locks: new NetworkLocks(this.routes, owner, o.timeoutMs),
      sleep,
      log: (what, data) => this.note(node.name, `note:${what}`, undefined, data ?? {}),
    };
  }
}

/** The key of a message by origin (for the steps addressed to it). */
function messageKey(origin: string, call: string, attempt: number, reply: boolean, copy: number): string {
  return `${origin}|${call}|${attempt}|${reply ? 1 : 0}|${copy}`;
}

/** What was thrown, in words that survive a Symbol or a throwing toString. */
function thrownText(e: unknown): string {
  return e instanceof Error ? e.message : describeThrown(e).replace(/^threw /, '');
}

/**
 * The verb for a process error: describeThrown already says "threw \"plain\"" of a non-Error
 * and the kernel "yielded 5, not an effect", so only an Error ("TypeError: x") and a kernel
 * abort ("rpc to unknown node ...") need one of their own.
 */

function howItFailed(error: string): string {
  if (/^(threw|yielded) /.test(error)) return error;
  if (error.startsWith('rpc to ')) return `sent an ${error}`;
  return `threw ${error}`;
}

