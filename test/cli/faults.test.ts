/**
 * sweep, merge and check say, for each fault a scenario enables, in how many runs it struck
 * and in how many it mattered; a claimed fault that never struck gets a warning line.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { ROOT } from '../helpers/scenarios.js';
import { loadScenario, STRATEGIES } from '../../src/index.js';
import { scenarioBounds } from '../../src/explore/exhaustive/bounds.js';
import { executionSetup, runExecution } from '../../src/explore/exhaustive/search.js';
import { advance, type Decision } from '../../src/explore/exhaustive/path.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-faults-cli-'));

interface Row {
  id: string;
  fault: string;
  step: number | null;
  enabledBy: string;
  claimed: boolean;
  what: string;
  struckRuns: number;
  struckInFailingRuns: number;
  counterexample?: { struck: boolean; mattered: boolean } | null;
}

describe('check: faults seen to strike, and which the counterexample needs', () => {
  it('a fault the counterexample cannot do without is needed', async () => {
    const r = await cli(['check', 'lost-decrement-reply', '--strategy', 'retry-without-idempotency', '--no-swarm', '--json', '--replay-file', join(tmp, 'a.json')]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { faults: Row[]; faultRuns: number; runs: number };
    expect(out.faultRuns).toBe(out.runs);
    expect(out.faults).toHaveLength(1);
    expect(out.faults[0]).toMatchObject({ id: 'faults.steps[0]', struckRuns: out.runs, struckInFailingRuns: 1, counterexample: { struck: true, mattered: true } });
    const human = await cli(['check', 'lost-decrement-reply', '--strategy', 'retry-without-idempotency', '--no-swarm', '--replay-file', join(tmp, 'b.json')]);
    expect(human.stdout).toContain("faults   needed by the counterexample: step 0: drop-reply of o1's decrement");
  });

  it('a step aimed at an order the shrink left out does not strike in the counterexample; the one left is needed', async () => {
    // Either duplicated decrement alone takes a second vase; check's shrink leaves out o2 (and
    // o3), so only o1's duplicate strikes, and without it nothing breaks.
    const r = await cli(['check', 'duplicated-requests', '--strategy', 'retry-without-idempotency', '--no-swarm', '--json', '--replay-file', join(tmp, 'c.json')]);
    const out = JSON.parse(r.stdout) as { faults: Row[] };
    expect(out.faults.map((f) => [f.id, f.counterexample])).toEqual([
      ['faults.steps[0]', { struck: true, mattered: true }],
      ['faults.steps[1]', { struck: false, mattered: false }],
    ]);
  });

  it('with the swarm, a step the counterexample dropped did not strike in it, and ids stay those of the scenario as written', async () => {
    // 50 sweep cases (the scenario as written), then 40 generated cases, some of them swarmed.
    const r = await cli(['check', 'lost-release', '--strategy', 'reservation', '--runs', '90', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { faults: Row[]; faultRuns: number };
    expect(out.faultRuns).toBe(90);
    expect(out.faults.map((f) => f.id)).toEqual(['faults.steps[0]', 'faults.steps[1]']);
    // The swarm drops each step in about half of its runs.
    for (const f of out.faults) {
      expect(f.struckRuns).toBeGreaterThan(0);
      expect(f.struckRuns).toBeLessThan(90);
      expect(f.counterexample).toBeNull();
    }
  });

  it('warns, after a search that found nothing, about a claimed fault that never struck', async () => {
    const r = await cli(['check', 'lost-release', '--strategy', 'naive', '--runs', '5', '--no-swarm']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warning: lost-release: step 0: decline o1's charge never struck in 5 runs");
  });
});

describe('explore: faults seen to strike', () => {
  // The CLI runs a search in slices of 100 executions (Ctrl-C is heard between them); each slice
  // counted only its own, so 117 executions reported the last 17's faults (7 lost requests, 6
  // pauses, where 42 and 72 executions had them).
  it('over a search of several slices, per fault kind, the executions whose choice records hold that fault', async () => {
    const bounds = { drops: 1, pauses: 1 };
    const r = await cli(['explore', 'scenarios/explore-small.json', '--strategy', 'conditional-decrement', '--max-drops', '1', '--max-pauses', '1', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { executions: number; blocked: number; exhausted: boolean; faults: Row[] };
    expect(out.exhausted).toBe(true);
    expect(out.executions + out.blocked).toBeGreaterThan(100);

    // The recount: the same tree walked execution by execution, each judged execution's
    // non-zero fault answers (its choice records, not the marks the tally counts) by kind.
    const l = loadScenario(join(ROOT, 'scenarios/explore-small.json'));
    if (!l.ok) throw new Error('explore-small');
    const setup = executionSetup(l.scenario, { ...scenarioBounds(l.scenario), ...bounds }, STRATEGIES.get('conditional-decrement')!, { reduction: true, semantics: 'timed', lookahead: true });
    const byKind = new Map<string, number>();
    let judged = 0;
    const path: Decision[] = [];
    do {
      const run = runExecution(path, setup, null);
      if (run.kind !== 'judged') continue;
      judged++;
      for (const kind of new Set([...run.exec.struck.keys()].map((k) => k.split('|')[0]))) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    } while (advance(path));
    expect(judged).toBe(out.executions);
    const struck = Object.fromEntries(out.faults.map((f) => [f.id, f.struckRuns]));
    expect(struck).toEqual({ 'drop-request': byKind.get('drop-request'), 'random-pause': byKind.get('pause'), 'replica-lag': 0 });
    expect([...byKind.keys()].sort()).toEqual(['drop-request', 'pause']);
    expect(byKind.get('drop-request')).toBeGreaterThan(0);
    expect(out.faults.every((f) => f.struckInFailingRuns === 0)).toBe(true);
  });
});
