// docs/exploration.md, "The API, and a copy-pasteable test": the snippet as written (it must keep working).
import { describe, expect, it } from 'vitest';
import { assertNoScheduleBreaks, exploreStrategy, formatProblem, loadScenario, STRATEGIES, type Scenario } from 'oversold';

function scenario(nameOrPath: string): Scenario {
  const r = loadScenario(nameOrPath);
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

const small = scenario('explore-small'); // 3 orders on 2 vases, one replica, the payment provider

describe('every schedule of a small sale', () => {
  it('conditional-decrement: no schedule with up to one lost request breaks an invariant', () => {
    // Throws with the schedule (and its replay data) if one does, or if the search was only bounded.
    const r = assertNoScheduleBreaks(small, STRATEGIES.get('conditional-decrement')!, { drops: 1 });
    expect(r.proof.statement).toContain('holds every invariant');
  });

  it('naive: a schedule oversells, and it replays under real windows', () => {
    const r = exploreStrategy(small, STRATEGIES.get('naive')!);
    expect(r.confirmed).toBe(true);
    expect(r.violations.map((v) => v.invariant)).toContain('no-oversell');
  });
});
