// The golden trace hashes (test/golden/trace-hashes.json): every library scenario x every
// built-in strategy x seeds 1..30, in both timing models, recorded at the commit the file
// names. A change that alters any run fails here: keep it green, or re-record on purpose
// (`npx tsx scripts/trace-hashes.ts --golden`) and say why in the commit (and CHANGELOG.md if
// the trace format changed).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareHashes, GOLDEN_FILE, traceHashes } from '../../scripts/trace-hashes.js';
import { TRACE_FORMAT_VERSION } from '../../src/sim/trace.js';

interface Golden {
  readonly format: number;
  readonly traceFormat: number;
  readonly commit: string;
  readonly seeds: number;
  readonly count: number;
  readonly hashes: Record<string, string>;
}

describe('golden trace hashes', () => {
  const golden = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Golden;

  it('the file names the commit that produced it, its format and the trace format', () => {
    expect(golden.format).toBe(1);
    expect(golden.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(golden.traceFormat).toBe(TRACE_FORMAT_VERSION);
    expect(Object.keys(golden.hashes)).toHaveLength(golden.count);
    // Both timing models, every seed.
    // (A scenario written for the windowed model, e.g. explore-small, records its other model as `|sampled`.)
    expect(Object.keys(golden.hashes).filter((k) => k.endsWith('|windowed') || k.endsWith('|sampled')).length * 2).toBe(golden.count);
  });

  it('every run still has the trace it had at that commit, and no run is new or gone', () => {
    const now = traceHashes();
    const { differ, added } = compareHashes(golden.hashes, now);
    expect(differ.slice(0, 20), `${differ.length} of ${golden.count} trace hashes differ from commit ${golden.commit}`).toEqual([]);
    expect(added, 'runs the golden file does not know: a new scenario or strategy? re-record it').toBe(0);
    // Over 22 000 runs in one test: about 50 s alone and more under a loaded machine, past the
    // fast tier's 60 s default (a timeout here would say nothing about the hashes).
  }, 240_000);
});
