/**
 * reservation-per-line: a cart that holds one reservation per line. Each line is reserved on
 * its own (its own id, lease and token), the cart is paid once, then each reservation is
 * confirmed in turn; a refused confirm (its lease ran out) releases the rest, refunds and
 * answers FAILED. A rare race on purpose (docs/strategies.md, "Rare races"): a one-line order
 * is exactly `reservation`, and a cart breaks only when a lease runs out *between* two of its
 * confirms (a pause, or a slow network, right there).
 *
 * Chapter 8 concept: atomicity does not compose. Each confirm is atomic, the cart is not: the
 * first line is sold when the second is refused, and the order answered FAILED (and refunded)
 * owns a vase: `acknowledged-is-sold`. `reservation` reserves and confirms the whole cart as
 * one reservation.
 */
import type { Strategy } from '../strategy.js';
import { orderQty } from '../types.js';
import { isReply, itemTotals, persist, tries, unexpected } from './common.js';
import { reservation } from './reservation.js';

export const reservationPerLine: Strategy = {
  name: 'reservation-per-line',
  summary: 'a cart holding one reservation per line, confirmed line by line: a lease running out between two confirms half-sells a FAILED cart (rare race)',
  safe: false,
  *placeOrder(ctx) {
    const { order, options } = ctx;
    const lines = itemTotals(order.lines);
    for (const l of lines) {
      const r = yield* ctx.db.read(l.item);
      if (r.ok && r.value.ok === true && r.value.stock < l.qty) return 'OUT_OF_STOCK';
    }
    const held: Array<{ id: string; token: number }> = [];
    const releaseAll = function* () {
      for (const h of held) yield* tries(ctx, () => ctx.db.release(h.id), options.retries);
    };
    for (const l of lines) {
      const id = ctx.newId('reserve');
      const res = yield* persist(ctx, 'reserve', () => ctx.db.reserve(id, [l], options.leaseTicks));
      if (res.ok !== true) {
        yield* releaseAll();
        if (isReply(res, false, 'insufficient')) return 'OUT_OF_STOCK';
        if (isReply(res, false, 'bad-request')) return 'FAILED';
        return unexpected('reserve', res);
      }
      held.push({ id, token: res.token });
    }
    const charge = yield* persist(ctx, 'charge', () => ctx.payment.charge(orderQty(order), { idempotencyKey: order.id }));
    if (charge.ok !== true) {
      if (!isReply(charge, false, 'declined')) return unexpected('charge', charge);
      yield* releaseAll();
      return 'FAILED';
    }
    // BUG: one confirm per line; a refusal after an earlier line was confirmed half-sells the cart.
    for (const h of held) {
      const confirm = yield* persist(ctx, 'confirm', () => ctx.db.confirm(h.id, h.token));
      if (confirm.ok === true) continue;
      if (!isReply(confirm, false)) return unexpected('confirm', confirm);
      ctx.log('confirm-refused', { reservationId: h.id, reason: (confirm as { reason?: unknown }).reason });
      yield* releaseAll();
      yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: order.id }));
      return 'FAILED';
    }
    return 'ORDER_PLACED';
  },
  recover: reservation.recover,
};
