/**
 * `explore --workers K`: the search tree split into subtrees (split.ts), the subtrees run on
 * worker threads (the sweep's pool, explore/pool.ts; each worker runs subtree.ts), and the
 * results merged in depth-first order, so that what is reported does not depend on which
 * thread finished first (docs/exploration.md, "--workers: splitting the tree").
 *
 * 1. Split: starting from one subtree (the whole tree, or a resumed cursor), run one execution
 *    of every subtree whose floor decision is not known yet, then split every subtree at its
 *    floor; repeat until there are at least `subtreesPerWorker` x K live subtrees (or nothing
 *    left to split). Those executions are the first executions of their subtrees: counted,
 *    never repeated. Each round waits for all of its executions, so the split is the same
 *    for any timing.
 * 2. Run: the workers take the live subtrees in depth-first order (a shared queue). A subtree
 *    that finds a violation (without keepGoing) stops the subtrees after it; those before it
 *    run on, and the violation reported is the earliest subtree's: the same for any timing
 *    and any K.
 * 3. Merge: counts add up, final states are the union, the budget (`maxExecutions`) is one
 *    shared counter; a stopped search's cursor lists each unfinished subtree's own cursor.
 */
import { DEFAULT_SEMANTICS, type Semantics } from './semantics.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Strategy } from '../../inventory/strategy.js';
import { threadHeapMb } from '../memory.js';
import { addFaultRows, faultRows, emptyFaultTally, type FaultRow } from '../marks.js';
import { SimWorker, type Watchdog } from '../pool.js';
import { boundedScenario, scenarioBounds, type FaultBounds } from './bounds.js';
import type { Cursor } from './cursor.js';
import { boundedFaultRows, type ExploreSearch, type FoundExecution } from './search.js';
import { canSplit, rootSubtree, splitSubtree } from './split.js';
import { claimedExecutions, earliestViolation, exploreStopped, newExploreControl, noteViolation, runSubtree, stopExplore, type SubtreeRequest, type SubtreeResult } from './subtree.js';

/** What a split search needs, whoever runs its subtrees. */
export interface SplitExploreOptions {
  readonly scenario: Scenario;
  /** The strategy's name (what the result and the cursor record). */
  readonly strategyName: string;
  /** Worker threads (>= 1); in process: how many subtrees to aim for (x subtreesPerWorker). */
  readonly workers: number;
  readonly bounds?: Partial<FaultBounds>;
  readonly reduction?: boolean;
  /** The time semantics (semantics.ts); default 'timed'. */
  readonly semantics?: Semantics;
  /** Executions in all (blocked ones included), over every worker; the result is then bounded. */
  readonly maxExecutions?: number;
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  readonly keepGoing?: boolean;
  /** A cursor to continue: a split one (its subtrees), or a one-worker one (split further). */
  readonly resume?: Cursor;
  /** Live subtrees to aim for per worker before the run starts (default 4; at least 16 in all). */
  readonly subtreesPerWorker?: number;
  /** Aborting stops every worker after its current execution (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Executions (blocked included) finished since the previous call. */
  readonly onProgress?: (executions: number) => void;
}

export interface ParallelExploreOptions extends SplitExploreOptions {
  /** Built-in strategy name or module path: each worker loads its own copy. */
  readonly strategy: string;
  /** Directory a strategy path is relative to. */
  readonly cwd: string;
  readonly watchdog?: Watchdog | null;
  readonly heapMbPerWorker?: number;
}

/** Runs one subtree request somewhere (a worker thread, or this thread). */
export type Lane = (req: SubtreeRequest, onProgress: (executions: number) => void) => Promise<SubtreeResult>;

/** The split search on worker threads (the sweep's pool). */
export async function searchParallel(o: ParallelExploreOptions): Promise<ParallelExploreSearch> {
  if (!Number.isInteger(o.workers) || o.workers < 1) throw new RangeError(`searchParallel: workers must be a positive integer, got ${o.workers}`);
  const heapMb = o.heapMbPerWorker ?? threadHeapMb(o.scenario);
  const pool = Array.from({ length: o.workers }, () => new SimWorker({ watchdog: o.watchdog, heapMb }));
  let result: ParallelExploreSearch;
  try {
    result = await searchSplit(
      o,
      pool.map((w): Lane => async (req, onProgress) => (await w.request<'explore'>({ kind: 'explore', scenario: o.scenario, strategy: o.strategy, cwd: o.cwd, subtree: req }, onProgress)).result),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  // A user's module that threw from a timer or a rejection in any thread: its results are not to be trusted.
  const thrown = pool.find((w) => w.asyncError !== null);
  if (thrown) throw thrown.asyncError;
  return result;
}

/**
 * The same split search with every subtree run in this thread, one after another: the same
 * split, the same merge, the same result as searchParallel with as many workers (tests, and a
 * library user who wants the split's result without threads).
 */
export function searchSplitInProcess(strategy: Strategy, o: SplitExploreOptions): Promise<ParallelExploreSearch> {
  const lane: Lane = (req, onProgress) => {
    let sent = 0;
    // runSubtree counts executions since the request started; onProgress wants the new ones.
    return Promise.resolve(runSubtree(o.scenario, strategy, req, (n) => {
      onProgress(n - sent);
      sent = n;
    }));
  };
  return searchSplit(o, Array.from({ length: o.workers }, () => lane));
}

export interface ParallelExploreSearch extends ExploreSearch {
  readonly workers: number;
  /** Subtrees the tree was split into (finished during the split included). */
  readonly subtrees: number;
  /** Executions run while splitting (each the first of its subtree). */
  readonly splitExecutions: number;
}

interface Sub {
  /** null: finished (its counts are in the totals). */
  cursor: Cursor | null;
  found: FoundExecution | null;
}

interface Totals {
  executions: number;
  blocked: number;
  unrealizable: number;
  cut: number;
  horizon: number;
  estimateSum: number;
  eventsMax: number;
  readonly states: Set<string>;
}

const MAX_SPLIT_ROUNDS = 64;
const BUDGET_MAX = 0x7ffffffe;

/** Split, run on `lanes` (one per worker), merge: see the file comment. */
export async function searchSplit(o: SplitExploreOptions, lanes: readonly Lane[]): Promise<ParallelExploreSearch> {
  if (!Number.isInteger(o.workers) || o.workers < 1) throw new RangeError(`searchSplit: workers must be a positive integer, got ${o.workers}`);
  const r = o.resume;
  const bounds: FaultBounds = r ? r.bounds : { ...scenarioBounds(o.scenario), ...o.bounds };
  const reduction = r ? r.reduction : (o.reduction ?? true);
  const semantics: Semantics = r ? (r.semantics ?? 'untimed-causal') : (o.semantics ?? DEFAULT_SEMANTICS);
  const explored = boundedScenario(o.scenario, bounds);
  const keepGoing = o.keepGoing === true;
  const budget = Math.min(o.maxExecutions ?? BUDGET_MAX, BUDGET_MAX);
  const base = { scenario: o.scenario.name, strategy: o.strategyName, bounds, reduction, semantics };
  // The counts of finished subtrees; a live subtree's own are in its cursor.
  const totals: Totals = { executions: 0, blocked: 0, unrealizable: 0, cut: 0, horizon: 0, estimateSum: 0, eventsMax: 0, states: new Set() };
  let subs: Sub[];
  if (r?.subtrees !== undefined) {
    addCounts(totals, r);
    subs = r.subtrees.map((c) => ({ cursor: c, found: null }));
  } else subs = [{ cursor: r ?? rootSubtree(base), found: null }];
  const live = (): Sub[] => subs.filter((s) => s.cursor !== null);
  const done = (): number => totals.executions + totals.blocked + live().reduce((n, s) => n + s.cursor!.executions + s.cursor!.blocked, 0);
  const control = newExploreControl(done());
  const onAbort = (): void => stopExplore(control);
  o.signal?.addEventListener('abort', onAbort);
  if (o.signal?.aborted) onAbort();
  // Each subtree's slices count their own executions' faults: summed here, by id.
  let faults: FaultRow[] = boundedFaultRows(faultRows(explored, emptyFaultTally()), bounds);
  const halted = (): boolean => exploreStopped(control) || claimedExecutions(control) >= budget;

  const apply = (s: Sub, res: SubtreeResult): void => {
    faults = addFaultRows(faults, res.faults);
    if (res.eventsMax > totals.eventsMax) totals.eventsMax = res.eventsMax;
    if (res.found !== null && s.found === null) s.found = res.found;
    if (res.cursor === null) {
      addCounts(totals, res);
      s.cursor = null;
    } else s.cursor = res.cursor;
  };
  /** Runs jobs (index in `subs`, at most `executions` more each) on the pool, in order. */
  const runJobs = async (jobs: number[], executions?: number): Promise<void> => {
    let next = 0;
    const worker = async (lane: Lane): Promise<void> => {
      while (next < jobs.length && !halted()) {
        const i = jobs[next++];
        const low = earliestViolation(control);
        if (low !== null && i > low) return;
        const s = subs[i];
        apply(s, await lane({ index: i, cursor: s.cursor!, executions, budget, keepGoing, options: o.options, control }, (n) => o.onProgress?.(n)));
      }
    };
    await Promise.all(lanes.map(worker)).catch((e: unknown) => {
      stopExplore(control);
      throw e;
    });
  };

  let splitExecutions = 0;
  let created = subs.length;
  try {
    // At least 16 whatever K (up to 4 workers the split, hence the reported violation, is the same).
    const target = Math.max(16, o.workers * (o.subtreesPerWorker ?? 4));
    for (let round = 0; round < MAX_SPLIT_ROUNDS && live().length < target && live().length > 0 && !halted(); round++) {
      const need = subs.flatMap((s, i) => (s.cursor !== null && !canSplit(s.cursor) ? [i] : []));
      const before = done();
      await runJobs(need, 1);
      splitExecutions += done() - before;
      // A violation: the subtrees after the earliest one no longer matter (its is reported).
      const first = keepGoing ? -1 : subs.findIndex((s) => s.found !== null);
      if (first >= 0) {
        for (const s of subs.slice(first + 1)) retire(totals, s);
        subs = subs.slice(0, first + 1);
        noteViolation(control, first);
      }
      if (halted()) break;
      const next: Sub[] = [];
      for (const s of subs) {
        if (s.cursor === null || !canSplit(s.cursor) || s.found !== null) next.push(s);
        else {
          const parts = splitSubtree(s.cursor);
          next.push(...parts.map((c, k) => ({ cursor: c, found: k === 0 ? s.found : null })));
          created += parts.length - 1;
        }
      }
      subs = next;
    }
    // Indices are final from here: a violation's subtree index orders the reports.
    const first = keepGoing ? -1 : subs.findIndex((s) => s.found !== null);
    if (first >= 0) noteViolation(control, first);
    await runJobs(subs.flatMap((s, i) => (s.cursor !== null ? [i] : [])));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }

  const foundAt = subs.findIndex((s) => s.found !== null);
  const found = foundAt >= 0 ? subs[foundAt].found : null;
  // Subtrees after the reported violation are not part of the result's verdict; their work is counted.
  const rest = found !== null && !keepGoing ? subs.slice(foundAt + 1) : [];
  for (const s of rest) retire(totals, s);
  const unfinished = live().filter((s) => !rest.includes(s));
  const complete = unfinished.length === 0;
  const all: Totals = { ...totals, states: new Set(totals.states) };
  for (const s of unfinished) addCounts(all, s.cursor!);
  let boundedBy: ExploreSearch['boundedBy'] = null;
  if (!complete && (found === null || keepGoing)) boundedBy = o.signal?.aborted !== true && claimedExecutions(control) >= budget ? 'budget' : 'interrupted';
  if (boundedBy === null && all.cut > 0) boundedBy = 'event-limit';
  const exhausted = complete && boundedBy === null;
  const finalStates = [...all.states].sort();
  const cursor: Cursor | null =
    !complete && (found === null || keepGoing)
      ? { format: 'oversold-explore-cursor', version: 1, ...base, executions: totals.executions, blocked: totals.blocked, unrealizable: totals.unrealizable, cut: totals.cut, horizon: totals.horizon, estimateSum: totals.estimateSum, finalStates, path: [], subtrees: unfinished.map((s) => s.cursor!) }
      : null;
  const estimate = all.executions === 0 ? 0 : Math.round(all.estimateSum / all.executions);
  return {
    scenario: o.scenario,
    // Subtrees order every SQL table from the start (subtree.ts): never started over.
    restarts: 0,
    explored,
    strategy: o.strategyName,
    bounds,
    reduction,
    semantics,
    executions: all.executions,
    unrealizable: all.unrealizable,
    blocked: all.blocked,
    finalStates,
    faults,
    exhausted,
    boundedBy,
    cut: all.cut,
    horizon: all.horizon,
    estimate: exhausted ? all.executions : Math.max(all.executions, estimate),
    estimateSum: all.estimateSum,
    found,
    cursor,
    eventsMax: totals.eventsMax,
    workers: o.workers,
    subtrees: created,
    splitExecutions,
  };
}

function addCounts(t: Totals, c: Pick<Cursor, 'executions' | 'blocked' | 'unrealizable' | 'cut' | 'horizon' | 'estimateSum' | 'finalStates'>): void {
  t.executions += c.executions;
  t.blocked += c.blocked;
  t.unrealizable += c.unrealizable ?? 0;
  t.cut += c.cut;
  t.horizon += c.horizon;
  t.estimateSum += c.estimateSum;
  for (const f of c.finalStates) t.states.add(f);
}

/** A live subtree that no longer matters (after the reported violation): its work so far is counted. */
function retire(t: Totals, s: Sub): void {
  if (s.cursor === null) return;
  addCounts(t, s.cursor);
  s.cursor = null;
}
