import fc from 'fast-check';
import { CHECK_RUNS_DEFAULT, CHECK_SWEEP_RUNS_DEFAULT } from '../defaults.js';
import { sweepCases } from './sweepCases.js';
import type { Scenario } from '../scenario/index.js';
import type { Strategy } from '../inventory/strategy.js';
import type { Violation } from '../inventory/invariants.js';
import type { ChoiceSource } from '../sim/choice.js';
import { trimTrailingZeros } from './replayFile.js';
import type { TimingModel } from '../sim/kernel.js';
import { StreamListSource } from './streamSource.js';
import { calmPctStats, runOnce, type RunResult } from './run.js';
import { PctScheduler } from '../sim/pct.js';
import type { Scheduler } from '../sim/scheduler.js';
import type { StreamLists } from './streamSource.js';
import { applySwarm, checkCaseArb, identityKnobs, swarmArb, type ChoiceListOptions, type SwarmKnobs } from './arbitraries.js';
import { choiceContextOf, surprisingChoices, type ShownChoice } from './describeChoices.js';
import { answersAsRecorded } from './minimise/removal.js';
import { polishCounterexample } from './minimise/polish.js';
import { addRunFaults, describedFaults, emptyFaultTally, rowsOf, type FaultRow } from './marks.js';
import { faultsMattered, originalStepIds, type FaultInCounterexample } from './faultsMattered.js';

export interface CheckOptions {
  /** Property runs before giving up (default 200). */
  readonly numRuns?: number;
  /**
   * fast-check seed (default: the scenario's seed, so a check is reproducible by default);
   * 'random': fast-check picks one (and reports it in the result).
   */
  readonly seed?: number | 'random';
  /** fast-check path of a counterexample: with the same seed, replays and re-shrinks it. */
  readonly path?: string;
  /**
   * The first property runs that are exactly a plain sweep from the check's seed (default 50,
   * CHECK_SWEEP_RUNS_DEFAULT): run i is seed `seed`+i of the scenario as written, in its own
   * timing model, as `oversold sweep --start <seed> --seeds <sweepRuns>` runs it. A `path`
   * replays only with the sweepRuns that printed it (the CLI always uses the default).
   */
  readonly sweepRuns?: number;
  /** Perturb the scenario (swarm testing, default true); false keeps it exactly as written. */
  readonly swarm?: boolean;
  readonly choices?: ChoiceListOptions;
  /** Merged over the scenario's strategy options. */
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** Overrides the scenario's timing model. */
  readonly timing?: TimingModel;
  /**
   * Polled before every simulation run: true stops the check (a signal). fast-check ends at
   * once, with the counterexample found so far (shrunk as far as it got, not polished) or none.
   */
  readonly shouldStop?: () => boolean;
}

export interface Counterexample {
  /** The swarm knobs fast-check shrank to. */
  readonly knobs: SwarmKnobs;
  /** The scenario with the knobs applied: what the failing run ran. */
  readonly scenario: Scenario;
  /** The replay list: the run's recorded answers after shrinking, trailing zeros dropped. */
  readonly answers: readonly number[];
  /** The non-zero answers of that run, in words: the faults and timings that matter. */
  readonly shrunkChoices: readonly ShownChoice[];
  readonly violations: readonly Violation[];
  readonly run: RunResult;
}

export interface CheckResult {
  readonly found: boolean;
  /** Property runs executed (including the failing one, excluding shrinking). */
  readonly runs: number;
  readonly shrinks: number;
  readonly seed: number;
  /** fast-check's path to the shrunk counterexample; null when nothing failed. */
  readonly path: string | null;
  readonly counterexample: Counterexample | null;
  /** Stopped by shouldStop before fast-check finished (runs: those simulated). */
  readonly interrupted?: boolean;
  /**
   * Each fault the scenario enables: in how many of the property runs up to the first failure
   * (`faultRuns` of them; shrinking not counted) it struck, and in how many of those an
   * invariant broke; and whether it struck in the counterexample and was needed there
   * (explore/faultsMattered.ts; null without a counterexample).
   */
  readonly faults: readonly CheckFaultRow[];
  readonly faultRuns: number;
}

export interface CheckFaultRow extends FaultRow {
  readonly counterexample: FaultInCounterexample | null;
}

/**
 * The property "no invariant breaks" over choice lists (and, with swarm, perturbed scenarios),
 * checked with fast-check. On failure the counterexample is shrunk by fast-check, then
 * polished (minimise/polish.ts): each remaining surprising answer is set to 0 if the run
 * still fails without it, so what is left is a short list of faults that all matter.
 */
export function checkStrategy(scenario: Scenario, strategy: Strategy, o: CheckOptions = {}): CheckResult {
  // 'random': fast-check picks the seed (its own entropy, as before), asked up front because
  // the sweep cases start at it; the result reports it and it replays the whole check.
  const seed = o.seed === 'random' ? fc.check(fc.property(fc.constant(0), () => true), { numRuns: 1 }).seed : (o.seed ?? scenario.seed);
  const numRuns = o.numRuns ?? CHECK_RUNS_DEFAULT;
  const swarm = o.swarm ?? true;
  // One object: the sweep cases shrink only if they hold the case arbitrary's own constant.
  const asWritten = identityKnobs(scenario);
  const knobsArb = swarm ? swarmArb(scenario) : fc.constant(asWritten);
  const windowed = (o.timing ?? scenario.timing) === 'windowed';
  const runWith = (knobs: SwarmKnobs, source: ChoiceSource, record: boolean, edit?: (s: Scenario) => void, scheduler?: Scheduler) => {
    const s = applySwarm(scenario, knobs);
    edit?.(s);
    return runOnce(s, { strategy, options: o.options, source, recordChoices: record, timing: o.timing, ...(scheduler ? { scheduler } : {}) });
  };
  // PCT's k (the calm run's steps), once per check: PCT cases run the scenario as written.
  let pctSteps: number | null = null;
  const runCase = (knobs: SwarmKnobs, lists: StreamLists, record: boolean) => {
    if (lists.seed === undefined || lists.pctDepth === undefined) return runWith(knobs, new StreamListSource(lists), record);
    pctSteps ??= calmPctStats(scenario, strategy, o.options).steps;
    // The case's seed seeds PCT too (its generator is past every stream's: sim/pct.ts).
    return runWith(knobs, new StreamListSource(lists), record, undefined, new PctScheduler({ seed: lists.seed, depth: lists.pctDepth, steps: pctSteps }));
  };
  // Faults seen to strike in the property runs, up to and including the first that fails.
  const faultTally = emptyFaultTally();
  let faultRuns = 0;
  let failedOnce = false;
  // fast-check draws one list per stream; the counterexample is the run's recorded answers as
  // one list in question order (what a replay file holds).
  let stopped = false;
  let simulated = 0;
  const property = fc.property(checkCaseArb(knobsArb, asWritten, o.choices ?? {}, windowed), ([knobs, lists]) => {
    // A skipped case (fc.pre) with no skips allowed ends the runs at once, and a skipped shrink
    // candidate is not a failure: fast-check stops with what it has, generating nothing more.
    if (stopped || o.shouldStop?.()) {
      stopped = true;
      fc.pre(false);
    }
    simulated++;
    const r = runCase(knobs, lists, false);
    const ok = r.violations.length === 0;
    if (!failedOnce) {
      faultRuns++;
      addRunFaults(faultTally, originalStepIds(r.faultsStruck, knobs), !ok);
      failedOnce = !ok;
    }
    return ok;
  });
  const described = describedFaults(scenario);
  const faultRows = (ce: Map<string, FaultInCounterexample> | null): CheckFaultRow[] =>
    rowsOf(described, faultTally).map((row) => ({ ...row, counterexample: ce === null ? null : ce.get(row.id) ?? null }));
  const sweepRunsAsked = o.sweepRuns ?? CHECK_SWEEP_RUNS_DEFAULT;
  if (!Number.isSafeInteger(sweepRunsAsked) || sweepRunsAsked < 0) throw new RangeError(`checkStrategy: sweepRuns must be a whole number from 0, got ${sweepRunsAsked}`);
  // Past numRuns fast-check would never reach them.
  const sweepRuns = Math.min(sweepRunsAsked, numRuns);
  const examples = sweepCases(asWritten, seed, sweepRuns);
  const details = fc.check(property, { numRuns, seed, examples, maxSkipsPerRun: 0, ...(o.path ? { path: o.path } : {}) });
  const interrupted = stopped ? { interrupted: true } : {};
  // A throw inside the property (a simulator bug: strategies' throws become order errors)
  // shrinks like a failure and is thrown again below when the counterexample is re-run.
  if (!details.failed || details.counterexample === null) {
    return { found: false, runs: stopped ? simulated : details.numRuns, shrinks: 0, seed: details.seed, path: null, counterexample: null, ...interrupted, faults: faultRows(null), faultRuns };
  }
  const [[shrunkKnobs, lists]] = details.counterexample;
  // From here on the run is its recorded answers: a PCT case's picks replay through the choice
  // scheduler (Choices.decided recorded them as schedule answers), so polish needs no PCT.
  const recorded = runCase(shrunkKnobs, lists, true).choices!;
  // Interrupted: the counterexample as far as it got (polishing runs more simulations).
  const { knobs, run } = stopped
    ? { knobs: shrunkKnobs, run: runWith(shrunkKnobs, answersAsRecorded(recorded), true) }
    : polishCounterexample(shrunkKnobs, recorded, swarm, runWith);
  // Interrupted: no more simulations; whether each fault was needed is not known.
  const final = run.choices!;
  const mattered = stopped ? null : faultsMattered(described, {
    scenario, knobs, recorded: final, values: final.map((c) => c.value), run,
    rerun: (k, source, edit) => runWith(k, source, false, edit),
  });
  return {
    found: true,
    runs: details.numRuns,
    shrinks: details.numShrinks,
    seed: details.seed,
    path: details.counterexamplePath,
    counterexample: {
      knobs,
      scenario: applySwarm(scenario, knobs),
      answers: trimTrailingZeros(run.choices!.map((c) => c.value)),
      shrunkChoices: surprisingChoices(run.choices!, choiceContextOf(applySwarm(scenario, knobs))),
      violations: run.violations,
      run,
    },
    ...interrupted,
    faults: faultRows(mattered),
    faultRuns,
  };
}
