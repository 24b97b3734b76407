// countOrders adds 0 or 1 to every count for every order (no branch per count, so that a
// sweep's worker never compiles a branch no order had taken yet): each status and answer
// must still land in exactly one count.
import { describe, expect, it } from 'vitest';
import { countOrders } from '../../src/explore/run.js';
import type { OrderRecord } from '../../src/inventory/world.js';
import type { OrderAnswer } from '../../src/inventory/types.js';

function rec(status: OrderRecord['status'], answer: OrderAnswer | null): OrderRecord {
  return { order: { id: 'o', app: 'app1', lines: [{ item: 'vase', qty: 1 }] }, status, answer, reason: null, error: null, startMs: 0, endMs: null } as unknown as OrderRecord;
}

describe('countOrders', () => {
  it('counts each answer once, and orders without one as unknown', () => {
    const orders = [rec('answered', 'ORDER_PLACED'), rec('answered', 'ORDER_PLACED'), rec('answered', 'OUT_OF_STOCK'), rec('answered', 'FAILED'), rec('unknown', null), rec('pending', null), rec('unknown', null)];
    expect(countOrders(orders)).toEqual({ placed: 2, outOfStock: 1, failed: 1, unknown: 3 });
  });

  it('goes by the status: an answer left on an order that is not answered does not count as one', () => {
    expect(countOrders([rec('unknown', 'ORDER_PLACED'), rec('pending', 'OUT_OF_STOCK')])).toEqual({ placed: 0, outOfStock: 0, failed: 0, unknown: 2 });
    expect(countOrders([])).toEqual({ placed: 0, outOfStock: 0, failed: 0, unknown: 0 });
  });
});
