// The tests of sweep.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli } from '../helpers/cli.js';
import { ROOT } from '../explore/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-sweep-cli-'));
const CHAOS = 'scenarios/flash-sale-chaos.json';
const json = async (args: string[]) => {
  const r = await cli(args);
  if (r.code !== 0 && r.code !== 1) throw new Error(`${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return { ...JSON.parse(r.stdout), code: r.code };
};

describe('oversold sweep and merge', () => {
  it('--workers 1 and --workers 2 report the same failing seeds', async () => {
    const one = await json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '80', '--workers', '1', '--json']);
    const two = await json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '80', '--workers', '2', '--json']);
    expect(one.failingSeeds.length).toBeGreaterThan(0);
    expect(two.failingSeeds).toEqual(one.failingSeeds);
    expect(two.tally).toEqual(one.tally);
    expect(one.code).toBe(1);
  });

  it('shards 1/2 and 2/2, merged, equal the unsharded sweep', async () => {
    const files: string[] = [];
    for (const i of [1, 2]) {
      const r = await cli(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '80', '--shard', `${i}/2`, '--json']);
      const f = join(tmp, `shard-${i}.json`);
      writeFileSync(f, r.stdout);
      files.push(f);
    }
    const whole = await json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '80', '--json']);
    const merged = await json(['merge', ...files, '--json']);
    const strip = ({ elapsedMs: _a, runsPerSecond: _b, parts: _c, shard: _d, code: _e, ...rest }: Record<string, unknown>) => rest;
    expect(strip(merged)).toEqual(strip(whole));
    expect(merged.code).toBe(whole.code);
    const human = await cli(['merge', ...files]);
    expect(human.stdout).toContain('merged   2 results, seeds 1..80');
    // The same shard twice is refused.
    const twice = await cli(['merge', files[0], files[0]]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/appear in both/);
    // Something that is not a sweep result is refused.
    const bad = await cli(['merge', resolve(ROOT, CHAOS)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--fail-fast stops at the lowest failing seed with any number of workers', async () => {
    const a = await json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '200', '--workers', '1', '--fail-fast', '--json']);
    const b = await json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '200', '--workers', '2', '--fail-fast', '--json']);
    expect(a.failingSeeds).toHaveLength(1);
    expect(b.failingSeeds).toEqual(a.failingSeeds);
    expect(b.seedRanges).toEqual([[1, a.failingSeeds[0] + 1]]);
  });

  it('--check-determinism catches a strategy that reads Math.random', async () => {
    const r = await cli(['sweep', 'scenarios/flash-sale.json', '--strategy', './test/fixtures/random-strategy.mjs', '--seeds', '500', '--check-determinism']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NONDETERMINISTIC: seed \d+ gave two different traces/);
    expect(r.stdout).toMatch(/first diverging trace event: #\d+/);
  });

  it('prints no progress line when stderr is not a terminal', async () => {
    const r = await cli(['sweep', 'scenarios/flash-sale.json', '--seeds', '50', '--workers', '1']);
    expect(r.stderr).toBe('');
  });
});
