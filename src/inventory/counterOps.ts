import { firstShortItem } from './types.js';
import type { CasManyRequest, CasRequest, DecrementRequest, FencedWriteManyRequest, FencedWriteRequest, ReadRequest, WriteRequest } from './dbRequests.js';
import type { ItemState, UnitLedger } from './unitLedger.js';
import type * as T from './dbTypes.js';

/**
 * The counter operations of the primary, each atomic (one kernel event): reads, the naive
 * absolute write, the conditional decrement, compare-and-set on a version and the fenced
 * write (single- and multi-item). Requests arrive decoded (dbRequests.ts); each op checks its
 * precondition against the ledger, then moves counters and claims units, or refuses as a value.
 */

export function read(ledger: UnitLedger, r: ReadRequest): T.ReadReply {
  const it = ledger.items.get(r.item)!;
  if (r.token !== undefined) {
    if (r.token < it.highestToken) {
      ledger.emit('read-refused', r.order, { item: it.id, token: r.token, highestToken: it.highestToken });
      return { ok: false, reason: 'stale-token', highestToken: it.highestToken };
    }
    it.highestToken = r.token;
  }
  // Reads change nothing, but explanations need what each order saw ("o3 read 10 at 51 ms").
  ledger.emit('read', r.order, { item: it.id, stock: it.stock, version: it.version, seq: ledger.seq });
  return { ok: true, item: it.id, stock: it.stock, version: it.version, seq: ledger.seq };
}

/** The naive path: an absolute write of the counter, whatever it holds now. */
export function write(ledger: UnitLedger, r: WriteRequest): T.WriteRes {
  const it = ledger.items.get(r.item)!;
  moveCounter(ledger, it, r.stock, r.qty, r.order, 'write');
  return { ok: true, version: it.version };
}

/** Atomic "decrement if stock >= qty" over every line of the order (all or nothing). */
export function decrement(ledger: UnitLedger, r: DecrementRequest): T.DecrementRes {
  // Checked per item over all lines: two lines of the same item must fit together.
  const short = firstShortItem(r.lines, ledger.items);
  if (short !== null) {
    const it = ledger.items.get(short.item)!;
    ledger.emit('decrement-refused', r.order, { item: it.id, stock: it.stock, qty: short.qty });
    return { ok: false, reason: 'insufficient', item: it.id, stock: it.stock };
  }
  const units: string[] = [];
  for (const l of r.lines) {
    const it = ledger.items.get(l.item)!;
    units.push(...moveCounter(ledger, it, it.stock - l.qty, l.qty, r.order, 'decrement'));
  }
  return { ok: true, units };
}

export function cas(ledger: UnitLedger, r: CasRequest): T.CasRes {
  const it = ledger.items.get(r.item)!;
  if (it.version !== r.expectedVersion) {
    ledger.emit('cas-refused', r.order, { item: it.id, expectedVersion: r.expectedVersion, version: it.version });
    return { ok: false, reason: 'version-mismatch', version: it.version, stock: it.stock };
  }
  moveCounter(ledger, it, r.stock, r.qty, r.order, 'cas', 'version');
  return { ok: true, version: it.version };
}

/** Multi-item compare-and-set: every version must match, then every item is set (all or nothing). */
export function casMany(ledger: UnitLedger, r: CasManyRequest): T.CasManyRes {
  for (const w of r.writes) {
    const it = ledger.items.get(w.item)!;
    if (it.version !== w.expectedVersion) {
      ledger.emit('cas-refused', r.order, { item: it.id, expectedVersion: w.expectedVersion, version: it.version });
      return { ok: false, reason: 'version-mismatch', item: it.id, version: it.version, stock: it.stock };
    }
  }
  const versions: number[] = [];
  for (const w of r.writes) {
    const it = ledger.items.get(w.item)!;
    moveCounter(ledger, it, w.stock, w.qty, r.order, 'cas', 'version');
    versions.push(it.version);
  }
  return { ok: true, versions };
}

export function fencedWrite(ledger: UnitLedger, r: FencedWriteRequest): T.FencedWriteRes {
  const it = ledger.items.get(r.item)!;
  if (r.token < it.highestToken) {
    ledger.emit('fenced-write-refused', r.order, { item: it.id, token: r.token, highestToken: it.highestToken });
    return { ok: false, reason: 'stale-token', highestToken: it.highestToken };
  }
  it.highestToken = r.token;
  moveCounter(ledger, it, r.stock, r.qty, r.order, 'fenced-write', 'token', r.token);
  return { ok: true, version: it.version };
}

/** Multi-item fenced write: refused as a whole if any token is stale, else every item is set. */
export function fencedWriteMany(ledger: UnitLedger, r: FencedWriteManyRequest): T.FencedWriteManyRes {
  for (const w of r.writes) {
    const it = ledger.items.get(w.item)!;
    if (w.token < it.highestToken) {
      ledger.emit('fenced-write-refused', r.order, { item: it.id, token: w.token, highestToken: it.highestToken });
      return { ok: false, reason: 'stale-token', highestToken: it.highestToken, item: it.id };
    }
  }
  const versions: number[] = [];
  for (const w of r.writes) {
    const it = ledger.items.get(w.item)!;
    it.highestToken = w.token;
    moveCounter(ledger, it, w.stock, w.qty, r.order, 'fenced-write', 'token', w.token);
    versions.push(it.version);
  }
  return { ok: true, versions };
}

/**
 * Sets the item's counter to `to` for `order`, which took `qty` units: claims them, reports
 * the move as `op` (item, from, to, then `extra` when given: the item's version after the move,
 * or the fencing token; then the units) and commits it. Each note is one literal of a fixed
 * shape: a spread of an optional detail object was the slow path on every write.
 */
function moveCounter(
  ledger: UnitLedger, it: ItemState, to: number, qty: number, order: string | undefined, op: string,
  extra?: 'version' | 'token', token = 0,
): string[] {
  const from = it.stock;
  ledger.setStock(it, to);
  const units = ledger.claim(it, to, qty, String(order));
  const item = it.id;
  ledger.emit(op, order, extra === undefined ? { item, from, to, units }
    : extra === 'version' ? { item, from, to, version: it.version, units }
    : { item, from, to, token, units });
  ledger.commit(it);
  return units;
}
