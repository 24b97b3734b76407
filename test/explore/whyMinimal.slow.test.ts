import { describe, expect, it } from 'vitest';
import { BROKEN, checkSufficientSetsOneMinimal } from './whyMinimal.js';

describe("why's sufficient set is 1-minimal (slow tier)", () => {
  for (const strategy of BROKEN) {
    it(`${strategy}: on every failing run of flash-sale-chaos seeds 1-100`, () => {
      expect(checkSufficientSetsOneMinimal(Array.from({ length: 100 }, (_, i) => i + 1), [strategy])).toBeGreaterThan(0);
    });
  }
});
