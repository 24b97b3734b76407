/**
 * unfenced-confirm: reservation, except that the confirm carries no fencing token, so the
 * primary sells the reserved units even if the lease ran out meanwhile. A rare race on purpose
 * (docs/strategies.md, "Rare races"), and one that needs no fault at all when the lease is
 * short: an order whose reserve, payment and confirm are all slow outlives its lease.
 *
 * Chapter 8 concept: a lease without a fencing token (Figure 8-4 again, at the database). The
 * lease expired, its units went back to stock (and maybe to the next buyer), and the late
 * confirm sells them anyway: the counter says the vase is for sale while the ledger says it
 * is sold (`conservation`), or two orders own it (`unique-units`). `reservation` sends the
 * token and the primary refuses the late confirm.
 */
import type { Strategy } from '../strategy.js';
import { persist } from './common.js';
import { reserveAndCharge } from './reserveAndCharge.js';
import { reservation } from './reservation.js';

export const unfencedConfirm: Strategy = {
  name: 'unfenced-confirm',
  summary: 'reservation with a lease but no fencing token: a confirm that arrives after the lease ran out sells the units anyway (rare race, no fault needed)',
  safe: false,
  *placeOrder(ctx) {
    const { order } = ctx;
    const held = yield* reserveAndCharge(ctx);
    if (typeof held === 'string') return held;
    const { reservationId } = held;
    // BUG: no token; whatever became of the reservation, the primary sells its units.
    const confirm = yield* persist(ctx, 'confirm', () => ctx.db.confirmUnfenced(reservationId));
    if (confirm.ok === true) return 'ORDER_PLACED';
    yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: order.id }));
    return 'FAILED';
  },
  recover: reservation.recover,
};
