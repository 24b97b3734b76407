import type { Proc, RpcResult } from '../sim/process.js';
import type { Order, OrderAnswer } from './types.js';
import type * as T from './dbTypes.js';
import type { StrategyOptions } from './strategyOptions.js';
import type { SqlClient } from './sqlClient.js';

export type { SqlClient, SqlQueryResult, SqlTransaction, SqlUnknown } from './sqlClient.js';

export {
  BUILT_IN_OPTION_NAMES, DEFAULT_STRATEGY_OPTIONS, isStrategyPath, resolveStrategyOptions, STRATEGY_OPTION_SPECS,
  type BuiltInOptionName, type BuiltInOptions, type StrategyOptions, type StrategyOptionSpec, type StrategyOptionValue,
} from './strategyOptions.js';

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
  /**
   * PostgreSQL's SQL (oversold's subset, docs/sql.md) against the SQL server node: `yield*
   * ctx.sql.begin({ isolation })` then `tx.query(text, params)`, `tx.commit()`; or autocommit
   * `ctx.sql.query(text, params)`. Each statement is a round trip; results are values.
   */
  readonly sql: SqlClient;
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
  readonly sql: SqlClient;
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
  /** Speaks SQL (`ctx.sql`): the world has a SQL server even when the scenario declares no tables (then the default items table). */
  readonly sql?: boolean;
  /** Places one order; a generator so the kernel alone decides when it runs. */
  placeOrder(ctx: OrderContext): Proc<OrderAnswer>;
  /** Optional: runs on an app server after it restarts from a crash. */
  recover?(ctx: RecoveryContext): Proc<void>;
}

/** Identity helper giving user modules type checking: `export default defineStrategy({...})`. */
export function defineStrategy(s: Strategy): Strategy {
  return s;
}
