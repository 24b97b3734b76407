// The tests of determinism.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/explore/run.js';
import { libraryScenario } from '../helpers/scenarios.js';
import { hashInWorker } from '../helpers/worker.js';

describe('same scenario + seed => same trace', () => {
  const scenario = libraryScenario('flash-sale');

  it('gives the same hash inside a worker_threads worker', async () => {
    const local = runOnce(scenario, { seed: 7 }).traceHash;
    expect(await hashInWorker(scenario, 7)).toBe(local);
  });
});
