import fc from 'fast-check';
import { EXIT, OversoldError } from '../errors.js';
import type { Scenario } from '../scenario/index.js';
import type { Strategy } from '../inventory/strategy.js';
import { builtinStrategy } from '../explore/run.js';
import { checkStrategy, type CheckOptions, type CheckResult } from '../explore/check.js';
import { counterexampleRun, envRuns, writeCounterexample } from '../explore/property.js';
import { explainViolations } from '../report/explain.js';
import { formatCounterexample } from '../report/counterexample.js';
import { printedPath, scenarioArg, scenarioOf, strategyArg, type ModuleRef } from './refs.js';

/**
 * Thrown by assertStrategyHolds: the message is the report (the counterexample in words, the
 * anomaly explained, the commands that replay it); the fields are for tools. When the failure
 * is the strategy's own exception, `cause` is that exception, with the user's stack.
 */
export class CounterexampleError extends OversoldError {
  /** The check's result (not enumerable: test runners print an error's own fields, and the counterexample's run holds its whole world). */
  declare readonly result: CheckResult;
  readonly replayFile: string | null;
  constructor(message: string, result: CheckResult, replayFile: string | null, cause?: unknown) {
    super(message, 'COUNTEREXAMPLE', EXIT.violated);
    this.name = 'CounterexampleError';
    Object.defineProperty(this, 'result', { value: result, enumerable: false });
    // As Error's own `cause` option defines it: not enumerable.
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
    this.replayFile = replayFile;
  }
}

export interface AssertOptions extends Omit<CheckOptions, 'seed'> {
  /**
   * fast-check seed. Default: fc.configureGlobal's seed if one is set, else the scenario's
   * (every run of the suite explores the same cases); 'random' lets fast-check pick one per
   * run (printed on failure with the path that replays it).
   */
  readonly seed?: number | 'random';
  /** Replay file to write on failure; false for none. Default .oversold/replays/<scenario>-<strategy>-<seed>.json. */
  readonly replayFile?: string | false;
  /**
   * How printed commands and the replay file name the strategy: a built-in's name, a path, or
   * (best, from a test file) `new URL('./my-strategy.ts', import.meta.url)`. Default: its name.
   */
  readonly strategyRef?: ModuleRef;
  /** How printed commands name a scenario given as an object (default: a built-in's name, else a file written under .oversold/scenarios/). */
  readonly scenarioRef?: ModuleRef;
  /** Where printed commands are run from, and what relative paths are relative to. Default: process.cwd(). */
  readonly cwd?: string;
}

/**
 * The one-call property for a vitest (or any) suite: fast-check searches choice lists and
 * swarm perturbations of the scenario for a run that breaks an invariant. Returns the check
 * result when none does; otherwise throws a CounterexampleError.
 *
 * `scenario` is a Scenario, a built-in's name (`'flash-sale-chaos'`), a path or a URL.
 * `numRuns` defaults to $OVERSOLD_FC_RUNS, else fc.configureGlobal's numRuns, else 100; other
 * global settings (timeouts, verbosity) apply as fast-check applies them.
 *
 * It runs in-process, in the caller's thread: no watchdog, no wall-clock budget and no heap
 * limit (those need another thread: `oversold check --strategy ./mine.ts`, or sweepParallel
 * with a watchdog). A strategy that loops without yielding hangs the test; the test runner's
 * own timeout (vitest's testTimeout) is the limit.
 */
export function assertStrategyHolds(scenario: Scenario | ModuleRef, strategy: Strategy | string, o: AssertOptions = {}): CheckResult {
  const cwd = o.cwd ?? process.cwd();
  const sc = scenarioOf(scenario, cwd);
  const st = typeof strategy === 'string' ? builtinStrategy(strategy) : strategy;
  const global = fc.readConfigureGlobal();
  const numRuns = o.numRuns ?? envRuns() ?? global.numRuns ?? 100;
  const seed = o.seed ?? global.seed ?? sc.seed;
  const result = checkStrategy(sc, st, { ...o, numRuns, seed });
  const ce = result.counterexample;
  if (!ce) return result;
  const strategyText = strategyArg(o.strategyRef ?? (typeof strategy === 'string' ? strategy : undefined), st.name, cwd);
  const file = o.replayFile === false ? null : writeCounterexample(result, strategyText, o.replayFile ?? null, cwd, sc.name, st.name);
  const run = counterexampleRun(ce, st);
  const text = formatCounterexample(result, {
    scenarioArg: scenarioArg(scenario, sc, cwd, o.scenarioRef),
    strategyArg: strategyText,
    scenario: sc,
    replayFile: file === null ? null : printedPath(file, cwd),
    explanations: explainViolations(run.violations, run.trace ?? []),
  });
  const cause = ce.violations.find((v) => v.cause !== undefined)?.cause;
  throw new CounterexampleError(`${st.name} broke an invariant on ${sc.name}\n${text}`, result, file, cause);
}
