import { describe, expect, it } from 'vitest';
import { tuneGcForSweeps } from '../../src/explore/gcTuning.js';
import { runOnce, builtinStrategy } from '../../src/explore/run.js';
import { chaos } from './helpers.js';

describe('GC tuning for sweeps', () => {
  it('OVERSOLD_V8_DEFAULTS=1 leaves V8 alone', () => {
    expect(tuneGcForSweeps({ OVERSOLD_V8_DEFAULTS: '1' })).toBe(false);
  });

  it('changes where objects live, never what a run computes: trace hashes are identical before and after', () => {
    const scenario = chaos();
    const hashes = () => [1, 2, 3, 4, 5].map((seed) => runOnce(scenario, { seed, strategy: builtinStrategy('reservation') }).traceHash);
    const before = hashes();
    expect(tuneGcForSweeps({})).toBe(true);
    // Enough runs for GCs (and pretenuring decisions, if V8 still made them) to happen.
    for (let seed = 100; seed < 400; seed++) runOnce(scenario, { seed, strategy: builtinStrategy('reservation') });
    expect(hashes()).toEqual(before);
  });
});
