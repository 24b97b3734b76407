import fc from 'fast-check';
import type { Scenario } from '../scenario/index.js';
import type { Strategy } from '../inventory/strategy.js';
import type { Violation } from '../inventory/invariants.js';
import { ListSource } from '../sim/sources.js';
import type { ChoiceSource } from '../sim/choice.js';
import { StreamListSource } from './streamSource.js';
import { runOnce, type RunResult } from './run.js';
import { applySwarm, streamListsArb, identityKnobs, swarmArb, FAULT_TOGGLE_NAMES, type ChoiceListOptions, type FaultToggles, type SwarmKnobs } from './arbitraries.js';
import { surprisingChoices, type ShownChoice } from './describeChoices.js';

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
  /** Perturb the scenario (swarm testing, default true); false keeps it exactly as written. */
  readonly swarm?: boolean;
  readonly choices?: ChoiceListOptions;
  /** Merged over the scenario's strategy options. */
  readonly options?: Readonly<Record<string, number | string | boolean>>;
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
  readonly choices: readonly number[];
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
}

/**
 * The property "no invariant breaks" over choice lists (and, with swarm, perturbed scenarios),
 * checked with fast-check. On failure the counterexample is shrunk by fast-check, then
 * polished: each remaining surprising answer is set to 0 if the run still fails without it,
 * so what is left is a short list of faults that all matter.
 */
export function checkStrategy(scenario: Scenario, strategy: Strategy, o: CheckOptions = {}): CheckResult {
  const seed = o.seed === 'random' ? undefined : (o.seed ?? scenario.seed);
  const swarm = o.swarm ?? true;
  const knobsArb = swarm ? swarmArb(scenario) : fc.constant(identityKnobs(scenario));
  const runWith = (knobs: SwarmKnobs, source: ChoiceSource, record: boolean) =>
    runOnce(applySwarm(scenario, knobs), { strategy, options: o.options, source, recordChoices: record });
  // fast-check draws one list per stream; everything after works on the run's recorded
  // answers as one list in question order (what a replay file holds).
  const runCase = (knobs: SwarmKnobs, choices: readonly number[], record = false) => runWith(knobs, new ListSource(choices, 'recorded'), record);
  let stopped = false;
  let simulated = 0;
  const property = fc.property(knobsArb, streamListsArb(o.choices), (knobs, lists) => {
    // A skipped case (fc.pre) with no skips allowed ends the runs at once, and a skipped shrink
    // candidate is not a failure: fast-check stops with what it has, generating nothing more.
    if (stopped || o.shouldStop?.()) {
      stopped = true;
      fc.pre(false);
    }
    simulated++;
    return runWith(knobs, new StreamListSource(lists), false).violations.length === 0;
  });
  const details = fc.check(property, { numRuns: o.numRuns ?? 200, ...(seed === undefined ? {} : { seed }), maxSkipsPerRun: 0, ...(o.path ? { path: o.path } : {}) });
  const interrupted = stopped ? { interrupted: true } : {};
  // A throw inside the property (a simulator bug: strategies' throws become order errors)
  // shrinks like a failure and is thrown again below when the counterexample is re-run.
  if (!details.failed || details.counterexample === null) {
    return { found: false, runs: stopped ? simulated : details.numRuns, shrinks: 0, seed: details.seed, path: null, counterexample: null, ...interrupted };
  }
  const [shrunkKnobs, lists] = details.counterexample;
  const fails = (k: SwarmKnobs, list: readonly number[]) => runCase(k, list).violations.length > 0;
  const first = runWith(shrunkKnobs, new StreamListSource(lists), true);
  // Interrupted: the counterexample as far as it got (polishing runs more simulations).
  let choices = stopped ? trimZeros(first.choices!.map((c) => c.value)) : polishChoices(first, (list) => fails(shrunkKnobs, list));
  let knobs = shrunkKnobs;
  if (swarm && !stopped) ({ knobs, choices } = polishToggles(knobs, runCase(knobs, choices, true), fails));
  const run = runCase(knobs, choices, true);
  return {
    found: true,
    runs: details.numRuns,
    shrinks: details.numShrinks,
    seed: details.seed,
    path: details.counterexamplePath,
    counterexample: {
      knobs,
      scenario: applySwarm(scenario, knobs),
      choices: trimZeros(run.choices!.map((c) => c.value)),
      shrunkChoices: surprisingChoices(run.choices!),
      violations: run.violations,
      run,
    },
    ...interrupted,
  };
}

/**
 * Zeroes every surprising answer that the failure does not need, last first (a late answer
 * rarely changes which questions come before it). Positions are kept: a list answers the
 * i-th question with its i-th entry.
 */
function polishChoices(r: RunResult, stillFails: (list: readonly number[]) => boolean): number[] {
  const list = r.choices!.map((c) => c.value);
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i] === 0) continue;
    const v = list[i];
    list[i] = 0;
    if (!stillFails(list)) list[i] = v;
  }
  return trimZeros(list);
}

/** The choice kinds each fault toggle governs. */
const TOGGLE_KINDS: Readonly<Record<keyof FaultToggles, readonly string[]>> = {
  dropRequest: ['drop-request'],
  dropReply: ['drop-reply'],
  duplicate: ['duplicate'],
  paymentFail: ['decline'],
  randomPauses: ['pause'],
  clockSkew: ['clock-offset', 'clock-drift'],
};

/**
 * Switches off each fault kind whose every answer in the failing run was 0 (it was on but
 * never struck). Its questions are then no longer asked, so their (zero) entries are removed
 * from the list: every other question gets the same answer as before. Kept only if the run
 * still fails, so the counterexample lists just the fault kinds that struck.
 */
function polishToggles(knobs: SwarmKnobs, r: RunResult, fails: (k: SwarmKnobs, list: readonly number[]) => boolean): { knobs: SwarmKnobs; choices: number[] } {
  let recorded = r.choices!;
  let cur = knobs;
  let list = trimZeros(recorded.map((c) => c.value));
  for (const t of FAULT_TOGGLE_NAMES) {
    if (!cur.faults[t]) continue;
    const kinds = TOGGLE_KINDS[t];
    if (recorded.some((c) => kinds.includes(c.kind) && c.value !== 0)) continue;
    const next: SwarmKnobs = { ...cur, faults: { ...cur.faults, [t]: false } };
    const kept = trimZeros(recorded.filter((c) => !kinds.includes(c.kind)).map((c) => c.value));
    if (!fails(next, kept)) continue;
    cur = next;
    list = kept;
    recorded = recorded.filter((c) => !kinds.includes(c.kind));
  }
  return { knobs: cur, choices: list };
}

function trimZeros(values: readonly number[]): number[] {
  let n = values.length;
  while (n > 0 && values[n - 1] === 0) n--;
  return values.slice(0, n);
}
