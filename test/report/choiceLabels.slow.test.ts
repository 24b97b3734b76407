// Every case of "labels are never read back" (choiceLabels.test.ts says why, and runs a sample
// of them in the fast tier): about 20 s of why, export and check, so slow-tier material.
import { afterEach, describe, expect, it } from 'vitest';
import { CASES, checkCases, checkShape, randomLabels, resetLabels, structured } from './labelCases.js';

afterEach(resetLabels);

describe('labels are never read back', () => {
  for (const c of CASES) {
    it(`${c.strategy} (${c.scenario.name} seed ${c.seed}): random labels change no structured result of why, export or the explanations`, () => {
      const plain = structured(c);
      randomLabels(c.seed);
      const noisy = structured(c);
      expect(noisy).toEqual(plain);
    });
  }

  it('check: the counterexample (answers, knobs, shrunk choices by kind and subject) is the same under random labels (a windowed schedule too)', () => {
    const cases = checkCases();
    const plain = cases.map(checkShape);
    randomLabels(99);
    expect(cases.map(checkShape)).toEqual(plain);
  });
});
