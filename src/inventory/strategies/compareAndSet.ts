/**
 * compare-and-set: optimistic concurrency on a version. Read the item's stock and version from
 * the primary, then ask the primary to set `stock - qty` only if the version is still the one
 * read. A version mismatch means another order got in between: nothing was applied, so read
 * again and retry (at most `conflictRetries` times); a timeout means unknown: retry the SAME
 * cas (same request id) until it answers.
 *
 * Chapter 8 concepts: a read-modify-write cycle made safe by *compare-and-set* (DDIA's
 * "Preventing lost updates", used again in Chapter 8 for fencing): the write carries the
 * precondition it was computed under, and the single source of truth checks it atomically.
 * Plus the same lesson as conditional-decrement about timeouts being "unknown": each cas has a
 * request id, and the primary answers a retry or a duplicate with the stored outcome.
 *
 * Reads go to the primary: a replica's stale version would only make every cas fail (safe,
 * but useless). A multi-item cart is read item by item and committed with one multi-item cas
 * (all versions checked, all items set, or nothing): a cart never half-commits.
 *
 * Why it is safe under every fault: the only mutation is a cas that succeeds only if nothing
 * changed since the read, so no two orders can both move the counter from n to n-1 (unique
 * units) and nothing is sold that is not there. Retried cas requests are deduplicated; an order
 * answers FAILED only after `conflictRetries` version mismatches, each of which means "not
 * applied" (an honest failure: contention costs availability, never safety). Each mismatch
 * also means some other order committed, so under a flash sale of N buyers an order is
 * overtaken at most about N times; the default (50) covers the kata's 15. No clocks, no
 * leases. App crash: a cas that landed belongs to the unanswered order, consistently.
 */
import type { Strategy } from '../strategy.js';
import type * as T from '../dbTypes.js';
import { backoff, isReply, itemTotals, persist, unexpected } from './common.js';

export const compareAndSet: Strategy = {
  name: 'compare-and-set',
  summary: 'read stock and version at the primary, cas on the version; re-read on conflict (bounded)',
  safe: true,
  *placeOrder(ctx) {
    const want = itemTotals(ctx.order.lines);
    const { conflictRetries } = ctx.options;
    for (let conflicts = 0; ; conflicts++) {
      const writes: T.CasWrite[] = [];
      for (const { item, qty } of want) {
        const r = yield* persist(ctx, 'read', () => ctx.db.read(item, { from: 'primary' }));
        if (r.ok !== true) return unexpected('read', r);
        if (r.stock < qty) return 'OUT_OF_STOCK';
        writes.push({ item, expectedVersion: r.version, stock: r.stock - qty, qty });
      }
      const requestId = ctx.newId('cas');
      const w = writes[0];
      const res: T.CasRes | T.CasManyRes = writes.length === 1
        ? yield* persist(ctx, 'cas', () => ctx.db.cas(w.item, w.expectedVersion, w.stock, w.qty, { requestId }))
        : yield* persist(ctx, 'cas', () => ctx.db.casMany(writes, { requestId }));
      if (res.ok === true) return 'ORDER_PLACED';
      if (!isReply(res, false, 'version-mismatch')) return unexpected('cas', res);
      // Not applied: another order committed first. Honest to give up after `conflictRetries`.
      if (conflicts >= conflictRetries) return 'FAILED';
      yield* ctx.sleep(backoff(ctx.options, conflicts));
    }
  },
};
