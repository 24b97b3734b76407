import type { OrderLine } from './types.js';

/**
 * Requests and replies of the DB primary. Refusals are values (`ok: false` with a reason);
 * only a lost message turns into a timeout on the caller's side.
 */
export interface ReadReq { item: string; /** Fenced read: registers the lock token at the primary. */ token?: number }
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

export interface ReserveReq { lines: OrderLine[]; order: string; reservationId: string; leaseTicks: number; app?: string }
export type ReserveRes =
  | { ok: true; reservationId: string; units: string[]; token: number; expiresAtSeq: number }
  | { ok: false; reason: 'insufficient'; item: string; stock: number };

export interface ConfirmReq { reservationId: string; token: number }
export type ConfirmRes = { ok: true; units: string[] } | { ok: false; reason: 'expired' | 'released' | 'unknown' | 'stale-token' };

export interface ReleaseReq { reservationId: string }
export type ReleaseRes = { ok: true; released: string[] } | { ok: false; reason: 'confirmed' | 'unknown' };

export interface FencedWriteReq { item: string; stock: number; token: number; order: string; qty: number; requestId?: string }
export type FencedWriteRes = { ok: true; version: number } | StaleToken;

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
