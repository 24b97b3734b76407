// The world reset (InventoryWorld.reset, runOnce's reuseWorld): a world reset for the next run
// is that run's new world, field for field, and its run is the same run. A reset that forgets a
// field is a determinism bug that a trace may show only under some seed: the field-by-field
// comparison (sameState.ts) shows it at once, whatever the seed.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { InventoryWorld, type WorldOptions } from '../../src/inventory/world.js';
import { SeededSource } from '../../src/sim/sources.js';
import { ChoiceScheduler } from '../../src/sim/scheduler.js';
import { STRATEGIES } from '../../src/inventory/strategies/index.js';
import { resolveStrategyOptions } from '../../src/inventory/strategy.js';
import { runOnce } from '../../src/explore/run.js';
import { defineStrategy, type Strategy } from '../../src/inventory/strategy.js';
import { firstDifference } from './sameState.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every library scenario a reset applies to (no SQL), by file name. */
const LIBRARY: ReadonlyArray<[string, Scenario]> = readdirSync(resolve(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const r = loadScenarioFile(resolve(ROOT, 'scenarios', f));
    if (!r.ok) throw new Error(`${f}: ${JSON.stringify(r.problems[0])}`);
    return [f.replace(/\.json$/, ''), r.scenario] as [string, Scenario];
  })
  .filter(([, s]) => s.sql === undefined);

const NO_SQL_STRATEGIES = [...STRATEGIES.values()].filter((s) => s.sql !== true);

/**
 * Caches of values that depend on the config alone, filled by whichever run first needs them
 * (so a world that has run holds more of them than a new one): a node's handler process names,
 * each app server's ctx.localTime function, the network's per-link delays.
 */
const CACHES = new Set(['processNames', 'clocks', 'linkCache']);

function limitsOf(s: Scenario) {
  return { eventsMax: s.limits.maxEvents, timeMsMax: s.limits.maxTimeMs };
}

function optionsFor(s: Scenario, strategy: (typeof NO_SQL_STRATEGIES)[number], seed: number, windowed: boolean): WorldOptions {
  return {
    source: new SeededSource(seed),
    strategy,
    options: resolveStrategyOptions(s.strategy.options),
    ...(windowed ? { timing: 'windowed' as const, scheduler: new ChoiceScheduler() } : {}),
  };
}

describe('a world reset for the next run is that run\'s new world', () => {
  it.each(LIBRARY.map(([name]) => [name]))('%s: after a run, every strategy, both timing models: the same fields before and after the next run, the same trace', (name) => {
    const s = LIBRARY.find(([n]) => n === name)![1];
    for (const strategy of NO_SQL_STRATEGIES) {
      for (const windowed of [false, true]) {
        // Seed 3 first (a run that may have struck faults, held reservations, left orders unknown), then 7.
        const reused = new InventoryWorld(s, optionsFor(s, strategy, 3, windowed));
        expect(reused.resettable).toBe(true);
        reused.runUntilQuiet(limitsOf(s));
        reused.reset(new SeededSource(7));
        const fresh = new InventoryWorld(s, optionsFor(s, strategy, 7, windowed));
        const where = `${name}, ${strategy.name}, ${windowed ? 'windowed' : 'sampled'}`;
        expect(firstDifference(reused, fresh, CACHES), `${where}: before the run`).toBeNull();
        const stopReused = reused.runUntilQuiet(limitsOf(s));
        const stopFresh = fresh.runUntilQuiet(limitsOf(s));
        expect(stopReused).toBe(stopFresh);
        expect(reused.sim.trace.digest(), where).toBe(fresh.sim.trace.digest());
        expect(firstDifference(reused, fresh, CACHES), `${where}: after the run`).toBeNull();
      }
    }
  });

  it('the comparison sees a field a reset would forget (it can fail)', () => {
    const [, s] = LIBRARY.find(([n]) => n === 'flash-sale-chaos')!;
    const strategy = STRATEGIES.get('reservation')!;
    const reused = new InventoryWorld(s, optionsFor(s, strategy, 3, false));
    reused.runUntilQuiet(limitsOf(s));
    reused.reset(new SeededSource(7));
    const fresh = new InventoryWorld(s, optionsFor(s, strategy, 7, false));
    reused.locks.tick = 1;
    expect(firstDifference(reused, fresh, CACHES)).toMatch(/tick/);
    reused.locks.tick = 0;
    reused.db.seq = 5;
    expect(firstDifference(reused, fresh, CACHES)).toMatch(/seq/);
  });

  it('a world that holds what a reset does not rewrite refuses one (SQL)', () => {
    const [, s] = LIBRARY.find(([n]) => n === 'flash-sale')!;
    const sql = [...STRATEGIES.values()].find((x) => x.sql === true)!;
    const w = new InventoryWorld(s, { source: new SeededSource(1), strategy: sql, options: resolveStrategyOptions({}) });
    expect(w.resettable).toBe(false);
    expect(() => w.reset(new SeededSource(2))).toThrow(/reset/);
  });
});

describe('runOnce with reuseWorld', () => {
  it('scenario A, then B, then A again in one process: A\'s run is the same run both times, and the run a new world gives', () => {
    const [, a] = LIBRARY.find(([n]) => n === 'flash-sale')!;
    const [, b] = LIBRARY.find(([n]) => n === 'flash-sale-chaos')!;
    for (const strategy of ['naive', 'reservation', 'lock-fencing'].map((n) => STRATEGIES.get(n)!)) {
      const first = runOnce(a, { strategy, seed: 11, reuseWorld: true });
      runOnce(b, { strategy, seed: 12, reuseWorld: true });
      runOnce(a, { strategy, seed: 12, reuseWorld: true });
      const again = runOnce(a, { strategy, seed: 11, reuseWorld: true });
      expect(again.world, 'the second run of A reused its world').toBe(first.world);
      const fresh = runOnce(a, { strategy, seed: 11 });
      for (const r of [first, again]) {
        expect(r.traceHash).toBe(fresh.traceHash);
        expect({ ...r, world: null, trace: null, violations: r.violations.map((v) => ({ ...v, message: v.message })) })
          .toEqual({ ...fresh, world: null, trace: null, violations: fresh.violations.map((v) => ({ ...v, message: v.message })) });
      }
    }
  });

  it('a result kept across later runs keeps its orders and its violations\' words (only its world moves on)', () => {
    const [, s] = LIBRARY.find(([n]) => n === 'flash-sale')!;
    const strategy = STRATEGIES.get('naive')!;
    // Seeds whose naive runs oversell (flash-sale's expected violation), kept while later seeds run.
    const kept = [1, 2, 3].map((seed) => runOnce(s, { strategy, seed, reuseWorld: true }));
    for (let seed = 4; seed < 10; seed++) runOnce(s, { strategy, seed, reuseWorld: true });
    for (const r of kept) {
      const fresh = runOnce(s, { strategy, seed: r.seed! });
      expect(r.violations.length).toBeGreaterThan(0);
      expect(r.violations.map((v) => [v.invariant, v.message, v.orders, v.units])).toEqual(fresh.violations.map((v) => [v.invariant, v.message, v.orders, v.units]));
      expect(r.orderRecords).toEqual(fresh.orderRecords);
    }
  });

  it('runs with other options, PCT or a recorded trace build their own world', () => {
    const [, s] = LIBRARY.find(([n]) => n === 'flash-sale')!;
    const strategy = STRATEGIES.get('naive')!;
    const r1 = runOnce(s, { strategy, seed: 1, reuseWorld: true });
    const r2 = runOnce(s, { strategy, seed: 2, reuseWorld: true, keepTrace: true });
    expect(r2.world).not.toBe(r1.world);
    expect(r2.trace!.length).toBeGreaterThan(0);
    const r3 = runOnce(s, { strategy, seed: 3, reuseWorld: true, keepTrace: true });
    expect(r3.world).toBe(r2.world);
    // Each result keeps its own trace.
    expect(r2.trace).not.toBe(r3.trace);
    expect(r2.trace).toEqual(runOnce(s, { strategy, seed: 2, keepTrace: true }).trace);
    const pct = runOnce(s, { strategy, seed: 4, reuseWorld: true, search: { kind: 'pct', depth: 2 } });
    expect(pct.world.resettable).toBe(false);
    expect(runOnce(s, { strategy, seed: 4, search: { kind: 'pct', depth: 2 } }).traceHash).toBe(pct.traceHash);
  });
});

describe('runOnce with reuseWorld, nested', () => {
  it('a run started inside a run of the same scenario (a strategy that calls runOnce) never resets the world that is running', () => {
    const [, s] = LIBRARY.find(([n]) => n === 'flash-sale')!;
    const naive = STRATEGIES.get('naive')!;
    let nested = 0;
    // Naive, except that its first order first runs the same scenario with the same strategy
    // (and reuseWorld) to the end: the one world a reset could reach is the one running.
    const nesting: Strategy = defineStrategy({
      name: 'nesting-naive',
      summary: 'naive, with a run of the same scenario inside its first order',
      safe: false,
      *placeOrder(ctx) {
        if (nested++ === 0) runOnce(s, { strategy: nesting, seed: 99, reuseWorld: true });
        return yield* naive.placeOrder(ctx);
      },
    });
    const outer = (reuseWorld: boolean) => {
      nested = 0;
      return runOnce(s, { strategy: nesting, seed: 5, reuseWorld });
    };
    outer(true);
    const reused = outer(true);
    const again = outer(true);
    const fresh = outer(false);
    expect(nested).toBeGreaterThan(1);
    expect(reused.traceHash).toBe(fresh.traceHash);
    expect(again.traceHash).toBe(fresh.traceHash);
    expect(reused.orders).toEqual(fresh.orders);
  });
});

/** Every Map reachable from `root` (own fields, array elements, Map keys and values), each once. */
function mapsIn(root: unknown): Set<Map<unknown, unknown>> {
  const seen = new Set<object>();
  const maps = new Set<Map<unknown, unknown>>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v as object)) continue;
    seen.add(v as object);
    if (typeof v === 'function') continue;
    if (v instanceof Map) {
      maps.add(v);
      for (const [k, x] of v) stack.push(k, x);
    } else if (v instanceof Set) {
      for (const x of v) stack.push(x);
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else {
      for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return maps;
}

describe('a world reset and the collector', () => {
  it('rewrites no Map in place (Map.clear()): a cleared Map\'s old table links to its new one, and once a full GC has promoted it, every later run\'s entries outlive their run', () => {
    // docs/benchmarks.md, "Round 6: sweep scaling": 790 KB against 26 KB kept per young GC.
    const [name, s] = LIBRARY.find(([n]) => n === 'flash-sale-chaos')!;
    const strategy = STRATEGIES.get('reservation')!;
    const world = new InventoryWorld(s, optionsFor(s, strategy, 3, false));
    world.runUntilQuiet(limitsOf(s));
    // What each Map held after the run; a Map that keeps it through the reset is a cache of the config.
    const held = new Map([...mapsIn(world)].filter((m) => m.size > 0).map((m) => [m, [...m]] as const));
    expect(held.size, name).toBeGreaterThan(5);
    world.reset(new SeededSource(7));
    const sameEntries = (a: ReadonlyArray<readonly [unknown, unknown]>, b: ReadonlyArray<readonly [unknown, unknown]>) => a.length === b.length && a.every(([k, v], i) => b[i][0] === k && b[i][1] === v);
    const rewritten = [...mapsIn(world)].filter((m) => held.has(m) && !sameEntries(held.get(m)!, [...m]));
    expect(rewritten.map((m) => [...m.keys()].slice(0, 3).join(',')), `${name}: Maps a reset emptied in place`).toEqual([]);
  });
});
