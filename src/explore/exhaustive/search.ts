/**
 * Stateless model checking (docs/exploration.md, "explore"): depth-first over the schedule
 * and the bounded fault choices, each execution re-run from the start along the path, with
 * dynamic partial-order reduction and sleep sets (execution.ts) unless `reduction: false`.
 */
import { addRunFaults, emptyFaultTally, faultRows, type FaultRow } from '../marks.js';
import { InventoryWorld } from '../../inventory/world.js';
import { checkInvariants, type Violation } from '../../inventory/invariants.js';
import type { Strategy } from '../../inventory/strategy.js';
import type { Scenario } from '../../scenario/schema.js';
import type { StopReason } from '../../sim/world.js';
import { resolveOptions } from '../run.js';
import { boundedScenario, scenarioBounds, type FaultBounds } from './bounds.js';
import { Doomed, Execution, SleepBlocked, type PauseWindow } from './execution.js';
import { finalStateHash } from './finalState.js';
import { advance, knuthEstimate, type Decision } from './path.js';
import { cursorPath, type Cursor } from './cursor.js';
import { DEFAULT_SEMANTICS, type Semantics } from './semantics.js';
import { AccessLog } from '../../sim/access.js';

export interface ExploreOptions {
  readonly bounds?: Partial<FaultBounds>;
  /** Stop after this many executions (blocked ones included): the result is then bounded. */
  readonly maxExecutions?: number;
  /** false: no DPOR, no sleep sets (every enabled event at every step). Default true. */
  readonly reduction?: boolean;
  /** The time semantics (semantics.ts); default 'timed'. */
  readonly semantics?: Semantics;
  /**
   * 'rows' (default): the primary and the SQL server say what each event touched, and events
   * on different items, rows and tables commute (docs/exploration.md, "Independence").
   * 'nodes': every two events at one node are dependent (the coarser relation, for comparison).
   */
  readonly independence?: 'rows' | 'nodes';
  /**
   * Order the writes to every SQL table from the start, as if each had been scanned (no
   * restart): what a search split over worker threads does, whose subtrees cannot start over.
   */
  readonly orderEveryTable?: boolean;
  /**
   * Timed semantics: rule 7, the lookahead (an event fires only if no pending event must come
   * before it; docs/exploration.md). Default true; false only to measure what it saves
   * (bench/exhaustive.ts --lookahead) and to check it loses no final state (the soundness test).
   * The CLI never turns it off, and a cursor does not record it: resume with the same setting.
   */
  readonly lookahead?: boolean;
  /**
   * Timed semantics, for tests: check at every step that no event became enabled through a
   * firing at another node without that being recorded (execution.ts `checkReleases`); a
   * breach throws. Default false (it costs a map per step).
   */
  readonly checkReleases?: boolean;
  /** Merged over the scenario's strategy options. */
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** Keep searching after a violation (default: stop at the first). */
  readonly keepGoing?: boolean;
  /** Continue a search from its cursor (same scenario, strategy, bounds, reduction). */
  readonly resume?: Cursor;
  /** Asked between executions: true stops the search (Ctrl-C); the result is bounded. */
  readonly shouldStop?: () => boolean;
  /** Called every `progressEvery` executions (default 200). */
  readonly onProgress?: (p: ExploreProgress) => void;
  readonly progressEvery?: number;
}

export interface ExploreProgress {
  readonly executions: number;
  readonly blocked: number;
  readonly finalStates: number;
  readonly estimate: number;
}

/** One execution that broke an invariant, as explored (confirm.ts replays it under real windows). */
export interface FoundExecution {
  readonly violations: readonly Violation[];
  /** The events in the order fired (keys: kind|owner|subject[#occurrence]). */
  readonly events: readonly string[];
  /** The faults and data choices that were not the calm answer: `kind|subject` -> answers. */
  readonly struck: ReadonlyMap<string, readonly number[]>;
  readonly stop: StopReason;
  /** Per fired event, its window relative to its creator: what confirm.ts solves real times from. */
  readonly windows?: readonly FiredWindow[];
}

/** A fired event's window (execution.ts Meta): offsets from its creator's time (absolute when creator is -1). */
export interface FiredWindow {
  readonly creator: number;
  readonly minOffsetMs: number;
  readonly maxOffsetMs: number;
  /** Queued behind another on a FIFO link: no upper bound of its own. */
  readonly queued: boolean;
  /** The nodes it touches (path.ts EventRef.res; '' the whole world). */
  readonly res: readonly string[];
  /** A clock read it late (execution.ts clockMs): it fired at this time (before skew), no earlier. */
  readonly lateReadMs?: number;
}

export interface ExploreSearch {
  readonly scenario: Scenario;
  /** The scenario as explored: windowed timing, the bounds as fault rates (bounds.ts). */
  readonly explored: Scenario;
  readonly strategy: string;
  readonly bounds: FaultBounds;
  readonly reduction: boolean;
  readonly semantics: Semantics;
  /** Executions run to the end (not blocked). */
  readonly executions: number;
  /**
   * Of those, executions with no real-time counterpart (timed semantics: an event that had to
   * fire by the time limit can no longer fire; abandoned there): not judged, no final state.
   */
  readonly unrealizable: number;
  /** Executions abandoned because every enabled event was asleep (sleep sets). */
  readonly blocked: number;
  /** Distinct final states (finalState.ts), sorted. */
  readonly finalStates: readonly string[];
  /**
   * Faults seen to strike (explore/marks.ts): per fault the bounds allow, in how many executions
   * of this session it took effect and in how many of those an invariant broke. A resumed
   * search counts from where it resumed (the cursor does not carry the tally).
   */
  readonly faults: readonly FaultRow[];
  /** Every execution of the tree ran to quiet or past the time limit, none was cut, no budget or interrupt stopped it. */
  readonly exhausted: boolean;
  /** Why not exhausted: null when exhausted, or when a violation stopped the search. */
  readonly boundedBy: 'budget' | 'event-limit' | 'interrupted' | null;
  /** Executions cut by the event limit. */
  readonly cut: number;
  /** Executions that stopped at the scenario's time limit with events still pending past it. */
  readonly horizon: number;
  /** Knuth's estimate of the tree's size (executions), averaged over the paths seen. */
  readonly estimate: number;
  /** The sum of every execution's Knuth estimate (what `estimate` averages; merged searches add it up). */
  readonly estimateSum: number;
  readonly found: FoundExecution | null;
  /** Where a bounded search stops: `resume` continues from it. Null when exhausted or found. */
  readonly cursor: Cursor | null;
  /** The most events one execution fired. */
  readonly eventsMax: number;
  /** Times the search started over because a scan was seen to depend on a table's heap order (sim/access.ts). */
  readonly restarts: number;
}

/** The whole search (no confirmation, no shrinking: see exploreStrategy). */
export function searchSchedules(scenario: Scenario, strategy: Strategy, o: ExploreOptions = {}): ExploreSearch {
  const bounds: FaultBounds = { ...scenarioBounds(scenario), ...o.bounds };
  const reduction = o.reduction ?? true;
  const semantics = o.semantics ?? DEFAULT_SEMANTICS;
  const setup = executionSetup(scenario, bounds, strategy, { reduction, semantics, lookahead: o.lookahead ?? true, options: o.options, checkReleases: o.checkReleases });
  const budget = o.maxExecutions ?? Infinity;
  const every = o.progressEvery ?? 200;
  if (o.resume?.subtrees !== undefined) throw new Error('searchSchedules: a cursor of a search split over worker threads resumes with searchParallel (explore --workers)');
  let path: Decision[] = o.resume ? cursorPath(o.resume) : [];
  // A subtree of a split search: its prefix is fixed (split.ts).
  const floor = o.resume?.floor ?? 0;
  // Shared by every execution: the objects whose order was seen to matter (sim/access.ts).
  const observed = new Set<string>(o.resume?.observed ?? []);
  let executions = o.resume?.executions ?? 0;
  let blocked = o.resume?.blocked ?? 0;
  let cut = o.resume?.cut ?? 0;
  let horizon = o.resume?.horizon ?? 0;
  let unrealizable = o.resume?.unrealizable ?? 0;
  let estimateSum = o.resume?.estimateSum ?? 0;
  let eventsMax = 0;
  const states = new Set<string>(o.resume?.finalStates ?? []);
  let found: FoundExecution | null = null;
  const tally = emptyFaultTally();
  let boundedBy: ExploreSearch['boundedBy'] = null;
  let restarts = 0;
  let more = true;
  while (more) {
    if (executions + blocked >= budget) {
      boundedBy = 'budget';
      break;
    }
    if (o.shouldStop?.()) {
      boundedBy = 'interrupted';
      break;
    }
    // Timed semantics: node-level independence only (local time orders a node's events, so two
    // events of one node do not commute in time even on different rows).
    const access = o.independence === 'nodes' || semantics === 'timed' ? null : new AccessLog(observed, o.orderEveryTable === true);
    const run = runExecution(path, setup, access);
    const exec = run.exec;
    if (access?.newlyObserved) {
      // A subtree's prefix was chosen under the finer relation: it cannot start over alone (subtrees order every table instead).
      if (floor > 0) throw new Error('explore: a subtree of a split search saw a table scanned; split searches must use orderEveryTable');
      // A scan saw a table's heap order, which the writes to it were assumed not to matter for:
      // start the whole search again with those writes ordered (docs/exploration.md, "explore
      // and SQL"). Before any such scan the relation was exact, so nothing was missed that the
      // new search will not find; at most once per table.
      path = [];
      executions = blocked = cut = horizon = unrealizable = estimateSum = eventsMax = 0;
      states.clear();
      Object.assign(tally, emptyFaultTally());
      found = null;
      restarts++;
      continue;
    }
    if (run.kind === 'blocked') blocked++;
    else {
      executions++;
      estimateSum += knuthEstimate(path);
      if (exec.fired.length > eventsMax) eventsMax = exec.fired.length;
      if (run.kind === 'unrealizable') unrealizable++;
      else if (run.stop === 'event-limit') cut++;
      else if (run.stop === 'time-limit') horizon++;
    }
    if (run.kind === 'judged') {
      const { world, stop } = run;
      states.add(finalStateHash(world));
      // Safety only at a limit: the semantics bound time from below, never from above (a tick
      // or a reply may always come later), so "did not finish in time" is not judged; an
      // execution cut by the event limit makes the result bounded instead (never exhausted).
      const violations = checkInvariants(world, 'quiet');
      addRunFaults(tally, world.sim.marks.struck(), violations.length > 0);
      if (violations.length > 0 && found === null) {
        found = {
          violations,
          events: exec.fired.map((f) => f.key),
          struck: exec.struck,
          stop,
          windows: exec.fired.map((f) => ({ creator: f.meta.creator, minOffsetMs: f.meta.minOffsetMs, maxOffsetMs: f.meta.maxOffsetMs, queued: f.meta.queued, res: f.meta.res, ...(f.readLate ? { lateReadMs: f.readMs! } : {}) })),
        };
      }
    }
    more = advance(path, floor);
    if (found !== null && !o.keepGoing) break;
    if (o.onProgress && (executions + blocked) % every === 0) {
      o.onProgress({ executions, blocked, finalStates: states.size, estimate: estimate(estimateSum, executions) });
    }
  }
  if (boundedBy === null && cut > 0) boundedBy = 'event-limit';
  const exhausted = !more && boundedBy === null;
  const stoppedEarly = more && (found === null || o.keepGoing === true);
  return {
    scenario,
    explored: setup.explored,
    strategy: strategy.name,
    bounds,
    reduction,
    semantics,
    executions,
    unrealizable,
    blocked,
    finalStates: [...states].sort(),
    faults: boundedFaultRows(faultRows(setup.explored, tally), bounds),
    exhausted,
    boundedBy,
    cut,
    horizon,
    estimate: exhausted ? executions : Math.max(executions, estimate(estimateSum, executions)),
    estimateSum,
    found,
    cursor: stoppedEarly ? { format: 'oversold-explore-cursor', version: 1, scenario: scenario.name, strategy: strategy.name, bounds, reduction, semantics, executions, blocked, cut, horizon, unrealizable, estimateSum, finalStates: [...states].sort(), ...(observed.size > 0 ? { observed: [...observed].sort() } : {}), ...(floor > 0 ? { floor } : {}), path: structuredPath(path) } : null,
    eventsMax,
    restarts,
  };
}

/** What every execution of one search shares: built once per search (executionSetup). */
export interface ExecutionSetup {
  /** The scenario as explored: windowed timing, the bounds as fault rates (bounds.ts). */
  readonly explored: Scenario;
  readonly strategy: Strategy;
  /** The strategy's options, resolved over the explored scenario's. */
  readonly options: ReturnType<typeof resolveOptions>;
  readonly bounds: FaultBounds;
  readonly reduction: boolean;
  readonly semantics: Semantics;
  readonly pauses: PauseWindow;
  readonly lookahead: boolean;
  readonly limits: { readonly eventsMax: number; readonly timeMsMax: number };
  /** ExploreOptions.checkReleases (tests only). */
  readonly checkReleases: boolean;
}

export function executionSetup(scenario: Scenario, bounds: FaultBounds, strategy: Strategy, o: { reduction: boolean; semantics: Semantics; lookahead: boolean; options?: ExploreOptions['options']; checkReleases?: boolean }): ExecutionSetup {
  const explored = boundedScenario(scenario, bounds);
  return {
    explored,
    strategy,
    options: resolveOptions(explored, o.options),
    bounds,
    reduction: o.reduction,
    semantics: o.semantics,
    pauses: pauseWindow(scenario),
    lookahead: o.lookahead,
    limits: { eventsMax: explored.limits.maxEvents, timeMsMax: explored.limits.maxTimeMs },
    checkReleases: o.checkReleases === true,
  };
}

/**
 * One execution along `path`, classified: 'blocked' (every enabled event asleep: not an
 * execution), 'unrealizable' (doomed, or no real-time run ends like it: counted, not judged),
 * or 'judged' (its final state is one the system can reach; cut by the event limit included).
 */
export type RanExecution =
  | { readonly kind: 'blocked'; readonly exec: Execution }
  | { readonly kind: 'unrealizable'; readonly exec: Execution }
  | { readonly kind: 'judged'; readonly exec: Execution; readonly world: InventoryWorld; readonly stop: StopReason };

/**
 * Builds the world along `path`, runs it to quiet or a limit, finishes the execution's
 * bookkeeping (backtrack points) and classifies it: the step of the search loop, shared with
 * bench/exploreProfile.ts. `onWorld` sees the world before it runs (measurement only).
 */
export function runExecution(path: Decision[], setup: ExecutionSetup, access: AccessLog | null, onWorld?: (world: InventoryWorld) => void): RanExecution {
  const exec = new Execution(path, setup.bounds, setup.reduction, setup.limits.timeMsMax, access, setup.semantics, setup.pauses, setup.lookahead);
  exec.checkReleases = setup.checkReleases;
  let world: InventoryWorld | null = null;
  let stop: StopReason | null = null;
  let doomed = false;
  try {
    world = new InventoryWorld(setup.explored, { source: exec, strategy: setup.strategy, options: setup.options, timing: 'windowed', scheduler: exec, readyRule: 'any', onPush: exec.onPush, access });
    exec.rpcs = world.sim.rpcs;
    onWorld?.(world);
    stop = world.runUntilQuiet(setup.limits);
    exec.finish();
  } catch (e) {
    if (e instanceof Doomed) doomed = true;
    else if (!(e instanceof SleepBlocked)) throw e;
  }
  if (stop === null && !doomed) return { kind: 'blocked', exec };
  // An execution cut by the event limit is judged as before (and makes the result bounded).
  const real = stop !== null && world !== null && (stop === 'event-limit' || exec.realizable());
  return real ? { kind: 'judged', exec, world: world!, stop: stop! } : { kind: 'unrealizable', exec };
}

/**
 * The explored scenario carries each bound as a token fault rate (bounds.ts), so the rows'
 * words would print that rate ("requests lost (1‰)"); a bounded fault is worded by its bound.
 */
export function boundedFaultRows(rows: readonly FaultRow[], bounds: FaultBounds): FaultRow[] {
  const words: Record<string, [string, number]> = {
    'drop-request': ['requests lost', bounds.drops],
    'drop-reply': ['replies lost', bounds.lostReplies],
    duplicate: ['requests duplicated', bounds.duplicates],
    'random-pause': ['process pauses', bounds.pauses],
    decline: ['payments declined', bounds.declines],
    'random-crash': ['app-server crashes', bounds.crashes],
  };
  return rows.map((r) => {
    const w = r.step === null ? words[r.fault] : undefined;
    return w === undefined ? r : { ...r, what: `${w[0]} (at most ${w[1]} per execution)` };
  });
}

/**
 * How long a random pause may last under the timed semantics: the scenario's
 * `randomPauses.durationMsMin..durationMsMax` when it sets a longest pause, else any length up
 * to the time limit (every class "ends before / after each other event" is then possible, as
 * under untimed-causal).
 */
export function pauseWindow(scenario: Scenario): PauseWindow {
  const p = scenario.faults.randomPauses;
  if (p.durationMsMax > 0) return { durationMsMin: Math.max(1, p.durationMsMin), durationMsMax: Math.max(1, p.durationMsMin, p.durationMsMax) };
  return { durationMsMin: 1, durationMsMax: Math.max(1, scenario.limits.maxTimeMs) };
}

function estimate(sum: number, n: number): number {
  return n === 0 ? 0 : Math.round(sum / n);
}

function structuredPath(path: readonly Decision[]): Cursor['path'] {
  return path.map((d) =>
    d.type === 'fault'
      ? { type: 'fault', about: d.about, value: d.value, max: d.max }
      : { type: 'schedule', chosen: d.chosen, enabled: d.enabled.map((e) => [e.key, e.res] as const), sleep: [...d.sleep], done: [...d.done], backtrack: [...d.backtrack], ...(d.guide !== undefined && d.guide.size > 0 ? { guide: [...d.guide] } : {}) },
  );
}
