// The golden trace hashes (test/golden/trace-hashes.json): every library scenario x every
// built-in strategy x seeds 1..30, in both timing models, recorded at the commit the file
// names. A change that alters any run fails here: keep it green, or re-record on purpose
// (`npx tsx scripts/trace-hashes.ts --golden`) and say why in the commit (and CHANGELOG.md if
// the trace format changed).
//
// The fast tier re-runs a sample of the seeds (every scenario, strategy and timing model, a
// tenth of the seeds: about a second); traceHashes.slow.test.ts re-runs all 30 in the slow tier.
import { describe, expect, it } from 'vitest';
import { compareHashes, seedOfKey, SEEDS, traceHashes } from '../../scripts/trace-hashes.js';
import { TRACE_FORMAT_VERSION } from '../../src/sim/trace.js';
import { golden } from './golden.js';

/** Seeds 1, 11, 21: spread over the range, the same every run. */
const SAMPLE = [1, 11, 21];

describe('golden trace hashes', () => {
  it('the file names the commit that produced it, its format and the trace format', () => {
    expect(golden.format).toBe(1);
    expect(golden.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(golden.traceFormat).toBe(TRACE_FORMAT_VERSION);
    expect(golden.seeds).toBe(SEEDS);
    expect(Object.keys(golden.hashes)).toHaveLength(golden.count);
    // Both timing models, every seed.
    // (A scenario written for the windowed model, e.g. explore-small, records its other model as `|sampled`.)
    expect(Object.keys(golden.hashes).filter((k) => k.endsWith('|windowed') || k.endsWith('|sampled')).length * 2).toBe(golden.count);
  });

  it(`the runs of seeds ${SAMPLE.join(', ')} still have the traces they had at that commit, and none is new or gone`, () => {
    const sampled = Object.fromEntries(Object.entries(golden.hashes).filter(([k]) => SAMPLE.includes(seedOfKey(k))));
    expect(Object.keys(sampled).length * SEEDS).toBe(golden.count * SAMPLE.length);
    const now = traceHashes(SAMPLE);
    const { differ, added } = compareHashes(sampled, now);
    expect(differ.slice(0, 20), `${differ.length} of ${Object.keys(sampled).length} sampled trace hashes differ from commit ${golden.commit}`).toEqual([]);
    expect(added, 'runs the golden file does not know: a new scenario or strategy? re-record it').toBe(0);
  });

  it(`the same runs on reset worlds (runOnce's reuseWorld, as sweeps run): the same traces`, () => {
    const sampled = Object.fromEntries(Object.entries(golden.hashes).filter(([k]) => SAMPLE.includes(seedOfKey(k))));
    const { differ } = compareHashes(sampled, traceHashes(SAMPLE, true));
    expect(differ.slice(0, 20), `${differ.length} of ${Object.keys(sampled).length} sampled trace hashes differ on reset worlds`).toEqual([]);
  });
});
