/**
 * The API of `oversold explore`: search every schedule (search.ts), confirm a violation under
 * the windowed model and shrink it (confirm.ts), and say what was proved (proof.ts).
 */
import type { Strategy } from '../../inventory/strategy.js';
import type { Violation } from '../../inventory/invariants.js';
import type { Scenario } from '../../scenario/schema.js';
import { surprisingChoices } from '../describeChoices.js';
import { replayDataOf, type ReplayData } from '../replayFile.js';
import { confirmExecution } from './confirm.js';
import { proofJson, type ProofJson } from './proof.js';
import { searchSchedules, type ExploreOptions, type ExploreSearch } from './search.js';
import type { FaultBounds } from './bounds.js';

export interface ExploreResult {
  readonly search: ExploreSearch;
  readonly proof: ProofJson;
  /** The violations (of the confirmed windowed run when confirmed, else as explored). */
  readonly violations: readonly Violation[];
  /** null: no violation; true: a real run breaks it (confirm.ts; its timing is the replay's scenario's); false: needs a timing the windows forbid. */
  readonly confirmed: boolean | null;
  /** The schedule as a replay file (the windowed run, shrunk); null without a violation. */
  readonly replay: ReplayData | null;
  /** The replay's non-default answers in words. */
  readonly choices: readonly string[];
}

export interface ExploreStrategyOptions extends ExploreOptions {
  /** How the replay file names the strategy (a built-in name or a module path); default its name. */
  readonly strategyRef?: string;
}

/** Every schedule of `scenario` within `bounds`, for `strategy` (docs/exploration.md, "explore"). */
export function exploreStrategy(scenario: Scenario, strategy: Strategy, bounds: Partial<FaultBounds> = {}, o: ExploreStrategyOptions = {}): ExploreResult {
  return concludeSearch(searchSchedules(scenario, strategy, { ...o, bounds: { ...o.bounds, ...bounds } }), strategy, o);
}

/** A finished search's result: its proof statement, and a violation confirmed and shrunk. */
export function concludeSearch(search: ExploreSearch, strategy: Strategy, o: Pick<ExploreStrategyOptions, 'options' | 'strategyRef'> = {}): ExploreResult {
  const proof = proofJson(search);
  if (search.found === null) return { search, proof, violations: [], confirmed: null, replay: null, choices: [] };
  const c = confirmExecution(search.explored, strategy, search.found, o.options);
  const replay = c.confirmed
    ? replayDataOf(c.scenario, c.run, o.strategyRef ?? strategy.name, { origin: { command: 'explore', semantics: proof.semantics.name, bounds: search.bounds, confirmed: true } })
    : null;
  return {
    search,
    proof,
    violations: c.confirmed ? c.run.violations : search.found.violations,
    confirmed: c.confirmed,
    replay,
    choices: c.confirmed ? surprisingChoices(c.nonDefault).map((s) => `#${s.index} ${s.text}`) : search.found.events.slice(0, 40),
  };
}

/** Thrown by assertNoScheduleBreaks: the message says which schedule breaks what and how to replay it. */
export class ScheduleBreaksError extends Error {
  constructor(readonly result: ExploreResult) {
    super(scheduleBreaksMessage(result));
    this.name = 'ScheduleBreaksError';
  }
}

function scheduleBreaksMessage(r: ExploreResult): string {
  const lines: string[] = [];
  if (r.violations.length > 0) {
    lines.push(`a schedule of ${r.search.scenario.name} breaks ${[...new Set(r.violations.map((v) => v.invariant))].join(', ')} (strategy ${r.search.strategy}, ${!r.confirmed ? 'needs a timing the windows forbid' : r.replay?.scenario.timing === 'sampled' ? 'confirmed with concrete delays inside the windows' : 'confirmed under the windowed model'}):`);
    for (const v of r.violations) lines.push(`  ✗ ${v.invariant}: ${v.message}`);
    if (r.choices.length > 0) lines.push(r.confirmed ? 'the schedule (answers that were not the calm one):' : 'the explored order of events:', ...r.choices.map((c) => `  ${c}`));
    if (r.replay) lines.push(`replay answers: ${JSON.stringify(r.replay.answers)} (the replay data is on error.result.replay)`);
  } else {
    lines.push(r.proof.statement);
  }
  return lines.join('\n');
}

/**
 * Throws unless every schedule within the bounds holds every invariant AND the search was
 * exhausted (a bounded search proves nothing). The error carries the result and its replay.
 */
export function assertNoScheduleBreaks(scenario: Scenario, strategy: Strategy, bounds: Partial<FaultBounds> = {}, o: ExploreStrategyOptions = {}): ExploreResult {
  const r = exploreStrategy(scenario, strategy, bounds, o);
  if (r.violations.length > 0 || !r.search.exhausted) throw new ScheduleBreaksError(r);
  return r;
}
