// Guided reversals and a replica's log order in happens-before (docs/exploration.md,
// "Partial-order reduction"): the alternative a race adds is explored by following the sequence
// that reverses it, and two log entries at one replica are never a race. Both change which
// executions end blocked by sleep sets, never what is covered: the final states are those of
// the full search (the soundness properties, *.slow.test.ts, compare them on generated cases).
import { describe, expect, it } from 'vitest';
import { loadScenario, searchSchedules, STRATEGIES, formatProblem } from '../../src/index.js';

const loaded = loadScenario('explore-small');
if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
const small = loaded.scenario;

describe('guided reversals', () => {
  it('compare-and-set on explore-small without faults: exhausted with few executions blocked (587 of 1022 runs before)', () => {
    const s = searchSchedules(small, STRATEGIES.get('compare-and-set')!);
    expect(s.exhausted).toBe(true);
    expect(s.found).toBeNull();
    expect(s.finalStates.length).toBe(6);
    expect(s.blocked).toBeLessThan(s.executions / 4);
  });

  it('a bounded search and its resumed cursor run the same executions as one search (the sequences travel in the cursor)', () => {
    const strategy = STRATEGIES.get('compare-and-set')!;
    const whole = searchSchedules(small, strategy);
    const part = searchSchedules(small, strategy, { maxExecutions: 150 });
    expect(part.cursor).not.toBeNull();
    expect(JSON.stringify(part.cursor)).toContain('"guide"');
    const rest = searchSchedules(small, strategy, { resume: JSON.parse(JSON.stringify(part.cursor)) });
    expect(rest.executions).toBe(whole.executions);
    expect(rest.blocked).toBe(whole.blocked);
    expect(rest.finalStates).toEqual(whole.finalStates);
  });
});
