import { runOnce, type RunnableScenario, type RunOptions } from './run.js';
import { inFreshWorker } from './pool.js';
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
  /** A list-driven run (replay) instead of a seeded one. */
  readonly choices?: readonly number[];
  readonly options?: RunOptions['options'];
  readonly instantDb?: boolean;
}

/**
 * Runs the same run twice, here and in a fresh worker thread (fresh module state: a strategy
 * that counts across runs or reads Math.random, Date.now or a timer shows up), and compares
 * the traces event by event.
 */
export async function checkRunDeterminism(scenario: RunnableScenario, o: DeterminismCheckOptions): Promise<Divergence | null> {
  const seed = o.seed ?? scenario.seed;
  const source = o.choices ? new ListSource(o.choices, 'recorded') : undefined;
  const here = runOnce(scenario, { seed, source, strategy: o.strategy, options: o.options, instantDb: o.instantDb, keepTrace: true });
  const there = await inFreshWorker<'run'>({
    kind: 'run',
    scenario: plainScenario(scenario),
    strategy: o.strategyRef,
    cwd: o.cwd,
    seed,
    choices: o.choices,
    options: o.options,
    instantDb: o.instantDb,
    keepTrace: true,
  });
  if (here.traceHash === there.traceHash) return null;
  const lines = (here.trace ?? []).map((e) => JSON.stringify(e));
  return { seed: o.choices ? null : seed, traceHashes: [here.traceHash, there.traceHash], firstDifference: firstTraceDifference(lines, there.traceLines ?? []) };
}

/** A scenario stripped to data (structured clone refuses functions and class instances). */
export function plainScenario(s: RunnableScenario): RunnableScenario {
  return JSON.parse(JSON.stringify(s)) as RunnableScenario;
}

/** Human text for a divergence: which seed, which event, both versions. */
export function formatDivergence(d: Divergence): string {
  const what = d.seed === null ? 'the replayed run' : `seed ${d.seed}`;
  const lines = [`NONDETERMINISTIC: ${what} gave two different traces (hashes ${d.traceHashes[0]} and ${d.traceHashes[1]}).`];
  const f = d.firstDifference;
  if (f) {
    lines.push(`first diverging trace event: #${f.index}`);
    if (f.lastCommon) lines.push(`  last common: ${f.lastCommon}`);
    lines.push(`  1st run:     ${f.first ?? '(trace ended)'}`);
    lines.push(`  2nd run:     ${f.second ?? '(trace ended)'}`);
  } else {
    lines.push('(re-running it with traces kept gave equal traces: the difference depends on what ran before it in that thread)');
  }
  lines.push('Something below the strategy reads ambient state: Math.random, Date.now, new Date(), performance.now, a timer, or module-level state that survives between runs. Draw randomness from the simulation instead (the run\'s choices), and keep state per order.');
  return lines.join('\n');
}
