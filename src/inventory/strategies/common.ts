/**
 * Helpers the built-in strategies share: retrying a call whose outcome must be known,
 * bounded retries of a call whose outcome may stay unknown, backoff, lock acquisition and
 * per-item totals of an order. Everything here uses only what a strategy's context offers
 * (`ctx.sleep`, `ctx.log`, `ctx.options`), so the kernel alone decides when things happen.
 * Options arrive resolved and checked (resolveStrategyOptions): no helper has a fallback.
 *
 * The one rule behind them (DDIA Chapter 8, "Timeouts and Unbounded Delays"): a timeout
 * means *unknown*, never *failed*. A request that timed out may have been applied and only
 * its reply lost. So a strategy may answer FAILED only when it knows nothing was applied, or
 * after it has undone what was.
 */
import type { Effect, Proc, RpcResult } from '../../sim/process.js';
import type { LockClient, StrategyOptions } from '../strategy.js';
import { qtyByItem, type OrderLine } from '../types.js';
import { mapPacked } from '../../sim/packed.js';

/** What the helpers need from an OrderContext or a RecoveryContext. */
export interface RetryContext {
  readonly options: StrategyOptions;
  sleep(ms: number): Proc<void>;
  log(what: string, data?: Record<string, unknown>): void;
}

/** Sleep between parked checks: far past any run's time limit, so a parked order costs no events. */
const PARK_MS = 86_400_000;

/** Pause before retry number `attempt` (0-based): backoffMs doubled each time, capped at 8x. */
export function backoff(options: StrategyOptions, attempt: number): number {
  return options.backoffMs * 2 ** Math.min(Math.max(0, attempt), 3);
}

/**
 * Calls `call` until it answers and returns the answer. For calls whose outcome must be known
 * before the order can be answered: every retry must be safe (the same request id, the same
 * reservation id, the same idempotency key). After `options.persistAttempts` timeouts in a
 * row the order is parked: it stays unanswered (the run reports it at its time limit as a
 * liveness finding) rather than answering with a guess.
 */
export function persist<T>(ctx: RetryContext, what: string, call: () => Proc<RpcResult<T>>): Proc<T> {
  return new Persist(ctx, what, call) as unknown as Proc<T>;
}

/**
 * persist() as one object: the iterator `yield*` drives and its every result, as the sim's
 * calls are (src/sim/process.ts). It is the generator
 *
 *   const max = ctx.options.persistAttempts;
 *   for (let attempt = 0; attempt < max; attempt++) {
 *     const r = yield* call();
 *     if (r.ok) return r.value;
 *     yield* ctx.sleep(backoff(ctx.options, attempt));
 *   }
 *   return yield* park(ctx, what, max);
 *
 * written out by hand, step for step (the same calls at the same moments), because a
 * generator object with its register file and a result per return were about 6 % of the bytes
 * a passing flash-sale-chaos run allocated (docs/benchmarks.md, round 4).
 */
class Persist {
  done = false;
  value: unknown = undefined;
  /**
   * Twice the attempt under way, plus 1 while pausing after its timeout (one number, not two
   * fields: 8 bytes a call). An attempt of persistAttempts is the park.
   */
  private phase = 0;
  private max = 0;
  /** What yield* drives now: the call, the pause after a timeout, or the park (null before the first next()). */
  private inner: Iterator<Effect, unknown, unknown> | null = null;

  constructor(
    private readonly ctx: RetryContext,
    private readonly what: string,
    private readonly call: () => Proc<RpcResult<unknown>>,
  ) {}

  next(input?: unknown): this {
    let inner = this.inner;
    if (inner === null) {
      // First next(): the generator's body starts here, as a generator's would.
      this.max = this.ctx.options.persistAttempts;
      inner = this.begin(0);
      input = undefined;
    }
    for (;;) {
      const r = inner.next(input);
      if (r.done !== true) {
        this.value = r.value;
        return this;
      }
      input = undefined;
      const attempt = this.phase >> 1;
      if ((this.phase & 1) === 1) {
        inner = this.begin(attempt + 1);
        continue;
      }
      if (attempt >= this.max) {
        // park() never returns; its generator ending would be a bug, answered as it was.
        return this.end(r.value);
      }
      const res = r.value as RpcResult<unknown>;
      if (res.ok) return this.end(res.value);
      this.phase++;
      inner = this.inner = this.ctx.sleep(backoff(this.ctx.options, attempt))[Symbol.iterator]();
    }
  }

  /** Attempt number `attempt` (or the park after the last): yield* on a fresh call. */
  private begin(attempt: number): Iterator<Effect, unknown, unknown> {
    this.phase = attempt * 2;
    const it = attempt < this.max ? this.call()[Symbol.iterator]() : park(this.ctx, this.what, this.max)[Symbol.iterator]();
    this.inner = it;
    return it;
  }

  private end(value: unknown): this {
    this.done = true;
    this.value = value;
    return this;
  }

  return(value?: unknown): this {
    return this.end(value);
  }

  throw(e: unknown): never {
    this.done = true;
    throw e;
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** Leaves the order unanswered: it cannot know the outcome and will not lie about it. */
export function* park(ctx: RetryContext, what: string, attempts: number): Proc<never> {
  ctx.log('outcome-unknown', { call: what, attempts, note: 'no answer after every attempt; leaving the order unanswered rather than guessing' });
  for (;;) yield* ctx.sleep(PARK_MS);
}

/**
 * Calls `call` at most `1 + retries` times; null when none answered. For calls that may be
 * abandoned safely because something else cleans up (a release: the lease expires; an unlock:
 * the lock lease expires).
 */
export function* tries<T>(ctx: RetryContext, call: () => Proc<RpcResult<T>>, retries: number): Proc<T | null> {
  for (let attempt = 0; attempt <= retries; attempt++) {
    const r = yield* call();
    if (r.ok) return r.value;
    if (attempt < retries) yield* ctx.sleep(backoff(ctx.options, attempt));
  }
  return null;
}

/** A reply no correct server sends for this call: a bug, reported as a strategy error. */
export function unexpected(what: string, reply: unknown): never {
  let text: string;
  try {
    text = JSON.stringify(reply) ?? String(reply);
  } catch {
    text = String(reply);
  }
  throw new Error(`${what}: unexpected reply ${text}`);
}

/** Whether a reply is an object with a given `ok` and (optionally) `reason`. */
export function isReply(x: unknown, ok: boolean, reason?: string): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { ok?: unknown; reason?: unknown };
  return r.ok === ok && (reason === undefined || r.reason === reason);
}

/** Total quantity per item, in first-appearance order (two lines of one item become one). */
export function itemTotals(lines: readonly OrderLine[]): OrderLine[] {
  return mapPacked([...qtyByItem(lines)], ([item, qty]) => ({ item, qty }));
}

/** The same, sorted by item: locks are always taken in this order, so two carts never deadlock. */
export function itemTotalsSorted(lines: readonly OrderLine[]): OrderLine[] {
  return itemTotals(lines).sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
}

export interface Lease {
  readonly name: string;
  readonly token: number;
}

/**
 * Takes the lock `name` with a lease of `options.leaseTicks` lock-service ticks. A lost reply
 * is retried safely (the service hands the same lease back to the same owner); a busy lock is
 * asked again after a backoff. Null after `options.lockAttempts` attempts in all: nothing was
 * done under the lock, and a lease we may have been granted unknowingly simply expires.
 */
export function* acquire(ctx: RetryContext & { readonly locks: LockClient }, name: string): Proc<Lease | null> {
  const { lockAttempts: attempts, leaseTicks } = ctx.options;
  let busy = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const r = yield* ctx.locks.acquire(name, leaseTicks);
    if (r.ok) {
      if (r.value.ok === true) return { name, token: r.value.token };
      if (!isReply(r.value, false, 'held')) unexpected('lock', r.value);
      busy++;
    }
    if (attempt + 1 < attempts) yield* ctx.sleep(backoff(ctx.options, r.ok ? busy : attempt));
  }
  return null;
}

/** Gives the leases back, best effort: a lost unlock costs only the rest of the lease. */
export function* unlockAll(ctx: RetryContext & { readonly locks: LockClient }, leases: readonly Lease[]): Proc<void> {
  for (const l of [...leases].reverse()) yield* tries(ctx, () => ctx.locks.release(l.name, l.token), 2);
}
