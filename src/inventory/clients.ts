import { rpc, type Proc, type RpcResult } from '../sim/process.js';
import type { InventoryDB, PaymentClient, LockClient, CallOptions } from './strategy.js';
import type { InstantDB } from './instantDb.js';
import type * as T from './dbTypes.js';

/** Where a client sends what: chosen by the world from the scenario's topology. */
export interface Routes {
  readonly primary: string;
  /** Picks the node serving a replica read (may consult a choice). */
  readonly replicaFor: () => string;
  readonly readFromReplicas: boolean;
  readonly payment: string;
  readonly lock: string;
}

/**
 * The seeds' NetworkLagDB: the InventoryDB over the simulated network. Each call is an rpc with
 * seeded delays (50-200 ms by default), loss and duplication, to the primary or, for reads, to
 * a lagging replica. The caller's order id rides along on every request for the ledger.
 */
export class NetworkLagDB implements InventoryDB {
  constructor(
    private readonly routes: Routes,
    private readonly order: string,
    private readonly app: string,
    private readonly timeoutMs: number,
  ) {}

  private call<R>(to: string, call: string, body: Record<string, unknown>, opts?: CallOptions): Proc<RpcResult<R>> {
    // Every body is a fresh literal built by the method below: adding the order in place
    // saves a spread copy per request (the client was 3.5 % of a chaos run).
    body.order = this.order;
    return rpc<R>(to, call, body, opts?.timeoutMs ?? this.timeoutMs);
  }


  read(item: string, opts?: CallOptions & { from?: 'primary' | 'replica'; token?: number }) {
    const toReplica = opts?.token === undefined && (opts?.from === 'replica' || (opts?.from === undefined && this.routes.readFromReplicas));
    const to = toReplica ? this.routes.replicaFor() : this.routes.primary;
    // No replica to pick: say so at the strategy's own call (the error's stack points there).
    if (to === undefined) throw new Error(`ctx.db.read('${item}', { from: 'replica' }): this scenario's topology has no replica (topology.replicas is empty); read from the primary, or add a replica to the scenario`);
    return this.call<T.ReadReply>(to, 'read', opts?.token === undefined ? { item } : { item, token: opts.token }, opts);
  }
  write(item: string, stock: number, qty: number, opts?: CallOptions & { requestId?: string }) {
    return this.call<T.WriteRes>(this.routes.primary, 'write', withId({ item, stock, qty }, opts?.requestId), opts);
  }
  decrement(lines: T.DecrementReq['lines'], opts?: CallOptions & { requestId?: string }) {
    return this.call<T.DecrementRes>(this.routes.primary, 'decrement', withId({ lines }, opts?.requestId), opts);
  }
  cas(item: string, expectedVersion: number, stock: number, qty: number, opts?: CallOptions & { requestId?: string }) {
    return this.call<T.CasRes>(this.routes.primary, 'cas', withId({ item, expectedVersion, stock, qty }, opts?.requestId), opts);
  }
  reserve(reservationId: string, lines: T.ReserveReq['lines'], leaseTicks: number, opts?: CallOptions) {
    return this.call<T.ReserveRes>(this.routes.primary, 'reserve', { reservationId, lines, leaseTicks, app: this.app }, opts);
  }
  confirm(reservationId: string, token: number, opts?: CallOptions) {
    return this.call<T.ConfirmRes>(this.routes.primary, 'confirm', { reservationId, token }, opts);
  }
  release(reservationId: string, opts?: CallOptions) {
    return this.call<T.ReleaseRes>(this.routes.primary, 'release', { reservationId }, opts);
  }
  fencedWrite(item: string, stock: number, qty: number, token: number, opts?: CallOptions & { requestId?: string }) {
    return this.call<T.FencedWriteRes>(this.routes.primary, 'fenced-write', withId({ item, stock, qty, token }, opts?.requestId), opts);
  }
  reservations(app: string, opts?: CallOptions) {
    return this.call<T.ReservationsRes>(this.routes.primary, 'reservations', { app }, opts);
  }
  casMany(writes: T.CasWrite[], opts?: CallOptions & { requestId?: string }) {
    return this.call<T.CasManyRes>(this.routes.primary, 'cas', withId({ writes }, opts?.requestId), opts);
  }
  fencedWriteMany(writes: T.FencedWrite[], opts?: CallOptions & { requestId?: string }) {
    return this.call<T.FencedWriteManyRes>(this.routes.primary, 'fenced-write', withId({ writes }, opts?.requestId), opts);
  }
  reserveUntil(reservationId: string, lines: T.ReserveReq['lines'], clientNowMs: number, clientDeadlineMs: number, opts?: CallOptions) {
    return this.call<T.ReserveRes>(this.routes.primary, 'reserve', { reservationId, lines, clientNowMs, clientDeadlineMs, app: this.app }, opts);
  }
  confirmUnfenced(reservationId: string, opts?: CallOptions) {
    return this.call<T.ConfirmRes>(this.routes.primary, 'confirm', { reservationId, unfenced: true }, opts);
  }
}

/**
 * The seeds' InstantDB seen as an InventoryDB: calls apply to the engine at once, inside the
 * caller's step, so a read-check-write never interleaves with another order. It cannot show
 * the race; that is its point.
 */
export class InstantDBClient implements InventoryDB {
  constructor(
    private readonly db: InstantDB,
    private readonly order: string,
    private readonly app: string,
  ) {}

  private *now<R>(call: string, body: Record<string, unknown>): Proc<RpcResult<R>> {
    return { ok: true, value: this.db.apply(call, { ...body, order: this.order, app: this.app }) as R };
  }

  read(item: string, opts?: { token?: number }) {
    return this.now<T.ReadReply>('read', opts?.token === undefined ? { item } : { item, token: opts.token });
  }
  write(item: string, stock: number, qty: number, opts?: { requestId?: string }) {
    return this.now<T.WriteRes>('write', withId({ item, stock, qty }, opts?.requestId));
  }
  decrement(lines: T.DecrementReq['lines'], opts?: { requestId?: string }) {
    return this.now<T.DecrementRes>('decrement', withId({ lines }, opts?.requestId));
  }
  cas(item: string, expectedVersion: number, stock: number, qty: number, opts?: { requestId?: string }) {
    return this.now<T.CasRes>('cas', withId({ item, expectedVersion, stock, qty }, opts?.requestId));
  }
  reserve(reservationId: string, lines: T.ReserveReq['lines'], leaseTicks: number) {
    return this.now<T.ReserveRes>('reserve', { reservationId, lines, leaseTicks });
  }
  confirm(reservationId: string, token: number) {
    return this.now<T.ConfirmRes>('confirm', { reservationId, token });
  }
  release(reservationId: string) {
    return this.now<T.ReleaseRes>('release', { reservationId });
  }
  fencedWrite(item: string, stock: number, qty: number, token: number, opts?: { requestId?: string }) {
    return this.now<T.FencedWriteRes>('fenced-write', withId({ item, stock, qty, token }, opts?.requestId));
  }
  reservations(app: string) {
    return this.now<T.ReservationsRes>('reservations', { app });
  }
  casMany(writes: T.CasWrite[], opts?: { requestId?: string }) {
    return this.now<T.CasManyRes>('cas', withId({ writes }, opts?.requestId));
  }
  fencedWriteMany(writes: T.FencedWrite[], opts?: { requestId?: string }) {
    return this.now<T.FencedWriteManyRes>('fenced-write', withId({ writes }, opts?.requestId));
  }
  reserveUntil(reservationId: string, lines: T.ReserveReq['lines'], clientNowMs: number, clientDeadlineMs: number) {
    return this.now<T.ReserveRes>('reserve', { reservationId, lines, clientNowMs, clientDeadlineMs });
  }
  confirmUnfenced(reservationId: string) {
    return this.now<T.ConfirmRes>('confirm', { reservationId, unfenced: true });
  }
}

export class NetworkPayment implements PaymentClient {
  constructor(
    private readonly routes: Routes,
    private readonly order: string,
    private readonly timeoutMs: number,
  ) {}
  charge(amount: number, opts?: CallOptions & { idempotencyKey?: string; order?: string }) {
    const order = opts?.order ?? this.order;
    const body = opts?.idempotencyKey === undefined ? { amount, order } : { amount, order, idempotencyKey: opts.idempotencyKey };
    return rpc<T.ChargeRes>(this.routes.payment, 'charge', body, opts?.timeoutMs ?? this.timeoutMs);
  }
  refund(opts: CallOptions & { idempotencyKey?: string; chargeId?: string; order?: string }) {
    const body: Record<string, unknown> = { order: opts.order ?? this.order };
    if (opts.idempotencyKey !== undefined) body.idempotencyKey = opts.idempotencyKey;
    if (opts.chargeId !== undefined) body.chargeId = opts.chargeId;
    return rpc<T.RefundRes>(this.routes.payment, 'refund', body, opts.timeoutMs ?? this.timeoutMs);
  }
}

export class NetworkLocks implements LockClient {
  constructor(
    private readonly routes: Routes,
    private readonly owner: string,
    private readonly timeoutMs: number,
  ) {}
  acquire(name: string, leaseTicks: number, opts?: CallOptions) {
    return rpc<T.LockRes>(this.routes.lock, 'lock', { name, owner: this.owner, leaseTicks }, opts?.timeoutMs ?? this.timeoutMs);
  }
  release(name: string, token: number, opts?: CallOptions) {
    return rpc<T.UnlockRes>(this.routes.lock, 'unlock', { name, owner: this.owner, token }, opts?.timeoutMs ?? this.timeoutMs);
  }
}

function withId<B extends Record<string, unknown>>(body: B, requestId: string | undefined): B & { requestId?: string } {
  return requestId === undefined ? body : { ...body, requestId };
}
