import { unitId, unitParts } from './types.js';
import { emptyObjects } from '../sim/packed.js';
import { arrayOfOne } from '../sim/untracked.js';

/**
 * One item's state at the primary: the counter that strategies see, and the unit ledger. A
 * class, not a literal, so that V8 never pretenures it: it lives for the whole run
 * (src/sim/untracked.ts).
 */
export class ItemState {
  readonly id: string;
  readonly initial: number;
  /** The stock counter, as read and written by strategies. */
  stock: number;
  /** Bumped by every write of the counter: compare-and-set checks it. */
  version: number;
  /** Highest lock token seen by a fenced read or write of this item (DDIA Figure 8-5). */
  highestToken: number;
  /** owners[n] = orders that took unit n (1-based). Two entries = one vase sold twice. Written by addOwner() only. */
  readonly owners: (readonly string[])[];
  /** reservedBy[n] = reservation holding unit n, or null. */
  readonly reservedBy: (string | null)[];
  /**
   * Units sold that do not exist: a committed SQL change took the counter below zero (the
   * unguarded decrement), so the order's units are numbered 0, -1, ... The counter still
   * balances against them (the books balance; the shop oversold).
   */
  phantomUnits: number;

  constructor(id: string, initial: number, owners: (readonly string[])[], reservedBy: (string | null)[]) {
    this.id = id;
    this.initial = initial;
    this.stock = initial;
    this.version = 0;
    this.highestToken = 0;
    this.owners = owners;
    this.reservedBy = reservedBy;
    this.phantomUnits = 0;
  }
}

/**
 * Every unit's owners before anyone took it: one shared empty list, replaced (never written)
 * by addOwner. Not frozen: a frozen array has maps of its own, and the readers of owners[n]
 * (invariants, reservations) would see two kinds of array where they saw one.
 */
const NO_OWNERS: readonly string[] = [];

/**
 * Unit `n` of `it` goes to `order` too (a second owner is a vase sold twice). Each unit's list
 * is replaced by one of exact size rather than pushed to: a pushed-to fresh [] reserves 17
 * slots, and most units end with one owner or none (a tenth of a naive run's garbage was these).
 */
export function addOwner(it: ItemState, n: number, order: string): void {
  const owners = it.owners[n];
  // arrayOfOne, not [order]: a unit's owners live for the whole run, and V8 pretenures a literal's run-long arrays (src/sim/untracked.ts).
  it.owners[n] = owners.length === 0 ? arrayOfOne(order) : owners.concat(order);
}

/** A committed change of a counter, shipped to replicas in sequence order (a class, not a literal: src/sim/untracked.ts). */
export class LogEntry {
  readonly seq: number;
  readonly item: string;
  readonly stock: number;
  readonly version: number;

  constructor(seq: number, item: string, stock: number, version: number) {
    this.seq = seq;
    this.item = item;
    this.stock = stock;
    this.version = version;
  }
}

/** A change the primary made, reported to whoever listens (the trace, the replicas). */
export interface DbEvent {
  readonly op: string;
  readonly order?: string;
  readonly detail: Record<string, unknown>;
}

/**
 * The primary's state: per item the counter and the ledger of physical units, the logical
 * sequence number `seq` (the primary's only clock), and the commit log replicas apply.
 *
 * A counter move is mapped onto units (`claim`), so that invariants can say which vase went to
 * which order even for strategies that only ever write a number.
 */
export class UnitLedger {
  seq = 0;
  items = new Map<string, ItemState>();
  log: LogEntry[] = emptyObjects();
  onCommit: ((e: LogEntry) => void) | null = null;
  onEvent: ((e: DbEvent) => void) | null = null;

  constructor(stock: ReadonlyArray<{ id: string; stock: number }>) {
    this.stockUp(stock);
  }

  /**
   * A world reset: the stock as at the start, sequence 0, an empty log. Every item is a new
   * object (a violation found in the last run reads its item's units when its words are
   * asked for, after this run has moved on); the listeners (the wiring) stay.
   */
  reset(stock: ReadonlyArray<{ id: string; stock: number }>): void {
    this.seq = 0;
    // A new Map, not clear() (idempotency.ts says why).
    this.items = new Map();
    this.stockUp(stock);
    this.log = emptyObjects();
  }

  private stockUp(stock: ReadonlyArray<{ id: string; stock: number }>): void {
    for (const { id, stock: n } of stock) {
      // Plain loops: Array.from with a mapper was a third of what building a world cost.
      // Built by copies and a class, not literals: they live for the whole run, so under V8's
      // defaults literals here would be pretenured (src/sim/untracked.ts).
      const owners = emptyObjects<readonly string[]>();
      const reservedBy = emptyObjects<string | null>();
      for (let u = 0; u <= n; u++) {
        owners.push(NO_OWNERS);
        reservedBy.push(null);
      }
      this.items.set(id, new ItemState(id, n, owners, reservedBy));
    }
  }

  /** Runs after every commit moved `seq`: leases counted in it may have run out. */
  protected afterCommit(): void {}

  setStock(it: ItemState, stock: number): void {
    it.stock = stock;
    it.version++;
  }

  /**
   * Maps a counter move onto physical units: an order that left the counter at `after` having
   * taken `qty` took units after+1..after+qty. Two orders that both wrote 9 both took vase#10.
   */
  claim(it: ItemState, after: number, qty: number, order: string): string[] {
    if (qty === 1) {
      // One unit, the usual order: an array of one (push() on a fresh [] reserves 17 slots).
      const n = after + 1;
      if (n < 1 || n > it.initial) return [];
      addOwner(it, n, order);
      return [unitId(it.id, n)];
    }
    const units: string[] = [];
    for (let n = after + 1; n <= after + qty; n++) {
      if (n >= 1 && n <= it.initial) {
        addOwner(it, n, order);
        units.push(unitId(it.id, n));
      }
    }
    return units;
  }

  /** Commits a change of one counter: a new sequence number and a log entry. */
  commit(it: ItemState): void {
    this.seq++;
    this.append(it);
    this.afterCommit();
  }

  /** Logs the item's counter at the current sequence number (no new number: a batch shares one). */
  append(it: ItemState): void {
    const e: LogEntry = new LogEntry(this.seq, it.id, it.stock, it.version);
    this.log.push(e);
    this.onCommit?.(e);
  }

  /** The item and 1-based unit number of a unit id (`vase#3`). */
  unit(u: string): { it: ItemState; n: number } {
    const p = unitParts(u);
    return { it: this.items.get(p.item)!, n: p.n };
  }

  emit(op: string, order: unknown, detail: Record<string, unknown>): void {
    this.onEvent?.({ op, order: typeof order === 'string' ? order : undefined, detail });
  }
}
