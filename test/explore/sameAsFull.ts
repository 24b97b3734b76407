import { expect } from 'vitest';
import type { ExploreSearch } from '../../src/index.js';

/**
 * What soundness of a reduction means on one case (the soundness properties share it): the
 * reduced search is exhausted and reaches the full search's verdict and exactly its final
 * states, never with more executions. Returns whether the case shows the reduction at work:
 * several final states, and strictly fewer executions than the full search.
 */
export function expectSameAsFull(full: ExploreSearch, reduced: ExploreSearch, line?: string): boolean {
  expect(reduced.exhausted, line).toBe(true);
  expect(reduced.found !== null, line).toBe(full.found !== null);
  expect(reduced.finalStates, line).toEqual(full.finalStates);
  expect(reduced.executions, line).toBeLessThanOrEqual(full.executions);
  return full.finalStates.length > 1 && reduced.executions < full.executions;
}
