import { qtyByItem } from './types.js';
import type { CasManyRequest, CasRequest, DecrementRequest, FencedWriteManyRequest, FencedWriteRequest, ReadRequest, WriteRequest } from './dbRequests.js';
import type { UnitLedger } from './unitLedger.js';
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
  const before = it.stock;
  ledger.setStock(it, r.stock);
  const units = ledger.claim(it, r.stock, r.qty, r.order);
  ledger.emit('write', r.order, { item: it.id, from: before, to: r.stock, units });
  ledger.commit(it);
  return { ok: true, version: it.version };
}

/** Atomic "decrement if stock >= qty" over every line of the order (all or nothing). */
export function decrement(ledger: UnitLedger, r: DecrementRequest): T.DecrementRes {
  // Checked per item over all lines: two lines of the same item must fit together.
  for (const [item, qty] of qtyByItem(r.lines)) {
    const it = ledger.items.get(item)!;
    if (it.stock < qty) {
      ledger.emit('decrement-refused', r.order, { item: it.id, stock: it.stock, qty });
      return { ok: false, reason: 'insufficient', item: it.id, stock: it.stock };
    }
  }
  const units: string[] = [];
  for (const l of r.lines) {
    const it = ledger.items.get(l.item)!;
    const before = it.stock;
    ledger.setStock(it, before - l.qty);
    const got = ledger.claim(it, it.stock, l.qty, String(r.order));
    units.push(...got);
    ledger.emit('decrement', r.order, { item: it.id, from: before, to: it.stock, units: got });
    ledger.commit(it);
  }
  return { ok: true, units };
}

export function cas(ledger: UnitLedger, r: CasRequest): T.CasRes {
  const it = ledger.items.get(r.item)!;
  if (it.version !== r.expectedVersion) {
    ledger.emit('cas-refused', r.order, { item: it.id, expectedVersion: r.expectedVersion, version: it.version });
    return { ok: false, reason: 'version-mismatch', version: it.version, stock: it.stock };
  }
  const before = it.stock;
  ledger.setStock(it, r.stock);
  const units = ledger.claim(it, r.stock, r.qty, String(r.order));
  ledger.emit('cas', r.order, { item: it.id, from: before, to: r.stock, version: it.version, units });
  ledger.commit(it);
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
    const before = it.stock;
    ledger.setStock(it, w.stock);
    const units = ledger.claim(it, w.stock, w.qty, String(r.order));
    ledger.emit('cas', r.order, { item: it.id, from: before, to: w.stock, version: it.version, units });
    ledger.commit(it);
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
  const before = it.stock;
  ledger.setStock(it, r.stock);
  const units = ledger.claim(it, r.stock, r.qty, String(r.order));
  ledger.emit('fenced-write', r.order, { item: it.id, from: before, to: r.stock, token: r.token, units });
  ledger.commit(it);
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
    const before = it.stock;
    ledger.setStock(it, w.stock);
    const units = ledger.claim(it, w.stock, w.qty, String(r.order));
    ledger.emit('fenced-write', r.order, { item: it.id, from: before, to: w.stock, token: w.token, units });
    ledger.commit(it);
    versions.push(it.version);
  }
  return { ok: true, versions };
}
