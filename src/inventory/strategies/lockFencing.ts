/**
 * lock-fencing: a lock service with leases, and storage that checks fencing tokens (DDIA
 * Figure 8-5). For each item of the order (in item order, so two carts never deadlock): take
 * the item's lock (a lease in the lock service's ticks, with a token that grows with every
 * grant), read the item at the primary *with the token* (the primary remembers the highest
 * token it has seen for the item and refuses older ones), check the stock, then write
 * `stock - qty` with the token and a request id. Unlock at the end.
 *
 * Chapter 8 concept: "The leader and the lock" / "Fencing tokens". A lease alone cannot stop a
 * holder that was paused past its lease from acting on what it read before the pause
 * (lock-lease shows it). The token makes the *storage* the judge: once a newer holder has
 * touched the item (a fenced read registers its token), every request with an older token is
 * refused, so the zombie's write is harmless. The lease only keeps the system live (a dead
 * holder's lock comes back); the token keeps it safe.
 *
 * Why it is safe under every fault:
 * - pause past the lease: the next holder's fenced read raises the item's token; the zombie's
 *   write is refused ("stale-token"), so it takes a new lock and starts over (bounded by
 *   `retries`, then FAILED: nothing was applied). If the zombie's write lands *before* the new
 *   holder's read, the new holder simply reads the new stock: still one writer at a time.
 * - dropped or duplicated requests: the fenced write has a request id; a retry or duplicate
 *   gets the stored outcome (even if a newer token arrived since, the first outcome stands).
 *   The order retries the same write until it answers: it never answers FAILED while the
 *   write may have been applied. Lost lock replies are harmless: the lock service gives the
 *   same lease back to the same owner; lost unlocks cost only the rest of the lease.
 * - partitions, crashes: a crashed holder's lease expires; its write still in flight is
 *   fenced like a zombie's. No clock is read anywhere (leases count lock-service ticks).
 * - multi-item carts: one lock per item, then one multi-item fenced write, refused as a whole
 *   if any token is stale: a cart never half-commits.
 * Cost: every order for an item is serialised through the lock; a holder that dies makes the
 * others wait for its lease.
 */
import type { Proc } from '../../sim/process.js';
import type { OrderContext, Strategy } from '../strategy.js';
import type * as T from '../dbTypes.js';
import { acquire, isReply, itemTotalsSorted, persist, unexpected, unlockAll, type Lease } from './common.js';

type Attempt = 'placed' | 'out-of-stock' | 'stale' | 'busy';

function* attempt(ctx: OrderContext, leases: Lease[]): Proc<Attempt> {
  const want = itemTotalsSorted(ctx.order.lines);
  for (const { item } of want) {
    const lease = yield* acquire(ctx, item);
    if (lease === null) return 'busy';
    leases.push(lease);
  }
  const writes: T.FencedWrite[] = [];
  for (let i = 0; i < want.length; i++) {
    const { item, qty } = want[i];
    const token = leases[i].token;
    const r = yield* persist(ctx, 'read', () => ctx.db.read(item, { token }));
    if (r.ok !== true) {
      if (isReply(r, false, 'stale-token')) return 'stale';
      return unexpected('fenced read', r);
    }
    if (r.stock < qty) return 'out-of-stock';
    writes.push({ item, stock: r.stock - qty, qty, token });
  }
  const requestId = ctx.newId('fenced-write');
  const w = writes[0];
  const res: T.FencedWriteRes | T.FencedWriteManyRes = writes.length === 1
    ? yield* persist(ctx, 'fenced-write', () => ctx.db.fencedWrite(w.item, w.stock, w.qty, w.token, { requestId }))
    : yield* persist(ctx, 'fenced-write', () => ctx.db.fencedWriteMany(writes, { requestId }));
  if (res.ok === true) return 'placed';
  if (isReply(res, false, 'stale-token')) return 'stale';
  return unexpected('fenced-write', res);
}

export const lockFencing: Strategy = {
  name: 'lock-fencing',
  summary: 'lock with a lease, fenced read and write at the primary: a stale token is refused (Figure 8-5)',
  safe: true,
  *placeOrder(ctx) {
    const { retries } = ctx.options;
    for (let round = 0; round <= retries; round++) {
      const leases: Lease[] = [];
      const outcome = yield* attempt(ctx, leases);
      yield* unlockAll(ctx, leases);
      if (outcome === 'placed') return 'ORDER_PLACED';
      if (outcome === 'out-of-stock') return 'OUT_OF_STOCK';
      if (outcome === 'busy') return 'FAILED';
      // 'stale': our lease ran out and someone newer touched the item; nothing of ours was
      // applied. Start over with a new lock.
      ctx.log('fenced-out', { round });
    }
    return 'FAILED';
  },
};
