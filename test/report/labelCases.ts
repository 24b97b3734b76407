// The cases of "labels are never read back" (choiceLabels.test.ts samples them in the fast
// tier, choiceLabels.slow.test.ts runs them all): labels replaced by random strings must
// change no structured result of why, export, check or the explanations.
import { setLabelFunction } from '../../src/sim/labels.js';
import { builtinStrategy, runOnce } from '../../src/explore/run.js';
import { answersOf } from '../../src/explore/replayFile.js';
import { checkStrategy } from '../../src/explore/check.js';
import { why } from '../../src/explore/minimise/why.js';
import { exportScenario } from '../../src/explore/minimise/export.js';
import { explainViolations } from '../../src/report/explain.js';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';
import { resolve } from 'node:path';

/** Labels that are pure noise: a seeded stream of random words, nothing to do with the subject. */
export function randomLabels(seed: number): void {
  let x = seed;
  setLabelFunction(() => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    return `zz${(x >>> 0).toString(36)} ${((x >>> 7) & 0xffff).toString(16)} rpc${x & 7} o${(x >>> 3) & 15}`;
  });
}

export interface Case {
  readonly scenario: Scenario;
  readonly strategy: string;
  readonly seed: number;
}

/** Everything structured `why`, `export` and the explanations say about one failing run. */
export function structured(c: Case): unknown {
  const strategy = builtinStrategy(c.strategy);
  const run = runOnce(c.scenario, { seed: c.seed, strategy, recordChoices: true, keepTrace: true });
  const answers = answersOf(run);
  const w = why({ scenario: c.scenario, strategy, answers }, { maxRuns: 300 });
  const f = (x: { id: string; kind: string; subject: unknown; value: number | null }) => ({ id: x.id, kind: x.kind, subject: x.subject, value: x.value });
  const e = exportScenario({ scenario: c.scenario, strategy, strategyRef: c.strategy, answers, origin: 'labels test' }, { maxRuns: 300 });
  const { description: _d, ...written } = e.scenario;
  return {
    answers,
    choices: run.choices!.map((x) => ({ kind: x.kind, subject: x.subject, value: x.value })),
    why: { target: w.target, necessary: w.necessary.map(f), sufficient: w.sufficient.map(f), failsWithoutFaults: w.failsWithoutFaults, reproduces: w.sufficientReproduces },
    export: { written, reproduces: e.reproduces, breaks: e.breaks, target: e.target, unexpressed: e.unexpressed.map((u) => u.why), runs: e.runs },
    explanations: explainViolations(run.violations, run.trace!),
  };
}

const chaos = libraryScenario('flash-sale-chaos');

/** Every case: a failing run of each kind of race the library teaches. */
export const CASES: readonly Case[] = [
  { scenario: chaos, strategy: 'lock-lease', seed: 3 },
  { scenario: chaos, strategy: 'retry-without-idempotency', seed: 6 },
  { scenario: chaos, strategy: 'wall-clock-expiry', seed: 19 },
  { scenario: libraryScenario('flash-sale'), strategy: 'naive', seed: 7 },
];

/** The scenarios check runs on: the chaos sale (lock-lease) and a windowed schedule (naive). */
export function checkCases(): Array<{ scenario: Scenario; strategy: string }> {
  const r = loadScenarioFile(resolve(ROOT, 'test/fixtures/two-orders-race.json'));
  if (!r.ok) throw new Error('fixture');
  return [{ scenario: chaos, strategy: 'lock-lease' }, { scenario: r.scenario, strategy: 'naive' }];
}

/** The counterexample check finds, by answers, knobs and shrunk choices (kind and subject, never label). */
export function checkShape(c: { scenario: Scenario; strategy: string }): unknown {
  const ce = checkStrategy(c.scenario, builtinStrategy(c.strategy), { numRuns: 60, seed: 3 }).counterexample!;
  return { answers: ce.answers, knobs: ce.knobs, shrunk: ce.shrunkChoices.map((x) => ({ index: x.index, kind: x.kind, subject: x.subject, value: x.value })) };
}

export function resetLabels(): void {
  setLabelFunction(null);
}
