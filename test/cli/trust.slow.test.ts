// The tests of trust.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runMain } from '../helpers/inProcess.js';
import { ROOT } from '../helpers/scenarios.js';

// A folder outside this project (no package.json above it) with a module and files naming it.
const away = mkdtempSync(join(tmpdir(), 'oversold-trust-'));
const mod = join(away, 'mine.mjs');
copyFileSync(resolve(ROOT, 'test/fixtures/hostile/prints-to-stdout.mjs'), mod);

async function replayFileNaming(strategy: string): Promise<string> {
  const file = join(away, `r-${Math.abs(strategy.length)}.json`);
  await runMain(['run', resolve(ROOT, 'scenarios/flash-sale.json'), '--strategy', 'naive', '--record', file]);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), strategy }));
  return file;
}

describe('replay and scenario files are code: the modules they name need trust outside the project', () => {
  it('a replay file naming a module outside the project is refused with one line (replay, why, export); --trust runs it and says which file loads', async () => {
    const file = await replayFileNaming('./mine.mjs');
    for (const cmd of [['replay', file], ['why', file], ['export', file, '-o', join(away, 'out.json')]]) {
      const r = await runMain(cmd);
      expect(r.code, cmd[0]).toBe(2);
      expect(r.stderr, cmd[0]).toBe(`oversold ${cmd[0]}: the replay file ${file} names strategy module ${mod}, outside this project (${ROOT}): files are code, and that module would run here. Pass --trust to run it, or --strategy to choose the module yourself\n`);
    }
    const trusted = await runMain(['replay', file, '--trust', '--json']);
    expect(trusted.stderr).toContain(`oversold: loading strategy module ${mod} (named by the replay file ${file})`);
    expect(JSON.parse(trusted.stdout).strategy).toBe('printer');
  });

  it('a module inside the project is announced and runs without --trust', async () => {
    const file = await replayFileNaming(resolve(ROOT, 'examples/my-strategy.ts'));
    const r = await runMain(['replay', file, '--json']);
    expect(r.stderr).toContain(`oversold: loading strategy module ${resolve(ROOT, 'examples/my-strategy.ts')}`);
    expect(JSON.parse(r.stdout).strategy).toBe('my-decrement');
  });
});
