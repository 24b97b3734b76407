import { UnitLedger } from './unitLedger.js';
import { ReservationBook, type Reservation } from './reservations.js';
import { OutcomeCache } from './idempotency.js';
import { bad, decodeRequest, type DbRequest } from './dbRequests.js';
import * as counter from './counterOps.js';

export type { ItemState, LogEntry, DbEvent } from './unitLedger.js';
export type { Reservation } from './reservations.js';
export type { BadRequest } from './dbRequests.js';

/**
 * The storage engine, and the seeds' InstantDB: a perfect, instantaneous database. Every
 * operation is atomic (it runs inside one kernel event). It holds, per item, the counter
 * strategies read and write *and* a ledger of physical units (`vase#1`..`vase#N`), so that the
 * invariants can say which vase went to which order.
 *
 * Time here is the logical sequence number `seq`, advanced by every committed mutation and by
 * the primary's own tick. Reservation leases are counted in it, never in a wall clock.
 *
 * One request: idempotency cache (idempotency.ts), decoding (dbRequests.ts), then a counter
 * operation (counterOps.ts) or a reservation (reservations.ts) on the ledger (unitLedger.ts).
 */
export class InstantDB extends UnitLedger {
  private readonly book = new ReservationBook(this);
  private readonly outcomes = new OutcomeCache();

  /** The reservation book's entries (read through the book: a reset gives it a new Map). */
  get reservations(): Map<string, Reservation> {
    return this.book.all;
  }

  /** A world reset: the stock as at the start, no reservations, no stored outcomes. */
  override reset(stock: ReadonlyArray<{ id: string; stock: number }>): void {
    super.reset(stock);
    this.book.clear();
    this.outcomes.clear();
  }

  /** Reservations the primary's tick can still expire (see ReservationBook.heldCount). */
  heldCount(): number {
    return this.book.heldCount();
  }

  /** The primary's own tick: advances logical time so idle reservations still expire. */
  tick(): void {
    this.seq++;
    this.book.expire();
  }

  protected override afterCommit(): void {
    this.book.expire();
  }

  /** Applies one request. Never throws on bad input: a bad request is answered as such. */
  apply(call: string, body: unknown): unknown {
    if (typeof body !== 'object' || body === null) return bad(`${call}: body must be an object`);
    const fields = body as Readonly<Record<string, unknown>>;
    const requestId = fields.requestId;
    if (typeof requestId !== 'string') return this.handle(call, fields);
    const stored = this.outcomes.get(call, requestId);
    if (stored !== undefined) {
      this.emit('dedup', fields.order, { call, requestId });
      return stored;
    }
    const out = this.handle(call, fields);
    this.outcomes.set(call, requestId, out);
    return out;
  }

  private handle(call: string, fields: Readonly<Record<string, unknown>>): unknown {
    const req = decodeRequest(call, fields, this.items);
    return 'kind' in req ? this.dispatch(req) : req;
  }

  private dispatch(req: DbRequest): unknown {
    switch (req.kind) {
      case 'read': return counter.read(this, req);
      case 'write': return counter.write(this, req);
      case 'decrement': return counter.decrement(this, req);
      case 'cas': return counter.cas(this, req);
      case 'cas-many': return counter.casMany(this, req);
      case 'fenced-write': return counter.fencedWrite(this, req);
      case 'fenced-write-many': return counter.fencedWriteMany(this, req);
      case 'reserve': return this.book.reserve(req);
      case 'confirm': return this.book.confirm(req);
      case 'release': return this.book.release(req);
      case 'reservations': return this.book.list(req);
    }
  }
}
