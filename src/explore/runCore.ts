// One run with its strategy given: what a sweep's worker thread needs, without the registry of
// built-in strategies (run.ts adds runOnce, which looks the scenario's strategy up by name). A
// worker imports only the strategy it runs (explore/builtinStrategies.ts; docs/benchmarks.md,
// "Worker boot").
import { SeededSource } from '../sim/sources.js';
import { KernelAssertionError } from '../sim/assert.js';
import type { Choice, ChoiceSource } from '../sim/choice.js';
import type { StopReason } from '../sim/world.js';
import type { TraceEvent } from '../sim/trace.js';
import { SqlSubsetError } from '../inventory/sqlNode.js';
import { InventoryWorld, type WorldConfig, type OrderRecord, type LegacyHit, type WorldOptions } from '../inventory/world.js';
import { ChoiceScheduler, EARLIEST, type Scheduler } from '../sim/scheduler.js';
import { CalmCounter, PctScheduler, type PctCalmStats } from '../sim/pct.js';
import { ListSource } from '../sim/sources.js';
import { searchName, type Search } from './search.js';
import type { TimingModel } from '../sim/kernel.js';
import { checkInvariants, type Violation } from '../inventory/invariants.js';
import { resolveStrategyOptions, type Strategy, type StrategyOptions } from '../inventory/strategy.js';
import { InputError } from '../errors.js';

/** The parts of a resolved scenario a run needs (the scenario layer's type satisfies it). */
export interface RunnableScenario extends WorldConfig {
  readonly name: string;
  readonly seed: number;
  /** How delays are decided (absent: sampled). */
  readonly timing?: TimingModel;
  readonly strategy: { readonly name: string; readonly options: Readonly<Record<string, number | string | boolean>> };
  readonly limits: { readonly maxEvents: number; readonly maxTimeMs: number };
}

export interface RunOptions {
  /** Overrides the scenario's strategy. */
  readonly strategy?: Strategy;
  /** Where fate comes from; default: seeded from `seed` (or the scenario's seed). */
  readonly source?: ChoiceSource;
  readonly seed?: number;
  /** Merged over the scenario's strategy options. */
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** Keep trace events (reports, timelines). The hash is computed either way. */
  readonly keepTrace?: boolean;
  /** Keep every answered choice (replay files, shrinking reports). */
  readonly recordChoices?: boolean;
  /** Strategies talk to the in-process InstantDB instead of over the network. */
  readonly instantDb?: boolean;
  /** Overrides the scenario's timing model. */
  readonly timing?: TimingModel;
  /**
   * Which ready event fires next: 'earliest' (time order, ties by insertion: a calm schedule),
   * 'choice' (asks the schedule stream), or a Scheduler of your own. Default: 'earliest' in the
   * sampled model (no ready set is built), 'choice' in the windowed one.
   */
  readonly scheduler?: 'earliest' | 'choice' | Scheduler;
  /**
   * Search the schedules with a strategy of its own, driven by the seed (explore/search.ts):
   * 'random' is the choice scheduler, 'pct' PCT with its depth. Implies the windowed timing
   * model; replaces `scheduler`; needs a seeded run (a PCT run's picks are recorded as ordinary
   * schedule answers, so a list-driven replay of it needs no search).
   */
  readonly search?: Search | null;
  /** Translating an old scenario file (explore/legacySteps.ts): which message each old `nth` step hit. */
  readonly onLegacyHit?: LegacyHit;
  /**
   * Reset the world of this scenario's last run that reused one, instead of building a new
   * world (InventoryWorld.reset: the same trace, to the hash): what sweeps do. The result's
   * orders, trace, choices and violations are its own; its `world` is the reused one, which
   * the next such run of this scenario resets. Ignored where a reset does not apply (SQL,
   * PCT, options other than the scenario's own): those runs build their world as usual.
   */
  readonly reuseWorld?: boolean;
}

/** The timing model and scheduler a run uses. */
export function timingOf(scenario: RunnableScenario, opts: Pick<RunOptions, 'timing' | 'scheduler'>): { timing: TimingModel; scheduler: Scheduler | null } {
  const timing = opts.timing ?? scenario.timing ?? 'sampled';
  const s = opts.scheduler ?? (timing === 'windowed' ? 'choice' : 'earliest');
  const scheduler = s === 'earliest' ? (timing === 'windowed' ? EARLIEST : null) : s === 'choice' ? new ChoiceScheduler() : s;
  return { timing, scheduler };
}

/**
 * A search's timing and scheduler for one seeded run: the windowed model, and the choice
 * scheduler (random) or PCT seeded by the run's seed over the calm run's steps.
 */
function searchRunOptions<O extends RunOptions>(scenario: RunnableScenario, strategy: Strategy, opts: O, seed: number | null): O {
  const search = opts.search!;
  if (opts.timing === 'sampled') throw new InputError(`--search ${search.kind} chooses among schedules, which only the windowed timing model has: drop --timing sampled`, 'USAGE');
  if (search.kind === 'random') return { ...opts, timing: 'windowed', scheduler: 'choice' };
  if (seed === null) throw new RangeError('runOnce: search pct needs a seeded run (a recorded PCT run replays from its answers without a search)');
  const { steps } = calmPctStats(scenario, strategy, opts.options);
  return { ...opts, timing: 'windowed', scheduler: new PctScheduler({ seed, depth: search.depth, steps }) };
}

const calmCache = new WeakMap<RunnableScenario, WeakMap<Strategy, Map<string, PctCalmStats>>>();

/**
 * PCT's k and n: the steps and chains of the calm run (windowed timing, every answer 0, the
 * earliest event first). One run per (scenario object, strategy, options), cached: a sweep
 * computes it once per thread, and every thread gets the same numbers.
 */
export function calmPctStats(scenario: RunnableScenario, strategy: Strategy, options?: RunOptions['options']): PctCalmStats {
  let byStrategy = calmCache.get(scenario);
  if (byStrategy === undefined) calmCache.set(scenario, (byStrategy = new WeakMap()));
  let byOptions = byStrategy.get(strategy);
  if (byOptions === undefined) byStrategy.set(strategy, (byOptions = new Map()));
  const key = options === undefined ? '' : JSON.stringify(options);
  let stats = byOptions.get(key);
  if (stats === undefined) {
    const counter = new CalmCounter();
    runWithStrategy(scenario, { strategy, options, source: new ListSource([], 'calm'), timing: 'windowed', scheduler: counter });
    stats = counter.stats();
    byOptions.set(key, stats);
  }
  return stats;
}

export interface OrderCounts {
  placed: number;
  outOfStock: number;
  failed: number;
  unknown: number;
}

export interface RunResult {
  readonly scenario: string;
  readonly strategy: string;
  /** The seed, when fate came from a seeded source; otherwise null. */
  readonly seed: number | null;
  readonly source: string;
  readonly verdict: 'ok' | 'violated';
  readonly violations: readonly Violation[];
  readonly orders: OrderCounts;
  /** placed ÷ min(orders, units in stock): 1.0 when every order that could succeed did. */
  readonly goodput: number;
  /** Virtual time from an order's arrival to its answer, answered orders only. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly unknownOrders: ReadonlyArray<{ readonly order: string; readonly reason: string }>;
  readonly traceHash: string;
  /** Kernel events fired. */
  readonly events: number;
  readonly virtualTimeMs: number;
  readonly stop: StopReason;
  /** Questions asked of fate. */
  readonly choicesAsked: number;
  readonly choices: readonly Choice[] | null;
  /** The faults that took effect, by coverage mark id, sorted (inventory/faultMarks.ts). */
  readonly faultsStruck: readonly string[];
  readonly trace: readonly TraceEvent[] | null;
  readonly orderRecords: readonly OrderRecord[];
  readonly world: InventoryWorld;
}

/** The run's strategy options: `extra` over the scenario's over the defaults, checked once. */
export function resolveOptions(scenario: RunnableScenario, extra?: RunOptions['options']): StrategyOptions {
  if (extra !== undefined) return resolveStrategyOptions(scenario.strategy.options, extra);
  // The scenario's own options, resolved once per scenario object: frozen, so that runs that
  // share them stay independent (a strategy that writes to ctx.options gets a TypeError).
  let o = RESOLVED.get(scenario.strategy.options);
  if (o === undefined) RESOLVED.set(scenario.strategy.options, (o = Object.freeze(resolveStrategyOptions(scenario.strategy.options))));
  return o;
}

const RESOLVED = new WeakMap<object, StrategyOptions>();

/**
 * Per scenario object, the world of its last finished run with `reuseWorld`, ready to be reset.
 * A world is taken out while it runs and put back when its run has been judged: a run that
 * throws leaves nothing here, and a run started inside another (a strategy that calls runOnce
 * on the same scenario) never resets the world that is running.
 */
const REUSED = new WeakMap<RunnableScenario, InventoryWorld>();

/**
 * The world for a run with `reuseWorld`: the scenario's last one reset when it was made with
 * the same strategy, options object, timing, scheduler kind and keep/record flags; otherwise a
 * new one (put back after the run if a reset applies to it).
 */
function reusedWorld(scenario: RunnableScenario, o: WorldOptions): InventoryWorld {
  const last = REUSED.get(scenario);
  REUSED.delete(scenario);
  if (last !== undefined && sameWorldOptions(last.opts, o) && last.resettable) {
    last.reset(o.source);
    return last;
  }
  return new InventoryWorld(scenario, o);
}

/** Whether a world built with `a` is, once reset, the world `b` would build (its source aside). */
function sameWorldOptions(a: WorldOptions, b: WorldOptions): boolean {
  return a.strategy === b.strategy && a.options === b.options && (a.instantDb === true) === (b.instantDb === true) && (a.keepTrace === true) === (b.keepTrace === true)
    && (a.recordChoices === true) === (b.recordChoices === true) && (a.timing ?? 'sampled') === (b.timing ?? 'sampled') && sameSchedulerKind(a.scheduler ?? null, b.scheduler ?? null);
}

function sameSchedulerKind(a: Scheduler | null, b: Scheduler | null): boolean {
  return a === b || (a instanceof ChoiceScheduler && b instanceof ChoiceScheduler);
}

/**
 * One run: a pure function of (scenario, strategy, choice source). Same inputs, same trace
 * hash, in any process or worker. runOnce (run.ts) without a strategy runs the scenario's.
 */
export function runWithStrategy(scenario: RunnableScenario, opts: RunOptions & { readonly strategy: Strategy }): RunResult {
  const strategy = opts.strategy;
  const seed = opts.source ? null : (opts.seed ?? scenario.seed);
  const source = opts.source ?? new SeededSource(seed!);
  if (opts.search) opts = searchRunOptions(scenario, strategy, opts, seed);
  let world: InventoryWorld;
  let stop: StopReason;
  const worldOptions: WorldOptions = {
    source,
    strategy,
    options: resolveOptions(scenario, opts.options),
    instantDb: opts.instantDb,
    keepTrace: opts.keepTrace,
    recordChoices: opts.recordChoices,
    ...timingOf(scenario, opts),
    onLegacyHit: opts.onLegacyHit,
  };
  const reuse = opts.reuseWorld === true && opts.onLegacyHit === undefined;
  try {
    world = reuse ? reusedWorld(scenario, worldOptions) : new InventoryWorld(scenario, worldOptions);
    stop = world.runUntilQuiet({ eventsMax: scenario.limits.maxEvents, timeMsMax: scenario.limits.maxTimeMs });
  } catch (e) {
    // A run that threw may have left its world anywhere: it is not put back, the next one builds a new world.
    // A broken kernel invariant: say which run, so the report can give the command that replays it.
    if (e instanceof KernelAssertionError && e.seed === null) e.seed = seed;
    // SQL outside the subset stops a sweep: say at which seed (the statement is in the message).
    if (e instanceof SqlSubsetError && e.seed === null && seed !== null) {
      e.seed = seed;
      e.message = `seed ${seed}: ${e.message}`;
    }
    throw e;
  }
  const violations = checkInvariants(world, stop);
  if (reuse && world.resettable) REUSED.set(scenario, world);
  const sim = world.sim;
  return {
    scenario: scenario.name,
    strategy: strategy.name,
    seed,
    source: opts.search ? `${source.description}, ${searchName(opts.search)} search` : source.description,
    verdict: violations.length === 0 ? 'ok' : 'violated',
    violations,
    orders: countOrders(world.orders),
    goodput: goodput(world),
    latencyMs: latency(world.orders),
    unknownOrders: unknownOrders(world.orders),
    traceHash: sim.trace.digest(),
    events: sim.eventsFired,
    virtualTimeMs: sim.nowMs,
    stop,
    choicesAsked: sim.choices.asked,
    choices: sim.choices.recorded,
    faultsStruck: sim.marks.struck(),
    trace: sim.trace.events,
    orderRecords: world.orders,
    world,
  };
}

export function countOrders(orders: readonly OrderRecord[]): OrderCounts {
  // Every count is added to on every order (0 or 1), not incremented in a branch of its own: a
  // branch no order had taken when a worker's JIT compiled this (the first out-of-stock answer
  // comes late in a flash sale) deoptimised it there, and it was compiled again
  // (docs/benchmarks.md, "Warm-up of a 2-worker sweep").
  let placed = 0;
  let outOfStock = 0;
  let failed = 0;
  let unknown = 0;
  for (const r of orders) {
    const answered = r.status === 'answered';
    // Compared with the strings only when it is one (a null would be a type not seen there).
    const answer = answered ? r.answer : null;
    const isPlaced = answer !== null && answer === 'ORDER_PLACED';
    const isOutOfStock = answer !== null && answer === 'OUT_OF_STOCK';
    unknown += answered ? 0 : 1;
    placed += isPlaced ? 1 : 0;
    outOfStock += isOutOfStock ? 1 : 0;
    failed += answered && !isPlaced && !isOutOfStock ? 1 : 0;
  }
  return { placed, outOfStock, failed, unknown };
}

/** The orders without an answer and why (one loop: a filter and a map made two arrays per run). */
function unknownOrders(orders: readonly OrderRecord[]): RunResult['unknownOrders'] {
  const out: Array<{ readonly order: string; readonly reason: string }> = [];
  for (const r of orders) if (r.status === 'unknown') out.push({ order: r.order.id, reason: r.error ?? r.reason ?? 'unknown' });
  return out;
}

function goodput(world: InventoryWorld): number {
  let stock = 0;
  for (const it of world.db.items.values()) stock += it.initial;
  const possible = Math.min(world.orders.length, stock);
  if (possible === 0) return 1;
  let placed = 0;
  for (const r of world.orders) if (r.answer === 'ORDER_PLACED') placed++;
  // Oversold runs can exceed 1; cap so the number keeps meaning "share of what was possible".
  return Math.min(1, placed / possible);
}

function latency(orders: readonly OrderRecord[]): RunResult['latencyMs'] {
  // A plain array, sorted in place. Not a typed array: one of more than 64 bytes keeps its
  // numbers outside the V8 heap in an ArrayBuffer that every young-generation collection must
  // sweep and that counts as external memory (collections "for external memory pressure"):
  // one per run was 18 ms of a 100 ms scavenge (docs/benchmarks.md, round 3).
  const xs: number[] = [];
  for (const r of orders) if (r.endMs !== null && r.status === 'answered') xs.push(r.endMs - r.startMs);
  const n = xs.length;
  if (n === 0) return { p50: 0, p99: 0, max: 0 };
  if (n <= 64) {
    // Insertion sort: a sale's handful of orders (sort() with a comparator copies into a work array).
    for (let i = 1; i < n; i++) {
      const x = xs[i];
      let j = i;
      for (; j > 0 && xs[j - 1] > x; j--) xs[j] = xs[j - 1];
      xs[j] = x;
    }
  } else xs.sort((a, b) => a - b);
  return { p50: percentile(xs, 50), p99: percentile(xs, 99), max: xs[n - 1] };
}

/** Nearest-rank percentile of sorted integers. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** The machine-readable summary of a run (`run --json`); stable field names. */
export function runToJson(r: RunResult): Record<string, unknown> {
  return {
    scenario: r.scenario,
    strategy: r.strategy,
    seed: r.seed,
    source: r.source,
    verdict: r.verdict,
    violations: r.violations.map(violationToJson),
    orders: r.orders,
    unknownOrders: r.unknownOrders,
    goodput: round3(r.goodput),
    latencyMs: r.latencyMs,
    traceHash: r.traceHash,
    events: r.events,
    virtualTimeMs: r.virtualTimeMs,
    stop: r.stop,
    choicesAsked: r.choicesAsked,
  };
}

/** A violation in `--json`: its fields, and for a strategy error the stack of what the strategy threw. */
export function violationToJson(v: Violation): Record<string, unknown> {
  const stack = v.cause instanceof Error && typeof v.cause.stack === 'string' ? v.cause.stack : null;
  return { invariant: v.invariant, message: v.message, orders: v.orders, units: v.units, ...(stack === null ? {} : { stack }) };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
