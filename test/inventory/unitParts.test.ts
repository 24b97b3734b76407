// A unit id names its item and number (`vase#3`); confirms and releases read them back
// (UnitLedger.unit). unitParts answers what unitId was called with, from its table or by parsing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { unitId, unitParts } from '../../src/inventory/types.js';

describe('unitParts', () => {
  it('gives back the item and number unitId was called with, whatever the item name holds (even a #)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 8 }), fc.integer({ min: 1, max: 5000 }), (item, n) => {
      expect(unitParts(unitId(item, n))).toEqual({ item, n });
    }));
    expect(unitParts(unitId('a#b', 7))).toEqual({ item: 'a#b', n: 7 });
  });

  it('parses an id unitId never built (read from a file, built elsewhere): the part before the last #, the number after', () => {
    expect(unitParts('bowl#12')).toEqual({ item: 'bowl', n: 12 });
    expect(unitParts(['x#y', '3'].join('#'))).toEqual({ item: 'x#y', n: 3 });
  });
});
