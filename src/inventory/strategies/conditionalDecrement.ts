/**
 * conditional-decrement: one atomic "decrement if stock >= qty" at the primary, for every line
 * of the order at once, with a request id; a timeout is retried with the SAME request id.
 *
 * Chapter 8 concepts:
 * - *Truth is defined by the majority / a single authority*: the primary is the one place
 *   where "is there a vase left?" and "take it" happen together, inside one atomic step. No
 *   client ever acts on a number it read earlier, so there is no read-modify-write race and no
 *   stale replica to be fooled by. This is the kata's "atomic operations at the database level".
 * - *Unreliable networks*: a timeout means the outcome is unknown (the request may have been
 *   applied and only the reply lost). Retrying a non-idempotent decrement would take two vases
 *   (see retry-without-idempotency). Here the primary stores the outcome under the request id
 *   and answers a retry, or a duplicate delivery, with that stored outcome: at-least-once
 *   delivery, exactly-once effect.
 *
 * Why it is safe under every fault:
 * - delays, reordering, duplicated requests: each request is atomic and deduplicated.
 * - dropped request / dropped reply: retried with the same id until an answer arrives; the
 *   order never answers FAILED while the decrement may have been applied (that would leave a
 *   customer told "failed" owning a vase). After the fault phase the network heals, so the
 *   retry gets through; if it never does the order stays unanswered (a liveness finding),
 *   never a lie.
 * - partitions, pauses: they only delay the answer; nothing here has a lease to lose.
 * - clock skew: no clock is read.
 * - app crash: the order is lost mid-flight; if its decrement was applied the units belong to
 *   that (unanswered) order, consistently: counter and unit ledger moved together.
 * Cost: it is the simplest correct design, but has no payment step and no "hold while paying".
 */
import type { Strategy } from '../strategy.js';
import { isReply, persist, unexpected } from './common.js';
import { mapPacked } from '../../sim/packed.js';

export const conditionalDecrement: Strategy = {
  name: 'conditional-decrement',
  summary: 'one atomic decrement-if-enough at the primary; timeouts retried with the same request id',
  safe: true,
  *placeOrder(ctx) {
    const requestId = ctx.newId('decrement');
    const lines = mapPacked(ctx.order.lines, (l) => ({ item: l.item, qty: l.qty }));
    const r = yield* persist(ctx, 'decrement', () => ctx.db.decrement(lines, { requestId }));
    if (r.ok === true) return 'ORDER_PLACED';
    if (isReply(r, false, 'insufficient')) return 'OUT_OF_STOCK';
    return unexpected('decrement', r);
  },
};
