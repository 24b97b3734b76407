import { Sim, type StopReason } from '../sim/world.js';
import { zigzag, type ChoiceSource } from '../sim/choice.js';
import { describeThrown, sleep, type Proc } from '../sim/process.js';
import type { SimNode } from '../sim/node.js';
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

export type FaultStepConfig =
  | { readonly kind: 'pause'; readonly node: string; readonly atMs: number; readonly durationMs: number }
  | { readonly kind: 'crash'; readonly node: string; readonly atMs: number; readonly restartAtMs: number | null }
  | { readonly kind: 'partition'; readonly a: readonly string[]; readonly b: readonly string[]; readonly atMs: number; readonly healAtMs: number; readonly direction: 'both' | 'a-to-b' }
  | { readonly kind: 'clock'; readonly node: string; readonly offsetMs: number; readonly driftPpm: number }
  | { readonly kind: 'drop-request' | 'drop-reply'; readonly call: string; readonly nth: number }
  | { readonly kind: 'duplicate-request'; readonly call: string; readonly nth: number; readonly copyExtraMs: number; readonly copyReplyExtraMs: number }
  | { readonly kind: 'delay-call' | 'delay-reply'; readonly call: string; readonly nth: number; readonly extraMs: number }
  | { readonly kind: 'delay-replica'; readonly replica: string; readonly entry: number; readonly extraMs: number }
  | { readonly kind: 'payment-fail'; readonly nth: number };

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
  private readonly routes: Routes;
  private chargesSeen = 0;
  private readonly paymentFailNth = new Set<number>();

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
    });
    this.db = new InstantDB(config.items);
    this.routes = {
      primary: NODE.db,
      payment: NODE.payment,
      lock: NODE.lock,
      readFromReplicas: config.topology.readFrom === 'replicas' && config.topology.replicas.length > 0,
      replicaFor: () => {
        const k = this.replicas.length;
        return this.replicas[this.sim.choices.ask({ stream: 'network', kind: 'replica', max: k - 1, label: 'replica for read' })];
      },
    };
    this.buildNodes();
    this.scheduleFaults();
    this.scheduleWorkload();
  }

  run(limits: { maxEvents: number; maxTimeMs: number }): StopReason {
    const stop = this.sim.run(limits);
    for (const r of this.orders) {
      if (r.status !== 'pending') continue;
      r.status = 'unknown';
      r.reason =
        stop === 'quiet' ? 'placeOrder never finished (it waits for nothing that will happen)'
        : stop === 'event-limit' ? `still running when the run hit its event limit (${limits.maxEvents} events)`
        : `still running when the run hit its time limit (${limits.maxTimeMs} ms)`;
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
    dbNode.handler = (call, body) => {
      const out = this.db.apply(call, body);
      this.scheduleDbTick(dbNode);
      return out;
    };
    // A crash discards the pending tick timer (it belongs to the old incarnation); the
    // restarted primary keeps its committed data and must resume ticking, or held
    // reservations would never expire.
    dbNode.hooks = { onRestart: () => { this.dbTickPending = false; this.scheduleDbTick(dbNode); } };
    this.db.onEvent = (e) => this.note(NODE.db, `db:${e.op}`, e.order, e.detail);
    // Replicas apply the primary's log in order, each entry after a chosen lag.
    config.topology.replicas.forEach((lag, i) => {
      const name = replicaName(i + 1);
      // delay-replica steps for this replica: log entry (1-based, commit order) -> extra lag.
      // Not keyed by seq: one seq can commit several entries (reservations freed together).
      const extraLagMs = new Map<number, number>();
      for (const st of config.faults.steps) if (st.kind === 'delay-replica' && st.replica === name) extraLagMs.set(st.entry, st.extraMs);
      let entries = 0;
      this.replicas.push(name);
      const node = sim.addNode(name, 'replica');
      const state = new Map(config.items.map((it) => [it.id, { stock: it.stock, version: 0 }]));
      let appliedSeq = 0;
      let lastApplyAtMs = 0;
      node.handler = (call, body) => {
        const item = (body as { item?: unknown } | null)?.item;
        const s = typeof item === 'string' ? state.get(item) : undefined;
        if (call !== 'read' || !s) return { ok: false, reason: 'bad-request', message: `${name} serves reads of known items only` };
        const order = (body as { order?: unknown }).order;
        this.note(name, 'replica-read', typeof order === 'string' ? order : undefined, { item, stock: s.stock, appliedSeq, primarySeq: this.db.seq });
        return { ok: true, item: item as string, stock: s.stock, version: s.version, seq: appliedSeq } satisfies T.ReadRes;
      };
      const prev = this.db.onCommit;
      this.db.onCommit = (e) => {
        prev?.(e);
        const entry = ++entries;
        const lagMs = sim.choices.between('network', 'replica-lag', lag.lagMsMin, lag.lagMsMax, () => `${name} applies log entry ${entry} (seq ${e.seq})`) + (extraLagMs.get(entry) ?? 0);
        // Log order is kept: an entry never overtakes the one before it.
        lastApplyAtMs = Math.max(lastApplyAtMs, sim.nowMs + lagMs);
        const epoch = node.epoch;
        sim.at(lastApplyAtMs, () =>
          node.run(epoch, () => {
            state.set(e.item, { stock: e.stock, version: e.version });
            appliedSeq = e.seq;
          }),
        );
      };
    });
    const lockNode = sim.addNode(NODE.lock, 'lock');
    lockNode.handler = (call, body) => {
      const out = this.locks.apply(call, body);
      this.scheduleLockTick(lockNode);
      return out;
    };
    // Same as the primary: a restarted lock service keeps its leases and resumes ticking.
    lockNode.hooks = { onRestart: () => { this.lockTickPending = false; this.scheduleLockTick(lockNode); } };
    this.locks.onEvent = (op, owner, detail) => this.note(NODE.lock, `lock:${op}`, owner, detail);
    const payNode = sim.addNode(NODE.payment, 'payment');
    payNode.handler = (call, body) => this.paymentHandler(call, body);
    this.payments.onEvent = (op, order, detail) => this.note(NODE.payment, `payment:${op}`, order, detail);
  }

  private dbTickPending = false;
  /** The primary ticks its sequence number only while reservations are held, so runs go quiet. */
  private scheduleDbTick(node: SimNode): void {
    if (this.dbTickPending || this.db.heldCount() === 0) return;
    this.dbTickPending = true;
    node.timer(this.config.topology.dbTickMs, () => {
      this.dbTickPending = false;
      this.db.tick();
      this.scheduleDbTick(node);
    });
  }

  private lockTickPending = false;
  private scheduleLockTick(node: SimNode): void {
    if (this.lockTickPending || !this.locks.busy()) return;
    this.lockTickPending = true;
    node.timer(this.config.topology.dbTickMs, () => {
      this.lockTickPending = false;
      this.locks.advance();
      this.scheduleLockTick(node);
    });
  }

  private paymentHandler(call: string, body: unknown): unknown {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (call === 'refund') return this.payments.refund(b as unknown as T.RefundReq);
    if (call !== 'charge') return { ok: false, reason: 'bad-request', message: `payment: unknown call ${JSON.stringify(call)}` };
    const sim = this.sim;
    const p = this.config.payment;
    const delayMs = sim.choices.between('payment', 'payment-delay', p.delayMsMin, p.delayMsMax, chargeLabel(b));
    return this.charge(b as unknown as T.ChargeReq, delayMs);
  }

  // A method, not a `function*` made per call: every generator function made at run time gets
  // its own hidden class in old space, which points back at the function and, through its
  // closure, kept the whole run alive across scavenges (measured: 13 % of all allocation
  // survived young-generation GC until the next full GC).
  private *charge(req: T.ChargeReq, delayMs: number): Proc<T.ChargeRes> {
    yield* sleep(delayMs);
    const nth = ++this.chargesSeen;
    const sim = this.sim;
    const declined = this.paymentFailNth.has(nth) || (sim.network.faultsActive && sim.choices.chance('payment', 'decline', this.config.payment.failPerMille, chargeLabel(req)));
    return this.payments.charge(req, declined);
  }

  private scheduleFaults(): void {
    const sim = this.sim;
    const { faults } = this.config;
    // Random clock skew per app server: zigzag-encoded so that 0 means an exact clock.
    for (const a of this.apps) {
      const node = sim.node(a);
      const off = zigzag(sim.choices.ask({ stream: 'faults', kind: 'clock-offset', max: 2 * faults.clockSkew.offsetMsMax, label: `${a} clock offset` }));
      const drift = zigzag(sim.choices.ask({ stream: 'faults', kind: 'clock-drift', max: 2 * faults.clockSkew.driftPpmMax, label: `${a} clock drift` }));
      if (off !== 0 || drift !== 0) this.setClock(node, off, drift);
    }
    for (const step of faults.steps) {
      switch (step.kind) {
        case 'pause':
          sim.at(step.atMs, () => sim.node(step.node).pause(step.durationMs, 'scheduled pause'));
          break;
        case 'crash':
          sim.at(step.atMs, () => sim.node(step.node).crash());
          if (step.restartAtMs !== null) sim.at(step.restartAtMs, () => sim.node(step.node).restart());
          break;
        case 'partition': {
          let cut: ReturnType<typeof sim.network.cut> | null = null;
          sim.at(step.atMs, () => (cut = sim.network.cut(step.a, step.b, step.direction)));
          sim.at(step.healAtMs, () => cut && sim.network.heal(cut));
          break;
        }
        case 'clock':
          this.setClock(sim.node(step.node), step.offsetMs, step.driftPpm);
          break;
        case 'drop-request':
        case 'drop-reply':
          sim.network.addCallFault(step.call, step.nth, { kind: step.kind });
          break;
        case 'duplicate-request':
          sim.network.addCallFault(step.call, step.nth, { kind: step.kind, copyExtraMs: step.copyExtraMs, copyReplyExtraMs: step.copyReplyExtraMs });
          break;
        case 'delay-call':
        case 'delay-reply':
          sim.network.addCallFault(step.call, step.nth, { kind: step.kind, extraMs: step.extraMs });
          break;
        case 'payment-fail':
          this.paymentFailNth.add(step.nth);
          break;
        case 'delay-replica':
          // Read when the entry commits (the replica's apply handler, in the constructor).
          break;
      }
    }
    if (faults.untilMs !== null) sim.at(faults.untilMs, () => sim.endFaults());
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
        const atMs = sim.choices.between('workload', 'arrival', 0, g.windowMs, () => `o${i + 1} arrival`);
        specs.push({ atMs, app: apps[i % apps.length], lines: [{ item: g.item, qty: g.qty }] });
      }
    }
    specs.forEach((s, i) => {
      const order: Order = { id: `o${i + 1}`, app: s.app, atMs: s.atMs, lines: s.lines.map((l) => ({ item: l.item, qty: l.qty })) };
      const rec: OrderRecord = { order, status: 'pending', answer: null, reason: null, error: null, startMs: s.atMs, endMs: null };
      this.orders.push(rec);
      sim.at(s.atMs, () => this.startOrder(rec));
    });
  }

  private startOrder(rec: OrderRecord): void {
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
      this.recoverFailed(node.name, `threw before its first step: ${thrownText(e)}`);
      return;
    }
    if (!body || typeof (body as Proc<void>).next !== 'function') {
      this.recoverFailed(node.name, 'must be a generator function (function*), it returned a non-generator');
      return;
    }
    node.spawn(`recover ${node.name}`, body, (exit) => {
      if (!exit.ok) this.recoverFailed(node.name, howItFailed(exit.error));
    }, `recover-${node.name}`);
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

function chargeLabel(body: object): () => string {
  return () => `charge ${String((body as { order?: unknown }).order)}`;
}
