// The tests of run.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('oversold sweep', () => {
  it('runs seeds S..S+N-1 and reports failing seeds as JSON; exit 1 when any failed', async () => {
    const r = await cli(['sweep', 'scenarios/flash-sale.json', '--seeds', '20', '--start', '5', '--strategy', 'naive', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    for (const k of ['scenario', 'strategy', 'runs', 'failingSeeds', 'violationsByInvariant', 'runsPerSecond']) expect(j).toHaveProperty(k);
    expect(j.runs).toBe(20);
    expect(j.failingSeeds.every((s: number) => s >= 5 && s < 25)).toBe(true);
    expect(j.violationsByInvariant['no-oversell']).toBeGreaterThan(0);
  });
});
