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
import { orderQty } from '../types.js';
import { isReply, persist, tries, unexpected } from './common.js';
import { reservation } from './reservation.js';

/** Confirm attempts before giving up: "three timeouts and it must have failed". */
const CONFIRM_ATTEMPTS = 3;

export const confirmGivesUp: Strategy = {
  name: 'confirm-gives-up',
  summary: 'reservation, but three confirm timeouts are taken for a failure: FAILED, refunded, the vase still sold (rare race)',
  safe: false,
  *placeOrder(ctx) {
    const { order, options } = ctx;
    const lines = order.lines.map((l) => ({ item: l.item, qty: l.qty }));
    for (const l of lines) {
      const r = yield* ctx.db.read(l.item);
      if (r.ok && r.value.ok === true && r.value.stock < l.qty) return 'OUT_OF_STOCK';
    }
    const reservationId = ctx.newId('reserve');
    const res = yield* persist(ctx, 'reserve', () => ctx.db.reserve(reservationId, lines, options.leaseTicks));
    if (res.ok !== true) {
      if (isReply(res, false, 'insufficient')) return 'OUT_OF_STOCK';
      if (isReply(res, false, 'bad-request')) return 'FAILED';
      return unexpected('reserve', res);
    }
    const charge = yield* persist(ctx, 'charge', () => ctx.payment.charge(orderQty(order), { idempotencyKey: order.id }));
    if (charge.ok !== true) {
      if (!isReply(charge, false, 'declined')) return unexpected('charge', charge);
      yield* tries(ctx, () => ctx.db.release(reservationId), options.retries);
      return 'FAILED';
    }
    // BUG: after three timeouts the confirm is assumed lost. It may have been applied.
    const confirm = yield* tries(ctx, () => ctx.db.confirm(reservationId, res.token), CONFIRM_ATTEMPTS - 1);
    if (confirm !== null && confirm.ok === true) return 'ORDER_PLACED';
    if (confirm !== null && !isReply(confirm, false)) return unexpected('confirm', confirm);
    ctx.log(confirm === null ? 'confirm-given-up' : 'confirm-refused', { reservationId, attempts: CONFIRM_ATTEMPTS });
    yield* tries(ctx, () => ctx.db.release(reservationId), options.retries);
    yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: order.id }));
    return 'FAILED';
  },
  recover: reservation.recover,
};
