// The tests of replay.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('oversold run --record and oversold replay', () => {
  it('run --check-determinism passes a deterministic run and catches Math.random (exit 1, the first diverging event)', async () => {
    const ok = await cli(['run', 'scenarios/flash-sale.json', '--strategy', 'reservation', '--check-determinism']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('deterministic');
    const bad = await cli(['run', 'scenarios/flash-sale.json', '--strategy', './test/fixtures/random-strategy.mjs', '--check-determinism']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('NONDETERMINISTIC: seed 1 gave two different traces');
    expect(bad.stdout).toMatch(/first diverging trace event: #\d+/);
    expect(bad.stdout).toContain('Math.random');
  });
});
