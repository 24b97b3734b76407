import type { Proc } from '../../sim/process.js';
import type { OrderContext } from '../strategy.js';
import { orderQty, type OrderLine } from '../types.js';
import { isReply, persist, tries, unexpected } from './common.js';

/**
 * Reservation's first half, shared by reservation itself and its rare-race variants
 * (confirm-gives-up, unfenced-confirm): the advisory read, the reserve and the charge, each answered as
 * reservation answers it. Returns the order's answer when it ends here, or the reservation
 * that is held and paid for.
 */
export function* reserveAndCharge(ctx: OrderContext): Proc<'OUT_OF_STOCK' | 'FAILED' | { readonly reservationId: string; readonly token: number }> {
  const { order, options } = ctx;
  // The order's own lines, not a copy: nothing writes them, message bodies are not hashed, and
  // the primary decodes a copy of item and qty (decodeLines) before it keeps anything.
  const lines = order.lines as OrderLine[];
  // 1. Advisory read: only ever used to say "no" early.
  // An index, not for-of: an array iterator per order (held across the yield, so never elided).
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const r = yield* ctx.db.read(l.item);
    if (r.ok && r.value.ok === true && r.value.stock < l.qty) return 'OUT_OF_STOCK';
  }
  // 2. Reserve, idempotently by reservation id.
  const reservationId = ctx.newId('reserve');
  const res = yield* persist(ctx, 'reserve', () => ctx.db.reserve(reservationId, lines, options.leaseTicks));
  if (res.ok !== true) {
    if (isReply(res, false, 'insufficient')) return 'OUT_OF_STOCK';
    // The reservation was granted and ended (expired) before any reply reached us: nothing
    // is held and nothing was charged, so FAILED is the truth.
    if (isReply(res, false, 'bad-request')) return 'FAILED';
    return unexpected('reserve', res);
  }
  // 3. Pay, idempotently by order id.
  const charge = yield* persist(ctx, 'charge', () => ctx.payment.charge(orderQty(order), { idempotencyKey: order.id }));
  if (charge.ok !== true) {
    if (!isReply(charge, false, 'declined')) return unexpected('charge', charge);
    // Give the units back now; if every release is lost, the lease gives them back later.
    yield* tries(ctx, () => ctx.db.release(reservationId), options.retries);
    return 'FAILED';
  }
  return { reservationId, token: res.token };
}
