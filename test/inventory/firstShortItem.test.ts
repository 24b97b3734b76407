// firstShortItem (src/inventory/types.ts) decides what a loop over qtyByItem() decided before it
// (the reserve and decrement refusals): the first item, in the order of its first line, whose
// lines together ask for more than its stock, with that total.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstShortItem, qtyByItem, type OrderLine } from '../../src/inventory/types.js';

function byMap(lines: readonly OrderLine[], stock: ReadonlyMap<string, { stock: number }>): { item: string; qty: number } | null {
  for (const [item, qty] of qtyByItem(lines)) if (stock.get(item)!.stock < qty) return { item, qty };
  return null;
}

describe('firstShortItem', () => {
  it('sums the lines of one item before comparing, and names the first short item', () => {
    const stock = new Map([['vase', { stock: 3 }], ['bowl', { stock: 1 }]]);
    expect(firstShortItem([{ item: 'vase', qty: 2 }, { item: 'vase', qty: 2 }], stock)).toEqual({ item: 'vase', qty: 4 });
    expect(firstShortItem([{ item: 'bowl', qty: 1 }, { item: 'vase', qty: 3 }], stock)).toBeNull();
    expect(firstShortItem([{ item: 'vase', qty: 1 }, { item: 'bowl', qty: 2 }, { item: 'vase', qty: 9 }], stock)).toEqual({ item: 'vase', qty: 10 });
  });

  it('answers what the loop over qtyByItem answered (fast-check; replay with the seed it prints)', () => {
    const items = ['a', 'b', 'c'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ item: fc.constantFrom(...items), qty: fc.integer({ min: 1, max: 4 }) }), { maxLength: 6 }),
        fc.tuple(fc.nat(6), fc.nat(6), fc.nat(6)),
        (lines, [a, b, c]) => {
          const stock = new Map([['a', { stock: a }], ['b', { stock: b }], ['c', { stock: c }]]);
          expect(firstShortItem(lines, stock)).toEqual(byMap(lines, stock));
        },
      ),
    );
  });
});
