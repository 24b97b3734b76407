// merge of sweep results: every test sweeps first (worker threads), and one makes a FIFO with
// mkfifo; the fast tier starts neither threads nor processes (test/setup/fastTier.ts).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runMain } from '../helpers/inProcess.js';
import { ROOT } from '../helpers/scenarios.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-merge-'));
const flashSale = resolve(ROOT, 'scenarios/flash-sale.json');

async function sweepTo(file: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const r = await runMain(['sweep', flashSale, '--workers', '1', '--json', ...args]);
  writeFileSync(file, r.stdout);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('merge refuses what is not one sweep of one strategy', () => {
  it('reads only regular files of bounded size: /dev/zero and a FIFO are refused at once with one line', async () => {
    const fifo = join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const f of ['/dev/zero', fifo]) {
      const r = await runMain(['merge', f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`oversold merge: ${f}: not a regular file (a device, pipe or socket)\n`);
    }
  });

  it('a user module named like a built-in, and two versions of one module, do not merge', async () => {
    const mod = join(tmp, 'lock-lease.mjs');
    const src = readFileSync(resolve(ROOT, 'test/fixtures/leaky-strategy.mjs'), 'utf8').replace("name: 'leaky'", "name: 'naive'");
    writeFileSync(mod, src);
    await sweepTo(join(tmp, 'builtin.json'), ['--strategy', 'naive', '--seeds', '5']);
    await sweepTo(join(tmp, 'user1.json'), ['--strategy', mod, '--seeds', '5', '--start', '6', '--watchdog-s', '0']);
    writeFileSync(mod, src + '\n// version 2\n');
    await sweepTo(join(tmp, 'user2.json'), ['--strategy', mod, '--seeds', '5', '--start', '11', '--watchdog-s', '0']);
    const mixed = await runMain(['merge', join(tmp, 'builtin.json'), join(tmp, 'user1.json')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/swept module .*lock-lease\.mjs \([0-9a-f]{16}\) strategy naive, but .*builtin\.json swept the built-in/);
    const versions = await runMain(['merge', join(tmp, 'user1.json'), join(tmp, 'user2.json')]);
    expect(versions.code).toBe(2);
    expect(versions.stderr).toContain('only results of the same strategy code merge');
  });

  it('the merged reproduce command names the module path, not its display name', async () => {
    const mod = join(tmp, 'broken.mjs');
    writeFileSync(mod, "export default { name: 'throw-gen', *placeOrder(ctx) { const r = yield* ctx.db.read('vase'); yield* ctx.db.write('vase', r.ok ? r.value - 1 : 0); return 'ORDER_PLACED'; } };\n");
    await sweepTo(join(tmp, 'b1.json'), ['--strategy', mod, '--seeds', '3', '--watchdog-s', '0']);
    await sweepTo(join(tmp, 'b2.json'), ['--strategy', mod, '--seeds', '3', '--start', '4', '--watchdog-s', '0']);
    const r = await runMain(['merge', join(tmp, 'b1.json'), join(tmp, 'b2.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`--strategy ${mod}`);
    expect(r.stdout).not.toContain('--strategy throw-gen');
  });

  it('tampered tallies are refused: a backwards range, a seed counted twice, goodput above 1', async () => {
    const good = await sweepTo(join(tmp, 'good.json'), ['--strategy', 'naive', '--seeds', '10']);
    const tally = good.tally as Record<string, unknown>;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['backwards', { ...good, tally: { ...tally, ranges: [[60, 50]] } }, /tally\.ranges: \[60, 50\] is not a range/],
      ['twice', { ...good, tally: { ...tally, failingSeeds: [1, 1, 2] } }, /not strictly ascending at seed 1/],
      ['goodput', { ...good, tally: { ...tally, goodputMicrosSum: 16_600_000 } }, /goodput above 1/],
      ['runs', { ...good, tally: { ...tally, runs: 11 } }, /tally\.runs is 11 but its ranges cover 10 seeds/],
    ];
    for (const [name, report, message] of cases) {
      const f = join(tmp, `${name}.json`);
      writeFileSync(f, JSON.stringify(report));
      const r = await runMain(['merge', f]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
    }
  });
});
