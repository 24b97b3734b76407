import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnCli as cli } from '../helpers/cli.js';
import { ROOT } from '../helpers/scenarios.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-noloss-'));
const flashSale = resolve(ROOT, 'scenarios/flash-sale.json');
const oneLine = (s: string) => s.trim().split('\n');

describe('outputs never destroy inputs, and a failed write loses nothing', () => {
  it('an output that is an input (by device and inode, through a symlink too) is refused with one line, exit 2', () => {
    const scenario = join(tmp, 'scenario.json');
    copyFileSync(flashSale, scenario);
    symlinkSync(scenario, join(tmp, 'link.json'));
    const before = readFileSync(scenario, 'utf8');
    for (const args of [
      ['run', scenario, '--html', join(tmp, 'link.json')],
      ['run', scenario, '--trace', scenario],
      ['run', scenario, '--record', join(tmp, 'x.json'), '--trace', join(tmp, 'x.json')],
      ['check', scenario, '--strategy', 'naive', '--replay-file', join(tmp, 'link.json')],
    ]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toHaveLength(1);
      expect(r.stderr).toMatch(/would destroy/);
    }
    expect(readFileSync(scenario, 'utf8')).toBe(before);
    const rec = join(tmp, 'r.json');
    cli(['run', flashSale, '--strategy', 'naive', '--record', rec]);
    const recorded = readFileSync(rec, 'utf8');
    const e = cli(['export', rec, '-o', rec]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('-o');
    expect(readFileSync(rec, 'utf8')).toBe(recorded);
  });

  it('--trace on a full disk is one line and exit 2, not an internal error', () => {
    const r = cli(['run', flashSale, '--trace', '/dev/full']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual(['oversold run: --trace /dev/full: cannot write it (ENOSPC: no space left on the device)']);
  });

  it('an unwritable --replay-file prints the counterexample first, then exits 2', () => {
    for (const target of ['/dev/full', tmp]) {
      const r = cli(['check', flashSale, '--strategy', 'naive', '--replay-file', target]);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('FOUND');
      expect(r.stdout).toContain('re-check   npx oversold check');
      expect(oneLine(r.stderr).at(-1)).toMatch(/^oversold check: --replay-file .*: cannot write it \((ENOSPC|EISDIR)/);
      const j = cli(['check', flashSale, '--strategy', 'naive', '--replay-file', target, '--json']);
      expect(j.code).toBe(2);
      expect(JSON.parse(j.stdout)).toMatchObject({ found: true, replayFile: null });
    }
  });
});

describe('bounded inputs: seeds and fast-check paths', () => {
  it('a seed range that leaves [0, 2^32) is refused with one line (seed 2^32 + k would repeat seed k)', () => {
    const r = cli(['sweep', flashSale, '--start', '4294967290', '--seeds', '10']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([expect.stringMatching(/seeds 4294967290\.\.4294967299 go past 4294967295 .*at most 6 seeds start at 4294967290/)]);
    expect(cli(['sweep', flashSale, '--start', '4294967290', '--seeds', '6', '--workers', '1']).code).toBe(1);
  });

  it('check --path with a huge first number is refused at once (its cost is linear in it)', () => {
    const r = cli(['check', flashSale, '--strategy', 'naive', '--path', '99999999999999999999:1']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('must be below --runs (200)');
  });
});

describe('replay says what differs from the recording', () => {
  it('an edited verdict with the same trace is a mismatch ("the file was edited"), never "same verdict"', () => {
    const file = join(tmp, 'edited.json');
    cli(['run', flashSale, '--strategy', 'naive', '--seed', '7', '--record', file]);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...data, verdict: 'ok', violations: [] }, null, 2));
    const r = cli(['replay', file]);
    expect(r.stdout).not.toContain('same verdict');
    expect(r.stdout).toMatch(/MISMATCH: same trace [0-9a-f]{16} as recorded, but recorded verdict ok, this run violated .*Why: the replay file was edited/);
    expect(JSON.parse(cli(['replay', file, '--json']).stdout)).toMatchObject({ matchesRecording: true, verdictMatchesRecording: false, fileEdited: true });
  });

  it('a strategy module changed since the recording is named as the difference, in replay, why and export', () => {
    const mod = join(tmp, 'mine.mjs');
    const src = readFileSync(resolve(ROOT, 'test/fixtures/leaky-strategy.mjs'), 'utf8').replace("name: 'leaky'", "name: 'mine'").replace('% 7', '% 1000');
    writeFileSync(mod, src);
    const file = join(tmp, 'mine-rec.json');
    cli(['run', resolve(ROOT, 'scenarios/flash-sale.json'), '--strategy', mod, '--seed', '3', '--record', file, '--watchdog-s', '0']);
    // Another version of the module: every order placed, whatever the database said.
    writeFileSync(mod, src.replace("r.value.ok ? 'ORDER_PLACED' : 'OUT_OF_STOCK'", "'ORDER_PLACED'"));
    const r = cli(['replay', file, '--watchdog-s', '0', '--trust']);
    expect(r.stdout).toMatch(/MISMATCH: .*Why: the strategy's code differs from the recording's \(module:[0-9a-f]{16} then, module:[0-9a-f]{16} now\)/);
    expect(JSON.parse(cli(['replay', file, '--json', '--watchdog-s', '0', '--trust']).stdout)).toMatchObject({ matchesRecording: false, fileEdited: false, strategyChanged: true });
    const w = cli(['why', file, '--trust']);
    expect(w.stdout + w.stderr).toContain("the strategy's code differs");
    const e = cli(['export', file, '-o', join(tmp, 'found.json'), '--trust']);
    expect(e.stdout + e.stderr).toContain("the strategy's code differs");
  });
});
