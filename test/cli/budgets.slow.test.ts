import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnCli as cli } from '../helpers/cli.js';
import { ROOT } from '../helpers/scenarios.js';

// Test-only short limits (--load-budget-s 2, --run-budget-s 2): each case ends in seconds.
const fixture = (name: string) => resolve(ROOT, 'test/fixtures/hostile', name);
const tmp = mkdtempSync(join(tmpdir(), 'oversold-budgets-'));
const extra = (cmd: string) => (cmd === 'sweep' ? ['--seeds', '3', '--workers', '1'] : []);

describe('every module load and every run has a wall-clock budget', () => {
  it('a top-level await that never settles (or waits for a 1e9 ms timer) is bad input after --load-budget-s, in run, sweep and check', () => {
    for (const f of ['never-settles.mjs', 'long-timer.mjs']) {
      for (const cmd of ['run', 'sweep', 'check']) {
        const r = cli([cmd, 'scenarios/flash-sale.json', '--strategy', fixture(f), '--load-budget-s', '2', ...extra(cmd)]);
        expect(r.code, `${cmd} ${f}`).toBe(2);
        expect(r.stderr.trim().split('\n'), `${cmd} ${f}`).toEqual([`oversold ${cmd}: strategy module ${fixture(f)} did not finish loading in 2 s of wall-clock time (a loop at its top level, or a top-level await that never settles?; if it only loads slowly on a busy machine, raise --load-budget-s)`]);
      }
    }
  });

  it('a module that is only slow to load is judged by --load-budget-s, not by --watchdog-s: with a 1 s watchdog its 3 s load is no top-level loop', () => {
    for (const cmd of ['run', 'sweep']) {
      const r = cli([cmd, 'scenarios/flash-sale.json', '--strategy', fixture('slow-load.mjs'), '--watchdog-s', '1', ...extra(cmd)]);
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(0);
    }
    // Its own budget still applies, with its own words (exit 2, one line naming the file).
    const r = cli(['run', 'scenarios/flash-sale.json', '--strategy', fixture('slow-load.mjs'), '--watchdog-s', '10', '--load-budget-s', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`oversold run: strategy module ${fixture('slow-load.mjs')} did not finish loading in 1 s of wall-clock time (a loop at its top level, or a top-level await that never settles?; if it only loads slowly on a busy machine, raise --load-budget-s)`]);
    // Without a load budget, loading is held to the watchdog's limit like a run (as before).
    const none = cli(['run', 'scenarios/flash-sale.json', '--strategy', fixture('slow-load.mjs'), '--watchdog-s', '1', '--load-budget-s', '0']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`strategy module ${fixture('slow-load.mjs')} did not finish loading in 1 s of wall-clock time (a loop at its top level?)`);
  });

  it('with --watchdog-s 0 (in-process) such a module is bad input, never exit 0 having run nothing', () => {
    const r = cli(['run', 'scenarios/flash-sale.json', '--strategy', fixture('never-settles.mjs'), '--watchdog-s', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^oversold run: stopped with nothing left to run before the command finished: a strategy module whose top-level await never settles\?/);
  });

  it('a strategy that yields on every step but burns CPU between them is a resource stop after --run-budget-s, in run, sweep and check', () => {
    const run = cli(['run', 'scenarios/flash-sale.json', '--strategy', fixture('burns-cpu.mjs'), '--run-budget-s', '2', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ verdict: 'violated', stop: 'resource-limit', violations: [{ invariant: 'resource-limit', message: expect.stringContaining('a simulation run took more than 2 s of wall-clock time (a resource stop, not an invariant verdict') }] });
    const sweep = cli(['sweep', 'scenarios/flash-sale.json', '--strategy', fixture('burns-cpu.mjs'), '--run-budget-s', '2', '--seeds', '3', '--workers', '1', '--json']);
    expect(sweep.code).toBe(1);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ failingSeeds: [1], violationsByInvariant: { 'resource-limit': 1 }, stalled: { seed: 1, resource: true } });
    const check = cli(['check', 'scenarios/flash-sale.json', '--strategy', fixture('burns-cpu.mjs'), '--run-budget-s', '2', '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ found: true, stop: 'resource-limit' });
  });

  it('replay says that a resource stop depends on the machine', () => {
    const rec = join(tmp, 'burn.json');
    // The CPU burner never finishes a run to record: record a built-in, replay it with the burner.
    expect(cli(['run', 'scenarios/flash-sale.json', '--strategy', 'conditional-decrement', '--record', rec]).code).toBe(0);
    const r = cli(['replay', rec, '--strategy', fixture('burns-cpu.mjs'), '--run-budget-s', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('this run was stopped by its wall-clock budget. Such a stop depends on the machine');
  });
});
