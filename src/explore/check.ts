import fc from 'fast-check';
import type { Scenario } from '../scenario/index.js';
import type { Strategy } from '../inventory/strategy.js';
import type { Violation } from '../inventory/invariants.js';
import type { Choice, ChoiceKind, ChoiceSource } from '../sim/choice.js';
import { AlignedSource } from './alignedSource.js';
import { trimTrailingZeros } from './replayFile.js';
import type { TimingModel } from '../sim/kernel.js';
import { StreamListSource } from './streamSource.js';
import { runOnce, type RunResult } from './run.js';
import { applySwarm, checkCaseArb, identityKnobs, swarmArb, FAULT_TOGGLE_NAMES, type ChoiceListOptions, type FaultToggles, type SwarmKnobs } from './arbitraries.js';
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
    runOnce(applySwarm(scenario, knobs), { strategy, options: o.options, source, recordChoices: record, timing: o.timing });
  // fast-check draws one list per stream; the counterexample is the run's recorded answers as
  // one list in question order (what a replay file holds).
  let stopped = false;
  let simulated = 0;
  const property = fc.property(checkCaseArb(knobsArb, identityKnobs(scenario), o.choices ?? {}, (o.timing ?? scenario.timing) === 'windowed'), ([knobs, lists]) => {
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
  const [[shrunkKnobs, lists]] = details.counterexample;
  const fails = (k: SwarmKnobs, source: ChoiceSource) => runWith(k, source, false).violations.length > 0;
  // Polish by meaning (explore/alignedSource.ts): an answer removed is that question's, and
  // every other question keeps its own answer wherever it now falls in the run.
  // Interrupted: the counterexample as far as it got (polishing runs more simulations).
  let recorded = runWith(shrunkKnobs, new StreamListSource(lists), true).choices!;
  let values = stopped ? recorded.map((c) => c.value) : polishAnswers(recorded, (v) => fails(shrunkKnobs, new AlignedSource(recorded, v)));
  let knobs = shrunkKnobs;
  if (swarm && !stopped) {
    knobs = polishToggles(knobs, recorded, values, fails);
    const sized = polishSize(knobs, recorded, values, fails);
    // Record once more under the final knobs: the replay list is that run's answers, in order.
    recorded = runWith(sized, new AlignedSource(recorded, values), true).choices!;
    values = recorded.map((c) => c.value);
    if (sized !== knobs) {
      // Fewer orders or units: some answers that mattered before may not any more.
      knobs = sized;
      values = polishAnswers(recorded, (v) => fails(knobs, new AlignedSource(recorded, v)));
      recorded = runWith(knobs, new AlignedSource(recorded, values), true).choices!;
      values = recorded.map((c) => c.value);
    }
  }
  const run = runWith(knobs, new AlignedSource(recorded, values), true);
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
      shrunkChoices: surprisingChoices(run.choices!),
      violations: run.violations,
      run,
    },
    ...interrupted,
  };
}

/**
 * Zeroes every surprising answer that the failure does not need, last first. Answers are
 * matched to questions by kind and subject (not position), so removing a lost request does
 * not move the other faults onto other messages.
 */
function polishAnswers(recorded: readonly Choice[], stillFails: (values: readonly number[]) => boolean): number[] {
  const values = recorded.map((c) => c.value);
  for (let i = values.length - 1; i >= 0; i--) {
    if (values[i] === 0) continue;
    const v = values[i];
    values[i] = 0;
    if (!stillFails(values)) values[i] = v;
  }
  return values;
}

/** The choice kinds each fault toggle governs. */
const TOGGLE_KINDS: Readonly<Record<keyof FaultToggles, readonly ChoiceKind[]>> = {
  dropRequest: ['drop-request'],
  dropReply: ['drop-reply'],
  duplicate: ['duplicate'],
  paymentFail: ['decline'],
  randomPauses: ['pause'],
  clockSkew: ['clock-offset', 'clock-drift'],
};

/**
 * Switches off each fault kind whose every answer in the failing run was 0 (it was on but
 * never struck). Its questions are then no longer asked; every other question keeps its
 * answer (matched by subject). Kept only if the run still fails, so the counterexample lists
 * just the fault kinds that struck.
 */
/**
 * The fewest fault steps, orders, then the least stock per item, that still fail with the same answers
 * (matched by subject, so the orders kept keep theirs). fast-check shrinks these knobs itself
 * when it drew them; a seeded case (checkCaseArb) runs the scenario as written and is shrunk
 * here instead.
 */
function polishSize(knobs: SwarmKnobs, recorded: readonly Choice[], values: readonly number[], fails: (k: SwarmKnobs, source: ChoiceSource) => boolean): SwarmKnobs {
  let cur = knobs;
  for (let i = 0; i < cur.steps.length; i++) {
    if (cur.steps[i] === false) continue;
    const next: SwarmKnobs = { ...cur, steps: cur.steps.map((x, j) => (j === i ? false : x)) };
    if (fails(next, new AlignedSource(recorded, values))) cur = next;
  }
  for (let n = Math.min(1, cur.orders); n < cur.orders; n++) {
    const next: SwarmKnobs = { ...cur, orders: n };
    if (fails(next, new AlignedSource(recorded, values))) {
      cur = next;
      break;
    }
  }
  for (let i = 0; i < cur.stock.length; i++) {
    for (let units = Math.min(1, cur.stock[i]); units < cur.stock[i]; units++) {
      const next: SwarmKnobs = { ...cur, stock: cur.stock.map((x, j) => (j === i ? units : x)) };
      if (fails(next, new AlignedSource(recorded, values))) {
        cur = next;
        break;
      }
    }
  }
  return cur;
}

function polishToggles(knobs: SwarmKnobs, recorded: readonly Choice[], values: readonly number[], fails: (k: SwarmKnobs, source: ChoiceSource) => boolean): SwarmKnobs {
  let cur = knobs;
  for (const t of FAULT_TOGGLE_NAMES) {
    if (!cur.faults[t]) continue;
    const kinds = TOGGLE_KINDS[t];
    if (recorded.some((c, i) => kinds.includes(c.kind) && values[i] !== 0)) continue;
    const next: SwarmKnobs = { ...cur, faults: { ...cur.faults, [t]: false } };
    if (fails(next, new AlignedSource(recorded, values))) cur = next;
  }
  return cur;
}

