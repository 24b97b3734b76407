/**
 * What share of a run is event processing, timed rather than sampled: each run taken apart
 * as runOnce does it (building the world, the kernel's event loop, judging the invariants),
 * each phase timed with performance.now() and summed over every seed. The share outside
 * event processing is (build + judge) / (build + loop + judge); runOnce's result object (a
 * few counts and the digest) is left out. The collector's pauses fall into whichever phase
 * they interrupt (mostly the event loop, where most of the garbage is made). On this shared machine the sampling profiler's attribution
 * of small functions moves by several points between runs (bench/runProfile.ts); these sums
 * move much less.
 *
 * Two ways to get a run's world, measured one after the other in the same process: a world
 * reset (InventoryWorld.reset: what a sweep does, runOnce with reuseWorld) and a new world per
 * run (runOnce without it). A build without reset() (an old commit's) measures the new world twice.
 *
 *   npm run build && node --import tsx bench/runPhases.ts [--dist DIR] [--runs 3000] [--rounds 3]
 *
 * Rounds interleave the two ways and the two scenarios (reset, new, reset, new, ...), so that a
 * loaded minute falls on both; the last lines give each variant's range over the rounds.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadavg } from 'node:os';
import { gcMode } from './gcMode.js';

export interface Phases {
  readonly runUs: number;
  readonly buildUs: number;
  readonly loopUs: number;
  readonly judgeUs: number;
  readonly outside: number;
}

export async function runPhases(dist: string, file: string, strategyName: string, runs: number, reset = false): Promise<Phases> {
  const imp = (p: string) => import(pathToFileURL(resolve(dist, p)).href);
  const api = await imp('index.js');
  const { InventoryWorld } = await imp('inventory/world.js');
  const { SeededSource } = await imp('sim/sources.js');
  const r = api.loadScenarioFile(file);
  if (!r.ok) throw new Error(JSON.stringify(r.problems[0]));
  const s = r.scenario;
  const strategy = api.builtinStrategy(strategyName);
  const options = api.resolveStrategyOptions(s.strategy.options);
  const limits = { eventsMax: s.limits.maxEvents, timeMsMax: s.limits.maxTimeMs };
  const canReset = reset && typeof InventoryWorld.prototype.reset === 'function';
  let last: { reset(source: unknown): void; runUntilQuiet(l: unknown): unknown } | null = null;
  const apart = (seed: number, t: number[]) => {
    const t0 = performance.now();
    let w;
    if (canReset && last !== null) {
      last.reset(new SeededSource(seed));
      w = last;
    } else w = last = new InventoryWorld(s, { source: new SeededSource(seed), strategy, options });
    const t1 = performance.now();
    const stop = w.runUntilQuiet(limits);
    const t2 = performance.now();
    api.checkInvariants(w, stop);
    const t3 = performance.now();
    t[0] += t1 - t0;
    t[1] += t2 - t1;
    t[2] += t3 - t2;
  };
  const scratch = [0, 0, 0];
  for (let seed = 1; seed <= 1000; seed++) apart(seed, scratch);
  const t = [0, 0, 0];
  for (let seed = 1; seed <= runs; seed++) apart(1_000_000 + seed, t);
  const us = (ms: number) => (ms * 1000) / runs;
  const all = t[0] + t[1] + t[2];
  return { runUs: us(all), buildUs: us(t[0]), loopUs: us(t[1]), judgeUs: us(t[2]), outside: (t[0] + t[2]) / all };
}

export function printPhases(label: string, p: Phases, how = 'building the world'): void {
  console.log(`${label}: a run ${p.runUs.toFixed(0)} us = event loop ${p.loopUs.toFixed(0)} us + ${how} ${p.buildUs.toFixed(0)} us + invariants ${p.judgeUs.toFixed(0)} us; outside event processing ${(100 * p.outside).toFixed(1)} % (goal <= 20 %)`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { dist: { type: 'string', default: resolve(import.meta.dirname, '../dist') }, runs: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '3' } } });
  console.log(`node ${process.version}, load ${loadavg()[0].toFixed(2)}, ${values.dist}; ${gcMode()}`);
  const scenarios = resolve(import.meta.dirname, '../scenarios');
  const outside = new Map<string, number[]>();
  for (let round = 1; round <= Number(values.rounds); round++) {
    console.log(`round ${round}, load ${loadavg()[0].toFixed(2)}`);
    for (const [file, strategy] of [['flash-sale', 'naive'], ['flash-sale-chaos', 'reservation']]) {
      const path = resolve(scenarios, `${file}.json`);
      for (const reset of [true, false]) {
        const label = `${file} (${strategy}), ${reset ? 'world reset' : 'new world'}`;
        const p = await runPhases(values.dist!, path, strategy, Number(values.runs), reset);
        printPhases(`  ${label}`, p, reset ? 'resetting the world' : 'building the world');
        outside.set(label, [...(outside.get(label) ?? []), p.outside]);
      }
    }
  }
  for (const [label, xs] of outside) console.log(`${label}: outside event processing ${xs.map((x) => `${(100 * x).toFixed(1)} %`).join(', ')} (goal <= 20 %)`);
}
