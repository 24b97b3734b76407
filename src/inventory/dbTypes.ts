import type { OrderLine } from './types.js';

/**
 * Requests and replies of the DB primary. Refusals are values (`ok: false` with a reason);
 * only a lost message turns into a timeout on the caller's side.
 */
export interface ReadReq { item: string; order?: string; /** Fenced read: registers the lock token at the primary. */ token?: number }
export interface ReadRes { ok: true; item: string; stock: number; version: number; seq: number }
export type StaleToken = { ok: false; reason: 'stale-token'; highestToken: number };
/** A read answers the counter, or (fenced read) refuses a stale token. */
export type ReadReply = ReadRes | StaleToken;

export interface WriteReq { item: string; stock: number; order: string; qty: number; requestId?: string }
export interface WriteRes { ok: true; version: number }

export interface DecrementReq { lines: OrderLine[]; order: string; requestId?: string }
export type DecrementRes = { ok: true; units: string[] } | { ok: false; reason: 'insufficient'; item: string; stock: number };

export interface CasReq { item: string; expectedVersion: number; stock: number; order: string; qty: number; requestId?: string }
export type CasRes = { ok: true; version: number } | { ok: false; reason: 'version-mismatch'; version: number; stock: number };

/** One item of a multi-item compare-and-set: set `item` to `stock` if its version is still `expectedVersion`. */
export interface CasWrite { item: string; expectedVersion: number; stock: number; qty: number }
/**
 * Multi-item compare-and-set (the `cas` call with `writes` instead of `item`): all or nothing,
 * so a cart of several items commits atomically or not at all (an optimistic transaction).
 */
export interface CasManyReq { writes: CasWrite[]; order: string; requestId?: string }
export type CasManyRes =
  | { ok: true; versions: number[] }
  | { ok: false; reason: 'version-mismatch'; item: string; version: number; stock: number };

export interface ReserveReq {
  lines: OrderLine[];
  order: string;
  reservationId: string;
  leaseTicks: number;
  app?: string;
  /**
   * THE WRONG DESIGN (wall-clock-expiry only): a deadline in the *caller's* local clock instead
   * of a lease in the primary's sequence number. When set, `leaseTicks` is ignored, the
   * reservation never expires by itself, and the primary first reaps every wall-clock
   * reservation whose deadline is <= `clientNowMs` (the caller's clock, compared with another
   * machine's deadline). See src/inventory/strategies/wallClockExpiry.ts.
   */
  clientDeadlineMs?: number;
  /** THE WRONG DESIGN: the caller's local time, used to reap other reservations (see above). */
  clientNowMs?: number;
}
export type ReserveRes =
  | { ok: true; reservationId: string; units: string[]; token: number; expiresAtSeq: number }
  | { ok: false; reason: 'insufficient'; item: string; stock: number };

export interface ConfirmReq {
  reservationId: string;
  token: number;
  /**
   * THE WRONG DESIGN (wall-clock-expiry only): confirm without a fencing token, trusting the
   * caller's clock that its lease is still valid. The primary sells the reservation's units to
   * its order whatever happened to the reservation meanwhile (even if it was reaped and its
   * units reserved again), exactly like `UPDATE units SET sold_to = ? WHERE id IN (...)`.
   */
  unfenced?: boolean;
}
export type ConfirmRes = { ok: true; units: string[] } | { ok: false; reason: 'expired' | 'released' | 'unknown' | 'stale-token' };

export interface ReleaseReq { reservationId: string }
export type ReleaseRes = { ok: true; released: string[] } | { ok: false; reason: 'confirmed' | 'unknown' };

export interface FencedWriteReq { item: string; stock: number; token: number; order: string; qty: number; requestId?: string }
export type FencedWriteRes = { ok: true; version: number } | StaleToken;

/** One item of a multi-item fenced write, carrying the token of that item's lock. */
export interface FencedWrite { item: string; stock: number; qty: number; token: number }
/**
 * Multi-item fenced write (the `fenced-write` call with `writes`): all or nothing; refused as a
 * whole if any token is older than the highest token its item has seen.
 */
export interface FencedWriteManyReq { writes: FencedWrite[]; order: string; requestId?: string }
export type FencedWriteManyRes = { ok: true; versions: number[] } | (StaleToken & { item: string });

export interface ReservationsReq { app: string }
export interface ReservationInfo { reservationId: string; order: string; state: ReservationState; units: string[] }
export interface ReservationsRes { ok: true; reservations: ReservationInfo[] }

export type ReservationState = 'held' | 'confirmed' | 'released' | 'expired';

export interface LockReq { name: string; owner: string; leaseTicks: number }
export type LockRes = { ok: true; token: number; expiresAtTick: number } | { ok: false; reason: 'held'; holder: string };
export interface UnlockReq { name: string; owner: string; token: number }
export type UnlockRes = { ok: true } | { ok: false; reason: 'not-holder' };

export interface ChargeReq { order: string; amount: number; idempotencyKey?: string }
export type ChargeRes = { ok: true; chargeId: string } | { ok: false; reason: 'declined' };
export interface RefundReq { order: string; idempotencyKey?: string; chargeId?: string }
export type RefundRes = { ok: true; refunded: number };
