// The project's own property suites, written with the public API a user would import.
import { describe, expect, it } from 'vitest';
import { assertStrategyHolds, STRATEGIES, CounterexampleError, type Strategy } from '../../src/index.js';
import { chaos, chaosPath, fcRuns } from './helpers.js';

// SQL strategies are checked on their own scenarios (test/strategies/sql.test.ts).
const SAFE: Strategy[] = [...STRATEGIES.values()].filter((s) => s.safe && s.sql !== true);

describe(`every safe strategy holds every invariant under flash-sale-chaos (fast-check, ${fcRuns(150)} runs each; OVERSOLD_FC_RUNS)`, () => {
  it('there are safe strategies to check', () => {
    expect(SAFE.length).toBeGreaterThan(0);
  });

  for (const strategy of SAFE) {
    it(`${strategy.name}: no counterexample`, () => {
      const r = assertStrategyHolds(chaos(), strategy, { numRuns: fcRuns(150), replayFile: false });
      expect(r.found).toBe(false);
      expect(r.runs).toBe(fcRuns(150));
    });
  }

  it('a scenario can be given as a file path and a strategy by name', () => {
    expect(assertStrategyHolds(chaosPath(), 'conditional-decrement', { numRuns: 20, replayFile: false }).found).toBe(false);
  });

  it('a broken strategy throws a CounterexampleError whose message replays it', () => {
    let err: unknown;
    try {
      assertStrategyHolds(chaos(), 'naive', { numRuns: 50, replayFile: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CounterexampleError);
    const m = (err as Error).message;
    expect(m).toContain('naive broke an invariant on flash-sale-chaos');
    expect(m).toMatch(/fast-check seed \d+, path [\d:]+/);
    expect(m).toMatch(/re-check +npx oversold check .* --strategy naive --seed \d+ --path [\d:]+/);
    expect((err as CounterexampleError).result.found).toBe(true);
  });
});
