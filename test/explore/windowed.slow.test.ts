import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { runOnce } from '../../src/explore/run.js';
import { ROOT } from '../helpers/scenarios.js';
import { cli, spawnCli } from '../helpers/cli.js';
import { hashInWorker } from '../helpers/worker.js';

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

function twoOrders(): Scenario {
  const r = loadScenarioFile(resolve(ROOT, 'test/fixtures/two-orders-race.json'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

describe('the windowed timing model: the schedule is a choice', () => {
  it('the same seed and timing model give the same trace hash in a worker thread, and --timing overrides the file', async () => {
    const s = { ...twoOrders() };
    const local = runOnce(s, { seed: 7 }).traceHash;
    expect(await hashInWorker(s, 7)).toBe(local);
    const r = await cli(['run', 'test/fixtures/two-orders-race.json', '--seed', '7', '--json']);
    expect(JSON.parse(r.stdout).traceHash).toBe(local);
    // --timing overrides the file: the sampled run of the same seed is another run.
    const sampled = await cli(['run', 'test/fixtures/two-orders-race.json', '--seed', '7', '--timing', 'sampled', '--json']);
    expect(JSON.parse(sampled.stdout).traceHash).toBe(runOnce(s, { seed: 7, timing: 'sampled' }).traceHash);
    const bad = await cli(['run', 'test/fixtures/two-orders-race.json', '--timing', 'lazy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
