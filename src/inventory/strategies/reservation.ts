/**
 * reservation: the pattern of seed 000, made safe. Check availability (advisory), reserve
 * atomically with a unique id, pay, then confirm or release.
 *
 *   1. advisory read (a replica by default): if it says there is not enough, answer
 *      OUT_OF_STOCK at once. It may be stale in both directions: saying "enough" when there is
 *      not is harmless (the reserve decides), saying "none" when there is some (the replica is
 *      behind a release or an expiry) costs an order, never safety. A read that times out is
 *      ignored: it was only advice.
 *   2. reserve(reservationId, lines, leaseTicks) at the primary: atomically takes specific
 *      units (vase#10, ...) for every line, or refuses ("insufficient"). The grant carries a
 *      fencing token and a lease counted in the primary's sequence number. A timeout is retried
 *      with the same reservationId: the primary answers a retry with the same grant.
 *   3. charge the customer with idempotency key = order id, retried with the same key until
 *      the provider answers. Declined -> release (retried, but a lost release is harmless, see
 *      below) -> FAILED.
 *   4. confirm(reservationId, token), retried until answered. ok -> ORDER_PLACED. Refused
 *      (the lease ran out, e.g. during a long GC pause) -> refund by key (retried until acked)
 *      -> FAILED.
 *   recover(): after an app server restarts with empty memory it lists its reservations and,
 *      for each one not confirmed, releases it and settles its order's payment: charge with the
 *      order's key (so any charge still in flight can no longer create a new one) and refund.
 *
 * Chapter 8 concepts: *leases* and *fencing tokens* ("The leader and the lock", Figures 8-4
 * and 8-5), time measured by a *logical clock* instead of a time-of-day clock, *the truth is
 * defined by* one authority (the primary decides expiry and confirm in one serial order), and
 * "a timeout means unknown" (every retried call is idempotent: reservation id, idempotency key,
 * confirm of a confirmed reservation answers ok).
 *
 * The seeds' questions, answered:
 * - How does a reservation expire without clocks? In the primary's logical sequence number:
 *   a reservation granted at seq s with a lease of L expires when seq reaches s + L. seq
 *   advances with every committed operation and with the primary's own tick (every dbTickMs
 *   while reservations are held), so an idle system still reclaims. No app server clock is
 *   ever compared with anything: skew and drift change nothing. (wall-clock-expiry shows
 *   what happens otherwise.)
 * - What if the confirm succeeds but its reply is lost? The retry of the same confirm (same
 *   reservation, same token) answers ok with the same units: the order is placed once.
 * - What if a confirm arrives after expiry (the app was paused past its lease)? The primary
 *   refuses it (the reservation is expired; its units may already be someone else's), so the
 *   zombie cannot sell them twice. The order refunds by key and answers FAILED: honest.
 * - What if the release never arrives (lost, partitioned, the app crashed)? The lease expires
 *   and the units go back to stock; the release was an optimisation, not a duty. So inventory
 *   is never permanently reserved (`no-leak`).
 * - What if the confirm succeeded but a release is sent anyway (a recovery racing a slow
 *   confirm)? The primary serialises them: the release of a confirmed reservation answers
 *   "confirmed" and changes nothing, and recovery then does not refund.
 * - A refund racing a confirm? Refunds happen only after the reservation is known to be
 *   finished unconfirmed (confirm refused, or release ok): a terminal state, so no later
 *   confirm can succeed. A charge racing a refund? The order refunds only after the charge
 *   answered; recovery first charges with the same key (idempotent) so that a charge still in
 *   flight from the crashed process is deduplicated instead of landing after the refund.
 * - Crash mid-order: the customer gets no answer (the world reports it as unknown). Whatever
 *   the order did is either confirmed (it owns its units, its charge stands) or is undone by
 *   recover() (released or expired, refunded).
 *
 * Each order makes exactly one reservation: if its reservation ended before the order heard
 * of it (a retried reserve finds it expired), the order answers FAILED instead of reserving
 * again. That keeps recovery simple: an order with an unconfirmed reservation can never be
 * placed any more, so refunding it is always right.
 *
 * Costs: a paused or crashed order holds its units until its lease runs out (leaseTicks x
 * dbTickMs of the primary's time), and a stale advisory read can turn an order away.
 */
import type { Proc } from '../../sim/process.js';
import type { OrderContext, RecoveryContext, Strategy } from '../strategy.js';
import { isReply, persist, unexpected } from './common.js';
import { reserveAndCharge } from './reserveAndCharge.js';

export const reservation: Strategy = {
  name: 'reservation',
  summary: 'reserve units under a lease counted in DB sequence numbers, pay, confirm with a fencing token',
  safe: true,
  *placeOrder(ctx: OrderContext): Proc<'ORDER_PLACED' | 'OUT_OF_STOCK' | 'FAILED'> {
    // 1-3. Advisory read, reserve, pay (reserveAndCharge.ts, shared with the rare-race variants).
    const held = yield* reserveAndCharge(ctx);
    if (typeof held === 'string') return held;
    const { reservationId, token } = held;
    const key = ctx.order.id;
    // 4. Confirm with the fencing token; the primary refuses it if the lease ran out.
    const confirm = yield* persist(ctx, 'confirm', () => ctx.db.confirm(reservationId, token));
    if (confirm.ok === true) return 'ORDER_PLACED';
    if (!isReply(confirm, false)) return unexpected('confirm', confirm);
    ctx.log('confirm-refused', { reservationId, reason: (confirm as { reason?: unknown }).reason });
    // The reservation is finished (expired or released): it can never be confirmed now.
    yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: key }));
    return 'FAILED';
  },

  *recover(ctx: RecoveryContext): Proc<void> {
    const list = yield* persist(ctx, 'reservations', () => ctx.db.reservations(ctx.app));
    if (list.ok !== true || !Array.isArray(list.reservations)) return unexpected('reservations', list);
    for (const r of list.reservations) {
      if (r.state === 'confirmed') continue;
      if (r.state === 'held') {
        // A confirm from before the crash may still be in flight: the primary decides which
        // came first, and a confirmed reservation is left alone.
        const rel = yield* persist(ctx, 'release', () => ctx.db.release(r.reservationId));
        if (isReply(rel, false, 'confirmed')) continue;
        if (rel.ok !== true) return unexpected('release', rel);
      }
      // Unconfirmed and finished: this order will never be placed. Settle its payment. The
      // charge with the order's key fixes the key's outcome (a charge of the crashed process
      // still on the wire is then deduplicated), and the refund undoes it.
      ctx.log('recover-order', { order: r.order, reservationId: r.reservationId, state: r.state });
      const charge = yield* persist(ctx, 'charge', () => ctx.payment.charge(r.units.length, { idempotencyKey: r.order, order: r.order }));
      if (charge.ok === true) yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: r.order, order: r.order }));
    }
  },
};
