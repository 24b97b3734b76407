/**
 * sweep, merge and check say, for each fault a scenario enables, in how many runs it struck
 * and in how many it mattered; a claimed fault that never struck gets a warning line.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

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
