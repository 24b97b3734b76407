/**
 * lock-lease: a lock with a lease but no fencing (DDIA Figure 8-4). Take the item's lock, read
 * the stock at the primary, write back `stock - qty` as a plain absolute write, unlock.
 * Broken on purpose; the simulator must catch it.
 *
 * Chapter 8 concept: "Process pauses" and "The leader and the lock". A lease expires in the
 * lock service's time, but the holder cannot notice: a GC pause, a VM migration or a slow disk
 * can stop it between "I hold the lock and read 7" and "write 6". While it is paused, the lease
 * runs out, another client takes the lock, reads 7 and writes 6, and then the zombie wakes up
 * and also writes 6, with no idea anything happened. Both orders took vase#7
 * (`unique-units`), and stock that was sold is counted again (`conservation`,
 * `no-oversell` once enough of it happens). The write carries a request id, so lost replies
 * are harmless here: the one bug is the missing fencing token (lock-fencing adds it).
 *
 * Caught by: a pause of app N longer than the lease (leaseTicks x dbTickMs ms) while it waits
 * for its read, e.g. `{ kind: 'pause', node: 'app1', atMs: 100, durationMs: 8000 }`, and by
 * long random pauses in the chaos sweep.
 */
import type { Strategy } from '../strategy.js';
import { acquire, itemTotalsSorted, persist, unexpected, unlockAll, type Lease } from './common.js';

export const lockLease: Strategy = {
  name: 'lock-lease',
  summary: 'lock with a lease, then read and plain write: a pause past the lease lets two writers in (Figure 8-4)',
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
      const r = yield* persist(ctx, 'read', () => ctx.db.read(item, { from: 'primary' }));
      if (r.ok !== true) return unexpected('read', r);
      if (r.stock < qty) {
        yield* unlockAll(ctx, leases);
        return 'OUT_OF_STOCK';
      }
      seen.push(r.stock);
    }
    // BUG: a pause between the read and here outlives the lease; nothing stops this write.
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
