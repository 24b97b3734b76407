import { firstShortItem, unitId, type OrderLine } from './types.js';
import { bad, type BadRequest, type ConfirmRequest, type ReleaseRequest, type ReservationsRequest, type ReserveRequest } from './dbRequests.js';
import { addOwner, type UnitLedger } from './unitLedger.js';
import type * as T from './dbTypes.js';

/**
 * A reservation as granted: a class, not a literal, so that V8 never pretenures it (it lives
 * for the whole run: src/sim/untracked.ts).
 */
export class Reservation {
  readonly id: string;
  readonly order: string;
  readonly app: string;
  readonly lines: readonly OrderLine[];
  readonly units: readonly string[];
  /** Fencing token: the sequence number at which it was granted; unique and increasing. */
  readonly token: number;
  readonly expiresAtSeq: number;
  state: T.ReservationState = 'held';
  /**
   * THE WRONG DESIGN (wall-clock-expiry only): a deadline in the owner's local clock. Such a
   * reservation never expires by sequence number; only a `reserve` carrying a later
   * `clientNowMs` (another machine's clock) reaps it.
   */
  declare readonly clientDeadlineMs?: number;

  constructor(id: string, order: string, app: string, lines: readonly OrderLine[], units: readonly string[], token: number, expiresAtSeq: number) {
    this.id = id;
    this.order = order;
    this.app = app;
    this.lines = lines;
    this.units = units;
    this.token = token;
    this.expiresAtSeq = expiresAtSeq;
  }
}

/** THE WRONG DESIGN's reservation (wall-clock-expiry): no lease by sequence number, a deadline in the owner's clock, last. */
class DeadlineReservation extends Reservation {
  override readonly clientDeadlineMs: number;

  constructor(id: string, order: string, app: string, lines: readonly OrderLine[], units: readonly string[], token: number, clientDeadlineMs: number) {
    super(id, order, app, lines, units, token, Number.MAX_SAFE_INTEGER);
    this.clientDeadlineMs = clientDeadlineMs;
  }
}

/** Where reserve() gathers a grant's units before copying them out at their exact size (emptied after each use). */
const UNITS_SCRATCH: string[] = [];

/**
 * Reservations and their leases: specific units held for an order under a lease counted in the
 * primary's sequence number, with a fencing token; confirmed (sold), released, or expired when
 * `seq` passes the lease. Every change of a held unit's counter goes to the ledger's log.
 */
export class ReservationBook {
  all = new Map<string, Reservation>();
  /**
   * Held reservations the tick can expire, counted as they change state (settle()): the
   * primary's ticker asks after every tick, and a pass over every reservation each time was
   * 1 % of a chaos run (docs/benchmarks.md, round 6).
   */
  private tickHeld = 0;
  /**
   * No held reservation's lease ends before this sequence number (a lower bound: a lease that
   * ended otherwise may leave it too low, never too high). expire() runs after every commit
   * and tick; below the bound its pass over every reservation would free nothing.
   */
  private nextExpirySeq = Infinity;

  constructor(private readonly ledger: UnitLedger) {}

  /** A world reset: no reservations. */
  clear(): void {
    // A new Map, not clear() (idempotency.ts says why).
    this.all = new Map();
    this.tickHeld = 0;
    this.nextExpirySeq = Infinity;
  }

  /**
   * Reservations still holding units that the primary's tick can expire (the world ticks while
   * this is non-zero). Wall-clock reservations (`clientDeadlineMs`) never expire by tick, so
   * they do not count: ticking for them would keep a run from ever going quiet.
   */
  heldCount(): number {
    return this.tickHeld;
  }

  /** Every change of a reservation's state: keeps heldCount() (a held one leaves it). */
  private settle(res: Reservation, state: T.ReservationState): void {
    if (res.state === 'held' && res.clientDeadlineMs === undefined) this.tickHeld--;
    res.state = state;
  }

  reserve(r: ReserveRequest): T.ReserveRes | BadRequest {
    const ledger = this.ledger;
    const existing = this.all.get(r.reservationId);
    if (existing) {
      // A retry of the same reservation: answer what it is, never reserve twice.
      if (existing.state === 'held' || existing.state === 'confirmed') {
        return { ok: true, reservationId: existing.id, units: [...existing.units], token: existing.token, expiresAtSeq: existing.expiresAtSeq };
      }
      return bad(`reserve: reservation ${r.reservationId} was ${existing.state}; use a new id`);
    }
    const { lease } = r;
    if ('clientNowMs' in lease) this.reapByClientClock(lease.clientNowMs, r.order);
    const short = firstShortItem(r.lines, ledger.items);
    if (short !== null) {
      const it = ledger.items.get(short.item)!;
      ledger.emit('reserve-refused', r.order, { item: it.id, stock: it.stock, qty: short.qty });
      return { ok: false, reason: 'insufficient', item: it.id, stock: it.stock };
    }
    ledger.seq++;
    const token = ledger.seq;
    const units0 = UNITS_SCRATCH;
    units0.length = 0; // also after a throw in the loop below (a run that failed must not leak into the next)
    for (const l of r.lines) {
      const it = ledger.items.get(l.item)!;
      let need = l.qty;
      for (let n = it.initial; n >= 1 && need > 0; n--) {
        if (it.owners[n].length === 0 && it.reservedBy[n] === null) {
          it.reservedBy[n] = r.reservationId;
          units0.push(unitId(it.id, n));
          need--;
        }
      }
      ledger.setStock(it, it.stock - l.qty);
      ledger.append(it);
    }
    // An exact-size copy: a fresh [] that is pushed to reserves 17 slots (round 3's addOwner).
    const units = units0.slice();
    units0.length = 0;
    const { reservationId: id, app, lines } = r;
    const order = String(r.order);
    const res: Reservation = 'clientNowMs' in lease
      ? new DeadlineReservation(id, order, app, lines, units, token, lease.clientDeadlineMs)
      : new Reservation(id, order, app, lines, units, token, ledger.seq + lease.ticks);
    this.all.set(res.id, res);
    if (res.clientDeadlineMs === undefined) this.tickHeld++;
    if (res.expiresAtSeq < this.nextExpirySeq) this.nextExpirySeq = res.expiresAtSeq;
    ledger.emit('reserve', r.order, 'clientNowMs' in lease
      ? { reservationId: res.id, units, token, clientDeadlineMs: lease.clientDeadlineMs }
      : { reservationId: res.id, units, token, expiresAtSeq: res.expiresAtSeq });
    this.expire();
    return { ok: true, reservationId: res.id, units: [...units], token, expiresAtSeq: res.expiresAtSeq };
  }

  confirm(r: ConfirmRequest): T.ConfirmRes {
    const ledger = this.ledger;
    const res = this.all.get(r.reservationId);
    if (!res) return { ok: false, reason: 'unknown' };
    if (r.unfenced) return this.confirmUnfenced(res);
    if (res.token !== r.token) {
      ledger.emit('confirm-refused', res.order, { reservationId: res.id, reason: 'stale-token', token: r.token });
      return { ok: false, reason: 'stale-token' };
    }
    if (res.state === 'confirmed') return { ok: true, units: [...res.units] };
    if (res.state !== 'held') {
      ledger.emit('confirm-refused', res.order, { reservationId: res.id, reason: res.state });
      return { ok: false, reason: res.state };
    }
    ledger.seq++;
    this.settle(res, 'confirmed');
    for (const u of res.units) {
      const { it, n } = ledger.unit(u);
      it.reservedBy[n] = null;
      addOwner(it, n, res.order);
    }
    ledger.emit('confirm', res.order, { reservationId: res.id, units: [...res.units] });
    this.expire();
    return { ok: true, units: [...res.units] };
  }

  /**
   * THE WRONG DESIGN (wall-clock-expiry only): the app server decided on its own clock that its
   * lease is valid, and the primary believes it. The units are sold to the order even if the
   * reservation was reaped meanwhile (its units back in stock, maybe reserved by another order).
   */
  private confirmUnfenced(res: Reservation): T.ConfirmRes {
    const ledger = this.ledger;
    if (res.state === 'confirmed') return { ok: true, units: [...res.units] };
    const was = res.state;
    ledger.seq++;
    this.settle(res, 'confirmed');
    for (const u of res.units) {
      const { it, n } = ledger.unit(u);
      if (it.reservedBy[n] === res.id) it.reservedBy[n] = null;
      addOwner(it, n, res.order);
    }
    ledger.emit(was === 'held' ? 'confirm' : 'confirm-unfenced', res.order, { reservationId: res.id, units: [...res.units], was });
    this.expire();
    return { ok: true, units: [...res.units] };
  }

  release(r: ReleaseRequest): T.ReleaseRes {
    const res = this.all.get(r.reservationId);
    if (!res) return { ok: false, reason: 'unknown' };
    if (res.state === 'confirmed') return { ok: false, reason: 'confirmed' };
    if (res.state !== 'held') return { ok: true, released: [] };
    this.ledger.seq++;
    this.free(res, 'released');
    this.expire();
    return { ok: true, released: [...res.units] };
  }

  list(r: ReservationsRequest): T.ReservationsRes {
    const out: T.ReservationInfo[] = [];
    for (const res of this.all.values()) {
      if (res.app === r.app) out.push({ reservationId: res.id, order: res.order, state: res.state, units: [...res.units] });
    }
    return { ok: true, reservations: out };
  }

  /** Frees every held reservation whose lease the sequence number has reached. */
  expire(): void {
    const seq = this.ledger.seq;
    if (seq < this.nextExpirySeq) return;
    // The same pass, in the same order, as without the bound; it also finds the next bound.
    let next = Infinity;
    for (const res of this.all.values()) {
      if (res.state !== 'held') continue;
      if (res.expiresAtSeq <= seq) this.free(res, 'expired');
      else if (res.expiresAtSeq < next) next = res.expiresAtSeq;
    }
    this.nextExpirySeq = next;
  }

  /**
   * THE WRONG DESIGN (wall-clock-expiry only): frees every wall-clock reservation whose
   * deadline, written in its owner's clock, is not after `clientNowMs`, read off the clock of
   * whoever is reserving now. Two clocks that disagree decide whether a lease is over.
   */
  private reapByClientClock(clientNowMs: number, reaper: string | undefined): void {
    let bumped = false;
    for (const res of this.all.values()) {
      if (res.state !== 'held' || res.clientDeadlineMs === undefined || res.clientDeadlineMs > clientNowMs) continue;
      if (!bumped) {
        this.ledger.seq++;
        bumped = true;
      }
      this.free(res, 'expired', 'reap', { deadlineMs: res.clientDeadlineMs, reaperNowMs: clientNowMs, reaper: String(reaper) });
    }
    if (bumped) this.expire();
  }

  private free(res: Reservation, state: 'released' | 'expired', op?: string, extra?: Record<string, unknown>): void {
    const ledger = this.ledger;
    this.settle(res, state);
    for (const u of res.units) {
      const { it, n } = ledger.unit(u);
      if (it.reservedBy[n] === res.id) it.reservedBy[n] = null;
    }
    for (const l of res.lines) {
      const it = ledger.items.get(l.item)!;
      ledger.setStock(it, it.stock + l.qty);
      ledger.append(it);
    }
    // A literal of fixed shape unless a reap adds its fields (a spread of {} was the slow path on every release).
    const detail = extra === undefined ? { reservationId: res.id, units: [...res.units] } : { reservationId: res.id, units: [...res.units], ...extra };
    ledger.emit(op ?? (state === 'expired' ? 'expire' : 'release'), res.order, detail);
  }
}
