import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { runOnce } from '../../src/explore/run.js';
import { ROOT } from '../helpers/scenarios.js';
import { spawnCli } from '../helpers/cli.js';

describe('the windowed timing model in another process', () => {
  it('the same seed and timing model give the same trace hash in a separate process (the CLI)', () => {
    const r = loadScenarioFile(resolve(ROOT, 'test/fixtures/two-orders-race.json'));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const local = runOnce(r.scenario, { seed: 7 }).traceHash;
    const out = spawnCli(['run', 'test/fixtures/two-orders-race.json', '--seed', '7', '--json']);
    expect(JSON.parse(out.stdout).traceHash).toBe(local);
    const sampled = spawnCli(['run', 'test/fixtures/two-orders-race.json', '--seed', '7', '--timing', 'sampled', '--json']);
    expect(JSON.parse(sampled.stdout).traceHash).toBe(runOnce(r.scenario, { seed: 7, timing: 'sampled' }).traceHash);
  });
});
