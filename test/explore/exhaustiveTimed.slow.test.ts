// The timed semantics on explore-small (issue 13): reservation, whose untimed-causal search
// stops at a charged-once that real delay windows forbid (exhaustive.test.ts), is exhausted
// with no violation once every event keeps its window (minutes under load: the slow tier).
import { describe, expect, it } from 'vitest';
import { exploreStrategy, loadScenario, STRATEGIES, formatProblem, type Scenario } from '../../src/index.js';

function scenario(path: string): Scenario {
  const r = loadScenario(path);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

describe('explore under the timed semantics', () => {
  it('reservation on explore-small: exhausted, 0 violations, with unrealizable executions counted and never judged', () => {
    const r = exploreStrategy(scenario('scenarios/explore-small.json'), STRATEGIES.get('reservation')!);
    expect(r.violations).toEqual([]);
    expect(r.search.exhausted).toBe(true);
    expect(r.proof.semantics.name).toBe('timed');
    expect(r.proof.statement).toContain('under the timed semantics');
    expect(r.search.unrealizable).toBeGreaterThan(0);
    expect(r.search.unrealizable).toBeLessThan(r.search.executions);
    expect(r.search.finalStates.length).toBeGreaterThan(1);
    console.log(`reservation, timed: ${r.search.executions} executions (${r.search.unrealizable} unrealizable), ${r.search.blocked} blocked, ${r.search.finalStates.length} final states`);
  });
});
