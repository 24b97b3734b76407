import { basename, dirname, join } from 'node:path';
import { loadScenarioFile, formatProblem, type Scenario } from '../scenario/index.js';
import type { Strategy } from '../inventory/strategy.js';
import { EXIT, InputError, OversoldError } from '../errors.js';
import { builtinStrategy } from './run.js';
import { checkStrategy, type CheckOptions, type CheckResult } from './check.js';
import { describeKnobs } from './arbitraries.js';
import { replayDataOf, writeReplayFile, writeReplayFileByContent } from './replayFile.js';

/** Where `check` and `assertStrategyHolds` put replay files unless told otherwise (gitignored). */
export const REPLAY_DIR = '.oversold/replays';

/** `oversold check --runs` when not given. */
export const CHECK_RUNS_DEFAULT = 200;

/**
 * The default replay file's name without its content hash: `<scenario>-<strategy>-<seed>`, in
 * REPLAY_DIR. The file written is `<stem>-<first 8 hex digits of its content hash>.json`, so a
 * second counterexample of the same scenario, strategy and seed never overwrites the first.
 */
export function defaultReplayFile(scenario: string, strategy: string, seed: number): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return join(REPLAY_DIR, `${safe(scenario)}-${safe(strategy)}-${seed}`);
}

/**
 * Writes the replay file of a check's counterexample; returns its absolute path. `file` is
 * where the user asked for it, or null for REPLAY_DIR under a name that holds its content hash.
 */
export function writeCounterexample(result: CheckResult, strategyRef: string, file: string | null, cwd: string, scenarioName?: string, strategyName?: string): string {
  const ce = result.counterexample;
  if (!ce) throw new Error('writeCounterexample: the check found nothing');
  const data = replayDataOf(ce.scenario, ce.run, strategyRef, {
    origin: { command: 'check', fastCheck: { seed: result.seed, path: result.path, runs: result.runs, shrinks: result.shrinks }, knobs: ce.knobs },
  });
  if (file !== null) return writeReplayFile(file, data, cwd);
  const stem = defaultReplayFile(scenarioName ?? ce.scenario.name, strategyName ?? strategyRef, result.seed);
  return writeReplayFileByContent(dirname(stem), basename(stem), data, cwd);
}

export interface CounterexampleText {
  /** How the scenario and strategy are named in commands (a file path, a module path). */
  readonly scenarioArg: string;
  readonly strategyArg: string;
  /** The original (unperturbed) scenario, to say what the swarm changed. */
  readonly scenario: Scenario;
  readonly replayFile: string | null;
}

/** The failure report: what broke, the shrunk case in words, and how to get it back. */
export function formatCounterexample(result: CheckResult, t: CounterexampleText): string {
  const ce = result.counterexample;
  if (!ce) return `no counterexample in ${result.runs} runs (fast-check seed ${result.seed})`;
  const lines: string[] = [];
  lines.push(`counterexample after ${result.runs} run${result.runs === 1 ? '' : 's'}, shrunk ${result.shrinks} time${result.shrinks === 1 ? '' : 's'}:`);
  for (const v of ce.violations) lines.push(`  ✗ ${v.invariant}: ${v.message}`);
  lines.push(`scenario   ${describeKnobs(t.scenario, ce.knobs)}`);
  if (ce.shrunkChoices.length === 0) {
    lines.push('choices    none: every answer was the calm default (shortest delays, nothing lost, FIFO)');
  } else {
    lines.push(`choices    ${ce.shrunkChoices.length} ${ce.shrunkChoices.length === 1 ? 'matters' : 'matter'} (every other answer was the calm default):`);
    for (const c of ce.shrunkChoices) lines.push(`  #${c.index} ${c.text}`);
  }
  lines.push(`fast-check seed ${result.seed}, path ${result.path}`);
  if (t.replayFile) lines.push(`replay     npx oversold replay ${t.replayFile}`);
  // `check --path` refuses a first number at or past --runs (its cost is linear in it).
  const runsFlag = result.runs > CHECK_RUNS_DEFAULT ? ` --runs ${result.runs}` : '';
  lines.push(`re-check   npx oversold check ${t.scenarioArg} --strategy ${t.strategyArg} --seed ${result.seed}${runsFlag} --path ${result.path}`);
  return lines.join('\n');
}

/** Thrown by assertStrategyHolds: the message is the report; the fields are for tools. */
export class CounterexampleError extends OversoldError {
  constructor(
    message: string,
    readonly result: CheckResult,
    readonly replayFile: string | null,
  ) {
    super(message, 'COUNTEREXAMPLE', EXIT.violated);
    this.name = 'CounterexampleError';
  }
}

export interface AssertOptions extends CheckOptions {
  /** Replay file to write on failure; false for none. Default .oversold/replays/<scenario>-<strategy>-<seed>-<content hash>.json. */
  readonly replayFile?: string | false;
  /** How `oversold replay` should load the strategy (a name or a module path). Default: its name. */
  readonly strategyRef?: string;
  /** Directory relative paths are resolved against. Default: process.cwd(). */
  readonly cwd?: string;
}

/**
 * The one-call property for a vitest (or any) suite: fast-check searches choice lists and
 * swarm perturbations of the scenario for a run that breaks an invariant. Returns the check
 * result when none does; otherwise throws a CounterexampleError whose message shows the
 * shrunk counterexample, fast-check's seed and path and the replay command.
 *
 * `numRuns` defaults to $OVERSOLD_FC_RUNS, else 100; `seed` to the scenario's seed (so a
 * suite is reproducible; pass your own to explore further).
 *
 * It runs in-process, in the caller's thread: no watchdog, no wall-clock budget and no heap
 * limit (those need another thread: the CLI's `oversold check --strategy ./mine.ts`, or
 * sweepParallel with a watchdog). A strategy that loops without yielding hangs the test; let
 * the test runner's own timeout (vitest's testTimeout) be the limit.
 */
export function assertStrategyHolds(scenario: Scenario | string, strategy: Strategy | string, o: AssertOptions = {}): CheckResult {
  const sc = typeof scenario === 'string' ? loadScenarioOrThrow(scenario) : scenario;
  const st = typeof strategy === 'string' ? builtinStrategy(strategy) : strategy;
  const numRuns = o.numRuns ?? envRuns() ?? 100;
  const result = checkStrategy(sc, st, { ...o, numRuns });
  if (!result.found) return result;
  const cwd = o.cwd ?? process.cwd();
  const strategyRef = o.strategyRef ?? (typeof strategy === 'string' ? strategy : st.name);
  const file = o.replayFile === false ? null : writeCounterexample(result, strategyRef, o.replayFile ?? null, cwd, sc.name, st.name);
  const text = formatCounterexample(result, {
    scenarioArg: typeof scenario === 'string' ? scenario : `<${sc.name}.json>`,
    strategyArg: strategyRef,
    scenario: sc,
    replayFile: file,
  });
  throw new CounterexampleError(`${st.name} broke an invariant on ${sc.name}\n${text}`, result, file);
}

/** OVERSOLD_FC_RUNS as a positive integer, or null. */
export function envRuns(): number | null {
  const v = Number(process.env.OVERSOLD_FC_RUNS);
  return Number.isInteger(v) && v > 0 ? v : null;
}

function loadScenarioOrThrow(path: string): Scenario {
  const r = loadScenarioFile(path);
  if (r.ok) return r.scenario;
  throw new InputError(r.problems.slice(0, 5).map(formatProblem).join('\n'), 'INVALID_SCENARIO');
}
