// `check --seed s` spends its first 50 property runs exactly as `oversold sweep --start s --seeds
// 50` would (explore/sweepCases.ts), so within 50 runs it is never behind a plain sweep of the
// file as written (docs/benchmarks.md, "Searching for rare races"). These tests pin: the sweep
// cases run the sweep's traces, in the sampled model and in the windowed one; check finds a fault
// combination (confirm-gives-up) and a chaos-sale bug at the very run a sweep from its seed does;
// a counterexample found by a sweep case shrinks and replays from its path; and a seed fast-check
// picked ('random') replays the whole check. The generated cases then follow unchanged, and a bad
// sweepRuns is refused.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStrategy } from '../../src/explore/check.js';
import { identityKnobs } from '../../src/explore/arbitraries.js';
import { sweepCases } from '../../src/explore/sweepCases.js';
import { StreamListSource } from '../../src/explore/streamSource.js';
import { builtinStrategy, runOnce } from '../../src/explore/run.js';
import { CHECK_SWEEP_RUNS_DEFAULT } from '../../src/defaults.js';
import { applySwarm } from '../../src/explore/arbitraries.js';
import type { Scenario } from '../../src/scenario/index.js';
import { chaos, load, ROOT } from './helpers.js';

const CONFIRM = () => load(resolve(ROOT, 'scenarios/rare-races/confirm-gives-up-lost-replies.json'));

/** The 1-based run at which a plain sweep from `start` first breaks an invariant, or null within `count`. */
function sweepFirst(s: Scenario, strategy: string, start: number, count: number): number | null {
  const st = builtinStrategy(strategy);
  for (let i = 0; i < count; i++) if (runOnce(s, { seed: start + i, strategy: st }).violations.length > 0) return i + 1;
  return null;
}

describe('check: the first runs are a plain sweep from the check seed', () => {
  it('each sweep case runs the trace of the sweep seed it stands for (sampled chaos sale, windowed rare race)', () => {
    const st = builtinStrategy('confirm-gives-up');
    for (const s of [chaos(), CONFIRM()]) {
      const cases = sweepCases(identityKnobs(s), 40, 12);
      expect(cases.map(([[, lists]]) => lists.seed)).toEqual(Array.from({ length: 12 }, (_, i) => 40 + i));
      for (const [[knobs, lists]] of cases) {
        const asCase = runOnce(applySwarm(s, knobs), { strategy: st, source: new StreamListSource(lists) });
        const asSweep = runOnce(s, { strategy: st, seed: lists.seed! });
        expect(asCase.traceHash, `${s.name} seed ${lists.seed}`).toBe(asSweep.traceHash);
      }
    }
    // A negative fast-check seed names the same runs as its unsigned 32-bit value.
    expect(sweepCases(identityKnobs(chaos()), -1, 2).map(([[, l]]) => l.seed)).toEqual([0xffff_ffff, 0]);
  });

  it('finds confirm-gives-up (three lost replies, windowed) and retry-without-idempotency (sampled chaos sale) at the run a sweep from the same seed does', () => {
    const cases: [Scenario, string, number][] = [
      [CONFIRM(), 'confirm-gives-up', 1],
      [CONFIRM(), 'confirm-gives-up', 7],
      [CONFIRM(), 'confirm-gives-up', 101],
      [chaos(), 'retry-without-idempotency', 3],
    ];
    for (const [s, strategy, seed] of cases) {
      const k = sweepFirst(s, strategy, seed, CHECK_SWEEP_RUNS_DEFAULT);
      expect(k, `sweep --start ${seed} finds ${strategy} within ${CHECK_SWEEP_RUNS_DEFAULT} seeds`).not.toBeNull();
      const c = checkStrategy(s, builtinStrategy(strategy), { seed, numRuns: 200 });
      expect({ found: c.found, runs: c.runs }, `check --seed ${seed} on ${strategy}`).toEqual({ found: true, runs: k });
    }
  });

  it('after the sweep cases come the generated cases, unchanged: K sweep cases that find nothing delay the mixture by K runs', () => {
    const s = CONFIRM();
    const st = builtinStrategy('confirm-gives-up');
    // Seed 1: the sweep first finds it at its 25th seed, so 10 sweep cases find nothing.
    expect(sweepFirst(s, 'confirm-gives-up', 1, 10)).toBeNull();
    const mixture = checkStrategy(s, st, { seed: 1, numRuns: 300, sweepRuns: 0 });
    expect(mixture.found).toBe(true);
    const after = checkStrategy(s, st, { seed: 1, numRuns: 300, sweepRuns: 10 });
    expect(after.runs).toBe(10 + mixture.runs);
    expect(after.counterexample!.answers).toEqual(mixture.counterexample!.answers);
  });

  it('a counterexample from a sweep case is shrunk, and its seed and path replay it', () => {
    const s = CONFIRM();
    const st = builtinStrategy('confirm-gives-up');
    const c = checkStrategy(s, st, { seed: 4000, numRuns: 200 });
    expect(c.runs).toBe(sweepFirst(s, 'confirm-gives-up', 4000, 50));
    expect(c.shrinks).toBeGreaterThan(0);
    const again = checkStrategy(s, st, { seed: 4000, numRuns: 200, path: c.path! });
    expect(again.counterexample!.answers).toEqual(c.counterexample!.answers);
  });

  it("seed 'random': fast-check picks it, and that seed replays the check, sweep cases included", () => {
    const st = builtinStrategy('confirm-gives-up');
    const picked = checkStrategy(CONFIRM(), st, { seed: 'random', numRuns: 60 });
    const again = checkStrategy(CONFIRM(), st, { seed: picked.seed, numRuns: 60 });
    expect({ runs: again.runs, path: again.path, answers: again.counterexample?.answers }).toEqual({ runs: picked.runs, path: picked.path, answers: picked.counterexample?.answers });
  });

  it('refuses a sweepRuns that is not a whole number from 0, naming it', () => {
    const st = builtinStrategy('naive');
    for (const bad of [-1, 2.5, Number.NaN]) expect(() => checkStrategy(CONFIRM(), st, { sweepRuns: bad, numRuns: 1 })).toThrow(/checkStrategy: sweepRuns must be a whole number from 0/);
  });
});
