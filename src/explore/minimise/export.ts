import { runOnce, type RunResult } from '../run.js';
import { parseScenario, type Scenario, type FaultStep } from '../../scenario/index.js';
import { describeStep } from '../../scenario/describeStep.js';
import type { Strategy } from '../../inventory/strategy.js';
import { NothingToExplainError } from '../../errors.js';
import { EXPORT_RUNS_MAX_DEFAULT } from '../../defaults.js';
import { Budget, ddmin } from './search.js';
import { recordedRun } from './removal.js';
import { candidatesOf, mergeSteps, type Candidate } from './exportSteps.js';

/** What `oversold export` starts from: a failing run as its replay file holds it. */
export interface ExportInput {
  readonly scenario: Scenario;
  readonly strategy: Strategy;
  /** How the exported file names the strategy: a built-in name or a module path. */
  readonly strategyRef: string;
  /** The recorded answers (a replay file's `answers`). */
  readonly answers: readonly number[];
  readonly instantDb?: boolean;
  /** Where the run came from, for the description (e.g. the replay file name). */
  readonly origin: string;
}

export interface ExportResult {
  /** The scenario file to write (input form: every field explicit, editable). */
  readonly scenario: Record<string, unknown>;
  /** The faults written as steps (after shrinking), in words. */
  readonly steps: readonly string[];
  /** Faults of the run the scenario language cannot express, and what was done instead. */
  readonly unexpressed: ReadonlyArray<{ readonly fault: string; readonly why: string }>;
  /** Invariants the recorded run broke. */
  readonly target: readonly string[];
  /** Invariants the exported scenario breaks when run (it must share one with `target`). */
  readonly breaks: readonly string[];
  readonly reproduces: boolean;
  readonly runs: number;
}

/**
 * Turns a failing run into an editable scenario that breaks the same invariant with no seed
 * luck: the arrivals become explicit orders, every random fault rate is set to 0 and every
 * delay range is pinned to its minimum, and the faults that mattered become explicit fault
 * steps (a lost reply becomes `drop-reply` of the k-th call of that kind, a random pause a
 * `pause` step, a slow request `delay-call`, ...). Delta debugging over those steps keeps only
 * the ones the violation needs, each candidate verified by running the written scenario.
 */
export function exportScenario(input: ExportInput, opts: { maxRuns?: number } = {}): ExportResult {
  const budget = new Budget(opts.maxRuns ?? EXPORT_RUNS_MAX_DEFAULT);
  const base = recordedRun(input);
  const target: string[] = [...new Set(base.violations.map((v) => v.invariant))];
  if (target.length === 0) throw new NothingToExplainError(`the run of ${input.origin}`);
  const { candidates, unexpressed } = candidatesOf(input.scenario, base);
  const build = (kept: readonly Candidate[]) => scenarioInput(input, base, mergeSteps(kept), target);
  const breaksOf = (kept: readonly Candidate[]): string[] => {
    const parsed = parseScenario(JSON.stringify(build(kept)), 'export.json');
    // A combination the language refuses (e.g. steps that collide) cannot be the answer.
    if (!parsed.ok) return [];
    const r = runOnce(parsed.scenario, { strategy: input.strategy, instantDb: input.instantDb });
    return [...new Set(r.violations.map((v) => v.invariant))];
  };
  const fails = (kept: readonly Candidate[]) => breaksOf(kept).some((i) => target.includes(i));
  // Pinning delays changes the run, so the full set may no longer break it: then try
  // without the delay steps, then only the scenario's own steps, then nothing at all.
  const tries = [
    candidates,
    candidates.filter((c) => c.fault.category === 'fault'),
    candidates.filter((c) => c.fault.source === 'step'),
    [],
  ];
  let start: Candidate[] | null = null;
  let tried = -1;
  for (const t of tries) {
    if (t.length === tried) continue; // nested filters: the same length is the same set
    tried = t.length;
    budget.used++;
    if (fails(t)) {
      start = t;
      break;
    }
  }
  const kept = start === null ? candidates : ddmin(start, fails, budget);
  budget.used++;
  const breaks = breaksOf(kept);
  const shared = target.filter((i) => breaks.includes(i));
  return {
    // The file expects what it was verified to break.
    scenario: { ...build(kept), expect: { violations: shared.length > 0 ? shared : target } },
    steps: mergeSteps(kept).map((x) => describeStep(x)),
    unexpressed,
    target,
    breaks,
    reproduces: breaks.some((i) => target.includes(i)),
    runs: budget.used,
  };
}

/** The exported scenario in input form: calm network, explicit orders, the kept steps. */
function scenarioInput(input: ExportInput, run: RunResult, steps: readonly FaultStep[], target: readonly string[]): Record<string, unknown> {
  const s = input.scenario;
  const pin = <T extends { delayMsMin: number; delayMsMax: number }>(x: T): T => ({ ...x, delayMsMax: x.delayMsMin });
  return {
    name: `${s.name}-found`,
    description: `Exported by oversold export from ${input.origin}: ${input.strategyRef} breaks ${target.join(', ')}. ` +
      'Random fault rates are 0 and delays are pinned to their minimum, so only the steps below and the order arrival times ' +
      `decide the run. Faults kept: ${steps.length === 0 ? 'none (timing alone)' : steps.length > 12 ? `${steps.length} steps (faults.steps)` : steps.map((x) => describeStep(x)).join('; ')}.`,
    seed: s.seed,
    timing: 'sampled',
    items: s.items,
    topology: { ...s.topology, replicas: s.topology.replicas.map((r) => ({ lagMsMin: r.lagMsMin, lagMsMax: r.lagMsMin })) },
    network: { ...pin(s.network), dropRequestPerMille: 0, dropReplyPerMille: 0, duplicatePerMille: 0, links: s.network.links.map(pin) },
    payment: { ...pin(s.payment), failPerMille: 0 },
    // When each order arrived in the run (a windowed run's generated orders arrive inside their window).
    workload: { orders: run.orderRecords.map((r) => ({ atMs: r.startMs, app: r.order.app, lines: r.order.lines.map((l) => ({ item: l.item, qty: l.qty })) })) },
    faults: {
      untilMs: s.faults.untilMs,
      randomPauses: { ...s.faults.randomPauses, perMille: 0 },
      clockSkew: { offsetMsMax: 0, driftPpmMax: 0 },
      steps,
    },
    strategy: { name: input.strategyRef, options: s.strategy.options },
    limits: s.limits,
    expect: { violations: target },
  };
}
