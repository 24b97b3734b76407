// Your own strategy module through the CLI: every such command runs in the watchdog's thread
// (src/cli/isolate.ts), which loads the module there (tsx for TypeScript) and sweeps on more
// threads; slow tier. The same modules through the API: test/explore/userStrategy.test.ts.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'oversold-user-strategy-'));

describe('--strategy ./path: your own strategy from the CLI', () => {
  it('examples/my-strategy.ts runs, sweeps on worker threads, and passes check on flash-sale-chaos', async () => {
    const run = await cli(['run', 'scenarios/flash-sale-chaos.json', '--strategy', './examples/my-strategy.ts', '--seed', '4', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).strategy).toBe('my-decrement');
    const sweep = await cli(['sweep', 'scenarios/flash-sale-chaos.json', '--strategy', './examples/my-strategy.ts', '--seeds', '100', '--workers', '2', '--json']);
    expect(sweep.code).toBe(0);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ strategy: 'my-decrement', runs: 100, failingSeeds: [] });
    const check = await cli(['check', 'scenarios/flash-sale-chaos.json', '--strategy', './examples/my-strategy.ts', '--runs', '100']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('no invariant broke in 100 property runs');
  });

  it('a strategy written as a class instance runs, and sweeps on worker threads', async () => {
    const run = await cli(['run', 'scenarios/flash-sale-chaos.json', '--strategy', './test/fixtures/class-strategy.mjs', '--seed', '4', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ strategy: 'class-decrement', verdict: 'ok' });
    expect(JSON.parse(run.stdout).orders.placed).toBeGreaterThan(0);
    const sweep = await cli(['sweep', 'scenarios/flash-sale-chaos.json', '--strategy', './test/fixtures/class-strategy.mjs', '--seeds', '20', '--workers', '2', '--json']);
    expect(sweep.code).toBe(0);
    expect(JSON.parse(sweep.stdout)).toMatchObject({ strategy: 'class-decrement', runs: 20, failingSeeds: [] });
  });

  it('a module that exports no strategy exits 2 with one line saying what to export', async () => {
    const f = join(tmp, 'empty.mjs');
    writeFileSync(f, 'export const answer = 42;\n');
    for (const cmd of ['run', 'sweep', 'check']) {
      const args = [cmd, 'scenarios/flash-sale.json', '--strategy', f, ...(cmd === 'sweep' ? ['--seeds', '5'] : [])];
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('exports no strategy');
    }
  });
});
