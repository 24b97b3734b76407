/**
 * sweep, merge and check say, for each fault a scenario enables, in how many runs it struck
 * and in how many it mattered; a claimed fault that never struck gets a warning line.
 */
// The tests of faults.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-faults-cli-'));

interface Row {
  id: string;
  fault: string;
  step: number | null;
  enabledBy: string;
  claimed: boolean;
  what: string;
  struckRuns: number;
  struckInFailingRuns: number;
  counterexample?: { struck: boolean; mattered: boolean } | null;
}

describe('sweep: faults seen to strike', () => {
  it('lists every enabled fault with the runs it struck in and the failing ones among them', async () => {
    const r = await cli(['sweep', 'lost-decrement-reply', '--seeds', '6', '--workers', '1', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { faults: Row[]; tally: { faultsStruck: Record<string, number>; faultsStruckFailing: Record<string, number> } };
    expect(out.faults).toEqual([{
      id: 'faults.steps[0]', fault: 'drop-reply', step: 0, enabledBy: 'faults.steps[0]', claimed: true,
      what: "step 0: drop-reply of o1's decrement", struckRuns: 6, struckInFailingRuns: 6,
    }]);
    expect(out.tally.faultsStruck).toEqual({ 'faults.steps[0]': 6 });
    expect(out.tally.faultsStruckFailing).toEqual({ 'faults.steps[0]': 6 });
    expect(r.stderr).toBe('');
    const human = await cli(['sweep', 'lost-decrement-reply', '--seeds', '6', '--workers', '1']);
    expect(human.stdout).toContain('faults   struck  in failing  (of 6 runs)\n              6           6  step 0: drop-reply of o1\'s decrement\n');
    expect(human.stdout).not.toContain('warning');
  });

  it('warns about a claimed fault that never struck: steps aimed at calls the strategy never makes', async () => {
    const r = await cli(['sweep', 'lost-release', '--strategy', 'naive', '--seeds', '4', '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("              0           0  step 0: decline o1's charge   never struck\n");
    expect(r.stdout).toContain("warning: lost-release: step 0: decline o1's charge never struck in 4 runs: they say nothing about it\n");
    expect(r.stdout).toContain("warning: lost-release: step 1: drop-request of o1's release never struck in 4 runs: they say nothing about it\n");
    // With --json the warnings go to stderr; stdout stays one JSON object.
    const j = await cli(['sweep', 'lost-release', '--strategy', 'naive', '--seeds', '4', '--workers', '1', '--json']);
    expect(JSON.parse(j.stdout).faults.map((f: Row) => f.struckRuns)).toEqual([0, 0]);
    expect(j.stderr.split('\n').filter((l) => l.startsWith('warning: lost-release:'))).toHaveLength(2);
  });

  it('names the setting of a chance fault that never struck, and does not warn about an unclaimed timing', async () => {
    // Naive on the chaos sale never charges: declines cannot strike. Replica lag from 0 ms is a timing.
    const r = await cli(['sweep', 'flash-sale-chaos', '--strategy', 'naive', '--seeds', '3', '--workers', '1']);
    expect(r.stdout).toContain('warning: flash-sale-chaos: payments declined (100‰) (payment.failPerMille) never struck in 3 runs');
    expect(r.stdout).not.toContain('warning: flash-sale-chaos: stale replica reads');
  });

  it('shards merge to the same counts as one sweep; a result of an older version makes the merge say nothing', async () => {
    const args = ['sweep', 'flash-sale-chaos', '--strategy', 'lock-lease', '--seeds', '30', '--workers', '1', '--json'];
    const files: string[] = [];
    for (const i of [1, 2, 3]) {
      const f = join(tmp, `s${i}.json`);
      writeFileSync(f, (await cli([...args, '--shard', `${i}/3`])).stdout);
      files.push(f);
    }
    const whole = JSON.parse((await cli(args)).stdout);
    const merged = JSON.parse((await cli(['merge', ...files, '--json'])).stdout);
    expect(merged.faults).toEqual(whole.faults);
    expect(merged.tally.faultsStruck).toEqual(whole.tally.faultsStruck);
    expect(whole.faults.some((f: Row) => f.struckInFailingRuns > 0)).toBe(true);
    const human = await cli(['merge', ...files]);
    expect(human.stdout).toContain('faults   struck  in failing  (of 30 runs)');
    // An older result: no fault counts in its tally, no faults list.
    const old = JSON.parse(readFileSync(files[2], 'utf8'));
    delete old.faults;
    delete old.tally.faultsStruck;
    delete old.tally.faultsStruckFailing;
    writeFileSync(files[2], JSON.stringify(old));
    const partial = JSON.parse((await cli(['merge', ...files, '--json'])).stdout);
    expect(partial.faults).toBeNull();
    expect(partial.tally.faultsStruck).toBeUndefined();
    expect((await cli(['merge', ...files])).stdout).not.toContain('faults   struck');
  });

  it('merge refuses fault counts that cannot be (edited by hand)', async () => {
    const f = join(tmp, 'bad.json');
    const r = JSON.parse((await cli(['sweep', 'lost-decrement-reply', '--seeds', '2', '--workers', '1', '--json'])).stdout);
    const write = (edit: (x: typeof r) => void) => {
      const x = structuredClone(r);
      edit(x);
      writeFileSync(f, JSON.stringify(x));
    };
    write((x) => (x.tally.faultsStruck['faults.steps[0]'] = 3));
    expect((await cli(['merge', f])).stderr).toContain('tally.faultsStruck.faults.steps[0] is 3, more than the 2 runs');
    write((x) => (x.tally.faultsStruck['faults.steps[0]'] = 1));
    expect((await cli(['merge', f])).stderr).toContain('tally.faultsStruckFailing.faults.steps[0] is 2, more than the 1 runs it struck in');
    write((x) => {
      x.tally.failingSeeds = [1];
      x.tally.violationsByInvariant = { 'acknowledged-is-sold': 1 };
      x.tally.firstByInvariant = { 'acknowledged-is-sold': x.tally.firstByInvariant['acknowledged-is-sold'] };
      x.tally.firstByInvariant['acknowledged-is-sold'].seed = 1;
    });
    expect((await cli(['merge', f])).stderr).toContain('tally.faultsStruckFailing.faults.steps[0] is 2, more than the 1 failing seeds');
    write((x) => delete x.tally.faultsStruckFailing);
    expect((await cli(['merge', f])).stderr).toContain('tally.faultsStruck and tally.faultsStruckFailing come together');
    write((x) => (x.tally.faultsStruck['faults.steps[0]'] = -1));
    expect((await cli(['merge', f])).code).toBe(2);
  });
});
