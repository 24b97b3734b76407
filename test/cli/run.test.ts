import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-cli-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('oversold run', () => {
  it('exits 1 with a no-oversell violation for naive on the flash sale, seed 7, as JSON', async () => {
    const r = await cli(['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '7', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    for (const k of ['scenario', 'strategy', 'seed', 'verdict', 'violations', 'orders', 'traceHash', 'events', 'virtualTimeMs']) expect(j).toHaveProperty(k);
    expect(j.verdict).toBe('violated');
    expect(j.violations.map((v: { invariant: string }) => v.invariant)).toContain('no-oversell');
    expect(Object.keys(j.orders).sort()).toEqual(['failed', 'outOfStock', 'placed', 'unknown']);
    const again = JSON.parse((await cli(['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '7', '--json'])).stdout);
    expect(again.traceHash).toBe(j.traceHash);
    const seed8 = JSON.parse((await cli(['run', 'scenarios/flash-sale.json', '--strategy', 'naive', '--seed', '8', '--json'])).stdout);
    expect(seed8.traceHash).not.toBe(j.traceHash);
  });

  it('prints a one-screen human summary with the replay command', async () => {
    const r = await cli(['run', 'scenarios/flash-sale.json', '--seed', '7']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('VIOLATED');
    expect(r.stdout).toContain('npx oversold run scenarios/flash-sale.json --strategy naive --seed 7');
    expect(r.stdout.split('\n').length).toBeLessThan(25);
  });

  it('exits 0 when every invariant held', async () => {
    const r = await cli(['run', 'scenarios/flash-sale.json', '--seed', '7', '--instant-db', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('ok');
  });

  const oneLine = (s: string) => s.trim().split('\n').length === 1 && !/\n\s+at /.test(s);

  it('a missing file exits 2 with one line naming it', async () => {
    const r = await cli(['run', join(tmp, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain('nope.json');
  });

  it('a file that is not JSON exits 2 with one line giving line and column', async () => {
    const r = await cli(['run', file('bad.json', '{\n  "items": [ oops ]\n}\n')]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/bad\.json:2:\d+/);
  });

  it('a negative stock exits 2 with one line naming the field', async () => {
    const r = await cli(['run', file('neg.json', JSON.stringify({ items: [{ id: 'vase', stock: -3 }] }))]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/stock/);
  });

  it('usage mistakes exit 2 with one line: unknown flag, bad seed, unknown strategy, unknown command', async () => {
    for (const args of [
      ['run', 'scenarios/flash-sale.json', '--sed', '7'],
      ['run', 'scenarios/flash-sale.json', '--seed', 'seven'],
      ['run', 'scenarios/flash-sale.json', '--strategy', 'nope'],
      ['frobnicate'],
      ['run'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr), r.stderr).toBe(true);
    }
  });
});

describe('npm start (demo)', () => {
  it('shows the naive oversell, the doubly sold units and the replay command', async () => {
    const r = await cli(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no-oversell/);
    expect(r.stdout).toMatch(/vase#\d+ went to/);
    expect(r.stdout).toContain('npx oversold run');
  });

  it('--json gives the naive run and a comparison where only the broken strategies fail', async () => {
    const r = await cli(['demo', '--json', '--seeds', '20']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.naive.violations.map((v: { invariant: string }) => v.invariant)).toContain('no-oversell');
    for (const row of j.comparison) {
      expect(row.runs).toBe(20);
      if (row.claimedSafe) expect(row.failingSeeds, row.strategy).toEqual([]);
    }
    expect(j.comparison.filter((row: { claimedSafe: boolean; failingSeeds: number[] }) => !row.claimedSafe && row.failingSeeds.length > 0)).toHaveLength(4);
  });
});
