import type * as T from './dbTypes.js';
import { emptyObjects } from '../sim/packed.js';

export interface Charge {
  readonly chargeId: string;
  readonly order: string;
  readonly amount: number;
  readonly idempotencyKey: string | undefined;
  refunded: boolean;
}

/** A charge: a class, not a literal, so that V8 never pretenures it (src/sim/untracked.ts). Fields in Charge's order. */
class ChargeRecord implements Charge {
  readonly chargeId: string;
  readonly order: string;
  readonly amount: number;
  readonly idempotencyKey: string | undefined;
  refunded = false;

  constructor(chargeId: string, order: string, amount: number, idempotencyKey: string | undefined) {
    this.chargeId = chargeId;
    this.order = order;
    this.amount = amount;
    this.idempotencyKey = idempotencyKey;
  }
}

/** The answers byKey keeps for the whole run: classes, not literals, so that V8 never pretenures them. */
class ChargeMade {
  readonly ok = true;
  readonly chargeId: string;

  constructor(chargeId: string) {
    this.chargeId = chargeId;
  }
}

class ChargeDeclined {
  readonly ok = false;
  readonly reason = 'declined';
}

/**
 * The payment provider's ledger. A charge with an idempotency key that was seen before gets
 * the stored outcome (declined stays declined, a success is not charged again); a charge
 * without a key is a new charge every time it arrives, duplicates included.
 */
export class PaymentLedger {
  charges: Charge[] = emptyObjects(); // A copy, not a literal: a run-long list (src/sim/untracked.ts).
  private byKey = new Map<string, T.ChargeRes>();
  onEvent: ((op: string, order: string, detail: Record<string, unknown>) => void) | null = null;

  /** A world reset: no charges (a new list: the last run's violations may still read theirs), no stored outcomes. */
  reset(): void {
    this.charges = emptyObjects();
    // A new Map, not clear() (idempotency.ts says why).
    this.byKey = new Map();
  }

  /** `declined` is decided by the caller (a choice); the ledger only records. */
  charge(r: T.ChargeReq, declined: boolean): T.ChargeRes {
    const key = typeof r.idempotencyKey === 'string' ? r.idempotencyKey : undefined;
    if (key !== undefined) {
      const stored = this.byKey.get(key);
      if (stored) {
        this.onEvent?.('charge-dedup', String(r.order), { idempotencyKey: key });
        return stored;
      }
    }
    let res: T.ChargeRes;
    if (declined) {
      res = new ChargeDeclined();
      this.onEvent?.('charge-declined', String(r.order), {});
    } else {
      const c: Charge = new ChargeRecord(`ch${this.charges.length + 1}`, String(r.order), Number(r.amount) || 0, key);
      this.charges.push(c);
      res = new ChargeMade(c.chargeId);
      this.onEvent?.('charge', c.order, { chargeId: c.chargeId, amount: c.amount });
    }
    if (key !== undefined) this.byKey.set(key, res);
    return res;
  }

  /** Refunds the charge named by id, or every live charge of the key; refunding twice is a no-op. */
  refund(r: T.RefundReq): T.RefundRes {
    let refunded = 0;
    for (const c of this.charges) {
      const match = r.chargeId !== undefined ? c.chargeId === r.chargeId : r.idempotencyKey !== undefined && c.idempotencyKey === r.idempotencyKey;
      if (match && !c.refunded) {
        c.refunded = true;
        refunded++;
        this.onEvent?.('refund', c.order, { chargeId: c.chargeId });
      }
    }
    return { ok: true, refunded };
  }
}
