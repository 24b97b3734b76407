import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../src/inventory/invariants.js';
import { INVARIANT_NAMES } from '../../src/scenario/index.js';

describe('expect.violations vocabulary', () => {
  it('names exactly the invariants the kernel checks', () => {
    expect([...INVARIANT_NAMES].sort()).toEqual([...INVARIANTS].sort());
  });
});
