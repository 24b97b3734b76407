// explore --max-crashes (issue 13): a crash is a choice the kernel asks at each message's
// arrival at an app server, only when crashes are enabled; its restart is an event about the
// crash that the explorer places; the proof says crashes were covered; recovery-skips-expired's
// bug is found, confirmed and replayed.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { boundedScenario, eventText, parseScenario, exploreStrategy, formatProblem, loadScenario, replayRun, runOnce, searchSchedules, STRATEGIES, type Scenario } from '../../src/index.js';
import { cli } from '../helpers/cli.js';

function scenario(nameOrPath: string): Scenario {
  const r = loadScenario(nameOrPath);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

const crashSmall = scenario('scenarios/explore-crash.json');
const strategy = (name: string) => STRATEGIES.get(name)!;
const crashKinds = (s: Scenario, seed: number, timing?: 'sampled' | 'windowed') =>
  runOnce(s, { strategy: strategy('reservation'), seed, recordChoices: true, ...(timing ? { timing } : {}) }).choices!.filter((c) => c.kind === 'crash');

describe('the crash choice', () => {
  it('is never asked when crashes are not enabled: scenarios without faults.randomCrashes, an explicit crash step, explore with bound 0', () => {
    for (const name of ['scenarios/explore-small.json', 'scenarios/app-crash-mid-order.json', 'scenarios/flash-sale-chaos.json']) {
      const s = scenario(name);
      expect(s.faults.randomCrashes, name).toBeUndefined();
      for (const seed of [1, 2, 3]) {
        expect(crashKinds(s, seed, 'sampled'), name).toEqual([]);
        expect(crashKinds(s, seed, 'windowed'), name).toEqual([]);
      }
    }
    // explore with --max-crashes 0 leaves the scenario's faults as they were: no crash question.
    expect(boundedScenario(scenario('scenarios/explore-small.json'), { drops: 0, lostReplies: 0, duplicates: 0, pauses: 0, declines: 0, crashes: 0 }).faults.randomCrashes).toBeUndefined();
  });

  it('when enabled, is asked at messages delivered to app servers only, and a yes crashes the node and restarts it later', () => {
    const s = boundedScenario(crashSmall, { drops: 0, lostReplies: 0, duplicates: 0, pauses: 0, declines: 0, crashes: 1 });
    expect(s.faults.randomCrashes).toEqual({ perMille: 1, restartMsMin: 1, restartMsMax: 6000 });
    const asked = crashKinds(s, 1, 'windowed');
    expect(asked.length).toBeGreaterThan(0);
    for (const c of asked) {
      expect(c.subject.type).toBe('message');
      if (c.subject.type === 'message') expect(c.subject.to).toMatch(/^app\d+$/);
      expect(c.max).toBe(1);
    }
    // Every crash strikes (1000 per mille): the node crashes on its first message and restarts in its window.
    const always = { ...s, faults: { ...s.faults, randomCrashes: { perMille: 1000, restartMsMin: 100, restartMsMax: 200 } } };
    const run = runOnce(always, { strategy: strategy('reservation'), seed: 1, keepTrace: true, recordChoices: true, timing: 'sampled' });
    const crash = run.trace!.find((e) => e.type === 'crash')!;
    const restart = run.trace!.find((e) => e.type === 'restart')!;
    expect(crash).toMatchObject({ node: 'app1' });
    expect(restart).toMatchObject({ node: 'app1' });
    expect(restart.t - crash.t).toBeGreaterThanOrEqual(100);
    expect(restart.t - crash.t).toBeLessThanOrEqual(200);
    // Sampled timing: the answer is how long the node stays down.
    const first = run.choices!.find((c) => c.kind === 'crash' && c.value > 0)!;
    expect(restart.t - crash.t).toBe(Math.max(first.value, 100));
  });
});

describe('faults.randomCrashes in a scenario file', () => {
  it('is checked like every field: a restart window that ends before it starts, or a node list, is one clear problem', () => {
    const base = JSON.parse(readFileSync('scenarios/explore-crash.json', 'utf8'));
    const bad = parseScenario(JSON.stringify({ ...base, faults: { randomCrashes: { perMille: 10, restartMsMin: 500, restartMsMax: 100 } } }), 'bad.json');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toEqual(['$.faults.randomCrashes.restartMsMax']);
    const nodes = parseScenario(JSON.stringify({ ...base, faults: { randomCrashes: { perMille: 10, nodes: ['db'] } } }), 'nodes.json');
    expect(nodes.ok).toBe(false);
    const good = parseScenario(JSON.stringify({ ...base, faults: { randomCrashes: { perMille: 10 } } }), 'good.json');
    expect(good.ok && good.scenario.faults.randomCrashes).toEqual({ perMille: 10, restartMsMin: 0, restartMsMax: 1000 });
  });
});

describe('explore --max-crashes on explore-crash.json', () => {
  it('recovery-skips-expired: found with one crash, confirmed under the windowed model, and the replay reproduces it', () => {
    const r = exploreStrategy(crashSmall, strategy('recovery-skips-expired'));
    expect(r.search.bounds.crashes).toBe(1); // from the scenario's explore section
    expect(r.confirmed).toBe(true);
    expect(r.violations.map((v) => v.invariant)).toContain('charged-once');
    expect(r.choices.some((c) => /crash: app1 on delivery of /.test(c))).toBe(true);
    // The restart is an event of app1 about the crash (kind + subject), in the explored order.
    const restart = r.search.found!.events.find((k) => k.startsWith('restart|app1|'));
    expect(restart).toBeDefined();
    expect(JSON.parse(restart!.slice('restart|app1|'.length))).toMatchObject({ type: 'crash', node: 'app1', on: { type: 'message', to: 'app1', reply: true } });
    const again = replayRun(r.replay!, strategy('recovery-skips-expired'));
    expect(again.matchesRecording).toBe(true);
    expect(again.run.violations.map((v) => v.invariant)).toContain('charged-once');
  });

  it('recovery-skips-expired without crashes: exhausted, no violation (the crash is what finds the bug)', () => {
    const r = exploreStrategy(crashSmall, strategy('recovery-skips-expired'), { crashes: 0 });
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
    expect(r.proof.notCovered).toContain('app-server crashes (each on a message\'s arrival, its restart at any later point) (bound 0)');
  });

  it('reservation with one crash: exhausted, and the proof statement lists crashes as covered, in words and JSON', () => {
    // The time limit cut to 2.5 s (fewer ticks) keeps this quick; the full scenario is exhausted too (docs/benchmarks.md).
    const r = exploreStrategy({ ...crashSmall, limits: { ...crashSmall.limits, maxTimeMs: 2500 } }, strategy('reservation'), { crashes: 1 });
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
    expect(r.proof.bounds).toEqual({ drops: 0, lostReplies: 0, duplicates: 0, pauses: 0, declines: 0, crashes: 1 });
    expect(r.proof.statement).toBe(
      `every schedule of explore-crash (strategy reservation) under the timed semantics, with at most 1 app-server crash (on a message's arrival, its restart at any later point), holds every invariant: ${r.search.executions} executions, ${r.search.blocked} blocked by sleep sets (reduction: DPOR with sleep sets), ${r.search.finalStates.length} distinct final states, exhausted.`,
    );
    expect(r.proof.notCovered).toContain('anything after 2500 ms (the scenario\'s time limit)');
    expect(r.proof.notCovered).toContain('more than 1 app-server crash (on a message\'s arrival, its restart at any later point)');
    expect(r.proof.notCovered).toContain('an app server that never restarts (each crashed one restarts, at any point after the crash)');
    expect(r.proof.notCovered).toContain('crashes of the database, lock service, payment provider and replicas (only app servers crash at random; explicit crash steps run)');
    expect(r.proof.notCovered.some((n) => n.startsWith('app-server crashes'))).toBe(false);
    // Faults seen to strike: crashes struck in some executions, in none that failed.
    const row = r.search.faults.find((f) => f.fault === 'random-crash')!;
    expect(row.what).toBe('app-server crashes (at most 1 per execution)');
    expect(row.struckRuns).toBeGreaterThan(0);
    expect(row.struckInFailingRuns).toBe(0);
  });

  it('DPOR and --no-reduction reach the same verdict and final states with a crash (time limit cut to 2.5 s so the full search ends)', () => {
    const short = { ...crashSmall, limits: { ...crashSmall.limits, maxTimeMs: 2500 } };
    const dpor = searchSchedules(short, strategy('recovery-skips-expired'), { keepGoing: true });
    const full = searchSchedules(short, strategy('recovery-skips-expired'), { keepGoing: true, reduction: false });
    expect(dpor.exhausted && full.exhausted).toBe(true);
    expect(dpor.finalStates).toEqual(full.finalStates);
    expect(dpor.finalStates.length).toBeGreaterThan(1);
    expect(dpor.found?.violations.map((v) => v.invariant)).toEqual(full.found?.violations.map((v) => v.invariant));
    expect(dpor.executions).toBeLessThan(full.executions);
  });

  it('a crash restart is labelled from its subject by the one label function', () => {
    const s = searchSchedules(crashSmall, strategy('recovery-skips-expired'), {});
    expect(s.found).not.toBeNull();
    const key = s.found!.events.find((k) => k.startsWith('restart|'))!;
    const subject = JSON.parse(key.split('|').slice(2).join('|'));
    expect(eventText({ kind: 'restart', owner: 'app1', subject })).toMatch(/^restart app1 \(crashed on delivery of o1's \w+ reply \w+->app1\)$/);
  });

  it('CLI: --max-crashes is accepted; a found crash schedule is a replay file that replay reproduces (exit 1)', async () => {
    const r = await cli(['explore', 'scenarios/explore-crash.json', '--strategy', 'recovery-skips-expired', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ confirmed: true, bounds: { crashes: 1 } });
    expect(existsSync(j.replayFile)).toBe(true);
    const replay = await cli(['replay', j.replayFile]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('charged-once');
    expect(replay.stdout).toContain('matches the recording');
    const none = await cli(['explore', 'scenarios/explore-crash.json', '--strategy', 'recovery-skips-expired', '--max-crashes', '0', '--json']);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ exhausted: true, bounds: { crashes: 0 } });
    const tooMany = await cli(['explore', 'scenarios/explore-crash.json', '--max-crashes', '6']);
    expect(tooMany.code).toBe(2);
  });
});
