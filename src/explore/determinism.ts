import { runOnce, type RunnableScenario, type RunOptions } from './run.js';
import { inFreshWorker } from './pool.js';
import { threadHeapMb } from './memory.js';
import { ListSource } from '../sim/sources.js';
import type { Strategy } from '../inventory/strategy.js';

/** Two executions of the same run whose traces differ: a source of nondeterminism. */
export interface Divergence {
  /** The seed, or null for a list-driven (replayed) run. */
  readonly seed: number | null;
  readonly traceHashes: readonly [string, string];
  /** The first trace event that differs, when both traces could be fetched and do differ. */
  readonly firstDifference: TraceDifference | null;
}

export interface TraceDifference {
  /** 0-based index of the event in the trace. */
  readonly index: number;
  /** That event in the first and the second execution (null: that trace had ended). */
  readonly first: string | null;
  readonly second: string | null;
  /** The event before it, the last one both agree on (null at index 0). */
  readonly lastCommon: string | null;
}

/** The first index where two traces (JSON lines) differ, or null when they are equal. */
export function firstTraceDifference(a: readonly string[], b: readonly string[]): TraceDifference | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return { index: i, first: a[i] ?? null, second: b[i] ?? null, lastCommon: i > 0 ? a[i - 1] : null };
  }
  return null;
}

export interface DeterminismCheckOptions {
  /** The strategy as loaded here, and the reference (name or path) a worker loads it by. */
  readonly strategy: Strategy;
  readonly strategyRef: string;
  readonly cwd: string;
  readonly seed?: number;
  /** A list-driven run (replay's answers) instead of a seeded one. */
  readonly answers?: readonly number[];
  readonly options?: RunOptions['options'];
  readonly instantDb?: boolean;
  /** A seeded run's search (`run --search`). */
  readonly search?: RunOptions['search'];
}

/**
 * Runs the same run twice, here and in a fresh worker thread (fresh module state: a strategy
 * that counts across runs, draws its own random numbers, reads the time or sets a timer shows
 * up), and compares
 * the traces event by event.
 */
export async function checkRunDeterminism(scenario: RunnableScenario, o: DeterminismCheckOptions): Promise<Divergence | null> {
  const seed = o.seed ?? scenario.seed;
  const source = o.answers ? new ListSource(o.answers, 'recorded') : undefined;
  const search = source ? null : (o.search ?? null);
  const here = runOnce(scenario, { seed, source, strategy: o.strategy, options: o.options, instantDb: o.instantDb, keepTrace: true, search });
  const there = await inFreshWorker<'run'>({
    kind: 'run',
    scenario: plainScenario(scenario),
    strategy: o.strategyRef,
    cwd: o.cwd,
    seed,
    answers: o.answers,
    options: o.options,
    instantDb: o.instantDb,
    keepTrace: true,
    search,
  }, { heapMb: threadHeapMb(scenario) });
  if (here.traceHash === there.traceHash) return null;
  const lines = (here.trace ?? []).map((e) => JSON.stringify(e));
  return { seed: o.answers ? null : seed, traceHashes: [here.traceHash, there.traceHash], firstDifference: firstTraceDifference(lines, there.traceLines ?? []) };
}

/** A scenario stripped to data (structured clone refuses functions and class instances). */
export function plainScenario(s: RunnableScenario): RunnableScenario {
  return JSON.parse(JSON.stringify(s)) as RunnableScenario;
}
