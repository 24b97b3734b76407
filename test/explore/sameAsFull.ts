import { expect } from 'vitest';
import { searchSchedules, type ExploreOptions, type ExploreSearch, type FaultBounds, type Scenario, type Strategy } from '../../src/index.js';

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

/**
 * The search a case is compared against, every schedule kept going, under `cap` executions;
 * null when it does not finish there: the case is too big, counted and not compared.
 */
export function searchWithin(s: Scenario, strategy: Strategy, o: ExploreOptions, cap: number): ExploreSearch | null {
  const r = searchSchedules(s, strategy, { ...o, keepGoing: true, maxExecutions: cap });
  return r.exhausted ? r : null;
}

export interface FullComparison {
  readonly full: ExploreSearch;
  readonly reduced: ExploreSearch;
  /** The case shows the reduction at work (expectSameAsFull). */
  readonly interesting: boolean;
}

/**
 * The soundness skeleton: the full search (no reduction) under `cap` executions, null when too
 * big; else the reduced search (DPOR with sleep sets) with the same bounds and options,
 * expected to be the same (expectSameAsFull). `o` adds options to both (the semantics).
 */
export function compareWithFull(s: Scenario, strategy: Strategy, bounds: Partial<FaultBounds>, cap: number, o: ExploreOptions = {}): FullComparison | null {
  const full = searchWithin(s, strategy, { ...o, bounds, reduction: false }, cap);
  if (full === null) return null;
  const reduced = searchSchedules(s, strategy, { ...o, bounds, reduction: true, keepGoing: true });
  return { full, reduced, interesting: expectSameAsFull(full, reduced) };
}
