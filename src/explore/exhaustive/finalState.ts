import type { InventoryWorld } from '../../inventory/world.js';
import { hashLines } from '../../sim/hash.js';

/**
 * A final state, as the hash of what a customer, the warehouse and the bank would see: each
 * order's answer, the database's items with their counters and the owners of every unit, the
 * reservations and their states, the charges, the lock leases, and (with a SQL server) the
 * committed rows of every SQL table. No time, no message or rpc
 * counter: two interleavings that differ only in the order of independent events reach the
 * same final state, which is what lets DPOR's result be compared with the full search's.
 */
export function finalStateHash(w: InventoryWorld): string {
  return hashLines(finalStateLines(w));
}

/** The final state in words, a line per fact (what finalStateHash hashes). */
export function finalStateLines(w: InventoryWorld): string[] {
  const lines: string[] = [];
  for (const r of [...w.orders].sort((a, b) => (a.order.id < b.order.id ? -1 : 1))) lines.push(`order ${r.order.id} ${r.status} ${r.answer ?? '-'}`);
  for (const it of [...w.db.items.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    lines.push(`item ${it.id} stock ${it.stock} v${it.version} token ${it.highestToken} owners ${JSON.stringify(it.owners)} reserved ${JSON.stringify(it.reservedBy)}`);
  }
  for (const r of [...w.db.reservations.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    lines.push(`reservation ${r.id} ${r.order} ${r.state} ${r.units.join(',')} token ${r.token} until ${r.expiresAtSeq}`);
  }
  const charges = w.payments.charges.map((c) => `charge ${c.order} ${c.amount} ${c.refunded ? 'refunded' : 'kept'}`).sort();
  lines.push(...charges);
  for (const [key, l] of [...w.locks.leases].sort((a, b) => (a[0] < b[0] ? -1 : 1))) lines.push(`lease ${key} ${l.owner} token ${l.token} until ${l.expiresAtTick}`);
  // SQL tables: what a new snapshot would see (ordered by primary key); int8 values are bigints.
  if (w.sql !== null) {
    const e = w.sql.engine;
    for (const t of [...e.tableNames()].sort()) {
      for (const row of e.committedRows(t)) lines.push(`row ${t} ${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`);
    }
  }
  return lines;
}
