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
  it('an explicit --strategy is the user\'s own choice: no question asked', async () => {
    const file = await replayFileNaming('./mine.mjs');
    const r = await runMain(['replay', file, '--strategy', 'naive', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('loading strategy module');
  });

  it('a scenario file naming a module outside the project needs --trust too', async () => {
    const scenario = join(away, 'scenario.json');
    const s = JSON.parse(readFileSync(resolve(ROOT, 'scenarios/flash-sale.json'), 'utf8'));
    delete s.$schema;
    writeFileSync(scenario, JSON.stringify({ ...s, strategy: { name: './mine.mjs' } }));
    const r = await runMain(['run', scenario], { cwd: away });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the scenario ${scenario} names strategy module ${mod}, outside this project (no package.json above ${away})`);
  });
});
