import { runWithStrategy, type RunnableScenario, type RunResult } from './runCore.js';
import type { Strategy } from '../inventory/strategy.js';
import { checkSeedRange } from './seedRange.js';
import type { SweepOptions } from './sweep.js';

// The seed loop alone, for a sweep's worker thread: it imports runCore.ts, not the registry of
// built-in strategies that sweepInline (sweep.ts) may need (docs/benchmarks.md, "Worker boot").

/**
 * The seed loop of a sweep (sweepInline here, a chunk in a worker thread): runs seeds in order,
 * hands each run to `count` (which answers whether it failed), honours shouldStop and
 * failFast, and answers the seed after the last one that ran.
 */
export function sweepSeeds(scenario: RunnableScenario, o: SweepOptions & { readonly strategy: Strategy }, count: (seed: number, r: RunResult) => boolean): number {
  checkSeedRange(o.start, o.count);
  let seed = o.start;
  const end = o.start + o.count;
  for (; seed < end; seed++) {
    if (o.shouldStop?.(seed)) break;
    // A world reset per seed rather than a rebuild (InventoryWorld.reset): nothing here keeps a run's world.
    const r = runWithStrategy(scenario, { seed, strategy: o.strategy, options: o.options, search: o.search, reuseWorld: true });
    const failed = count(seed, r);
    o.onRun?.(seed, failed, r.traceHash);
    if (failed && o.failFast) {
      seed++;
      break;
    }
  }
  return seed;
}
