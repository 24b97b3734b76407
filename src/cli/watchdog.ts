import { isStrategyPath } from '../inventory/strategy.js';
import { SimWorker, type Watchdog } from '../explore/pool.js';
import type { SweepStall } from '../explore/parallel.js';
import type { SweepReport } from '../explore/sweepReport.js';
import type { ReplayFile } from '../explore/replayFile.js';
import { replayCommand } from '../report/summary.js';
import { colorsFor, type Colors } from '../report/colors.js';
import { num } from './args.js';
import type { OptionDef } from './options.js';
import { EXIT } from '../errors.js';
import type { Stall } from './isolate.js';
import type { Io } from './io.js';

/**
 * The wall-clock watchdog of commands that run a user's strategy module.
 *
 * A strategy is a generator the kernel steps; one that loops without yielding never hands
 * control back, and a synchronous loop cannot be interrupted inside its own thread. So user
 * code runs in worker threads (src/cli/isolate.ts for run, replay and check; the sweep's
 * SimWorkers), which count signs of life in shared memory (Heartbeat, src/explore/worker.ts);
 * this thread keeps the only timer and stops a thread that shows none for --watchdog-s.
 * Built-in strategies are trusted and run as before, with no watchdog and no overhead.
 */
export const WATCHDOG_DEFAULT_S = 30;
export const WATCHDOG_MAX_S = 86_400;
/** How often the watchdog looks (and pings the watched thread). */
const TICK_MS = 250;

/** Wall-clock budget of one simulation run of a user's module, and of loading the module. */
export const RUN_BUDGET_DEFAULT_S = 300;
export const LOAD_BUDGET_DEFAULT_S = 60;

export const WATCHDOG_OPTIONS: readonly OptionDef[] = [
  {
    name: 'watchdog-s', kind: 'int', value: 'N', min: 0, max: WATCHDOG_MAX_S,
    help: `a user's strategy module runs in a watched worker thread: code that runs N s of wall-clock time without yielding is stopped and reported as a liveness violation (default ${WATCHDOG_DEFAULT_S}; 0: no watchdog and no budgets, in-process)`,
  },
  {
    name: 'run-budget-s', kind: 'int', value: 'N', min: 0, max: WATCHDOG_MAX_S,
    help: `wall-clock budget of one simulation run of your module (default ${RUN_BUDGET_DEFAULT_S}; 0: none): past it the run is stopped, a resource stop (not an invariant verdict)`,
  },
  {
    name: 'load-budget-s', kind: 'int', value: 'N', min: 0, max: WATCHDOG_MAX_S,
    help: `wall-clock budget for loading your module (default ${LOAD_BUDGET_DEFAULT_S}; 0: none, and loading is held to --watchdog-s): a loop at its top level or a top-level await that never settles is bad input; --watchdog-s starts once it has loaded`,
  },
];

/** The wall-clock limits on a user's module (0: none). */
export interface WatchLimits {
  readonly watchdogS: number;
  readonly runBudgetS: number;
  readonly loadBudgetS: number;
}

export const NO_LIMITS: WatchLimits = { watchdogS: 0, runBudgetS: 0, loadBudgetS: 0 };

/** --watchdog-s, --run-budget-s and --load-budget-s (validated by the option table). */
export function watchLimits(values: Record<string, unknown>): WatchLimits {
  const v = values as Record<string, number | undefined>;
  return {
    watchdogS: watchdogSeconds(values),
    runBudgetS: num(v, 'run-budget-s', RUN_BUDGET_DEFAULT_S),
    loadBudgetS: num(v, 'load-budget-s', LOAD_BUDGET_DEFAULT_S),
  };
}

/** --watchdog-s: seconds, 0 for none. */
export function watchdogSeconds(values: Record<string, unknown>): number {
  return num(values as Record<string, number | undefined>, 'watchdog-s', WATCHDOG_DEFAULT_S);
}

/**
 * A watchdog ticking on the wall clock, or null for `seconds` 0; with budgets, it also stops a
 * run that takes longer than `runBudgetS` (default none) and a module load longer than
 * `loadBudgetS` (default LOAD_BUDGET_DEFAULT_S; 0: none, and loading is then held to
 * `seconds` like a run). Library users pass it to sweepParallel ({ watchdog }) for the same
 * limits as the CLI.
 */
export function wallClockWatchdog(seconds: number, budgets: Partial<Omit<WatchLimits, 'watchdogS'>> = {}): Watchdog | null {
  if (seconds <= 0) return null;
  const ticks = (s: number) => Math.max(1, Math.ceil((s * 1000) / TICK_MS));
  const run = budgets.runBudgetS ?? 0;
  const load = budgets.loadBudgetS ?? LOAD_BUDGET_DEFAULT_S;
  return {
    stallTicks: ticks(seconds),
    limit: `${seconds} s`,
    ...(run > 0 ? { runBudgetTicks: ticks(run), runBudget: `${run} s` } : {}),
    ...(load > 0 ? { loadBudgetTicks: ticks(load), loadBudget: `${load} s` } : {}),
    every(tick) {
      const h = setInterval(tick, TICK_MS); // wall-clock: watchdog only, never a simulation input
      // The watched threads keep the process alive while they work; a forgotten timer must not.
      h.unref();
      return () => clearInterval(h); // wall-clock: watchdog only
    },
  };
}

/**
 * The watchdog for this strategy in this command: a user module gets one (unless
 * --watchdog-s 0), a built-in never does. Inside an isolated command (already in a watched
 * thread) the answer is null: the parent watches.
 */
export function watchdogFor(strategyRef: string, values: Record<string, unknown>, io: Io): Watchdog | null {
  const limits = watchLimits(values);
  if (io.isolated || !isStrategyPath(strategyRef)) return null;
  return wallClockWatchdog(limits.watchdogS, limits);
}

/**
 * What a stopped run reports, in the `run --json` violation shape: a stall is a liveness
 * violation; a wall-clock budget is a `resource-limit` stop (not an invariant verdict).
 */
export function stallViolation(message: string, resource = false): { invariant: 'liveness' | 'resource-limit'; message: string; orders: string[]; units: string[] } {
  return { invariant: resource ? 'resource-limit' : 'liveness', message, orders: [], units: [] };
}

/** `stop` in --json for a stopped run. */
function stopOf(s: Stall): 'watchdog' | 'resource-limit' {
  return s.resource ? 'resource-limit' : 'watchdog';
}

interface StallContext {
  readonly io: Io;
  readonly json: boolean;
}

/**
 * `run` stopped by the watchdog: the run's verdict is `violated` by liveness. Same shape as
 * a finished run where it can be (header, ✗ line, replay line; --json: verdict and
 * violations), with `stop: "watchdog"`; what needs a finished run (orders, trace hash,
 * explanations, --trace/--record/--html files) is not there.
 */
export function reportRunStall(s: Stall, c: StallContext & { scenario: string; scenarioPath: string; strategyRef: string; seed: number; flags?: string }): number {
  const v = stallViolation(s.message, s.resource === true);
  if (c.json) {
    c.io.out(JSON.stringify({ scenario: c.scenario, strategy: s.strategyName, seed: c.seed, source: `seed ${c.seed}`, verdict: 'violated', violations: [v], stop: stopOf(s) }));
  } else {
    const col = colorsFor({ isTTY: c.io.stdoutIsTTY }, c.io.env);
    c.io.out(`${col.red(col.bold('VIOLATED'))}  ${col.bold(c.scenario)} · strategy ${col.bold(s.strategyName)} · seed ${c.seed}`);
    c.io.out(violationLine(v, col));
    c.io.out(`replay   ${col.cyan(replayCommand(c.scenarioPath, c.strategyRef, c.seed, c.flags))}`);
  }
  return EXIT.violated;
}

/** `replay` stopped by the watchdog: the new run is violated (liveness) and cannot match the recording. */
export function reportReplayStall(s: Stall, c: StallContext & { data: ReplayFile; shown: string }): number {
  const v = stallViolation(s.message, s.resource === true);
  const d = c.data;
  if (c.json) {
    c.io.out(JSON.stringify({
      scenario: d.scenario.name,
      strategy: s.strategyName,
      seed: d.seed,
      source: `recorded answers (${d.answers.length} answers)`,
      verdict: 'violated',
      violations: [v],
      stop: stopOf(s),
      matchesRecording: false,
      recordedTraceHash: d.traceHash,
      recordedVerdict: d.verdict,
      recordedViolations: d.violations.map((x) => x.invariant),
    }));
  } else {
    const col = colorsFor({ isTTY: c.io.stdoutIsTTY }, c.io.env);
    c.io.out(`${col.red(col.bold('VIOLATED'))}  ${col.bold(d.scenario.name)} · strategy ${col.bold(s.strategyName)} · recorded answers (${d.answers.length} answers)`);
    c.io.out(violationLine(v, col));
    c.io.out(col.yellow(s.resource
      ? `MISMATCH: recorded trace ${d.traceHash}, this run was stopped by its wall-clock budget. Such a stop depends on the machine (its speed and load), not on the recording: raise --run-budget-s or replay on a faster or less busy machine. Recorded verdict: ${d.verdict}.`
      : `MISMATCH: recorded trace ${d.traceHash}, this run was stopped by the watchdog. Recorded verdict: ${d.verdict}.`));
    c.io.out(`replay   ${col.cyan(`npx oversold replay ${c.shown}`)}`);
  }
  return EXIT.violated;
}

/** `check` stopped by the watchdog: a counterexample of sorts (found), not shrunk, no replay file. */
export function reportCheckStall(s: Stall, c: StallContext & { scenario: string; scenarioPath: string; strategyRef: string; seed: number; scenarioSeed: number }): number {
  const v = stallViolation(s.message, s.resource === true);
  if (c.json) {
    c.io.out(JSON.stringify({
      found: true,
      scenario: c.scenario,
      strategy: s.strategyName,
      runs: s.runs,
      shrinks: 0,
      replayFile: null,
      seed: c.seed,
      path: null,
      shrunkChoices: [],
      violations: [v],
      knobs: null,
      scenarioChanges: null,
      answers: [],
      traceHash: null,
      stop: stopOf(s),
    }));
  } else {
    const col = colorsFor({ isTTY: c.io.stdoutIsTTY }, c.io.env);
    c.io.out(`${col.red(col.bold('FOUND'))}  ${col.bold(c.scenario)} · strategy ${col.bold(s.strategyName)}`);
    c.io.out(violationLine(v, col));
    c.io.out(`stopped  in simulation run ${s.runs} of the check (fast-check seed ${c.seed}): not shrunk, no replay file written`);
    c.io.out(`try      ${col.cyan(replayCommand(c.scenarioPath, c.strategyRef, c.scenarioSeed))} (the scenario's own run)`);
  }
  return EXIT.violated;
}

/**
 * `explore` stopped by the watchdog: one execution of the search ran the strategy without
 * yielding (or past its budget). A finding about the strategy, exit 1, with no proof: the
 * search did not finish. `explore --json` keeps its shape: bounded, not exhausted; the counts
 * died with the thread (blocked and finalStates null, executions = those started before).
 */
export function reportExploreStall(s: Stall, c: StallContext & { scenario: string; scenarioPath: string; strategyRef: string; semantics: { name: string; text: string }; bounds: object }): number {
  const v = stallViolation(s.message, s.resource === true);
  const statement = `NOT a proof: execution ${s.runs} of the search was stopped by the ${s.resource ? 'wall-clock budget' : 'watchdog'}.`;
  if (c.json) {
    c.io.out(JSON.stringify({ scenario: c.scenario, strategy: s.strategyName, semantics: c.semantics, bounds: c.bounds, executions: Math.max(0, s.runs - 1), blocked: null, finalStates: null, exhausted: false, bounded: true, boundedBy: stopOf(s), violations: [v], confirmed: null, replayFile: null, statement, stop: stopOf(s) }));
  } else {
    const col = colorsFor({ isTTY: c.io.stdoutIsTTY }, c.io.env);
    c.io.out(`${col.red(col.bold('FOUND'))}  ${col.bold(c.scenario)} · strategy ${col.bold(s.strategyName)}`);
    c.io.out(violationLine(v, col));
    c.io.out(`stopped  in execution ${s.runs} of the search: not shrunk, no replay file or cursor written`);
    c.io.out(`try      ${col.cyan(`npx oversold run ${c.scenarioPath} --strategy ${c.strategyRef}`)} (the scenario's own run)`);
  }
  return EXIT.violated;
}

function violationLine(v: { invariant: string; message: string }, col: Colors): string {
  return `${col.red('✗')} ${col.bold(v.invariant)}: ${v.message}`;
}

/**
 * Loads a user's module in a watched worker thread and answers its strategy's name: the
 * sweep's early check that the module loads, without running its top level in this thread.
 */
export async function strategyNameWatched(strategyRef: string, cwd: string, watchdog: Watchdog): Promise<string> {
  const w = new SimWorker({ watchdog });
  try {
    const { name } = await w.request<'load'>({ kind: 'load', strategy: strategyRef, cwd });
    // The module's own timers and rejections at load fire now: bad input before the sweep starts.
    await new Promise((resolve) => setTimeout(resolve, LOAD_SETTLE_MS)); // wall-clock: lets the module's timers fire, decides nothing
    if (w.asyncError) throw w.asyncError;
    return name;
  } finally {
    await w.terminate();
  }
}

/** How long a freshly loaded user module's timers and rejections get to fire (src/cli/loadForCommand.ts). */
export const LOAD_SETTLE_MS = 10;

/** The sweep's line about the run its watchdog stopped (its liveness violation is in the tally). */
export function formatSweepStall(s: SweepStall, r: SweepReport, io: Io): string {
  const col = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  if (s.duringDeterminismCheck || s.seed === null) {
    return `${col.red('✗')} ${col.bold('stopped')} ${s.seed === null ? 'a run' : `seed ${s.seed}`}${s.duringDeterminismCheck ? ' in its determinism re-run (it had passed once)' : ''}: ${s.message}`;
  }
  const next = s.seed + 1;
  const more = !r.shard && next < r.requested.start + r.requested.count ? `; --start ${next} goes on past it` : '';
  return `stopped  seed ${s.seed} by ${s.resource ? 'its wall-clock budget (a resource stop: it depends on this machine)' : 'the watchdog (liveness)'}; the sweep ended there${more}`;
}
