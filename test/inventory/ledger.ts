// Hand-built states for the invariant tests: a primary's unit ledger, reservations, the payment
// provider's charges and the order records, written the way a person describes a run ("o1 and
// o2 both hold vase#3"), with no simulator involved.
import type { JudgedItem, JudgedReservation, JudgedState } from '../../src/inventory/invariants.js';
import type { ReservationState } from '../../src/inventory/dbTypes.js';
import type { OrderAnswer, OrderLine } from '../../src/inventory/types.js';
import type { OrderRecord, OrderStatus } from '../../src/inventory/world.js';

interface Item {
  id: string;
  initial: number;
  stock: number;
  owners: string[][];
  reservedBy: (string | null)[];
  phantomUnits?: number;
}

export class Ledger implements JudgedState {
  private readonly itemMap = new Map<string, Item>();
  readonly reservationMap = new Map<string, JudgedReservation>();
  /** The primary's sequence number (leases are counted in it); unset unless a test sets it. */
  seq: number | undefined = undefined;
  readonly charges: Array<{ chargeId: string; order: string; refunded: boolean }> = [];
  readonly orders: OrderRecord[] = [];

  get db(): JudgedState['db'] {
    return { items: this.itemMap as ReadonlyMap<string, JudgedItem>, reservations: this.reservationMap, ...(this.seq === undefined ? {} : { seq: this.seq }) };
  }

  get payments(): JudgedState['payments'] {
    return { charges: this.charges };
  }

  /** An item with `initial` units, none taken, the counter at `initial` unless told otherwise. */
  item(id: string, initial: number, stock = initial): this {
    this.itemMap.set(id, {
      id,
      initial,
      stock,
      owners: Array.from({ length: initial + 1 }, () => []),
      reservedBy: Array.from({ length: initial + 1 }, () => null),
    });
    return this;
  }

  /** Units sold below zero (a SQL counter taken negative). */
  phantom(id: string, units: number): this {
    this.get(id).phantomUnits = units;
    return this;
  }

  /** Sets the counter as a strategy's write would. */
  counter(id: string, stock: number): this {
    this.get(id).stock = stock;
    return this;
  }

  /** Unit n of the item goes to each order given (two orders: one vase sold twice). The counter is not touched. */
  sell(id: string, n: number, ...orders: string[]): this {
    this.get(id).owners[n].push(...orders);
    return this;
  }

  /** Unit n is held by a reservation. */
  hold(id: string, n: number, reservation: string): this {
    this.get(id).reservedBy[n] = reservation;
    return this;
  }

  /** `lease`: the grant's token and either a lease in seq or a wall-clock deadline (no lease at the primary). */
  reservation(id: string, order: string, units: string[], state: ReservationState, lease?: { token: number; expiresAtSeq?: number; clientDeadlineMs?: number }): this {
    this.reservationMap.set(id, lease ? { id, order, units, state, ...lease } : { order, units, state });
    return this;
  }

  charge(order: string, refunded = false): this {
    this.charges.push({ chargeId: `ch${this.charges.length + 1}`, order, refunded });
    return this;
  }

  /** An order record; `answer` null with status 'unknown' for a customer who never heard back. */
  order(id: string, answer: OrderAnswer | null, opts: { lines?: OrderLine[]; status?: OrderStatus; reason?: string; error?: string } = {}): this {
    this.orders.push({
      order: { id, app: 'app1', atMs: 0, lines: opts.lines ?? [{ item: 'vase', qty: 1 }] },
      status: opts.status ?? (answer === null ? 'unknown' : 'answered'),
      answer,
      reason: opts.reason ?? null,
      error: opts.error ?? null,
      startMs: 0,
      endMs: answer === null ? null : 10,
    });
    return this;
  }

  private get(id: string): Item {
    const it = this.itemMap.get(id);
    if (!it) throw new Error(`no item ${id} in this ledger`);
    return it;
  }
}

/**
 * A calm, consistent run to start each case from: 3 vases, o1 and o2 placed, holding vase#3
 * and vase#2 and charged once each; o3 answered FAILED and holds nothing; the counter says 1.
 */
export function soldTwoOfThree(): Ledger {
  return new Ledger()
    .item('vase', 3, 1)
    .sell('vase', 3, 'o1')
    .sell('vase', 2, 'o2')
    .order('o1', 'ORDER_PLACED')
    .order('o2', 'ORDER_PLACED')
    .order('o3', 'FAILED')
    .charge('o1')
    .charge('o2');
}
