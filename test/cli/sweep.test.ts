import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli } from '../helpers/cli.js';
import { busyFor } from '../helpers/processes.js';
import { ROOT } from '../explore/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-sweep-cli-'));
const CHAOS = 'scenarios/flash-sale-chaos.json';
const json = (args: string[]) => {
  const r = cli(args);
  if (r.code !== 0 && r.code !== 1) throw new Error(`${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return { ...JSON.parse(r.stdout), code: r.code };
};

describe('oversold sweep and merge', () => {
  it('--workers 1 and --workers 2 report the same failing seeds', () => {
    const one = json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '80', '--workers', '1', '--json']);
    const two = json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '80', '--workers', '2', '--json']);
    expect(one.failingSeeds.length).toBeGreaterThan(0);
    expect(two.failingSeeds).toEqual(one.failingSeeds);
    expect(two.tally).toEqual(one.tally);
    expect(one.code).toBe(1);
  });

  it('shards 1/2 and 2/2, merged, equal the unsharded sweep', () => {
    const files = [1, 2].map((i) => {
      const r = cli(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '80', '--shard', `${i}/2`, '--json']);
      const f = join(tmp, `shard-${i}.json`);
      writeFileSync(f, r.stdout);
      return f;
    });
    const whole = json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '80', '--json']);
    const merged = json(['merge', ...files, '--json']);
    const strip = ({ elapsedMs: _a, runsPerSecond: _b, parts: _c, shard: _d, code: _e, ...rest }: Record<string, unknown>) => rest;
    expect(strip(merged)).toEqual(strip(whole));
    expect(merged.code).toBe(whole.code);
    const human = cli(['merge', ...files]);
    expect(human.stdout).toContain('merged   2 results, seeds 1..80');
    // The same shard twice is refused.
    const twice = cli(['merge', files[0], files[0]]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/appear in both/);
    // Something that is not a sweep result is refused.
    const bad = cli(['merge', resolve(ROOT, CHAOS)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--fail-fast stops at the lowest failing seed with any number of workers', () => {
    const a = json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '200', '--workers', '1', '--fail-fast', '--json']);
    const b = json(['sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '200', '--workers', '2', '--fail-fast', '--json']);
    expect(a.failingSeeds).toHaveLength(1);
    expect(b.failingSeeds).toEqual(a.failingSeeds);
    expect(b.seedRanges).toEqual([[1, a.failingSeeds[0] + 1]]);
  });

  it('--check-determinism catches a strategy that reads Math.random', () => {
    const r = cli(['sweep', 'scenarios/flash-sale.json', '--strategy', './test/fixtures/random-strategy.mjs', '--seeds', '500', '--check-determinism']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NONDETERMINISTIC: seed \d+ gave two different traces/);
    expect(r.stdout).toMatch(/first diverging trace event: #\d+/);
  });

  it('prints no progress line when stderr is not a terminal', () => {
    const r = cli(['sweep', 'scenarios/flash-sale.json', '--seeds', '50', '--workers', '1']);
    expect(r.stderr).toBe('');
  });

  it('bad usage exits 2 with one line', () => {
    for (const args of [['sweep', CHAOS], ['sweep', CHAOS, '--seeds', '10', '--shard', '3/2'], ['sweep', CHAOS, '--seeds', '10', '--workers', '0']]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('Ctrl-C stops cleanly: prints what ran and the failing seeds so far, exits 130', async () => {
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'sweep', CHAOS, '--strategy', 'lock-lease', '--seeds', '10000000', '--workers', '2'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // Give it time to start its workers and run some seeds (CPU time: the machine may be busy).
    await busyFor(child.pid!, 5);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(out).toMatch(/interrupted after \d+ runs; failing seeds so far: \d+/);
    expect(out).toMatch(/not run .*seeds \d+\.\.10000000/);
  });
});
