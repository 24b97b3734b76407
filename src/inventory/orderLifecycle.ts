import type { Sim, RunLimits, StopReason } from '../sim/world.js';
import { Hooks, type SimNode } from '../sim/node.js';
import { describeThrown, type Proc } from '../sim/process.js';
import { KernelAssertionError } from '../sim/assert.js';
import { emptyObjects } from '../sim/packed.js';
import { ORDER_ANSWERS, type Order, type OrderAnswer } from './types.js';
import type { Strategy } from './strategy.js';
import type { StrategyContexts } from './strategyContext.js';
import type { DomainNotes } from './domainNotes.js';

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

/**
 * A new order's record: a class, not a literal, so that V8 never pretenures it (it lives for
 * the whole run: src/sim/untracked.ts). Fields in OrderRecord's order; `thrown` only when set.
 */
class PendingOrder implements OrderRecord {
  readonly order: Order;
  status: OrderStatus = 'pending';
  answer: OrderAnswer | null = null;
  reason: string | null = null;
  error: string | null = null;
  startMs: number;
  endMs: number | null = null;

  constructor(order: Order) {
    this.order = order;
    this.startMs = order.atMs;
  }
}

/**
 * The life of every order: it arrives (its placeOrder starts on its app server), then it is
 * answered, fails (the strategy threw or misbehaved), or stays unknown (its app server crashed,
 * or the run stopped first). Also the app servers' recovery after a restart (`recover`), whose
 * failures are findings like a throwing placeOrder (invariants.ts).
 */
export class OrderLifecycle {
  // Copies, not literals, here and in reset(): run-long lists (src/sim/untracked.ts).
  records: OrderRecord[] = emptyObjects();
  /** Each recover that threw (or was not a generator): a strategy-error finding. */
  recoverErrors: { readonly app: string; readonly error: string }[] = emptyObjects();

  /** A world reset: no orders (new lists: the last run's result keeps its own), no index. */
  reset(): void {
    this.records = emptyObjects();
    this.recoverErrors = emptyObjects();
    this.ids = null;
  }

  constructor(
    private readonly sim: Sim,
    private readonly strategy: Strategy,
    private readonly contexts: StrategyContexts,
    private readonly notes: DomainNotes,
  ) {}

  /**
   * Records by order id, made by the first byId() (only worlds with SQL ask): a Map of every
   * order built for every run was a few per cent of a naive run. The last record of an id wins,
   * as it did when each add() set it.
   */
  private ids: Map<string, OrderRecord> | null = null;

  /** A new order, pending until it arrives and is answered. */
  add(order: Order): OrderRecord {
    const rec: OrderRecord = new PendingOrder(order);
    this.records.push(rec);
    if (this.ids !== null) this.ids.set(order.id, rec);
    return rec;
  }

  /** The record of an order by id or by the origin of its redelivery ("o1#2"); undefined for a recovery process. */
  byId(id: string): OrderRecord | undefined {
    let ids = this.ids;
    if (ids === null) {
      ids = this.ids = new Map();
      for (const r of this.records) ids.set(r.order.id, r);
    }
    return ids.get(id) ?? ids.get(id.replace(/#[0-9]+$/, ''));
  }

  /** Watches an app server: its crash loses its orders in flight, its restart runs `recover`. */
  watch(node: SimNode): void {
    node.hooks = new Hooks(() => this.appCrashed(node), () => this.appRestarted(node));
  }

  /** An order arrives: its placeOrder starts on its app server (an 'arrival' event). */
  start(rec: OrderRecord): void {
    // Windowed timing: it arrived when the scheduler let it, not at the window's start.
    rec.startMs = this.sim.nowMs;
    const node = this.sim.node(rec.order.app);
    const { order } = rec;
    this.notes.note(node.name, 'order-start', order.id, { lines: order.lines });
    if (node.status === 'crashed') {
      this.finish(rec, 'FAILED', 'the app server was down; the customer got a connection error');
      return;
    }
    let body: Proc<OrderAnswer>;
    try {
      body = this.strategy.placeOrder(this.contexts.forOrder(node, order));
    } catch (e) {
      if (e instanceof KernelAssertionError) throw e;
      this.fail(rec, `placeOrder threw before its first step: ${thrownText(e)}`, e);
      return;
    }
    if (!body || typeof (body as Proc<OrderAnswer>).next !== 'function') {
      this.fail(rec, 'placeOrder must be a generator function (function*), it returned a non-generator');
      return;
    }
    node.spawn(`placeOrder ${order.id}`, body, (exit) => {
      this.contexts.ended(order.id);
      if (rec.status !== 'pending') return;
      if (!exit.ok) this.fail(rec, `placeOrder ${howItFailed(exit.error)}`, exit.thrown);
      else if (!ORDER_ANSWERS.includes(exit.value)) this.fail(rec, `placeOrder returned ${JSON.stringify(exit.value) ?? 'undefined'}, not one of ${ORDER_ANSWERS.join(', ')}`);
      else this.finish(rec, exit.value, null);
    }, order.id);
  }

  /**
   * An order's second delivery (at-least-once delivery upstream): placeOrder runs again for it
   * on `app`, as the process "o1#2". The first answer is the customer's; a later one is noted.
   */
  redeliver(rec: OrderRecord, app: string): void {
    const node = this.sim.node(app);
    const { order } = rec;
    const origin = `${order.id}#2`;
    this.notes.note(node.name, 'order-redelivered', order.id, { lines: order.lines });
    if (node.status === 'crashed') return;
    let body: Proc<OrderAnswer>;
    try {
      body = this.strategy.placeOrder(this.contexts.forOrder(node, order, origin));
    } catch (e) {
      if (e instanceof KernelAssertionError) throw e;
      this.fail(rec, `placeOrder threw before its first step: ${thrownText(e)}`, e);
      return;
    }
    if (!body || typeof (body as Proc<OrderAnswer>).next !== 'function') return;
    node.spawn(`placeOrder ${origin}`, body, (exit) => {
      this.contexts.ended(origin);
      if (rec.status !== 'pending') {
        this.notes.note(node.name, 'order-result-redelivered', order.id, exit.ok ? { answer: exit.value } : { error: exit.error });
        return;
      }
      if (!exit.ok) this.fail(rec, `placeOrder ${howItFailed(exit.error)}`, exit.thrown);
      else if (!ORDER_ANSWERS.includes(exit.value)) this.fail(rec, `placeOrder returned ${JSON.stringify(exit.value) ?? 'undefined'}, not one of ${ORDER_ANSWERS.join(', ')}`);
      else this.finish(rec, exit.value, null);
    }, order.id, origin);
  }

  /** The run stopped: orders still pending get the reason they have no answer. */
  settle(stop: StopReason, limits: RunLimits): void {
    for (const r of this.records) {
      if (r.status !== 'pending') continue;
      r.status = 'unknown';
      r.reason =
        stop === 'quiet' ? 'placeOrder never finished (it waits for nothing that will happen)'
        : stop === 'event-limit' ? `still running when the run hit its event limit (${limits.eventsMax} events)`
        : `still running when the run hit its time limit (${limits.timeMsMax} ms)`;
    }
  }

  private finish(rec: OrderRecord, answer: OrderAnswer, reason: string | null): void {
    rec.status = 'answered';
    rec.answer = answer;
    rec.reason = reason;
    rec.endMs = this.sim.nowMs;
    this.notes.note(rec.order.app, 'order-result', rec.order.id, { answer });
  }

  private fail(rec: OrderRecord, error: string, thrown?: unknown): void {
    rec.status = 'unknown';
    rec.error = error;
    if (thrown !== undefined) rec.thrown = thrown;
    rec.reason = 'the strategy failed';
    rec.endMs = this.sim.nowMs;
    this.notes.note(rec.order.app, 'order-error', rec.order.id, { error });
  }

  private appCrashed(node: SimNode): void {
    for (const r of this.records) {
      if (r.status === 'pending' && r.order.app === node.name && r.startMs <= this.sim.nowMs) {
        this.contexts.ended(r.order.id);
        r.status = 'unknown';
        r.reason = `${node.name} crashed mid-order at ${this.sim.nowMs} ms; the customer never got an answer`;
        r.endMs = this.sim.nowMs;
      }
    }
  }

  private appRestarted(node: SimNode): void {
    const recover = this.strategy.recover;
    if (!recover) return;
    // Its calls are identified per incarnation: a second recovery is another process.
    const tag = `recover-${node.name}`;
    const origin = node.epoch > 1 ? `${tag}#${node.epoch}` : tag;
    const ctx = this.contexts.forRecovery(node, origin);
    let body: Proc<void>;
    try {
      body = recover.call(this.strategy, ctx);
    } catch (e) {
      if (e instanceof KernelAssertionError) throw e;
      this.recoverFailed(node.name, `threw before its first step: ${thrownText(e)}`);
      return;
    }
    if (!body || typeof (body as Proc<void>).next !== 'function') {
      this.recoverFailed(node.name, 'must be a generator function (function*), it returned a non-generator');
      return;
    }
    node.spawn(`recover ${node.name}`, body, (exit) => {
      this.contexts.ended(origin);
      if (!exit.ok) this.recoverFailed(node.name, howItFailed(exit.error));
    }, tag, origin);
  }

  /** A recover that throws is a strategy error like a throwing placeOrder (invariants.ts), never ignored. */
  private recoverFailed(app: string, error: string): void {
    this.recoverErrors.push({ app, error });
    this.notes.note(app, 'recover-error', undefined, { error });
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
