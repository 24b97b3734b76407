// `why`'s sufficient sets checked from outside: with only the set's faults kept it breaks a
// target invariant, and with any one of them removed as well, every target invariant holds.
import { expect } from 'vitest';
import { why } from '../../src/explore/minimise/why.js';
import { answersKeeping, stepsKeeping } from '../../src/explore/minimise/removal.js';
import { runOnce, builtinStrategy } from '../../src/explore/run.js';
import { answersOf } from '../../src/explore/replayFile.js';
import { libraryScenario } from '../helpers/scenarios.js';

export const BROKEN = ['naive', 'lock-lease', 'wall-clock-expiry', 'retry-without-idempotency'] as const;

/** Runs `why` on every failing run of flash-sale-chaos in `seeds` for each broken strategy; returns how many it checked. */
export function checkSufficientSetsOneMinimal(seeds: readonly number[], strategies: readonly string[] = BROKEN): number {
  const scenario = libraryScenario('flash-sale-chaos');
  let checked = 0;
  for (const name of strategies) {
    const strategy = builtinStrategy(name);
    for (const seed of seeds) {
      const r = runOnce(scenario, { seed, strategy, recordChoices: true });
      if (r.verdict !== 'violated') continue;
      const w = why({ scenario, strategy, answers: answersOf(r) });
      const where = `${name} seed ${seed} (replay: oversold run scenarios/flash-sale-chaos.json --strategy ${name} --seed ${seed} --record r.json; oversold why r.json)`;
      expect(w.sufficientReproduces, where).toBe(true);
      const target = new Set(w.target);
      const recorded = w.run.choices!;
      const breaks = (kept: typeof w.faults) => {
        const steps = stepsKeeping(scenario.faults.steps, w.faults, kept);
        const s = { ...scenario, faults: { ...scenario.faults, steps } };
        return runOnce(s, { strategy, source: answersKeeping(recorded, w.faults, kept) }).violations.some((v) => target.has(v.invariant));
      };
      expect(breaks(w.sufficient), `${where}: the sufficient set alone`).toBe(true);
      for (const f of w.sufficient) expect(breaks(w.sufficient.filter((x) => x !== f)), `${where}: without ${f.text}`).toBe(false);
      checked++;
    }
  }
  return checked;
}
