/**
 * confirm-gives-up: reservation, except that the confirm is tried three times and then taken
 * for a failure. A rare race on purpose (docs/strategies.md, "Rare races"): it only breaks
 * when three confirms in a row get no answer and at least one of them was applied.
 *
 * Chapter 8 concept: a timeout means *unknown*, however many there were. Three lost replies
 * (or three replies slower than the timeout) say nothing about whether the confirm landed.
 * When one did, the order is told FAILED, refunded, and still owns the vase:
 * `acknowledged-is-sold`. The rest is reservation's, so nothing else breaks.
 */
import type { Strategy } from '../strategy.js';
import { isReply, persist, tries, unexpected } from './common.js';
import { reserveAndCharge } from './reserveAndCharge.js';
import { reservation } from './reservation.js';

/** Confirm attempts before giving up: "three timeouts and it must have failed". */
const CONFIRM_ATTEMPTS = 3;

export const confirmGivesUp: Strategy = {
  name: 'confirm-gives-up',
  summary: 'reservation, but three confirm timeouts are taken for a failure: FAILED, refunded, the vase still sold (rare race)',
  safe: false,
  *placeOrder(ctx) {
    const { order, options } = ctx;
    const held = yield* reserveAndCharge(ctx);
    if (typeof held === 'string') return held;
    const { reservationId } = held;
    // BUG: after three timeouts the confirm is assumed lost. It may have been applied.
    const confirm = yield* tries(ctx, () => ctx.db.confirm(reservationId, held.token), CONFIRM_ATTEMPTS - 1);
    if (confirm !== null && confirm.ok === true) return 'ORDER_PLACED';
    if (confirm !== null && !isReply(confirm, false)) return unexpected('confirm', confirm);
    ctx.log(confirm === null ? 'confirm-given-up' : 'confirm-refused', { reservationId, attempts: CONFIRM_ATTEMPTS });
    yield* tries(ctx, () => ctx.db.release(reservationId), options.retries);
    yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: order.id }));
    return 'FAILED';
  },
  recover: reservation.recover,
};
