import type { InstantDB } from './instantDb.js';
import type { SqlServerNode } from './sqlNode.js';
import type { DomainNotes } from './domainNotes.js';
import type { Order } from './types.js';
import { qtyByItem } from './types.js';
import type { CommitEvent } from './sql/engine.js';
import { SERVICE_NODES } from './nodeNames.js';

/**
 * The unit ledger of a SQL world follows the committed stock, so that `unique-units` and
 * `conservation` mean what they mean for every other strategy. An item's counter is its stock
 * column (less the quantities of its rows in the reservations table, when the scenario keeps
 * reservations there), read after each commit that wrote the stock table or the reservations.
 *
 * The counter rule of the counter strategies (DESIGN.md, "The inventory model"): an order whose
 * commit left the counter at `after` took units after+1..after+qty of the item it ordered
 * (qty: its quantity of that item). A commit that raised the counter by the order's quantity
 * or more put stock back and claims nothing. So two read-then-write orders that both committed
 * 0 both took vase#1; an unguarded decrement that committed -1 took unit 0, a unit that does
 * not exist (a phantom: the books balance, the shop oversold).
 */
export function followCommittedStock(server: SqlServerNode, db: InstantDB, orderOf: (owner: string) => Order | undefined, notes: DomainNotes): void {
  const cfg = server.config;
  // A local first (src/sim/untracked.ts): V8 puts a function literal assigned straight to a property in the old generation.
  const onCommit = (e: CommitEvent, owner: string): void => {
    const affected = new Set<string>();
    for (const w of e.written) {
      if (w.table === cfg.stock.table && (w.columns === undefined || w.columns.includes(cfg.stock.column))) affected.add(w.key);
      // A reservation row inserted, changed or deleted may concern any item: recount them all.
      else if (cfg.reservations !== null && w.table === cfg.reservations.table) for (const id of db.items.keys()) affected.add(id);
    }
    if (affected.size === 0) return;
    const order = orderOf(owner);
    const qtys = order ? qtyByItem(order.lines) : new Map<string, number>();
    const reserved = cfg.reservations === null ? null : reservedByItem(server, cfg.reservations);
    // The explorer's footprint (sim/access.ts): a commit moves the primary's ledger of these items, and a recount reads the reservations table.
    const log = server.access;
    if (log !== null && cfg.reservations !== null) log.touch('r', server.node.name, `table:${cfg.reservations.table}`);
    for (const id of affected) {
      const it = db.items.get(id);
      if (!it) continue;
      log?.touch('w', SERVICE_NODES.db, `item:${id}`);
      log?.touch('r', server.node.name, `row:${cfg.stock.table}:${id}`);
      const row = server.engine.committedRow(cfg.stock.table, id);
      const stock = row === undefined ? 0 : Number(row[cfg.stock.column] ?? 0);
      const after = stock - (reserved?.get(id) ?? 0);
      const before = it.stock;
      const q = qtys.get(id) ?? 0;
      let units: string[] = [];
      let phantom = 0;
      if (order && q > 0 && after < before + q) {
        units = db.claim(it, after, q, order.id);
        for (let n = after + 1; n <= after + q; n++) if (n < 1) phantom++;
        it.phantomUnits += phantom;
      }
      db.setStock(it, after);
      notes.note(server.node.name, 'sql:stock', order?.id, { item: id, before, after, units, ...(phantom > 0 ? { phantomUnits: phantom } : {}) });
    }
  };
  server.onCommit = onCommit;
}

function reservedByItem(server: SqlServerNode, r: { readonly table: string; readonly item: string; readonly qty: string }): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of server.engine.committedRows(r.table)) {
    const item = String(row[r.item]);
    out.set(item, (out.get(item) ?? 0) + Number(row[r.qty] ?? 0));
  }
  return out;
}
