import type { Proc, RpcResult } from '../sim/process.js';
import type { Order, OrderAnswer } from './types.js';
import type * as T from './dbTypes.js';

/**
 * Options a scenario (or a test) passes to a strategy. Every strategy reads what it needs and
 * ignores the rest; unknown keys pass through for user strategies.
 */
export interface StrategyOptions {
  /** How long an app server waits for any reply before treating the outcome as unknown. */
  readonly timeoutMs: number;
  /** Retries of a call whose outcome is unknown (a timeout), after the first attempt. */
  readonly retries: number;
  /** Pause between retries, doubled each time, capped at 8x. */
  readonly backoffMs: number;
  /** Reservation and lock leases, in ticks of the granting service's logical clock. */
  readonly leaseTicks: number;
  /** Wall-clock strategies only: their local-clock idea of a lease, in ms. */
  readonly leaseMs: number;
  /** How many times to ask for a busy lock before giving up. */
  readonly lockAttempts: number;
  /**
   * Attempts at a call whose outcome must be known before the order can be answered (a
   * decrement, a cas, a charge, a confirm): each retry reuses the request id, so it is safe,
   * and the network heals after the fault phase. If every attempt times out the order is left
   * unanswered rather than answered with a guess (reported as a liveness finding).
   */
  readonly persistAttempts: number;
  /**
   * compare-and-set: version mismatches tolerated before answering FAILED. A mismatch means
   * nothing was applied and another order committed first, so this bounds how many orders may
   * overtake one (a flash sale of N buyers needs about N).
   */
  readonly conflictRetries: number;
  readonly [key: string]: number | string | boolean;
}

/** Defaults, in one place (docs/strategies.md lists them). */
export const DEFAULT_STRATEGY_OPTIONS: StrategyOptions = {
  timeoutMs: 1000,
  retries: 5,
  backoffMs: 50,
  leaseTicks: 60,
  leaseMs: 3000,
  lockAttempts: 200,
  persistAttempts: 100,
  conflictRetries: 50,
};

/** The options the built-in strategies read: the named fields of StrategyOptions. */
export type BuiltInOptionName =
  | 'timeoutMs' | 'retries' | 'backoffMs' | 'leaseTicks' | 'leaseMs' | 'lockAttempts' | 'persistAttempts' | 'conflictRetries';

/** What one built-in option accepts and means. */
export interface StrategyOptionSpec {
  /** Every built-in option is a whole number: a JSON integer in a scenario file. */
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  /** The value when a scenario leaves it out (DEFAULT_STRATEGY_OPTIONS). */
  readonly default: number;
  /** One line: what it means. */
  readonly meaning: string;
  /** The built-in strategies that read it (by CLI name); the others ignore it. */
  readonly usedBy: readonly string[];
}

/** One day, in ms: the longest a timeout, backoff or wall-clock lease may be (as any `...Ms` of a scenario). */
const DAY_MS = 86_400_000;
const EVERY_STRATEGY = [
  'conditional-decrement', 'compare-and-set', 'reservation', 'lock-fencing', 'naive', 'lock-lease', 'wall-clock-expiry', 'retry-without-idempotency',
] as const;

/**
 * The built-in strategies' options, in one place: type, range, default, meaning and which
 * strategies read them. When `strategy.name` is a built-in, the scenario loader rejects an
 * option not listed here, or one of the wrong type or out of range (src/scenario/strategyOptions.ts);
 * a user strategy (a module path) gets its options free-form. docs/strategies.md and
 * docs/scenarios.md show this table; a test keeps them equal.
 */
export const STRATEGY_OPTION_SPECS: { readonly [K in BuiltInOptionName]: StrategyOptionSpec } = {
  timeoutMs: {
    type: 'integer', min: 1, max: DAY_MS, default: DEFAULT_STRATEGY_OPTIONS.timeoutMs,
    meaning: 'how long an app server waits for a reply before the outcome is unknown (ms)',
    usedBy: EVERY_STRATEGY,
  },
  retries: {
    type: 'integer', min: 0, max: 10_000, default: DEFAULT_STRATEGY_OPTIONS.retries,
    meaning: 'retries of a call that may be abandoned (a release), fenced-out rounds of lock-fencing, retries of retry-without-idempotency',
    usedBy: ['reservation', 'lock-fencing', 'wall-clock-expiry', 'retry-without-idempotency'],
  },
  backoffMs: {
    type: 'integer', min: 0, max: DAY_MS, default: DEFAULT_STRATEGY_OPTIONS.backoffMs,
    meaning: 'pause between retries (ms), doubled each time, capped at 8x',
    usedBy: EVERY_STRATEGY.filter((s) => s !== 'naive'),
  },
  leaseTicks: {
    type: 'integer', min: 1, max: 10_000_000, default: DEFAULT_STRATEGY_OPTIONS.leaseTicks,
    meaning: 'reservation and lock leases, in ticks of the granting service\'s logical clock',
    usedBy: ['reservation', 'lock-fencing', 'lock-lease'],
  },
  leaseMs: {
    type: 'integer', min: 1, max: DAY_MS, default: DEFAULT_STRATEGY_OPTIONS.leaseMs,
    meaning: 'its (wrong) reservation lease, in ms of the app server\'s own clock',
    usedBy: ['wall-clock-expiry'],
  },
  lockAttempts: {
    type: 'integer', min: 1, max: 1_000_000, default: DEFAULT_STRATEGY_OPTIONS.lockAttempts,
    meaning: 'how many times to ask for a busy lock before answering FAILED',
    usedBy: ['lock-fencing', 'lock-lease'],
  },
  persistAttempts: {
    type: 'integer', min: 1, max: 1_000_000, default: DEFAULT_STRATEGY_OPTIONS.persistAttempts,
    meaning: 'attempts at a call whose outcome must be known (decrement, cas, charge, confirm, ...); then the order is left unanswered, never guessed',
    usedBy: ['conditional-decrement', 'compare-and-set', 'reservation', 'lock-fencing', 'lock-lease', 'wall-clock-expiry'],
  },
  conflictRetries: {
    type: 'integer', min: 0, max: 1_000_000, default: DEFAULT_STRATEGY_OPTIONS.conflictRetries,
    meaning: 'version mismatches tolerated before FAILED (each means another order committed first)',
    usedBy: ['compare-and-set'],
  },
};

/** The built-in option names, in the order of STRATEGY_OPTION_SPECS. */
export const BUILT_IN_OPTION_NAMES = Object.keys(STRATEGY_OPTION_SPECS) as readonly BuiltInOptionName[];

/**
 * True when a strategy reference names a module file rather than a built-in: it contains a
 * path separator or ends in a JavaScript or TypeScript extension (the rule `--strategy` and
 * loadStrategy follow).
 */
export function isStrategyPath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.includes('\\') || /\.(m?[jt]s|cjs|mts|cts)$/.test(nameOrPath);
}

export interface CallOptions {
  /** Override the strategy's timeoutMs for this call. */
  readonly timeoutMs?: number;
}

/**
 * The seeds' InventoryDB: what a strategy can ask the database. Every method returns a process
 * step (`yield*` it) whose result is a value: `{ ok: true, value }` with the server's answer,
 * or `{ ok: false, error: 'timeout' }` when no answer came in time, which means *unknown*,
 * not *failed*. Two implementations: NetworkLagDB (over the simulated network, with delays,
 * loss and stale replicas) and InstantDB (in-process, atomic, instantaneous).
 */
export interface InventoryDB {
  /** Reads the counter. `from: 'replica'` (the scenario's default when replicas exist) may be stale. */
  read(item: string, opts?: CallOptions & { from?: 'primary' | 'replica'; token?: number }): Proc<RpcResult<T.ReadReply>>;
  /** Absolute write of the counter (the naive path). */
  write(item: string, stock: number, qty: number, opts?: CallOptions & { requestId?: string }): Proc<RpcResult<T.WriteRes>>;
  /** Atomic decrement-if-enough over all lines; `requestId` makes a retry safe. */
  decrement(lines: T.DecrementReq['lines'], opts?: CallOptions & { requestId?: string }): Proc<RpcResult<T.DecrementRes>>;
  /** Compare-and-set on the item's version. */
  cas(item: string, expectedVersion: number, stock: number, qty: number, opts?: CallOptions & { requestId?: string }): Proc<RpcResult<T.CasRes>>;
  /** Reserves specific units for `leaseTicks` of the primary's sequence number; returns a fencing token. */
  reserve(reservationId: string, lines: T.ReserveReq['lines'], leaseTicks: number, opts?: CallOptions): Proc<RpcResult<T.ReserveRes>>;
  confirm(reservationId: string, token: number, opts?: CallOptions): Proc<RpcResult<T.ConfirmRes>>;
  release(reservationId: string, opts?: CallOptions): Proc<RpcResult<T.ReleaseRes>>;
  /** Write that storage refuses when `token` is older than one it has seen (fencing). */
  fencedWrite(item: string, stock: number, qty: number, token: number, opts?: CallOptions & { requestId?: string }): Proc<RpcResult<T.FencedWriteRes>>;
  /** Reservations made by an app server (crash recovery reads them back). */
  reservations(app: string, opts?: CallOptions): Proc<RpcResult<T.ReservationsRes>>;
  /** Multi-item compare-and-set (the `cas` call): every version must match, all or nothing. */
  casMany(writes: T.CasWrite[], opts?: CallOptions & { requestId?: string }): Proc<RpcResult<T.CasManyRes>>;
  /** Multi-item fenced write (the `fenced-write` call): refused as a whole if any token is stale. */
  fencedWriteMany(writes: T.FencedWrite[], opts?: CallOptions & { requestId?: string }): Proc<RpcResult<T.FencedWriteManyRes>>;
  /**
   * THE WRONG DESIGN, for the wall-clock-expiry strategy: reserve until `clientDeadlineMs` of
   * the caller's own clock, first reaping every reservation whose deadline (in its owner's
   * clock) is <= `clientNowMs` (the caller's clock). Do not copy.
   */
  reserveUntil(reservationId: string, lines: T.ReserveReq['lines'], clientNowMs: number, clientDeadlineMs: number, opts?: CallOptions): Proc<RpcResult<T.ReserveRes>>;
  /** THE WRONG DESIGN: confirm without a fencing token; the primary sells the units whatever became of the reservation. */
  confirmUnfenced(reservationId: string, opts?: CallOptions): Proc<RpcResult<T.ConfirmRes>>;
}

export interface PaymentClient {
  /** `order` defaults to the caller's order (recovery names the order it settles). */
  charge(amount: number, opts?: CallOptions & { idempotencyKey?: string; order?: string }): Proc<RpcResult<T.ChargeRes>>;
  refund(opts: CallOptions & { idempotencyKey?: string; chargeId?: string; order?: string }): Proc<RpcResult<T.RefundRes>>;
}

export interface LockClient {
  acquire(name: string, leaseTicks: number, opts?: CallOptions): Proc<RpcResult<T.LockRes>>;
  release(name: string, token: number, opts?: CallOptions): Proc<RpcResult<T.UnlockRes>>;
}

/** What placeOrder can use. All I/O goes through these; nothing else is deterministic. */
export interface OrderContext {
  readonly order: Order;
  readonly options: StrategyOptions;
  readonly db: InventoryDB;
  readonly payment: PaymentClient;
  readonly locks: LockClient;
  /** Waits `ms` of virtual time on this app server (late if it is paused). */
  sleep(ms: number): Proc<void>;
  /** The app server's local clock: offset and drifting. Trusting it is the bug to find. */
  localTime(): number;
  /** A unique, deterministic id: `${order.id}-${purpose}-${n}`. */
  newId(purpose: string): string;
  /** Adds a note to the trace (shown in timelines). */
  log(what: string, data?: Record<string, unknown>): void;
}

/** What recover() can use after an app server restarts with empty memory. */
export interface RecoveryContext {
  readonly app: string;
  readonly options: StrategyOptions;
  readonly db: InventoryDB;
  readonly payment: PaymentClient;
  readonly locks: LockClient;
  sleep(ms: number): Proc<void>;
  log(what: string, data?: Record<string, unknown>): void;
}

export interface Strategy {
  /** CLI name, e.g. "reservation". */
  readonly name: string;
  /** One line: the idea. */
  readonly summary: string;
  /** What the authors claim: `true` = must hold every invariant under every fault. */
  readonly safe: boolean;
  /** Places one order; a generator so the kernel alone decides when it runs. */
  placeOrder(ctx: OrderContext): Proc<OrderAnswer>;
  /** Optional: runs on an app server after it restarts from a crash. */
  recover?(ctx: RecoveryContext): Proc<void>;
}

/** Identity helper giving user modules type checking: `export default defineStrategy({...})`. */
export function defineStrategy(s: Strategy): Strategy {
  return s;
}
