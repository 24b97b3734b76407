import { unitId, type OrderLine } from './types.js';
import type * as T from './dbTypes.js';

/** One item's state at the primary: the counter that strategies see, and the unit ledger. */
export interface ItemState {
  readonly id: string;
  readonly initial: number;
  /** The stock counter, as read and written by strategies. */
  stock: number;
  /** Bumped by every write of the counter: compare-and-set checks it. */
  version: number;
  /** Highest lock token seen by a fenced read or write of this item (DDIA Figure 8-5). */
  highestToken: number;
  /** owners[n] = orders that took unit n (1-based). Two entries = one vase sold twice. */
  readonly owners: string[][];
  /** reservedBy[n] = reservation holding unit n, or null. */
  readonly reservedBy: (string | null)[];
}

export interface Reservation {
  readonly id: string;
  readonly order: string;
  readonly app: string;
  readonly lines: readonly OrderLine[];
  readonly units: readonly string[];
  /** Fencing token: the sequence number at which it was granted; unique and increasing. */
  readonly token: number;
  readonly expiresAtSeq: number;
  state: T.ReservationState;
  /**
   * THE WRONG DESIGN (wall-clock-expiry only): a deadline in the owner's local clock. Such a
   * reservation never expires by sequence number; only a `reserve` carrying a later
   * `clientNowMs` (another machine's clock) reaps it.
   */
  readonly clientDeadlineMs?: number;
}

/** A committed change of a counter, shipped to replicas in sequence order. */
export interface LogEntry {
  readonly seq: number;
  readonly item: string;
  readonly stock: number;
  readonly version: number;
}

export type BadRequest = { ok: false; reason: 'bad-request'; message: string };

/** A change the primary made, reported to whoever listens (the trace, the replicas). */
export interface DbEvent {
  readonly op: string;
  readonly order?: string;
  readonly detail: Record<string, unknown>;
}

/**
 * The storage engine, and the seeds' InstantDB: a perfect, instantaneous database. Every
 * operation is atomic (it runs inside one kernel event). It holds, per item, the counter
 * strategies read and write *and* a ledger of physical units (`vase#1`..`vase#N`), so that the
 * invariants can say which vase went to which order.
 *
 * Time here is the logical sequence number `seq`, advanced by every committed mutation and by
 * the primary's own tick. Reservation leases are counted in it, never in a wall clock.
 */
export class InstantDB {
  seq = 0;
  readonly items = new Map<string, ItemState>();
  readonly reservations = new Map<string, Reservation>();
  readonly log: LogEntry[] = [];
  /** Stored outcomes by request id: a retried mutation gets the first outcome, not a second effect. */
  private readonly outcomes = new Map<string, unknown>();
  onCommit: ((e: LogEntry) => void) | null = null;
  onEvent: ((e: DbEvent) => void) | null = null;

  constructor(stock: ReadonlyArray<{ id: string; stock: number }>) {
    for (const { id, stock: n } of stock) {
      this.items.set(id, {
        id,
        initial: n,
        stock: n,
        version: 0,
        highestToken: 0,
        owners: Array.from({ length: n + 1 }, () => []),
        reservedBy: Array.from({ length: n + 1 }, () => null),
      });
    }
  }

  /**
   * Reservations still holding units that the primary's tick can expire (the world ticks while
   * this is non-zero). Wall-clock reservations (`clientDeadlineMs`) never expire by tick, so
   * they do not count: ticking for them would keep a run from ever going quiet.
   */
  heldCount(): number {
    let n = 0;
    for (const r of this.reservations.values()) if (r.state === 'held' && r.clientDeadlineMs === undefined) n++;
    return n;
  }

  /** The primary's own tick: advances logical time so idle reservations still expire. */
  tick(): void {
    this.seq++;
    this.expire();
  }

  /** Applies one request. Never throws on bad input: a bad request is answered as such. */
  apply(call: string, body: unknown): unknown {
    if (typeof body !== 'object' || body === null) return bad(`${call}: body must be an object`);
    const b = body as Record<string, unknown>;
    const requestId = typeof b.requestId === 'string' ? b.requestId : undefined;
    if (requestId !== undefined) {
      const key = `${call}:${requestId}`;
      const stored = this.outcomes.get(key);
      if (stored !== undefined) {
        this.event('dedup', b.order, { call, requestId });
        return stored;
      }
      const out = this.dispatch(call, b);
      this.outcomes.set(key, out);
      return out;
    }
    return this.dispatch(call, b);
  }

  private dispatch(call: string, b: Record<string, unknown>): unknown {
    switch (call) {
      case 'read': return this.read(b as unknown as T.ReadReq);
      case 'write': return this.write(b as unknown as T.WriteReq);
      case 'decrement': return this.decrement(b as unknown as T.DecrementReq);
      case 'cas': return Array.isArray(b.writes) ? this.casMany(b as unknown as T.CasManyReq) : this.cas(b as unknown as T.CasReq);
      case 'reserve': return this.reserve(b as unknown as T.ReserveReq);
      case 'confirm': return this.confirm(b as unknown as T.ConfirmReq);
      case 'release': return this.release(b as unknown as T.ReleaseReq);
      case 'fenced-write': return Array.isArray(b.writes) ? this.fencedWriteMany(b as unknown as T.FencedWriteManyReq) : this.fencedWrite(b as unknown as T.FencedWriteReq);
      case 'reservations': return this.listReservations(b as unknown as T.ReservationsReq);
      default: return bad(`unknown call ${JSON.stringify(call)}`);
    }
  }

  read(r: T.ReadReq): T.ReadReply | BadRequest {
    const it = this.item(r.item);
    if (!it) return bad(`read: unknown item ${JSON.stringify(r.item)}`);
    if (r.token !== undefined) {
      if (!isInt(r.token)) return bad('read: token must be an integer');
      if (r.token < it.highestToken) {
        this.event('read-refused', r.order, { item: it.id, token: r.token, highestToken: it.highestToken });
        return { ok: false, reason: 'stale-token', highestToken: it.highestToken };
      }
      it.highestToken = r.token;
    }
    // Reads change nothing, but explanations need what each order saw ("o3 read 10 at 51 ms").
    this.event('read', r.order, { item: it.id, stock: it.stock, version: it.version, seq: this.seq });
    return { ok: true, item: it.id, stock: it.stock, version: it.version, seq: this.seq };
  }

  /** The naive path: an absolute write of the counter, whatever it holds now. */
  write(r: T.WriteReq): T.WriteRes | BadRequest {
    const it = this.item(r.item);
    if (!it) return bad(`write: unknown item ${JSON.stringify(r.item)}`);
    if (!isInt(r.stock) || !isInt(r.qty) || typeof r.order !== 'string') return bad('write: needs integer stock and qty, and an order');
    const before = it.stock;
    this.setStock(it, r.stock);
    const units = this.claim(it, r.stock, r.qty, r.order);
    this.event('write', r.order, { item: it.id, from: before, to: r.stock, units });
    this.commit(it);
    return { ok: true, version: it.version };
  }

  /** Atomic "decrement if stock >= qty" over every line of the order (all or nothing). */
  decrement(r: T.DecrementReq): T.DecrementRes | BadRequest {
    const lines = this.lines(r.lines, 'decrement');
    if (!Array.isArray(lines)) return lines;
    // Checked per item over all lines: two lines of the same item must fit together.
    for (const [item, qty] of totals(lines)) {
      const it = this.items.get(item)!;
      if (it.stock < qty) {
        this.event('decrement-refused', r.order, { item: it.id, stock: it.stock, qty });
        return { ok: false, reason: 'insufficient', item: it.id, stock: it.stock };
      }
    }
    const units: string[] = [];
    for (const l of lines) {
      const it = this.items.get(l.item)!;
      const before = it.stock;
      this.setStock(it, before - l.qty);
      const got = this.claim(it, it.stock, l.qty, String(r.order));
      units.push(...got);
      this.event('decrement', r.order, { item: it.id, from: before, to: it.stock, units: got });
      this.commit(it);
    }
    return { ok: true, units };
  }

  cas(r: T.CasReq): T.CasRes | BadRequest {
    const it = this.item(r.item);
    if (!it) return bad(`cas: unknown item ${JSON.stringify(r.item)}`);
    if (!isInt(r.expectedVersion) || !isInt(r.stock) || !isInt(r.qty)) return bad('cas: needs integer expectedVersion, stock and qty');
    if (it.version !== r.expectedVersion) {
      this.event('cas-refused', r.order, { item: it.id, expectedVersion: r.expectedVersion, version: it.version });
      return { ok: false, reason: 'version-mismatch', version: it.version, stock: it.stock };
    }
    const before = it.stock;
    this.setStock(it, r.stock);
    const units = this.claim(it, r.stock, r.qty, String(r.order));
    this.event('cas', r.order, { item: it.id, from: before, to: r.stock, version: it.version, units });
    this.commit(it);
    return { ok: true, version: it.version };
  }

  /** Multi-item compare-and-set: every version must match, then every item is set (all or nothing). */
  casMany(r: T.CasManyReq): T.CasManyRes | BadRequest {
    const writes = this.writes<T.CasWrite>(r.writes, 'cas');
    if (!Array.isArray(writes)) return writes;
    for (const w of writes) {
      if (!isInt(w.expectedVersion) || !isInt(w.stock) || !isInt(w.qty)) return bad('cas: every write needs integer expectedVersion, stock and qty');
    }
    for (const w of writes) {
      const it = this.items.get(w.item)!;
      if (it.version !== w.expectedVersion) {
        this.event('cas-refused', r.order, { item: it.id, expectedVersion: w.expectedVersion, version: it.version });
        return { ok: false, reason: 'version-mismatch', item: it.id, version: it.version, stock: it.stock };
      }
    }
    const versions: number[] = [];
    for (const w of writes) {
      const it = this.items.get(w.item)!;
      const before = it.stock;
      this.setStock(it, w.stock);
      const units = this.claim(it, w.stock, w.qty, String(r.order));
      this.event('cas', r.order, { item: it.id, from: before, to: w.stock, version: it.version, units });
      this.commit(it);
      versions.push(it.version);
    }
    return { ok: true, versions };
  }

  reserve(r: T.ReserveReq): T.ReserveRes | BadRequest {
    const lines = this.lines(r.lines, 'reserve');
    if (!Array.isArray(lines)) return lines;
    const wallClock = r.clientDeadlineMs !== undefined;
    if (wallClock) {
      if (typeof r.reservationId !== 'string' || !isInt(r.clientDeadlineMs) || !isInt(r.clientNowMs)) {
        return bad('reserve: a wall-clock reservation needs a reservationId and integer clientDeadlineMs and clientNowMs');
      }
    } else if (typeof r.reservationId !== 'string' || !isInt(r.leaseTicks) || r.leaseTicks < 1) return bad('reserve: needs a reservationId and leaseTicks >= 1');
    const existing = this.reservations.get(r.reservationId);
    if (existing) {
      // A retry of the same reservation: answer what it is, never reserve twice.
      if (existing.state === 'held' || existing.state === 'confirmed') {
        return { ok: true, reservationId: existing.id, units: [...existing.units], token: existing.token, expiresAtSeq: existing.expiresAtSeq };
      }
      return bad(`reserve: reservation ${r.reservationId} was ${existing.state}; use a new id`);
    }
    if (wallClock) this.reapByClientClock(r.clientNowMs!, r.order);
    for (const [item, qty] of totals(lines)) {
      const it = this.items.get(item)!;
      if (it.stock < qty) {
        this.event('reserve-refused', r.order, { item: it.id, stock: it.stock, qty });
        return { ok: false, reason: 'insufficient', item: it.id, stock: it.stock };
      }
    }
    this.seq++;
    const token = this.seq;
    const units: string[] = [];
    for (const l of lines) {
      const it = this.items.get(l.item)!;
      let need = l.qty;
      for (let n = it.initial; n >= 1 && need > 0; n--) {
        if (it.owners[n].length === 0 && it.reservedBy[n] === null) {
          it.reservedBy[n] = r.reservationId;
          units.push(unitId(it.id, n));
          need--;
        }
      }
      this.setStock(it, it.stock - l.qty);
      this.log.push({ seq: this.seq, item: it.id, stock: it.stock, version: it.version });
      this.onCommit?.(this.log[this.log.length - 1]);
    }
    const res: Reservation = wallClock
      ? {
          id: r.reservationId, order: String(r.order), app: String(r.app ?? ''), lines, units, token,
          expiresAtSeq: Number.MAX_SAFE_INTEGER, state: 'held', clientDeadlineMs: r.clientDeadlineMs,
        }
      : {
          id: r.reservationId, order: String(r.order), app: String(r.app ?? ''), lines, units, token,
          expiresAtSeq: this.seq + r.leaseTicks, state: 'held',
        };
    this.reservations.set(res.id, res);
    this.event('reserve', r.order, wallClock
      ? { reservationId: res.id, units, token, clientDeadlineMs: r.clientDeadlineMs }
      : { reservationId: res.id, units, token, expiresAtSeq: res.expiresAtSeq });
    this.expire();
    return { ok: true, reservationId: res.id, units: [...units], token, expiresAtSeq: res.expiresAtSeq };
  }

  confirm(r: T.ConfirmReq): T.ConfirmRes | BadRequest {
    const res = this.reservations.get(String(r.reservationId));
    if (!res) return { ok: false, reason: 'unknown' };
    if (r.unfenced === true) return this.confirmUnfenced(res);
    if (res.token !== r.token) {
      this.event('confirm-refused', res.order, { reservationId: res.id, reason: 'stale-token', token: r.token });
      return { ok: false, reason: 'stale-token' };
    }
    if (res.state === 'confirmed') return { ok: true, units: [...res.units] };
    if (res.state !== 'held') {
      this.event('confirm-refused', res.order, { reservationId: res.id, reason: res.state });
      return { ok: false, reason: res.state };
    }
    this.seq++;
    res.state = 'confirmed';
    for (const u of res.units) {
      const { it, n } = this.unit(u);
      it.reservedBy[n] = null;
      it.owners[n].push(res.order);
    }
    this.event('confirm', res.order, { reservationId: res.id, units: [...res.units] });
    this.expire();
    return { ok: true, units: [...res.units] };
  }

  /**
   * THE WRONG DESIGN (wall-clock-expiry only): the app server decided on its own clock that its
   * lease is valid, and the primary believes it. The units are sold to the order even if the
   * reservation was reaped meanwhile (its units back in stock, maybe reserved by another order).
   */
  private confirmUnfenced(res: Reservation): T.ConfirmRes {
    if (res.state === 'confirmed') return { ok: true, units: [...res.units] };
    const was = res.state;
    this.seq++;
    res.state = 'confirmed';
    for (const u of res.units) {
      const { it, n } = this.unit(u);
      if (it.reservedBy[n] === res.id) it.reservedBy[n] = null;
      it.owners[n].push(res.order);
    }
    this.event(was === 'held' ? 'confirm' : 'confirm-unfenced', res.order, { reservationId: res.id, units: [...res.units], was });
    this.expire();
    return { ok: true, units: [...res.units] };
  }

  release(r: T.ReleaseReq): T.ReleaseRes {
    const res = this.reservations.get(String(r.reservationId));
    if (!res) return { ok: false, reason: 'unknown' };
    if (res.state === 'confirmed') return { ok: false, reason: 'confirmed' };
    if (res.state !== 'held') return { ok: true, released: [] };
    this.seq++;
    this.free(res, 'released');
    this.expire();
    return { ok: true, released: [...res.units] };
  }

  fencedWrite(r: T.FencedWriteReq): T.FencedWriteRes | BadRequest {
    const it = this.item(r.item);
    if (!it) return bad(`fenced-write: unknown item ${JSON.stringify(r.item)}`);
    if (!isInt(r.token) || !isInt(r.stock) || !isInt(r.qty)) return bad('fenced-write: needs integer token, stock and qty');
    if (r.token < it.highestToken) {
      this.event('fenced-write-refused', r.order, { item: it.id, token: r.token, highestToken: it.highestToken });
      return { ok: false, reason: 'stale-token', highestToken: it.highestToken };
    }
    it.highestToken = r.token;
    const before = it.stock;
    this.setStock(it, r.stock);
    const units = this.claim(it, r.stock, r.qty, String(r.order));
    this.event('fenced-write', r.order, { item: it.id, from: before, to: r.stock, token: r.token, units });
    this.commit(it);
    return { ok: true, version: it.version };
  }

  /** Multi-item fenced write: refused as a whole if any token is stale, else every item is set. */
  fencedWriteMany(r: T.FencedWriteManyReq): T.FencedWriteManyRes | BadRequest {
    const writes = this.writes<T.FencedWrite>(r.writes, 'fenced-write');
    if (!Array.isArray(writes)) return writes;
    for (const w of writes) {
      if (!isInt(w.token) || !isInt(w.stock) || !isInt(w.qty)) return bad('fenced-write: every write needs integer token, stock and qty');
    }
    for (const w of writes) {
      const it = this.items.get(w.item)!;
      if (w.token < it.highestToken) {
        this.event('fenced-write-refused', r.order, { item: it.id, token: w.token, highestToken: it.highestToken });
        return { ok: false, reason: 'stale-token', highestToken: it.highestToken, item: it.id };
      }
    }
    const versions: number[] = [];
    for (const w of writes) {
      const it = this.items.get(w.item)!;
      it.highestToken = w.token;
      const before = it.stock;
      this.setStock(it, w.stock);
      const units = this.claim(it, w.stock, w.qty, String(r.order));
      this.event('fenced-write', r.order, { item: it.id, from: before, to: w.stock, token: w.token, units });
      this.commit(it);
      versions.push(it.version);
    }
    return { ok: true, versions };
  }

  listReservations(r: T.ReservationsReq): T.ReservationsRes {
    const out: T.ReservationInfo[] = [];
    for (const res of this.reservations.values()) {
      if (res.app === r.app) out.push({ reservationId: res.id, order: res.order, state: res.state, units: [...res.units] });
    }
    return { ok: true, reservations: out };
  }

  private expire(): void {
    for (const res of this.reservations.values()) {
      if (res.state === 'held' && res.expiresAtSeq <= this.seq) this.free(res, 'expired');
    }
  }

  /**
   * THE WRONG DESIGN (wall-clock-expiry only): frees every wall-clock reservation whose
   * deadline, written in its owner's clock, is not after `clientNowMs`, read off the clock of
   * whoever is reserving now. Two clocks that disagree decide whether a lease is over.
   */
  private reapByClientClock(clientNowMs: number, reaper: unknown): void {
    let bumped = false;
    for (const res of this.reservations.values()) {
      if (res.state !== 'held' || res.clientDeadlineMs === undefined || res.clientDeadlineMs > clientNowMs) continue;
      if (!bumped) {
        this.seq++;
        bumped = true;
      }
      this.free(res, 'expired', 'reap', { deadlineMs: res.clientDeadlineMs, reaperNowMs: clientNowMs, reaper: String(reaper) });
    }
    if (bumped) this.expire();
  }

  private free(res: Reservation, state: 'released' | 'expired', op?: string, extra?: Record<string, unknown>): void {
    res.state = state;
    for (const u of res.units) {
      const { it, n } = this.unit(u);
      if (it.reservedBy[n] === res.id) it.reservedBy[n] = null;
    }
    for (const l of res.lines) {
      const it = this.items.get(l.item)!;
      this.setStock(it, it.stock + l.qty);
      this.log.push({ seq: this.seq, item: it.id, stock: it.stock, version: it.version });
      this.onCommit?.(this.log[this.log.length - 1]);
    }
    this.event(op ?? (state === 'expired' ? 'expire' : 'release'), res.order, { reservationId: res.id, units: [...res.units], ...(extra ?? {}) });
  }

  private setStock(it: ItemState, stock: number): void {
    it.stock = stock;
    it.version++;
  }

  /**
   * Maps a counter move onto physical units: an order that left the counter at `after` having
   * taken `qty` took units after+1..after+qty. Two orders that both wrote 9 both took vase#10.
   */
  private claim(it: ItemState, after: number, qty: number, order: string): string[] {
    const units: string[] = [];
    for (let n = after + 1; n <= after + qty; n++) {
      if (n >= 1 && n <= it.initial) {
        it.owners[n].push(order);
        units.push(unitId(it.id, n));
      }
    }
    return units;
  }

  private commit(it: ItemState): void {
    this.seq++;
    const e: LogEntry = { seq: this.seq, item: it.id, stock: it.stock, version: it.version };
    this.log.push(e);
    this.onCommit?.(e);
    this.expire();
  }

  private item(id: unknown): ItemState | undefined {
    return typeof id === 'string' ? this.items.get(id) : undefined;
  }

  private unit(u: string): { it: ItemState; n: number } {
    const i = u.lastIndexOf('#');
    return { it: this.items.get(u.slice(0, i))!, n: Number(u.slice(i + 1)) };
  }

  private lines(lines: unknown, call: string): OrderLine[] | BadRequest {
    if (!Array.isArray(lines) || lines.length === 0) return bad(`${call}: lines must be a non-empty array`);
    const out: OrderLine[] = [];
    for (const l of lines as unknown[]) {
      const x = l as Partial<OrderLine> | null;
      if (!x || typeof x.item !== 'string' || !this.items.has(x.item)) return bad(`${call}: unknown item ${JSON.stringify(x?.item)}`);
      if (!isInt(x.qty) || x.qty < 1) return bad(`${call}: qty must be a positive integer`);
      out.push({ item: x.item, qty: x.qty });
    }
    return out;
  }

  /** Validates the `writes` of a multi-item cas or fenced write: known, distinct items. */
  private writes<W extends { item: string }>(writes: unknown, call: string): W[] | BadRequest {
    if (!Array.isArray(writes) || writes.length === 0) return bad(`${call}: writes must be a non-empty array`);
    const seen = new Set<string>();
    for (const w of writes as unknown[]) {
      const x = w as Partial<W> | null;
      if (!x || typeof x.item !== 'string' || !this.items.has(x.item)) return bad(`${call}: unknown item ${JSON.stringify(x?.item)}`);
      if (seen.has(x.item)) return bad(`${call}: item ${JSON.stringify(x.item)} appears twice in writes`);
      seen.add(x.item);
    }
    return writes as W[];
  }

  private event(op: string, order: unknown, detail: Record<string, unknown>): void {
    this.onEvent?.({ op, order: typeof order === 'string' ? order : undefined, detail });
  }
}

/** Total quantity per item over an order's lines, in first-appearance order. */
function totals(lines: readonly OrderLine[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.item, (m.get(l.item) ?? 0) + l.qty);
  return m;
}

function bad(message: string): BadRequest {
  return { ok: false, reason: 'bad-request', message };
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}
