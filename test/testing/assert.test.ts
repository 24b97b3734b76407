// The test-suite helpers as a user's suite meets them: global fast-check settings honoured,
// a random seed on offer, failures in check's words (with the anomaly explained), replay files
// named by content, and printed commands that run from where the user stands.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { assertStrategyHolds, CounterexampleError, loadScenario, readReplayFile, strategyProperty } from '../../src/index.js';
import { libraryScenario } from '../helpers/scenarios.js';
import { run } from '../helpers/memoryIo.js';

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

afterEach(() => fc.resetConfigureGlobal());

describe('assertStrategyHolds', () => {
  it('honours fc.configureGlobal: numRuns and seed', () => {
    fc.configureGlobal({ numRuns: 7, seed: 4242 });
    const r = assertStrategyHolds('flash-sale-chaos', 'conditional-decrement', { replayFile: false });
    expect(r.runs).toBe(7);
    expect(r.seed).toBe(4242);
  });

  it('is seeded by the scenario unless told otherwise; seed: "random" lets fast-check pick', () => {
    const fixed = assertStrategyHolds('flash-sale-chaos', 'conditional-decrement', { numRuns: 2, replayFile: false });
    expect(fixed.seed).toBe(libraryScenario('flash-sale-chaos').seed);
    const seeds = new Set([1, 2, 3].map(() => assertStrategyHolds('flash-sale-chaos', 'conditional-decrement', { numRuns: 1, seed: 'random', replayFile: false }).seed));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('a failure explains the anomaly and prints commands that run as printed from the cwd', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'oversold-assert-'));
    const e = thrown(() => assertStrategyHolds(libraryScenario('flash-sale-chaos'), 'naive', { numRuns: 50, cwd }));
    expect(e).toBeInstanceOf(CounterexampleError);
    expect(e.message).toMatch(/↳ (lost update|stale read|double apply)/);
    // What a test runner prints of the error is its message, not the run's whole world.
    expect(Object.keys(e)).not.toContain('result');
    expect((e as CounterexampleError).result.found).toBe(true);
    // A Scenario object equal to a built-in is named by its name: no placeholder.
    expect(e.message).not.toContain('<');
    const replay = /replay +npx oversold replay (\S+)/.exec(e.message)![1];
    const recheck = /re-check +npx oversold (check .*)$/m.exec(e.message)![1].split(' ');
    expect(recheck[1]).toBe('flash-sale-chaos');
    const a = await run(['replay', replay], { cwd });
    expect(a.code).toBe(1);
    expect(a.stdout).toContain('matches the recording');
    const b = await run(recheck, { cwd });
    expect(b.code).toBe(1);
    expect(b.stdout).toContain('FOUND');
  });

  it('a scenario built in code is written where the printed command can find it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'oversold-assert-'));
    const sc = { ...libraryScenario('flash-sale-chaos'), name: 'my-sale' };
    const e = thrown(() => assertStrategyHolds(sc, 'naive', { numRuns: 50, cwd, replayFile: false }));
    const recheck = /re-check +npx oversold (check .*)$/m.exec(e.message)![1].split(' ');
    expect(recheck[1]).toMatch(/^\.\/\.oversold\/scenarios\/my-sale-[0-9a-f]{8}\.json$/);
    const r = await run(recheck, { cwd });
    expect(r.code).toBe(1);
  });
});

describe('strategyProperty', () => {
  it('fc.assert fails with the counterexample in words and one replay file named by its content', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'oversold-prop-'));
    const e = thrown(() => fc.assert(strategyProperty('flash-sale-chaos', 'naive', { cwd }), { seed: 7, numRuns: 100 }));
    expect(e.message).toMatch(/Property failed after \d+ tests\n\{ seed: 7, path: "[\d:]+"/);
    expect(e.message).toContain('naive broke');
    expect(e.message).toMatch(/↳ (lost update|stale read|double apply)/);
    expect(e.message).not.toMatch(/dropRequest|"orders":/); // no raw knobs
    const files = readdirSync(join(cwd, '.oversold/replays'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^flash-sale-chaos-naive-[0-9a-f]{12}\.json$/);
    expect(e.message).toContain(`npx oversold replay .oversold/replays/${files[0]}`);
    // Same seed, same case, same content: the same file, not a second one.
    thrown(() => fc.assert(strategyProperty('flash-sale-chaos', 'naive', { cwd }), { seed: 7, numRuns: 100 }));
    expect(readdirSync(join(cwd, '.oversold/replays'))).toEqual(files);
    expect(readReplayFile(join(cwd, '.oversold/replays', files[0]), cwd).verdict).toBe('violated');
  });

  it('passes for a safe strategy, and honours fc.configureGlobal', () => {
    fc.configureGlobal({ numRuns: 5 });
    let runs = 0;
    const p = strategyProperty('flash-sale-chaos', 'conditional-decrement');
    fc.assert(fc.property(p.arbitrary, (c) => {
      runs++;
      p.assertHolds(c);
    }));
    expect(runs).toBe(5);
    expect(() => fc.assert(p)).not.toThrow();
  });
});

describe('scenarios by name', () => {
  it('loadScenario takes a built-in\'s name; a missing path says where the built-ins are', () => {
    const r = loadScenario('flash-sale-chaos');
    expect(r.ok && r.scenario.name).toBe('flash-sale-chaos');
    const bad = loadScenario('no-such-scenario.json', tmpdir());
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0].hint).toMatch(/built-in scenarios can be named .* their files are in \/\S+\/scenarios/);
  });

  it('the CLI runs a built-in by name from any directory', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'oversold-name-'));
    const r = await run(['run', 'flash-sale', '--seed', '7'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('replay   npx oversold run flash-sale --strategy naive --seed 7');
    const missing = await run(['run', 'flash-sal.json'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/flash-sal\.json: expected a readable scenario file, found no such file — built-in scenarios can be named/);
  });
});
