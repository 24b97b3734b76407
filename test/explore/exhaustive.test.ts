// oversold explore (issue 13): the exhaustive search, its verdicts, its proof statement and its
// replay files, through the public API.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assertNoScheduleBreaks, exploreStrategy, loadScenario, parseScenario, replayRun, ScheduleBreaksError, searchSchedules, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';
import { cli } from '../helpers/cli.js';
import { notCovered } from '../../src/explore/exhaustive/proof.js';

function scenario(nameOrPath: string): Scenario {
  const r = loadScenario(nameOrPath);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

const small = scenario('scenarios/explore-small.json');
const strategy = (name: string) => STRATEGIES.get(name)!;

describe('explore on explore-small.json', () => {
  it('naive: finds the oversell, confirmed under the windowed model, and its replay reproduces it', () => {
    const r = exploreStrategy(small, strategy('naive'));
    expect(r.confirmed).toBe(true);
    expect(r.violations.map((v) => v.invariant)).toContain('no-oversell');
    expect(r.replay).not.toBeNull();
    const again = replayRun(r.replay!, strategy('naive'));
    expect(again.matchesRecording).toBe(true);
    expect(again.run.violations.map((v) => v.invariant)).toContain('no-oversell');
  });

  it('naive without reduction reaches more than one final state', () => {
    const s = searchSchedules(small, strategy('naive'), { reduction: false, keepGoing: true, maxExecutions: 3000 });
    expect(s.finalStates.length).toBeGreaterThanOrEqual(2);
    expect(s.blocked).toBe(0);
  });

  it('conditional-decrement: exhausted, no violation, and the proof statement says what was and was not covered', () => {
    const r = exploreStrategy(small, strategy('conditional-decrement'));
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
    expect(r.proof).toMatchObject({ scenario: 'explore-small', strategy: 'conditional-decrement', exhausted: true, bounded: false, boundedBy: null, semantics: { name: 'timed' }, bounds: { drops: 0, lostReplies: 0, duplicates: 0, pauses: 0, declines: 0 }, reduction: 'DPOR with sleep sets' });
    expect(r.proof.statement).toBe(
      `every schedule of explore-small (strategy conditional-decrement) under the timed semantics, with no faults beyond the scenario's explicit steps, holds every invariant: ${r.search.executions} executions, ${r.search.blocked} blocked by sleep sets (reduction: DPOR with sleep sets), ${r.search.finalStates.length} distinct final states, exhausted.`,
    );
    expect(r.proof.notCovered).toContain('lost requests (bound 0)');
    expect(r.proof.notCovered).toContain('anything after 30000 ms (the scenario\'s time limit)');
    // Clock readings: only the two classes a threshold can tell apart are explored.
    expect(r.proof.notCovered.some((l) => l.startsWith('clock readings strictly between the earliest and the latest'))).toBe(true);
    // What the independence relation assumes is said, with the reduction on.
    expect(r.proof.notCovered.some((l) => l.includes('share state other than through messages'))).toBe(true);
    expect(notCovered({ ...r.search, reduction: false }).some((l) => l.includes('share state other than through messages'))).toBe(false);
    expect(Object.keys(r.proof)).toEqual(expect.arrayContaining(['executions', 'blocked', 'finalStates', 'exhausted', 'bounded', 'semantics', 'bounds', 'notCovered', 'statement', 'estimate']));
  });

  it('a bound of one lost request places it on every message it could strike, and conditional-decrement still holds', () => {
    const r = exploreStrategy(small, strategy('conditional-decrement'), { drops: 1 });
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
    expect(r.proof.statement).toContain('with at most 1 lost request');
    expect(r.proof.notCovered).toContain('more than 1 lost request');
    // More executions than without faults: the fault branches were explored.
    expect(r.search.executions).toBeGreaterThan(exploreStrategy(small, strategy('conditional-decrement')).search.executions);
  });

  it('counts the faults seen to strike: the lost request struck in some executions, never in all, and broke nothing', () => {
    const r = exploreStrategy(small, strategy('conditional-decrement'), { drops: 1 });
    const lost = r.search.faults.find((f) => f.fault === 'drop-request');
    expect(lost, JSON.stringify(r.search.faults)).toBeDefined();
    expect(lost!.struckRuns).toBeGreaterThan(0);
    expect(lost!.struckRuns).toBeLessThan(r.search.executions);
    expect(lost!.struckInFailingRuns).toBe(0);
    // Without fault bounds nothing can strike: no rows.
    expect(exploreStrategy(small, strategy('conditional-decrement')).search.faults.every((f) => f.struckRuns === 0)).toBe(true);
  });
});

describe('broken strategies are found at the smallest fault bound that shows them', () => {
  it('retry-without-idempotency: every schedule holds without faults; one lost reply breaks it, confirmed, and the schedule replays', () => {
    const calm = exploreStrategy(small, strategy('retry-without-idempotency'));
    expect(calm.violations).toEqual([]);
    expect(calm.search.exhausted).toBe(true);
    const r = exploreStrategy(small, strategy('retry-without-idempotency'), { lostReplies: 1 });
    expect(r.confirmed).toBe(true);
    expect(r.violations.map((v) => v.invariant)).toContain('acknowledged-is-sold');
    expect(r.choices.some((c) => c.includes('drop-reply'))).toBe(true);
    const again = replayRun(r.replay!, strategy('retry-without-idempotency'));
    expect(again.matchesRecording).toBe(true);
    expect(again.run.violations.map((v) => v.invariant)).toContain('acknowledged-is-sold');
  });
});

describe('a violation the windowed model does not reproduce', () => {
  it('is reported as needing a timing the windows forbid, with no replay file (reservation under untimed-causal: a lease ending while the payment is in flight)', () => {
    const r = exploreStrategy(small, strategy('reservation'), {}, { semantics: 'untimed-causal' });
    expect(r.proof.semantics.name).toBe('untimed-causal');
    expect(r.proof.statement).toContain('under the untimed-causal semantics');
    expect(r.violations.map((v) => v.invariant)).toContain('charged-once');
    expect(r.confirmed).toBe(false);
    expect(r.replay).toBeNull();
    expect(r.choices.length).toBeGreaterThan(0);
  });
});

describe('the scenario\'s explore section', () => {
  it('gives the default bounds; flags (API bounds) override each', () => {
    const r = parseScenario(JSON.stringify({ ...JSON.parse(readFileSync('scenarios/explore-small.json', 'utf8')), explore: { maxDrops: 1, maxPauses: 1 } }), 'with-bounds.json');
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(searchSchedules(r.scenario, strategy('conditional-decrement'), { maxExecutions: 1 }).bounds).toEqual({ drops: 1, lostReplies: 0, duplicates: 0, pauses: 1, declines: 0, crashes: 0 });
    expect(searchSchedules(r.scenario, strategy('conditional-decrement'), { maxExecutions: 1, bounds: { pauses: 0 } }).bounds).toEqual({ drops: 1, lostReplies: 0, duplicates: 0, pauses: 0, declines: 0, crashes: 0 });
    // Absent, a scenario resolves exactly as before (replay files and hashes unchanged).
    expect('explore' in small).toBe(false);
  });
});

describe('bounded is never exhausted', () => {
  it('an execution cut by the event limit makes the whole result bounded', () => {
    const cut = { ...small, limits: { ...small.limits, maxEvents: 6 } };
    const s = searchSchedules(cut, strategy('conditional-decrement'));
    expect(s.cut).toBeGreaterThan(0);
    expect(s.exhausted).toBe(false);
    expect(s.boundedBy).toBe('event-limit');
    const r = exploreStrategy(cut, strategy('conditional-decrement'));
    expect(r.proof.bounded).toBe(true);
    expect(r.proof.statement).toMatch(/^NOT a proof: \d+ executions? (was|were) cut by the event limit\./);
  });

  it('a budget that runs out is bounded, with a cursor; resumed to the end it equals the search that never stopped', () => {
    const whole = searchSchedules(small, strategy('compare-and-set'));
    expect(whole.exhausted).toBe(true);
    let part = searchSchedules(small, strategy('compare-and-set'), { maxExecutions: 5 });
    expect(part.exhausted).toBe(false);
    expect(part.boundedBy).toBe('budget');
    expect(part.cursor).not.toBeNull();
    while (part.cursor !== null) part = searchSchedules(small, strategy('compare-and-set'), { resume: JSON.parse(JSON.stringify(part.cursor)), maxExecutions: part.executions + part.blocked + 7 });
    expect(part.exhausted).toBe(true);
    expect(part.executions).toBe(whole.executions);
    expect(part.blocked).toBe(whole.blocked);
    expect(part.finalStates).toEqual(whole.finalStates);
  });
});

describe('assertNoScheduleBreaks', () => {
  it('throws with the violation and the replayable schedule', () => {
    let err: unknown;
    try {
      assertNoScheduleBreaks(small, strategy('naive'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScheduleBreaksError);
    const e = err as ScheduleBreaksError;
    expect(e.message).toContain('breaks no-oversell');
    expect(e.message).toContain('confirmed under the windowed model');
    expect(e.message).toContain('replay answers:');
    expect(e.result.replay).not.toBeNull();
  });

  it('returns the proof when every schedule holds', () => {
    expect(assertNoScheduleBreaks(small, strategy('conditional-decrement')).search.exhausted).toBe(true);
  });
});

describe('oversold explore (CLI)', () => {
  it('naive: exit 1, confirmed, a replay file that replay reproduces; --json has the promised fields', async () => {
    const run = await cli(['explore', 'scenarios/explore-small.json', '--strategy', 'naive', '--json', '--replay-file', '.oversold/test-explore/naive.json']);
    expect(run.code).toBe(1);
    const j = JSON.parse(run.stdout);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['executions', 'blocked', 'finalStates', 'exhausted', 'bounded', 'violations', 'replayFile', 'semantics', 'bounds', 'statement', 'notCovered', 'confirmed']));
    expect(j.confirmed).toBe(true);
    expect(j.replayFile).toBe('.oversold/test-explore/naive.json');
    const rep = await cli(['replay', j.replayFile, '--json']);
    expect(JSON.parse(rep.stdout).matchesRecording).toBe(true);
    expect(rep.code).toBe(1);
  });

  it('conditional-decrement: PROVED with the statement, exit 0', async () => {
    const run = await cli(['explore', 'scenarios/explore-small.json', '--strategy', 'conditional-decrement']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PROVED {2}explore-small · strategy conditional-decrement/);
    expect(run.stdout).toContain('statement  every schedule of explore-small');
    expect(run.stdout).toContain('not covered  lost requests (bound 0)');
  });

  it('a bounded search writes a cursor that --resume continues', async () => {
    const cursor = '.oversold/test-explore/cas.cursor.json';
    const first = await cli(['explore', 'scenarios/explore-small.json', '--strategy', 'compare-and-set', '--max-executions', '3', '--cursor', cursor, '--json']);
    expect(first.code).toBe(0);
    const j = JSON.parse(first.stdout);
    expect(j.bounded).toBe(true);
    expect(j.boundedBy).toBe('budget');
    expect(j.cursorFile).toBe(cursor);
    const rest = await cli(['explore', 'scenarios/explore-small.json', '--strategy', 'compare-and-set', '--resume', cursor, '--json']);
    expect(JSON.parse(rest.stdout).exhausted).toBe(true);
  });

  it('--reporter: a JUnit suite with the broken invariant, GitHub annotations', async () => {
    const file = '.oversold/test-explore/junit.xml';
    const run = await cli(['explore', 'scenarios/explore-small.json', '--strategy', 'naive', '--reporter', `junit=${file}`, '--reporter', 'github', '--replay-file', '.oversold/test-explore/naive2.json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=scenarios\/explore-small.json,title=oversold explore explore-small · naive%3A no-oversell%3A a schedule breaks it::/m);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('oversold explore explore-small · naive');
    expect(xml).toMatch(/<testcase classname="oversold explore explore-small · naive" name="no-oversell"/);
  });

  it('bad flags are one line and exit 2', async () => {
    const r = await cli(['explore', 'scenarios/explore-small.json', '--max-drops', '-1']);
    expect(r.code).toBe(2);
    const bad = await cli(['explore', 'scenarios/explore-small.json', '--resume', 'scenarios/explore-small.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--max-crashes 0 is the default, and its bound is in --json (crashes: test/explore/exhaustiveCrash.test.ts)', async () => {
    const zero = await cli(['explore', 'scenarios/explore-small.json', '--strategy', 'conditional-decrement', '--max-crashes', '0', '--json']);
    expect(zero.code).toBe(0);
    expect(JSON.parse(zero.stdout)).toMatchObject({ exhausted: true, bounds: { crashes: 0 } });
  });
});
