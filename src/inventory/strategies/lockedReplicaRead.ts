/**
 * locked-replica-read: take the item's lock (a lease), read the stock *from a replica*, write
 * back `stock - qty`, unlock. A rare race on purpose (docs/strategies.md, "Rare races"), and
 * one that needs no fault at all: only an interleaving that real time allows.
 *
 * Chapter 8 concept: a lock orders the writers, not the replicas. The lock is correct (one
 * holder at a time, its lease far longer than any order here), but the replica may not have
 * applied the previous holder's write yet: the next holder reads the old number and writes it
 * again. Two orders, one vase (`unique-units`), whenever the replica is slower than the unlock,
 * the next lock grant and the next read together: a slow replica and quick app servers at
 * the same moment. `lock-lease` reads at the primary and has no such window.
 */
import type { Strategy } from '../strategy.js';
import { acquire, itemTotalsSorted, persist, unexpected, unlockAll, type Lease } from './common.js';

export const lockedReplicaRead: Strategy = {
  name: 'locked-replica-read',
  summary: 'a correct lock, but the stock is read from a replica that may not have applied the last holder\'s write yet (rare race, no fault needed)',
  safe: false,
  *placeOrder(ctx) {
    const want = itemTotalsSorted(ctx.order.lines);
    const leases: Lease[] = [];
    for (const { item } of want) {
      const lease = yield* acquire(ctx, item);
      if (lease === null) {
        yield* unlockAll(ctx, leases);
        return 'FAILED';
      }
      leases.push(lease);
    }
    const seen: number[] = [];
    for (const { item, qty } of want) {
      // BUG: the replica may be behind the previous holder's write.
      const r = yield* persist(ctx, 'read', () => ctx.db.read(item, { from: 'replica' }));
      if (r.ok !== true) return unexpected('read', r);
      if (r.stock < qty) {
        yield* unlockAll(ctx, leases);
        return 'OUT_OF_STOCK';
      }
      seen.push(r.stock);
    }
    for (let i = 0; i < want.length; i++) {
      const { item, qty } = want[i];
      const requestId = ctx.newId('write');
      const w = yield* persist(ctx, 'write', () => ctx.db.write(item, seen[i] - qty, qty, { requestId }));
      if (w.ok !== true) return unexpected('write', w);
    }
    yield* unlockAll(ctx, leases);
    return 'ORDER_PLACED';
  },
};
