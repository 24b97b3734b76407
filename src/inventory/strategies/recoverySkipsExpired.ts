/**
 * recovery-skips-expired: reservation, except that crash recovery skips the reservations that
 * already expired ("the lease gave the units back, nothing to do"). A rare race on purpose
 * (docs/strategies.md, "Rare races"): it breaks only when an app server crashes after an
 * order was charged and before it confirmed, and stays down until that reservation's lease
 * has run out.
 *
 * Chapter 8 concept: a lease cleans up the *lease holder's* resource, not everything the dead
 * process did. The units came back; the customer's money did not. The order was charged and
 * owns nothing: `charged-once` (a charged order without units is refunded).
 */
import type { Proc } from '../../sim/process.js';
import type { RecoveryContext, Strategy } from '../strategy.js';
import { isReply, persist, unexpected } from './common.js';
import { reservation } from './reservation.js';

export const recoverySkipsExpired: Strategy = {
  name: 'recovery-skips-expired',
  summary: 'reservation, but crash recovery skips expired reservations: a charge made before the crash is never refunded (rare race)',
  safe: false,
  placeOrder: reservation.placeOrder,

  *recover(ctx: RecoveryContext): Proc<void> {
    const list = yield* persist(ctx, 'reservations', () => ctx.db.reservations(ctx.app));
    if (list.ok !== true || !Array.isArray(list.reservations)) return unexpected('reservations', list);
    for (const r of list.reservations) {
      // BUG: "expired means the lease cleaned up": but a charge made before the crash stays.
      if (r.state === 'confirmed' || r.state === 'expired') continue;
      if (r.state === 'held') {
        const rel = yield* persist(ctx, 'release', () => ctx.db.release(r.reservationId));
        if (isReply(rel, false, 'confirmed')) continue;
        if (rel.ok !== true) return unexpected('release', rel);
      }
      ctx.log('recover-order', { order: r.order, reservationId: r.reservationId, state: r.state });
      const charge = yield* persist(ctx, 'charge', () => ctx.payment.charge(r.units.length, { idempotencyKey: r.order, order: r.order }));
      if (charge.ok === true) yield* persist(ctx, 'refund', () => ctx.payment.refund({ idempotencyKey: r.order, order: r.order }));
    }
  },
};
