import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/explore/run.js';
import { libraryScenario } from '../helpers/scenarios.js';

/** The kata's Part 2: the race exists only when the database is behind a network. */
describe("the seeds' experiment", () => {
  it('InstantDB alone never shows the race: naive is correct when read-check-write is atomic', () => {
    for (const name of ['seed-demo', 'flash-sale']) {
      const scenario = libraryScenario(name);
      for (let seed = 1; seed <= 50; seed++) {
        const r = runOnce(scenario, { seed, instantDb: true });
        expect(r.violations, `${name} seed ${seed}`).toEqual([]);
        expect(r.orders.placed).toBe(Math.min(r.orderRecords.length, 10));
      }
    }
  });

  it('NetworkLagDB shows it: two of five orders walk away with the same vase', () => {
    const scenario = libraryScenario('seed-demo');
    let caught = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const r = runOnce(scenario, { seed });
      if (r.violations.some((v) => v.invariant === 'unique-units')) caught++;
    }
    expect(caught).toBeGreaterThanOrEqual(45);
  });

  it('naive oversells the flash sale for at least 95% of seeds 1..200', () => {
    const scenario = libraryScenario('flash-sale');
    let oversold = 0;
    for (let seed = 1; seed <= 200; seed++) {
      if (runOnce(scenario, { seed }).violations.some((v) => v.invariant === 'no-oversell')) oversold++;
    }
    expect(oversold).toBeGreaterThanOrEqual(190);
  });

  it('a violation names the invariant, the orders and the units, in a sentence', () => {
    const r = runOnce(libraryScenario('flash-sale'), { seed: 7 });
    const uu = r.violations.find((v) => v.invariant === 'unique-units')!;
    expect(uu.units.length).toBeGreaterThan(0);
    expect(uu.orders.length).toBeGreaterThanOrEqual(2);
    expect(uu.message).toMatch(/^vase#\d+ went to /);
    const no = r.violations.find((v) => v.invariant === 'no-oversell')!;
    expect(no.message).toMatch(/were told ORDER_PLACED, but only 10 were in stock/);
  });
});
