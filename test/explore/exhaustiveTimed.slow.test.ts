// The timed semantics on explore-small (issue 13): reservation, whose untimed-causal search
// stops at a charged-once that real delay windows forbid (exhaustive.test.ts), is exhausted
// with no violation once every event keeps its window; lock-fencing too, once no node runs
// ahead of a message still to reach it (the lookahead, rule 7). Seconds on a quiet machine,
// a minute or more under load: the slow tier.
import { describe, expect, it } from 'vitest';
import { exploreStrategy, loadScenario, parseScenario, searchSchedules, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';

function scenario(path: string): Scenario {
  const r = loadScenario(path);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

describe('explore under the timed semantics', () => {
  it('reservation on explore-small: exhausted, 0 violations, and the lookahead leaves no unrealizable execution', () => {
    const r = exploreStrategy(scenario('scenarios/explore-small.json'), STRATEGIES.get('reservation')!);
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
    expect(r.proof.semantics.name).toBe('timed');
    expect(r.proof.statement).toContain('under the timed semantics');
    // Rule 7 (lookahead): no node runs ahead of a message still to reach it, so no prefix is
    // abandoned (before it: 6 800 of 12 051 executions were unrealizable).
    expect(r.search.unrealizable).toBe(0);
    expect(r.search.finalStates.length).toBe(24);
    console.log(`reservation, timed: ${r.search.executions} executions (${r.search.unrealizable} unrealizable), ${r.search.blocked} blocked, ${r.search.finalStates.length} final states`);
  });

  it('lock-fencing on explore-small: exhausted, 0 violations, no unrealizable execution (never exhausted before the lookahead)', () => {
    const r = exploreStrategy(scenario('scenarios/explore-small.json'), STRATEGIES.get('lock-fencing')!);
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
    expect(r.search.unrealizable).toBe(0);
    // Which order is told OUT_OF_STOCK and which of the other two takes which vase (6 here):
    // several final states, every one correct.
    expect(r.search.finalStates.length).toBeGreaterThan(1);
    expect(r.proof.statement).toContain('exhausted');
    console.log(`lock-fencing, timed: ${r.search.executions} executions (${r.search.unrealizable} unrealizable), ${r.search.blocked} blocked, ${r.search.finalStates.length} final states`);
  });

  it('the lookahead loses no final state: with and without it, DPOR reaches the same final states (explore-small, and a 2-order lock scenario with a pause)', () => {
    const twoOrders = parseScenario(JSON.stringify({
      name: 'two-orders-lock', seed: 1,
      items: [{ id: 'vase', stock: 1 }],
      topology: { appServers: 2, dbTickMs: 1000 },
      network: { delayMsMin: 10, delayMsMax: 20 },
      workload: { orders: [{ atMs: 0, app: 'app1', item: 'vase' }, { atMs: 0, app: 'app2', item: 'vase' }] },
      strategy: { name: 'lock-lease', options: { retries: 1, leaseTicks: 2, lockAttempts: 2, persistAttempts: 2, backoffMs: 50 } },
      limits: { maxTimeMs: 1500, maxEvents: 400 },
      timing: 'windowed',
    }), 'two-orders-lock.json');
    if (!twoOrders.ok) throw new Error(twoOrders.problems.map(formatProblem).join('\n'));
    const cases: Array<[Scenario, string, { pauses?: number }]> = [
      [scenario('scenarios/explore-small.json'), 'conditional-decrement', {}],
      [scenario('scenarios/explore-small.json'), 'compare-and-set', {}],
      [twoOrders.scenario, 'lock-lease', { pauses: 1 }],
      [twoOrders.scenario, 'lock-fencing', { pauses: 1 }],
    ];
    for (const [s, name, bounds] of cases) {
      const strategy = STRATEGIES.get(name)!;
      const on = searchSchedules(s, strategy, { bounds, keepGoing: true });
      const off = searchSchedules(s, strategy, { bounds, keepGoing: true, lookahead: false });
      expect(on.exhausted && off.exhausted).toBe(true);
      expect(on.finalStates).toEqual(off.finalStates);
      expect(on.found !== null).toBe(off.found !== null);
      // What it saves: the executions abandoned without it (the lock service's ticks and the
      // waiters' backoffs ran ahead of the holder's unlock).
      expect(on.unrealizable).toBe(0);
      if (name.startsWith('lock')) expect(off.unrealizable).toBeGreaterThan(0);
      console.log(`${name} ${JSON.stringify(bounds)}: ${off.executions} (${off.unrealizable} unrealizable) + ${off.blocked} blocked without the lookahead, ${on.executions} + ${on.blocked} with it; ${on.finalStates.length} final states both ways`);
    }
  });
});
