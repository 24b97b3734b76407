import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { EventQueue, type QueuedEvent } from '../../src/sim/queue.js';
import { Choices } from '../../src/sim/choice.js';
import { ListSource, SeededSource } from '../../src/sim/sources.js';
import { PctScheduler, CalmCounter, pctMissBound } from '../../src/sim/pct.js';
import { chainOf } from '../../src/sim/chains.js';
import { eventSubjectOf } from '../../src/sim/eventSubject.js';
import type { Subject } from '../../src/sim/subjects.js';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { builtinStrategy, calmPctStats, runOnce } from '../../src/explore/run.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';
import { polishCounterexample } from '../../src/explore/minimise/polish.js';
import { identityKnobs, applySwarm } from '../../src/explore/arbitraries.js';

function twoOrders(): Scenario {
  const r = loadScenarioFile(resolve(ROOT, 'test/fixtures/two-orders-race.json'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** Queued events about plain subjects (an order's arrival, a message's delivery), for the scheduler alone. */
function events(specs: ReadonlyArray<{ kind: QueuedEvent['kind']; owner?: string; about: Subject }>): QueuedEvent[] {
  const q = new EventQueue();
  return specs.map((s, i) => q.push(i, () => {}, s.about, s.kind, s.owner ?? 'app1'));
}

const arrival = (order: string) => ({ kind: 'arrival' as const, about: { type: 'order', order } as Subject });
const recording = () => new Choices(new SeededSource(1), () => 0, true);

describe('PCT: priorities per logical process, change points, picks recorded as schedule choices', () => {
  it('an event belongs to the process that caused it: an order, a handler, a node\'s timers, a replica', () => {
    const msg = { type: 'message', process: 'o7', call: 'read', attempt: 1, reply: false, copy: 0, from: 'app1', to: 'db' } as const;
    expect(chainOf({ kind: 'arrival', owner: 'app1', subject: { type: 'order', order: 'o7' } })).toBe('process o7');
    // The request and its reply, at two different nodes: one chain (the database is not one process).
    expect(chainOf({ kind: 'deliver', owner: 'db', subject: msg })).toBe('process o7');
    expect(chainOf({ kind: 'deliver', owner: 'app1', subject: { ...msg, reply: true, from: 'db', to: 'app1' } })).toBe('process o7');
    expect(chainOf({ kind: 'wake', owner: 'app1', subject: { type: 'process', process: 'o7', node: 'app1', sleep: 2, serving: null } })).toBe('process o7');
    const handler = chainOf({ kind: 'wake', owner: 'payment', subject: { type: 'process', process: 'o7', node: 'payment', sleep: 1, serving: { ...msg, call: 'charge', to: 'payment' } } });
    expect(handler).toMatch(/^handler /);
    expect(chainOf({ kind: 'timeout', owner: 'app1', subject: { type: 'call', process: 'o7', call: 'read', attempt: 1 } })).toBe('timers app1');
    expect(chainOf({ kind: 'tick', owner: 'db', subject: { type: 'tick', node: 'db', tick: 3 } })).toBe('timers db');
    expect(chainOf({ kind: 'faults-end', owner: '', subject: { type: 'global', what: 'faults end' } })).toBe('timers ');
    expect(chainOf({ kind: 'replica-apply', owner: 'replica1', subject: { type: 'log-entry', replica: 'replica1', entry: 4 } })).toBe('replica replica1');
  });

  it('without change points (d = 1) the highest-priority chain always goes first, whatever the event order', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const pct = new PctScheduler({ seed, depth: 1, steps: 10 });
      const choices = recording();
      const first = events([arrival('o1'), arrival('o2'), arrival('o3')]);
      const winner = first[pct.pick(first, choices)];
      const top = pct.priorities()[0];
      expect(chainOf(eventSubjectOf(winner))).toBe(top);
      // Later events of the same chains, offered in another order: the same chain wins.
      const again = events([arrival('o3'), arrival('o2'), arrival('o1')]);
      expect(chainOf(eventSubjectOf(again[pct.pick(again, choices)]))).toBe(top);
    }
  });

  it('priorities are a random permutation: each of three chains comes first for some seed', () => {
    const firsts = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const pct = new PctScheduler({ seed, depth: 1, steps: 0 });
      pct.pick(events([arrival('o1'), arrival('o2'), arrival('o3')]), recording());
      firsts.add(pct.priorities()[0]);
    }
    expect([...firsts].sort()).toEqual(['process o1', 'process o2', 'process o3']);
  });

  it('at a change point the chain that took that step drops below every other chain', () => {
    // k = 1, d = 2: the only change point is step 1.
    const pct = new PctScheduler({ seed: 3, depth: 2, steps: 1 });
    expect(pct.changePoints).toEqual([1]);
    const choices = recording();
    const a = events([arrival('o1'), arrival('o2')]);
    const firstChain = chainOf(eventSubjectOf(a[pct.pick(a, choices)]));
    expect(pct.priorities().at(-1)).toBe(firstChain);
    const b = events([arrival('o1'), arrival('o2')]);
    expect(chainOf(eventSubjectOf(b[pct.pick(b, choices)]))).not.toBe(firstChain);
  });

  it('draws min(d - 1, k) distinct change points in 1..k', () => {
    for (let seed = 1; seed <= 50; seed++) {
      for (const [depth, steps] of [[1, 10], [3, 10], [4, 2], [5, 5], [2, 0]] as const) {
        const cps = new PctScheduler({ seed, depth, steps }).changePoints;
        expect(cps).toHaveLength(Math.min(depth - 1, steps));
        expect(new Set(cps).size).toBe(cps.length);
        expect([...cps].sort((x, y) => x - y)).toEqual(cps);
        for (const c of cps) expect(c >= 1 && c <= steps).toBe(true);
      }
    }
    expect(() => new PctScheduler({ seed: 1, depth: 0, steps: 3 })).toThrow(/depth/);
  });

  it('records each pick as a schedule choice about the ready set, and asks nothing when one event is ready', () => {
    const pct = new PctScheduler({ seed: 1, depth: 1, steps: 0 });
    const choices = recording();
    expect(pct.pick(events([arrival('o1')]), choices)).toBe(0);
    expect(choices.asked).toBe(0);
    const k = pct.pick(events([arrival('o1'), arrival('o2')]), choices);
    expect(choices.recorded).toHaveLength(1);
    const c = choices.recorded![0];
    expect(c).toMatchObject({ kind: 'schedule', stream: 'schedule', max: 1, value: k });
    expect(c.subject.type === 'schedule' && c.subject.candidates.map((e) => e.subject)).toEqual([{ type: 'order', order: 'o1' }, { type: 'order', order: 'o2' }]);
  });

  it('a PCT run replays from its recorded answers with the choice scheduler: same trace (calm scenario and chaos)', () => {
    const cases: Array<[Scenario, string]> = [[twoOrders(), 'naive'], [libraryScenario('flash-sale-chaos'), 'reservation'], [libraryScenario('flash-sale-chaos'), 'lock-lease']];
    for (const [s, name] of cases) {
      const strategy = builtinStrategy(name);
      for (const seed of [1, 2, 3]) {
        for (const depth of [1, 3]) {
          const a = runOnce(s, { seed, strategy, search: { kind: 'pct', depth }, recordChoices: true });
          expect(a.choices!.some((c) => c.kind === 'schedule')).toBe(true);
          const b = runOnce(s, { strategy, timing: 'windowed', source: new ListSource(a.choices!.map((c) => c.value)) });
          expect(b.traceHash, `${s.name} ${name} seed ${seed} d=${depth}`).toBe(a.traceHash);
          // And the same seed gives the same run.
          expect(runOnce(s, { seed, strategy, search: { kind: 'pct', depth } }).traceHash).toBe(a.traceHash);
        }
      }
    }
  });

  it('finds the two-orders race at depth 2 but never at depth 1: the race needs one priority change', () => {
    const s = twoOrders();
    const strategy = builtinStrategy('naive');
    // Two chains (o1, o2) decide; a change point lets o2 read between o1's read and o1's write.
    expect(calmPctStats(s, strategy)).toEqual({ steps: 4, chains: 2 });
    let d1 = 0;
    let d2 = 0;
    for (let seed = 1; seed <= 100; seed++) {
      if (runOnce(s, { seed, strategy, search: { kind: 'pct', depth: 1 } }).verdict !== 'ok') d1++;
      if (runOnce(s, { seed, strategy, search: { kind: 'pct', depth: 2 } }).verdict !== 'ok') d2++;
    }
    expect(d1).toBe(0);
    // PCT's bound for d = 2: at least 1/(n k) = 1/8 of the runs.
    expect(d2).toBeGreaterThanOrEqual(100 / 8);
  });

  it('a PCT-found failure shrinks like any other: its answers polish down to the few that matter, and replay', () => {
    const r = loadScenarioFile(resolve(ROOT, 'scenarios/rare-races/locked-replica-read-slow-replica.json'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const s = r.scenario;
    const strategy = builtinStrategy('locked-replica-read');
    let seed = 1;
    while (runOnce(s, { seed, strategy, search: { kind: 'pct', depth: 1 } }).verdict === 'ok') seed++;
    const found = runOnce(s, { seed, strategy, search: { kind: 'pct', depth: 1 }, recordChoices: true });
    const nonZero = (cs: readonly { value: number }[]) => cs.filter((c) => c.value !== 0).length;
    const knobs = identityKnobs(s);
    const { run } = polishCounterexample(knobs, found.choices!, false, (k, source, record) => runOnce(applySwarm(s, k), { strategy, source, recordChoices: record }));
    expect(run.violations.map((v) => v.invariant)).toContain('unique-units');
    expect(nonZero(run.choices!)).toBeGreaterThan(0);
    expect(nonZero(run.choices!), `seed ${seed}: ${nonZero(found.choices!)} non-zero answers before polishing`).toBeLessThan(nonZero(found.choices!));
    // The polished answers replay as a plain list: no PCT involved.
    const again = runOnce(s, { strategy, source: new ListSource(run.choices!.map((c) => c.value)) });
    expect(again.traceHash).toBe(run.traceHash);
  });

  it('counts the calm run\'s steps and chains; the bound follows from them', () => {
    const counter = new CalmCounter();
    expect(counter.pick(events([arrival('o1')]))).toBe(0);
    expect(counter.stats()).toEqual({ steps: 0, chains: 0 });
    expect(counter.pick(events([arrival('o1'), arrival('o2')]))).toBe(0);
    expect(counter.stats()).toEqual({ steps: 1, chains: 2 });
    const b = pctMissBound(100, { steps: 4, chains: 2 }, 2);
    expect(b.perRun).toBe(1 / 8);
    expect(b.miss).toBeCloseTo((7 / 8) ** 100, 12);
    expect(pctMissBound(10, { steps: 4, chains: 2 }, 1).perRun).toBe(1 / 2);
  });
});
