/**
 * wall-clock-expiry: reservations whose expiry is decided by app servers' local clocks.
 * Broken on purpose; the simulator must catch it.
 *
 * The design (common in the wild): a reservation row stores a deadline, "now + 3 s" read off
 * the owner's clock. There is no lease at the database; instead every app server, when it
 * reserves, first reaps the reservations whose deadline has passed *on its own clock*
 * (`UPDATE ... SET reserved_by = NULL WHERE expires_at < :my_now`). The owner checks its own
 * clock before paying ("I still have most of my 3 s, and a payment takes 100 ms"), pays, and
 * confirms without a fencing token: the database sells the units it was granted.
 *
 *   now = localTime(); reserveUntil(id, lines, now, now + leaseMs)   // reaps by `now` first
 *   if localTime() < deadline - leaseMs/2: charge, then confirmUnfenced(id)
 *   else release, FAILED
 *
 * Chapter 8 concepts: "Unreliable clocks" (time-of-day clocks on different machines disagree:
 * offset, drift, NTP steps; a deadline written with one clock and compared with another's is
 * meaningless), "Process pauses" (a check of the lease followed by an action is a race against
 * the pause in between, DDIA's Figure 8-4 again) and the missing fencing token (the database
 * cannot tell a live owner from a zombie).
 *
 * How it breaks:
 * - clock skew: an app server whose clock runs ahead (say +60 s) reaps every live reservation
 *   of the others, then reserves the same units for its own order. Both owners confirm; their
 *   clocks both say their leases are fine. One vase, two orders (`unique-units`); or the
 *   reaped units are sold to the owner while the counter says they are back
 *   (`conservation`). A clock running *behind* makes its own reservations look expired to
 *   everyone else: the same break, the other way round.
 * - pauses: the owner checks its lease, pauses (GC) while the payment is in flight, wakes up
 *   after the deadline and confirms anyway; meanwhile a peer reaped the reservation and resold
 *   the units.
 * - crashes are handled honestly (the same recover() as reservation: release what is not
 *   confirmed, settle the payment), so that what the simulator catches is the clock design
 *   and nothing else. Without it, nobody would reap a dead owner's reservation unless some
 *   later order did: units reserved forever (`no-leak`), the seeds' "permanently reserved
 *   inventory".
 * The engine operations it needs (`reserveUntil`, `confirmUnfenced`) exist only to show this
 * design failing; see reservation.ts for leases in the primary's sequence number with tokens.
 */
import type { Strategy } from '../strategy.js';
import { orderQty } from '../types.js';
import { isReply, persist, tries, unexpected } from './common.js';
import { reservation } from './reservation.js';
import { mapPacked } from '../../sim/packed.js';

export const wallClockExpiry: Strategy = {
  name: 'wall-clock-expiry',
  summary: 'reservation deadlines in app-server clocks, reaped by peers on their clocks, confirmed unfenced',
  safe: false,
  *placeOrder(ctx) {
    const { order, options } = ctx;
    const lines = mapPacked(order.lines, (l) => ({ item: l.item, qty: l.qty }));
    const { leaseMs } = options;
    const reservationId = ctx.newId('reserve');
    // BUG: the deadline is in this machine's clock, and reaping compares it with another's.
    const now = ctx.localTime();
    const deadline = now + leaseMs;
    const res = yield* persist(ctx, 'reserve', () => ctx.db.reserveUntil(reservationId, lines, now, deadline));
    if (res.ok !== true) {
      if (isReply(res, false, 'insufficient')) return 'OUT_OF_STOCK';
      if (isReply(res, false, 'bad-request')) return 'FAILED';
      return unexpected('reserve', res);
    }
    // BUG: check the lease, then do something slow, then act as if it still held.
    if (ctx.localTime() >= deadline - Math.floor(leaseMs / 2)) {
      yield* tries(ctx, () => ctx.db.release(reservationId), options.retries);
      return 'FAILED';
    }
    const charge = yield* persist(ctx, 'charge', () => ctx.payment.charge(orderQty(order), { idempotencyKey: order.id }));
    if (charge.ok !== true) {
      if (!isReply(charge, false, 'declined')) return unexpected('charge', charge);
      yield* tries(ctx, () => ctx.db.release(reservationId), options.retries);
      return 'FAILED';
    }
    // BUG: no fencing token; the primary sells the units whatever became of the reservation.
    const confirm = yield* persist(ctx, 'confirm', () => ctx.db.confirmUnfenced(reservationId));
    if (confirm.ok === true) return 'ORDER_PLACED';
    yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: order.id }));
    return 'FAILED';
  },
  recover: reservation.recover,
};
