import { isStrategyPath } from '../inventory/strategy.js';
import { inFreshWorker, type Watchdog } from '../explore/pool.js';
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

export const WATCHDOG_OPTIONS: readonly OptionDef[] = [
  {
    name: 'watchdog-s', kind: 'int', value: 'N', min: 0, max: WATCHDOG_MAX_S,
    help: `a user's strategy module runs in a watched worker thread: code that runs N s of wall-clock time without yielding is stopped and reported as a liveness violation (default ${WATCHDOG_DEFAULT_S}; 0: no watchdog, in-process)`,
  },
];

/** --watchdog-s: seconds, 0 for none. */
export function watchdogSeconds(values: Record<string, unknown>): number {
  return num(values as Record<string, number | undefined>, 'watchdog-s', WATCHDOG_DEFAULT_S);
}

/** A watchdog ticking on the wall clock, or null for `seconds` 0. */
export function wallClockWatchdog(seconds: number): Watchdog | null {
  if (seconds <= 0) return null;
  return {
    stallTicks: Math.max(1, Math.ceil((seconds * 1000) / TICK_MS)),
    limit: `${seconds} s`,
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
  const seconds = watchdogSeconds(values);
  if (io.isolated || !isStrategyPath(strategyRef)) return null;
  return wallClockWatchdog(seconds);
}

/** The liveness violation a stopped run reports, in the `run --json` violation shape. */
export function stallViolation(message: string): { invariant: 'liveness'; message: string; orders: string[]; units: string[] } {
  return { invariant: 'liveness', message, orders: [], units: [] };
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
export function reportRunStall(s: Stall, c: StallContext & { scenario: string; scenarioPath: string; strategyRef: string; seed: number }): number {
  const v = stallViolation(s.message);
  if (c.json) {
    c.io.out(JSON.stringify({ scenario: c.scenario, strategy: s.strategyName, seed: c.seed, source: `seed ${c.seed}`, verdict: 'violated', violations: [v], stop: 'watchdog' }));
  } else {
    const col = colorsFor({ isTTY: c.io.stdoutIsTTY }, c.io.env);
    c.io.out(`${col.red(col.bold('VIOLATED'))}  ${col.bold(c.scenario)} · strategy ${col.bold(s.strategyName)} · seed ${c.seed}`);
    c.io.out(violationLine(v, col));
    c.io.out(`replay   ${col.cyan(replayCommand(c.scenarioPath, c.strategyRef, c.seed))}`);
  }
  return EXIT.violated;
}

/** `replay` stopped by the watchdog: the new run is violated (liveness) and cannot match the recording. */
export function reportReplayStall(s: Stall, c: StallContext & { data: ReplayFile; shown: string }): number {
  const v = stallViolation(s.message);
  const d = c.data;
  if (c.json) {
    c.io.out(JSON.stringify({
      scenario: d.scenario.name,
      strategy: s.strategyName,
      seed: d.seed,
      source: `recorded choices (${d.choices.length} choices)`,
      verdict: 'violated',
      violations: [v],
      stop: 'watchdog',
      matchesRecording: false,
      recordedTraceHash: d.traceHash,
      recordedVerdict: d.verdict,
      recordedViolations: d.violations.map((x) => x.invariant),
    }));
  } else {
    const col = colorsFor({ isTTY: c.io.stdoutIsTTY }, c.io.env);
    c.io.out(`${col.red(col.bold('VIOLATED'))}  ${col.bold(d.scenario.name)} · strategy ${col.bold(s.strategyName)} · recorded choices (${d.choices.length} choices)`);
    c.io.out(violationLine(v, col));
    c.io.out(col.yellow(`MISMATCH: recorded trace ${d.traceHash}, this run was stopped by the watchdog. Recorded verdict: ${d.verdict}.`));
    c.io.out(`replay   ${col.cyan(`npx oversold replay ${c.shown}`)}`);
  }
  return EXIT.violated;
}

/** `check` stopped by the watchdog: a counterexample of sorts (found), not shrunk, no replay file. */
export function reportCheckStall(s: Stall, c: StallContext & { scenario: string; scenarioPath: string; strategyRef: string; seed: number; scenarioSeed: number }): number {
  const v = stallViolation(s.message);
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
      choices: [],
      traceHash: null,
      stop: 'watchdog',
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

function violationLine(v: { invariant: string; message: string }, col: Colors): string {
  return `${col.red('✗')} ${col.bold(v.invariant)}: ${v.message}`;
}

/**
 * Loads a user's module in a watched worker thread and answers its strategy's name: the
 * sweep's early check that the module loads, without running its top level in this thread.
 */
export async function strategyNameWatched(strategyRef: string, cwd: string, watchdog: Watchdog): Promise<string> {
  return (await inFreshWorker<'load'>({ kind: 'load', strategy: strategyRef, cwd }, { watchdog })).name;
}

/** The sweep's line about the run its watchdog stopped (its liveness violation is in the tally). */
export function formatSweepStall(s: SweepStall, r: SweepReport, io: Io): string {
  const col = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  if (s.duringDeterminismCheck || s.seed === null) {
    return `${col.red('✗')} ${col.bold('stopped')} ${s.seed === null ? 'a run' : `seed ${s.seed}`}${s.duringDeterminismCheck ? ' in its determinism re-run (it had passed once)' : ''}: ${s.message}`;
  }
  const next = s.seed + 1;
  const more = !r.shard && next < r.requested.start + r.requested.count ? `; --start ${next} goes on past it` : '';
  return `stopped  seed ${s.seed} by the watchdog (liveness); the sweep ended there${more}`;
}
