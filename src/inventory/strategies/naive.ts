/**
 * naive: the seeds' Part 1. Read the stock, check it, write back `stock - qty`.
 *
 * Chapter 8 concept: a read-modify-write that is not atomic is a *lost update*. Between the
 * read and the write, other orders read the same number (the network is slow, the replica is
 * behind), and each writes back "one fewer" as if it were alone: two orders take vase#10.
 * Broken on purpose; the simulator must catch it.
 */
import type { Strategy } from '../strategy.js';

export const naive: Strategy = {
  name: 'naive',
  summary: 'read, check, write back stock - qty (the seeds\' Part 1)',
  safe: false,
  *placeOrder(ctx) {
    const seen: number[] = [];
    for (const line of ctx.order.lines) {
      const r = yield* ctx.db.read(line.item);
      if (!r.ok || !r.value.ok) return 'FAILED';
      if (r.value.stock < line.qty) return 'OUT_OF_STOCK';
      seen.push(r.value.stock);
    }
    for (let i = 0; i < ctx.order.lines.length; i++) {
      const line = ctx.order.lines[i];
      const w = yield* ctx.db.write(line.item, seen[i] - line.qty, line.qty);
      if (!w.ok) return 'FAILED';
    }
    return 'ORDER_PLACED';
  },
};
