import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { builtinStrategy, runOnce } from '../../src/explore/run.js';
import { checkStrategy } from '../../src/explore/check.js';
import { ListSource } from '../../src/sim/sources.js';
import { libraryScenario, ROOT } from '../helpers/scenarios.js';

function twoOrders(): Scenario {
  const r = loadScenarioFile(resolve(ROOT, 'test/fixtures/two-orders-race.json'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

describe('the windowed timing model: the schedule is a choice', () => {
  it('two orders that time order never races: the earliest-first schedule never oversells, the random schedule does within 100 runs', () => {
    const s = twoOrders();
    expect(s.timing).toBe('windowed');
    // The calm run: every delay at its minimum, time order (a list of zeros, either model).
    expect(runOnce(s, { source: new ListSource([]) }).verdict).toBe('ok');
    expect(runOnce(s, { source: new ListSource([]), timing: 'sampled' }).verdict).toBe('ok');
    const earliest: number[] = [];
    let firstFound: number | null = null;
    for (let seed = 1; seed <= 100; seed++) {
      if (runOnce(s, { seed, scheduler: 'earliest' }).verdict !== 'ok') earliest.push(seed);
      if (firstFound === null && runOnce(s, { seed }).violations.some((v) => v.invariant === 'no-oversell')) firstFound = seed;
    }
    expect(earliest, 'the default scheduler found an oversell').toEqual([]);
    expect(firstFound, 'random scheduling found no oversell in 100 runs').not.toBeNull();
  });

  it('check shrinks the race to 2 orders on 1 unit and at most 2 non-zero schedule choices: o2 arrives before o1\'s read is delivered', () => {
    // Swarm on (what `oversold check` does): the knobs may drop an order or the stock, and the
    // shrunk counterexample must still be the whole race, nothing more.
    for (const swarm of [false, true]) {
      const c = checkStrategy(twoOrders(), builtinStrategy('naive'), { numRuns: 100, seed: 1, swarm });
      expect(c.found, `swarm ${swarm}`).toBe(true);
      const ce = c.counterexample!;
      expect(ce.violations.map((v) => v.invariant)).toContain('no-oversell');
      expect(ce.run.orderRecords.length, `swarm ${swarm}: orders`).toBe(2);
      expect(ce.scenario.items.map((it) => it.stock), `swarm ${swarm}: stock`).toEqual([1]);
      const schedule = ce.shrunkChoices.filter((x) => x.kind === 'schedule');
      // Every non-zero answer left is a schedule choice, and there are at most two.
      expect(ce.shrunkChoices.length).toBe(schedule.length);
      expect(schedule.length).toBeGreaterThanOrEqual(1);
      expect(schedule.length).toBeLessThanOrEqual(2);
      expect(ce.answers.filter((a) => a !== 0).length).toBe(schedule.length);
    }
    const c = checkStrategy(twoOrders(), builtinStrategy('naive'), { numRuns: 100, seed: 1, swarm: false });
    const ce = c.counterexample!;
    const schedule = ce.shrunkChoices.filter((x) => x.kind === 'schedule');
    // The choice names its candidates by identity, not position.
    const sub = schedule[0].subject;
    expect(sub.type).toBe('schedule');
    if (sub.type === 'schedule') expect(sub.candidates[schedule[0].value]).toMatchObject({ kind: 'arrival', subject: { type: 'order', order: 'o2' } });
  });

  it('a recorded windowed run replays from its answers, and the same seed gives the same trace', () => {
    const s = libraryScenario('flash-sale-chaos');
    const strategy = builtinStrategy('reservation');
    const a = runOnce(s, { seed: 5, strategy, timing: 'windowed', recordChoices: true, keepTrace: true });
    const b = runOnce(s, { seed: 5, strategy, timing: 'windowed', keepTrace: true });
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
    expect(a.choices!.some((c) => c.kind === 'schedule' && c.value > 0)).toBe(true);
    // No delay is drawn: delays are windows.
    expect(a.choices!.some((c) => c.kind === 'delay' || c.kind === 'replica-lag' || c.kind === 'payment-delay' || c.kind === 'arrival')).toBe(false);
    const again = runOnce(s, { strategy, timing: 'windowed', source: new ListSource(a.choices!.map((c) => c.value)) });
    expect(again.traceHash).toBe(a.traceHash);
    expect(runOnce(s, { seed: 5, strategy }).traceHash).not.toBe(a.traceHash);
  });
});
