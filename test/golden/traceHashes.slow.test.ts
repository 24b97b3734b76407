// The golden trace hashes in full: every library scenario x every built-in strategy x seeds
// 1..30, in both timing models (traceHashes.test.ts says why, and re-runs a sample of the
// seeds in the fast tier). About 50 s of simulation: slow-tier material.
import { describe, expect, it } from 'vitest';
import { compareHashes, traceHashes } from '../../scripts/trace-hashes.js';
import { golden } from './golden.js';

describe('golden trace hashes', () => {
  it('every run still has the trace it had at that commit, and no run is new or gone', () => {
    const now = traceHashes();
    const { differ, added } = compareHashes(golden.hashes, now);
    expect(differ.slice(0, 20), `${differ.length} of ${golden.count} trace hashes differ from commit ${golden.commit}`).toEqual([]);
    expect(added, 'runs the golden file does not know: a new scenario or strategy? re-record it').toBe(0);
    // Over 22 000 runs in one test: about 50 s alone and more under a loaded machine (a timeout
    // here would say nothing about the hashes; the slow tier's default is 15 minutes anyway).
  }, 240_000);
});
